"""Product deviations of a lot: recorded with the time of discovery, reported within 45 days."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput
from exoclinic.core.policy import require_staff

from .. import conf
from ..deviation_models import ProductDeviation
from ..models import ProductLot

# Lab staff find most deviations; the clinician at a procedure may find one too (a damaged vial).
DEVIATION_ROLES = ("lab", "clinician", "admin")


def product_deviation_record(
    *,
    actor,
    lot: ProductLot,
    description: str,
    discovered_at: dt.datetime | None,
    submission_key: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> ProductDeviation:
    """The 45-day clock (facts §6) runs from the discovery, which may be before it is recorded."""
    require_staff(actor, lot.clinic_id, DEVIATION_ROLES)
    now = now or timezone.now()
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("Describe the deviation."), field="description")
    if not isinstance(discovered_at, dt.datetime):
        raise InvalidInput(_("Give the date and time the deviation was discovered."), field="discovered_at")
    if timezone.is_naive(discovered_at):
        discovered_at = timezone.make_aware(discovered_at, lot.clinic.tz)
    if discovered_at > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("The discovery cannot be in the future."), field="discovered_at")
    if submission_key is not None:
        earlier = ProductDeviation.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            deviation = ProductDeviation.objects.create(
                lot=lot,
                description=description,
                discovered_at=discovered_at,
                report_due_at=discovered_at + dt.timedelta(days=conf.get("DEVIATION_REPORT_DAYS")),
                recorded_by=actor,
                submission_key=submission_key,
            )
            audit_record(
                actor=actor,
                action="product_deviation.record",
                target=deviation,
                clinic=lot.clinic,
                detail={"lot": lot.code, "report_due_at": deviation.report_due_at.isoformat()},
            )
    except IntegrityError:
        return ProductDeviation.objects.get(submission_key=submission_key)
    return deviation


def product_deviation_mark_reported(
    *, actor, deviation: ProductDeviation, reference: str, at: dt.datetime | None = None
) -> ProductDeviation:
    """The deviation report was sent: the clock stops (once; a second call changes nothing)."""
    require_staff(actor, deviation.lot.clinic_id, DEVIATION_ROLES)
    reference = (reference or "").strip()
    if not reference:
        raise InvalidInput(_("Give the report's reference."), field="regulator_reference")
    with transaction.atomic():
        locked = ProductDeviation.objects.select_for_update().get(pk=deviation.pk)
        if locked.reported_at is not None:
            return locked
        locked.reported_at = at or timezone.now()
        locked.regulator_reference = reference[:100]
        locked.save(update_fields=["reported_at", "regulator_reference", "updated_at"])
        audit_record(
            actor=actor,
            action="product_deviation.report_sent",
            target=locked,
            clinic=locked.lot.clinic,
            detail={"lot": locked.lot.code},
        )
    return locked
