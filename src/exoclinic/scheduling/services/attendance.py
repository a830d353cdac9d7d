"""At the clinic: staff check patients in, complete visits and record no-shows (transitions enforced here)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict
from exoclinic.core.policy import require_staff

from ..models import Appointment, AppointmentStatus
from ..rules import BOOKING_STAFF_ROLES
from .booking import _locked, _require_transition


def _staff_transition(
    *,
    actor,
    appointment: Appointment,
    allowed: tuple[str, ...],
    to: AppointmentStatus,
    action: str,
    what: str,
    now: datetime | None,
    stamp: str | None = None,
    not_before_start: bool = False,
) -> Appointment:
    require_staff(actor, appointment.clinic_id, BOOKING_STAFF_ROLES)
    now = now or timezone.now()
    with transaction.atomic():
        appt = _locked(appointment)
        _require_transition(appt, allowed, what)
        if not_before_start and now < appt.start:
            raise Conflict(_("An appointment can be marked a no-show only after it starts."), field="status")
        appt.status = to
        if stamp:
            setattr(appt, stamp, now)
        appt.save()
        audit_record(actor=actor, action=action, target=appt)
    return appt


def appointment_check_in(*, actor, appointment: Appointment, now: datetime | None = None) -> Appointment:
    return _staff_transition(
        actor=actor,
        appointment=appointment,
        allowed=(AppointmentStatus.CONFIRMED,),
        to=AppointmentStatus.CHECKED_IN,
        action="appointment.check_in",
        what="checked in",
        now=now,
        stamp="checked_in_at",
    )


def appointment_complete(*, actor, appointment: Appointment, now: datetime | None = None) -> Appointment:
    return _staff_transition(
        actor=actor,
        appointment=appointment,
        allowed=(AppointmentStatus.CHECKED_IN,),
        to=AppointmentStatus.COMPLETED,
        action="appointment.complete",
        what="completed",
        now=now,
        stamp="completed_at",
    )


def appointment_mark_no_show(*, actor, appointment: Appointment, now: datetime | None = None) -> Appointment:
    return _staff_transition(
        actor=actor,
        appointment=appointment,
        allowed=(AppointmentStatus.CONFIRMED,),
        to=AppointmentStatus.NO_SHOW,
        action="appointment.no_show",
        what="marked a no-show",
        now=now,
        not_before_start=True,
    )
