from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema


class PlanIn(Schema):
    patient_id: int
    therapy: str = "exosome"
    route: str
    target_site: str
    target_level: str = ""
    planned_sessions: int = 1
    session_interval_days: int | None = None
    first_session_on: dt.date | None = None
    dose: str
    concurrent_therapies: list[str] = []
    concurrent_therapies_note: str = ""
    rationale: str
    alternatives_discussed: str
    anti_inflammatory_avoid_days: int | None = None
    active_infection: str = "unknown"
    pregnancy: str = "unknown"


class ConsentOut(Schema):
    version: str
    method: str
    signer_name: str
    witness_name: str
    accepted_at: dt.datetime
    withdrawn_at: dt.datetime | None = None
    # The version agreed to last (a renewal's, else the first signature's) and whether the clinic's current
    # text still waits for the patient's consent before the next procedure.
    version_in_force: str
    renewal_due: bool


class ChecklistItemOut(Schema):
    id: int
    rule: str
    title: str
    instructions: str
    due_on: dt.date | None
    confirmed_at: dt.datetime | None


class PlanOut(Schema):
    id: int
    patient_id: int
    therapy: str
    route: str
    target_site: str
    target_level: str
    planned_sessions: int
    session_interval_days: int | None
    first_session_on: dt.date | None
    dose: str
    concurrent_therapies: list[str]
    concurrent_therapies_note: str
    rationale: str
    alternatives_discussed: str
    anti_inflammatory_avoid_days: int
    status: str
    approved_by: str | None
    approved_at: dt.datetime | None
    consent: ConsentOut | None
    checklist: list[ChecklistItemOut]


class ConsentAcceptIn(Schema):
    version: str
    accepted: bool


class ConsentInClinicIn(Schema):
    signer_name: str
    witness_name: str
    accepted_at: dt.datetime | None = None


class Vitals(Schema):
    systolic: float | None = None
    diastolic: float | None = None
    heart_rate: float | None = None
    temperature_c: float | None = None
    spo2: float | None = None


class ProcedureIn(Schema):
    plan_id: int
    submission_key: uuid.UUID | None = None
    performed_at: dt.datetime
    identity_full_name: str
    identity_date_of_birth: dt.date
    lot_code: str
    dose: str
    route: str
    site: str
    level: str = ""
    vitals_before: Vitals
    vitals_after: Vitals
    immediate_reactions: str = ""
    notes: str = ""
    appointment_id: int | None = None


class ProcedureOut(Schema):
    id: int
    plan_id: int
    patient_id: int
    performed_at: dt.datetime
    practitioner: str
    identity_check: str
    lot_code: str
    unit_code: str
    dose: str
    route: str
    site: str
    level: str
    vitals_before: dict
    vitals_after: dict
    immediate_reactions: str
    notes: str
    appointment_id: int | None


class AdverseEventIn(Schema):
    patient_id: int
    submission_key: uuid.UUID | None = None
    description: str
    onset_at: dt.datetime
    ctcae_grade: int
    # ICH E2A criteria (death, life_threatening, hospitalisation, disability, congenital_anomaly,
    # important_medical_event): any one makes the event serious. Grade 4 and 5 add theirs.
    seriousness_criteria: list[str] = []
    no_seriousness_criteria: bool = False  # "none applies": required for grade 3 without criteria
    serious: bool | None = None  # optional; when given it must agree with the criteria
    relatedness: str
    outcome: str = "unknown"
    lot_code: str = ""
    procedure_id: int | None = None


class AdverseEventAssessIn(Schema):
    description: str | None = None
    onset_at: dt.datetime | None = None
    ctcae_grade: int | None = None
    seriousness_criteria: list[str] | None = None
    no_seriousness_criteria: bool | None = None
    serious: bool | None = None
    relatedness: str | None = None
    outcome: str | None = None
    lot_code: str | None = None


class AdverseEventOut(Schema):
    id: int
    patient_id: int
    procedure_id: int | None
    lot_code: str
    source: str
    status: str
    description: str
    onset_at: dt.datetime
    ctcae_grade: int | None
    serious: bool
    seriousness_criteria: list[str]
    received_at: dt.datetime | None
    serious_since: dt.datetime | None
    relatedness: str
    outcome: str
    report_due_at: dt.datetime | None
    regulator_reported_at: dt.datetime | None
