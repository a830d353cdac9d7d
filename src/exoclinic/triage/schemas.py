from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema


class SymptomOut(Schema):
    code: str
    label: str
    question: str
    asks_severity: bool
    asks_onset: bool
    parent: str | None = None
    red_flag: bool = False  # asked first: a "yes" alone can make the report an emergency or urgent
    severity_words: dict[str, str] | None = None  # mild / moderate / severe in concrete words


class AnswerIn(Schema):
    code: str
    answer: str  # yes, no, unknown
    severity: str | None = None  # mild, moderate, severe (questions that ask it)
    onset_hours_ago: float | None = None
    duration_hours: float | None = None


class VitalsIn(Schema):
    temperature_c: float | None = None
    systolic_mmhg: float | None = None
    diastolic_mmhg: float | None = None
    heart_rate_bpm: float | None = None


class ReportIn(Schema):
    patient_id: int
    answers: list[AnswerIn]
    vitals: VitalsIn | None = None
    note: str = ""  # "something else", in the patient's own words (read by staff; sets at least routine)
    submission_key: uuid.UUID | None = None


class FindingOut(Schema):
    code: str
    status: str
    level: str
    counted_as_positive: bool
    reason: str


class ReportOut(Schema):
    id: int
    patient_id: int
    submitted_at: dt.datetime
    level: str
    ruleset_version: str
    findings: list[FindingOut]
    advice: list[str]
    alert_id: int | None = None
    emergency_services_number: str
    clinic_emergency_phone: str


class AlertOut(Schema):
    id: int
    clinic_id: int
    report_id: int
    patient_id: int
    patient_name: str
    level: str
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None = None
    acknowledged_by: str | None = None
    escalation_step: int
    escalated_to: str | None = None
