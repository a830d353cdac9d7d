"""Recall of a lot: the lot becomes RECALLED and each recipient is told at once (a portal notice and an
e-mail in their language), with a notification that staff track until the patient has read it or been
reached another way (a phone call recorded by staff)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition, NotFound
from exoclinic.core.models import Patient
from exoclinic.core.notify import send_templated_email
from exoclinic.core.policy import acts_for, require_staff

from ..models import (
    CustodyEvent,
    CustodyKind,
    LotStatus,
    NotificationStatus,
    ProductLot,
    Recall,
    RecallClass,
    RecallNotification,
)
from ._common import RECALL_READER_ROLES, require_lab


def recall_start(*, actor, lot: ProductLot, recall_class: str, reason: str, at: dt.datetime) -> Recall:
    require_lab(actor, lot.clinic_id)
    if recall_class not in RecallClass.values:
        raise InvalidInput(_("Choose recall class I, II or III."), field="recall_class")
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the recall."), field="reason")
    with transaction.atomic():
        lot = ProductLot.objects.select_for_update().get(pk=lot.pk)
        if lot.status == LotStatus.RECALLED or Recall.objects.filter(lot=lot).exists():
            raise InvalidTransition(_("Lot %(code)s is already recalled.") % {"code": lot.code}, field="lot")
        recall = Recall.objects.create(
            lot=lot,
            recall_class=recall_class,
            reason=reason,
            started_by=actor,
            started_at=at,
            previous_status=lot.status,
        )
        lot.status = LotStatus.RECALLED
        lot.save(update_fields=["status", "updated_at"])
        patient_ids = (
            CustodyEvent.objects.filter(unit__lot=lot, kind=CustodyKind.ADMINISTERED)
            .values_list("patient_id", flat=True)
            .distinct()
        )
        patients = list(Patient.objects.filter(pk__in=set(patient_ids)).select_related("user").order_by("pk"))
        notifications = RecallNotification.objects.bulk_create(
            RecallNotification(recall=recall, patient=p, notice_sent_at=at, notice_email=_notice_address(p))
            for p in patients
        )
        for notification in notifications:
            _notice_send(recall, notification)
        audit_record(
            actor=actor,
            action="lot.recall",
            target=lot,
            detail={
                "class": recall_class,
                "reason": reason,
                "recipients": len(set(patient_ids)),
                "recall_id": recall.pk,
            },
        )
    return recall


def recall_notification_update(
    *, actor, notification: RecallNotification, status: str, at: dt.datetime, method: str = "", note: str = ""
) -> RecallNotification:
    clinic_id = notification.recall.lot.clinic_id
    require_staff(actor, clinic_id, RECALL_READER_ROLES)
    if status not in (NotificationStatus.NOTIFIED, NotificationStatus.UNREACHABLE):
        raise InvalidInput(_("Record the patient as notified or not reachable."), field="status")
    with transaction.atomic():
        notification = RecallNotification.objects.select_for_update().get(pk=notification.pk)
        if notification.status == NotificationStatus.NOTIFIED:
            raise InvalidTransition(_("This patient is already recorded as notified."), field="status")
        notification.status, notification.method = status, method.strip()[:20]
        notification.note, notification.updated_by, notification.notified_at = note.strip()[:300], actor, at
        notification.save()
        audit_record(
            actor=actor,
            action="recall.notify",
            target=notification,
            patient=notification.patient,
            detail={"lot": notification.recall.lot.code, "status": status, "method": notification.method},
        )
    return notification


def _notice_address(patient: Patient) -> str:
    return patient.email or (patient.user.email if patient.user_id else "")


def _notice_send(recall: Recall, notification: RecallNotification) -> None:
    """The patient's notice: shown in the portal from now on, and e-mailed after commit when possible."""
    patient = notification.patient
    if notification.notice_email:
        send_templated_email(
            to=notification.notice_email,
            name="products/email/recall_notice",
            context={"patient": patient, "recall": recall, "lot": recall.lot, "clinic": recall.lot.clinic},
            language=patient.preferred_language,
        )
    audit_record(
        actor=None,
        action="recall.notice_send",
        target=notification,
        patient=patient,
        detail={"lot": recall.lot.code, "email": bool(notification.notice_email)},
    )


def recall_notice_read(*, actor, notification: RecallNotification, at: dt.datetime) -> RecallNotification:
    """The patient (or their caregiver) opened the notice: the first opening is kept and audited."""
    if not acts_for(actor, notification.patient):
        raise NotFound()
    with transaction.atomic():
        notification = RecallNotification.objects.select_for_update().get(pk=notification.pk)
        if notification.notice_read_at is None:
            notification.notice_read_at = at
            notification.save(update_fields=["notice_read_at", "updated_at"])
            audit_record(
                actor=actor,
                action="recall.notice_read",
                target=notification,
                patient=notification.patient,
                detail={"lot": notification.recall.lot.code},
            )
    return notification
