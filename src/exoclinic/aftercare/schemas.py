from __future__ import annotations

import datetime as dt

from ninja import Schema


class RestrictionOut(Schema):
    kind: str
    title: str
    advice: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    in_force: bool


class CheckInOut(Schema):
    id: int
    title: str
    due_at: dt.datetime
    completed_at: dt.datetime | None
    feeling: str


class AftercareOut(Schema):
    patient_id: int
    time_zone: str
    restrictions: list[RestrictionOut]
    check_ins: list[CheckInOut]
    medication_warnings: list[str]
