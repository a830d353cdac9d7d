from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class LotOut(Schema):
    id: int
    clinic_id: int
    code: str
    status: str
    product_type_id: int
    product_type: str
    collection_id: int
    collection_reference: str
    source_identifier: str
    manufactured_on: dt.date
    expires_on: dt.date
    volume_ml: float
    particles_per_ml: float
    protein_ug_per_ml: float | None
    units_available: int
    units_total: int
    released_by: str | None
    released_at: dt.datetime | None


class LotIn(Schema):
    clinic_id: int
    product_type_id: int
    collection_id: int
    manufactured_on: dt.date
    expires_on: dt.date
    unit_count: int = Field(..., ge=1, le=999)
    volume_ml: float = Field(..., gt=0)
    particles_per_ml: float = Field(..., gt=0)
    protein_ug_per_ml: float | None = None
    storage_unit_id: int | None = None


class QcResultOut(Schema):
    id: int
    lot_id: int
    test: str
    test_name: str
    value: str
    passed: bool
    inconclusive: bool
    reason: str
    analyst: str
    tested_at: dt.datetime
    reviewer: str | None
    reviewed_at: dt.datetime | None


class QcResultIn(Schema):
    test: str = Field(..., description="The specification's code, e.g. endotoxin.")
    value: str = Field(..., description="A number (optionally < or >) or the text answer.")
    tested_at: dt.datetime


class QcFindingOut(Schema):
    test: str
    name: str
    reason: str


class ReleaseStatusOut(Schema):
    releasable: bool
    missing: list[QcFindingOut]
    failed: list[QcFindingOut]
    notes: list[QcFindingOut]
    blockers: list[str]


class ReleaseIn(Schema):
    password: str = Field(..., description="The lab user's own password, re-entered to sign the release.")


class RecipientOut(Schema):
    patient_id: int
    record_number: str
    name: str
    date_of_birth: dt.date
    email: str
    phone: str
    address: str
    preferred_contact_method: str
    unit_code: str
    administered_at: dt.datetime
    notification_id: int | None
    notification_status: str
    notified_at: dt.datetime | None


class RecallIn(Schema):
    recall_class: str = Field(..., description="I, II or III.")
    reason: str


class RecallOut(Schema):
    id: int
    lot_id: int
    lot_code: str
    recall_class: str
    reason: str
    started_by: str
    started_at: dt.datetime
    recipients: int
    pending: int


class NotificationIn(Schema):
    status: str = Field(..., description="notified or unreachable.")
    method: str = ""
    note: str = ""


class NotificationOut(Schema):
    id: int
    patient_id: int
    status: str
    method: str
    note: str
    notified_at: dt.datetime | None


class DeviationIn(Schema):
    description: str
    discovered_at: dt.datetime
    submission_key: uuid.UUID | None = None


class DeviationReportedIn(Schema):
    regulator_reference: str


class DeviationOut(Schema):
    id: int
    lot_id: int
    lot_code: str
    description: str
    discovered_at: dt.datetime
    report_due_at: dt.datetime  # discovery + 45 days (clinical-facts §6)
    days_left: int | None  # negative when overdue; None once reported
    reported_at: dt.datetime | None
    regulator_reference: str
