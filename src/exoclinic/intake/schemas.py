from __future__ import annotations

import datetime as dt

from ninja import Schema


class ApplicationIn(Schema):
    """A complete application in one request. Health answers are "yes", "no" or "unsure"."""

    idempotency_key: str
    clinic: str | None = None  # clinic slug; the public clinic when absent
    for_self: bool = True
    filler_name: str = ""
    filler_relationship: str = ""
    filler_email: str = ""
    filler_phone: str = ""
    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str = ""
    email: str = ""
    phone: str = ""
    preferred_contact_method: str = "email"
    preferred_language: str = "en"
    time_zone: str
    condition: str = "sci"
    condition_description: str = ""
    date_of_injury: dt.date | None = None
    neurological_level: str = ""
    ais_grade: str = ""
    injury_cause: str = ""
    surgeries: str = ""
    self_ratings: dict[str, int]
    active_infection: str
    pregnant: str
    active_cancer: str
    bleeding_disorder: str
    medications: str = ""
    takes_anticoagulants: str
    takes_anti_inflammatories: str
    takes_immunosuppressants: str
    allergies: str = ""
    past_treatments: str = ""
    earlier_cell_treatment: str
    last_cell_treatment_on: dt.date | None = None
    current_therapies: str = ""
    goals: list[str]
    goals_own_words: str = ""
    expectations: str = ""
    consent_contact: bool
    privacy_acknowledged: bool
    research_consent: bool = False


class MessageOut(Schema):
    direction: str
    body: str
    created_at: dt.datetime


class StatusOut(Schema):
    id: int
    reference: str
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    messages: list[MessageOut]


class FlagOut(Schema):
    code: str
    severity: str
    reason: str
    field: str


class QueueItemOut(Schema):
    id: int
    reference: str
    status: str
    patient_name: str
    submitted_at: dt.datetime
    flag_level: str
    assigned_to: str | None


class DetailOut(QueueItemOut):
    clinic_id: int
    answers: dict[str, object]
    flags: list[FlagOut]
    decided_at: dt.datetime | None
    decision_reason: str
    patient_id: int | None
    messages: list[MessageOut]
    uploads: list[str]


class TransitionIn(Schema):
    action: str  # start_review | request_info | message | accept | decline
    text: str = ""  # the question, message or reason
    # accept only, when the applicant may already be a patient: the matching record's id, or "new"
    patient: str | None = None


class ReplyIn(Schema):
    body: str
