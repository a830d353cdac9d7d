from __future__ import annotations

import datetime as dt

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class MembershipOut(Schema):
    clinic_id: int
    clinic: str
    role: str
    is_medical_director: bool


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    memberships: list[MembershipOut]
    patient_ids: list[int]


class PatientOut(Schema):
    id: int
    clinic_id: int
    record_number: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str
    email: str
    phone: str
    preferred_contact_method: str
    preferred_language: str
    time_zone: str
    primary_condition: str
    sci_date_of_injury: dt.date | None
    sci_neurological_level: str
    sci_ais_grade: str
    sci_cause: str
    current_step: str | None


class PatientContactIn(Schema):
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    preferred_contact_method: str | None = None
    preferred_language: str | None = None
    time_zone: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    emergency_contact_relationship: str | None = None
