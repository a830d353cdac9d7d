from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class AppointmentTypeOut(Schema):
    id: int
    clinic_id: int
    name: str
    kind: str
    description: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    min_notice_hours: int
    horizon_days: int
    cancellation_cutoff_hours: int
    patient_bookable: bool
    requires_step: str
    practitioner_title: str
    room_kind: str
    capacity: int = Field(description="Places per session: 1, or more for a group session.")


class PractitionerOut(Schema):
    id: int
    name: str


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    practitioner: PractitionerOut
    places_left: int = Field(
        description="Free places at this time: 1 for a one-patient type; for a group session, its capacity "
        "less the patients already in it."
    )


class NextSlotOut(Schema):
    start: str
    end: str
    practitioner: int
    practitioner_name: str
    places_left: int


class ConflictOut(Schema):
    code: str
    message: str
    field: str | None = None
    next_slots: list[NextSlotOut] = []


class AppointmentOut(Schema):
    id: int
    uid: str
    patient: int
    appointment_type: int
    appointment_type_name: str
    practitioner: PractitionerOut
    room: int | None
    start: dt.datetime
    end: dt.datetime
    status: str
    hold_expires_at: dt.datetime | None
    video_link: str
    mobility_needs: str
    caregiver_attending: bool
    interpreter_language: str
    sequence: int
    place: int = Field(description="The patient's place in a group session (1 for a one-patient type).")
    late_cancellation: bool
    idempotency_key: str | None


class AppointmentIn(Schema):
    appointment_type: int
    start: dt.datetime
    practitioner: int | None = None
    idempotency_key: str | None = Field(default=None, max_length=100)
    patient: int | None = None
    mobility_needs: str = Field(default="", max_length=2000)
    caregiver_attending: bool = False
    interpreter_language: str = Field(default="", max_length=60)
    notes: str = Field(default="", max_length=2000)


class RescheduleIn(Schema):
    start: dt.datetime
    practitioner: int | None = None


class CancelIn(Schema):
    reason: str = Field(default="", max_length=300)
