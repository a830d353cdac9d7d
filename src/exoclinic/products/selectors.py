"""Every read of the products app, under the access policy: lots are read by the staff of their clinic;
recipients of a lot (names and contact details, no clinical notes) by lab, clinician, coordinator, admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import NotFound
from exoclinic.core.policy import acts_for, portal_patients, scope_to_clinics

from . import codes
from .models import (
    CustodyEvent,
    CustodyKind,
    NotificationMethod,
    ProductLot,
    ProductUnit,
    Recall,
    RecallNotification,
    Source,
    StorageUnit,
    TemperatureExcursion,
    UnitStatus,
)
from .services._common import LAB_ROLES, RECALL_READER_ROLES

# Products are not patient records: every staff role of the clinic may look a lot up (the clinician checks
# one before a procedure), but only lab and admin change them.
LOT_READER_ROLES = ("lab", "admin", "clinician", "coordinator")


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def lot_list(*, user, status: str | None = None, query: str = "") -> QuerySet[ProductLot]:
    lots = scope_to_clinics(user, ProductLot.objects.all(), roles=LOT_READER_ROLES)
    if status:
        lots = lots.filter(status=status)
    if query.strip():
        # A typed or scanned code matches with or without dashes, in any case.
        lots = lots.annotate(code_compact=Replace("code", Value("-"), Value(""))).filter(
            Q(code_compact__contains=codes.normalise(query))
            | Q(collection__reference__icontains=query.strip())
        )
    return lots.select_related("product_type", "collection", "clinic").annotate(
        units_available=Count("units", filter=Q(units__status=UnitStatus.AVAILABLE)),
        units_total=Count("units"),
    )


def lot_get(*, user, lot_id, roles=LOT_READER_ROLES) -> ProductLot:
    lot = (
        scope_to_clinics(user, ProductLot.objects.all(), roles=roles)
        .select_related("product_type", "collection__source", "clinic", "released_by", "created_by")
        .filter(pk=_pk(lot_id))
        .first()
    )
    if lot is None:
        raise NotFound()
    return lot


def lot_units_with_path(lot: ProductLot) -> list[ProductUnit]:
    """The lot's units, each with ``custody_events`` in time order: the unit's path from receipt on."""
    events = CustodyEvent.objects.select_related("actor", "storage_unit", "patient").order_by(
        "occurred_at", "id"
    )
    return list(
        lot.units.select_related("storage_unit", "lot").prefetch_related(
            Prefetch("custody_events", queryset=events)
        )
    )


@dataclass(frozen=True)
class Recipient:
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
    notification_id: int | None = None
    notification_status: str = ""
    notified_at: dt.datetime | None = None
    notice_sent_at: dt.datetime | None = None
    notice_email: str = ""
    notice_read_at: dt.datetime | None = None
    notice_language: str = ""
    method_label: str = ""
    notified_by: str = ""
    notification_note: str = ""


def _method_label(method: str) -> str:
    return str(NotificationMethod(method).label) if method in NotificationMethod.values else method


def lot_recipients(*, user, lot_id) -> list[Recipient]:
    """Every patient who received a unit of the lot, with contact details and the date (the recall list).

    Each listed patient is a staff read of a patient record, so each gets an audit row.
    """
    lot = lot_get(user=user, lot_id=lot_id, roles=RECALL_READER_ROLES)
    notifications = {}
    recall = Recall.objects.filter(lot=lot).first()
    if recall is not None:
        notifications = {n.patient_id: n for n in recall.notifications.select_related("updated_by")}
    events = (
        CustodyEvent.objects.filter(unit__lot=lot, kind=CustodyKind.ADMINISTERED)
        .select_related("patient", "unit", "unit__lot")
        .order_by("occurred_at", "id")
    )
    recipients = []
    for event in events:
        p = event.patient
        note = notifications.get(p.pk)
        recipients.append(
            Recipient(
                patient_id=p.pk,
                record_number=p.record_number,
                name=p.full_name,
                date_of_birth=p.date_of_birth,
                email=p.email,
                phone=p.phone,
                address=p.address,
                preferred_contact_method=p.preferred_contact_method,
                unit_code=event.unit.code,
                administered_at=event.occurred_at,
                notification_id=note.pk if note else None,
                notification_status=note.status if note else "",
                notified_at=note.notified_at if note else None,
                notice_sent_at=note.notice_sent_at if note else None,
                notice_email=note.notice_email if note else "",
                notice_read_at=note.notice_read_at if note else None,
                notice_language=p.get_preferred_language_display() if note else "",
                method_label=_method_label(note.method) if note else "",
                notified_by=str(note.updated_by) if note and note.updated_by_id else "",
                notification_note=note.note if note else "",
            )
        )
    for patient_id in sorted({r.patient_id for r in recipients}):
        audit_record(
            actor=user,
            action="patient.view",
            record_type="core.patient",
            record_id=patient_id,
            clinic=lot.clinic,
            patient=next(e.patient for e in events if e.patient_id == patient_id),
            detail={"purpose": "recall_list", "lot": lot.code},
        )
    return recipients


def recall_notification_get(*, user, notification_id) -> RecallNotification:
    notification = (
        RecallNotification.objects.select_related("recall__lot__clinic", "patient")
        .filter(
            pk=_pk(notification_id),
            recall__lot__in=scope_to_clinics(user, ProductLot.objects.all(), roles=RECALL_READER_ROLES),
        )
        .first()
    )
    if notification is None:
        raise NotFound()
    return notification


def recall_list(*, user) -> QuerySet[Recall]:
    return (
        Recall.objects.filter(
            lot__in=scope_to_clinics(user, ProductLot.objects.all(), roles=RECALL_READER_ROLES)
        )
        .select_related("lot", "started_by")
        .annotate(
            recipients=Count("notifications"),
            pending=Count("notifications", filter=Q(notifications__status="pending")),
        )
    )


def source_list(*, user) -> QuerySet[Source]:
    return scope_to_clinics(user, Source.objects.all(), roles=LAB_ROLES).prefetch_related(
        "tests", "collections"
    )


def source_get(*, user, source_id) -> Source:
    source = source_list(user=user).filter(pk=_pk(source_id)).first()
    if source is None:
        raise NotFound()
    return source


def storage_unit_list(*, user) -> QuerySet[StorageUnit]:
    return scope_to_clinics(user, StorageUnit.objects.filter(active=True), roles=LAB_ROLES).annotate(
        open_excursions=Count("excursions", filter=Q(excursions__resolved_at__isnull=True), distinct=True),
        units_held=Count("product_units", filter=Q(product_units__status=UnitStatus.HELD), distinct=True),
    )


def storage_unit_get(*, user, storage_unit_id) -> StorageUnit:
    unit = (
        scope_to_clinics(user, StorageUnit.objects.all(), roles=LAB_ROLES)
        .filter(pk=_pk(storage_unit_id))
        .first()
    )
    if unit is None:
        raise NotFound()
    return unit


def excursion_get(*, user, excursion_id) -> TemperatureExcursion:
    excursion = (
        TemperatureExcursion.objects.select_related("storage_unit", "first_reading")
        .filter(
            pk=_pk(excursion_id),
            storage_unit__in=scope_to_clinics(user, StorageUnit.objects.all(), roles=LAB_ROLES),
        )
        .first()
    )
    if excursion is None:
        raise NotFound()
    return excursion


def lab_attention(*, user) -> dict:
    """Counts for the lab's home box: open excursions, lots in quarantine, recall notifications pending."""
    from .models import LotStatus

    return {
        "excursions": list(
            TemperatureExcursion.objects.filter(
                resolved_at__isnull=True,
                storage_unit__in=scope_to_clinics(user, StorageUnit.objects.all(), roles=LAB_ROLES),
            ).select_related("storage_unit")
        ),
        "quarantine": scope_to_clinics(
            user, ProductLot.objects.filter(status=LotStatus.QUARANTINE), roles=LAB_ROLES
        ).count(),
        "pending_notifications": RecallNotification.objects.filter(
            status="pending",
            recall__lot__in=scope_to_clinics(user, ProductLot.objects.all(), roles=LAB_ROLES),
        ).count(),
    }


def recall_notices_for(*, user, patient) -> list[RecallNotification]:
    """The recall notices of a patient the user acts for (own record or as the named caregiver)."""
    if not acts_for(user, patient):
        raise NotFound()
    return list(
        RecallNotification.objects.filter(patient=patient, notice_sent_at__isnull=False)
        .select_related("recall__lot__product_type", "recall__lot__clinic")
        .order_by("-notice_sent_at", "-id")
    )


def recall_notice_get(*, user, notice_id) -> RecallNotification:
    notice = (
        RecallNotification.objects.select_related("recall__lot__clinic", "patient")
        .filter(pk=_pk(notice_id), notice_sent_at__isnull=False)
        .first()
    )
    if notice is None or not acts_for(user, notice.patient):
        raise NotFound()
    return notice


def unread_recall_notices(*, user) -> list[RecallNotification]:
    """Notices not yet opened, of every record the user acts for (the portal home's box)."""
    return list(
        RecallNotification.objects.filter(
            patient__in=portal_patients(user).values("pk"),
            notice_sent_at__isnull=False,
            notice_read_at__isnull=True,
        ).select_related("patient", "recall__lot")
    )


def deviations_visible(*, user, open_only: bool = False, lot: ProductLot | None = None):
    """Product deviations of the lots the user may read, the nearest report due first."""
    from .deviation_models import ProductDeviation

    lots = scope_to_clinics(user, ProductLot.objects.all(), roles=LOT_READER_ROLES)
    deviations = ProductDeviation.objects.filter(lot__in=lots).select_related("lot", "recorded_by")
    if lot is not None:
        deviations = deviations.filter(lot=lot)
    if open_only:
        deviations = deviations.filter(reported_at__isnull=True)
    return deviations.order_by("reported_at", "report_due_at", "id")


def deviation_get(*, user, deviation_id):
    found = deviations_visible(user=user).filter(pk=_pk(deviation_id)).first()
    if found is None:
        raise NotFound()
    return found
