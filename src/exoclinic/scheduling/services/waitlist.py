"""Waitlist: a patient waits for a type between two dates; freed time is offered, first come first served.

An offer is a hold in the patient's name that lasts ``OFFER_HOLD_HOURS``; the patient confirms it like any
hold. An offer that lapses goes back to waiting, and the time goes to the next patient in line.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput
from exoclinic.core.models import Patient
from exoclinic.core.notify import send_templated_email
from exoclinic.core.outbox import after_commit

from .. import conf
from ..availability import find_free_slots
from ..models import Appointment, AppointmentStatus, AppointmentType, WaitlistEntry, WaitlistStatus
from ..rules import timeline_reached
from .booking import BookingAnswers, _check_type, _create, _require_booker


def waitlist_join(
    *, actor, patient: Patient, appointment_type: AppointmentType, earliest: date, latest: date
) -> WaitlistEntry:
    by_staff = _require_booker(actor, patient)
    _check_type(appointment_type=appointment_type, patient=patient, by_staff=by_staff)
    if latest < earliest:
        raise InvalidInput(_("The end date is before the start date."), field="latest")
    if latest < timezone.now().astimezone(patient.clinic.tz).date():
        raise InvalidInput(_("Choose dates that are not in the past."), field="latest")
    with transaction.atomic():
        open_entry = WaitlistEntry.objects.filter(
            patient=patient,
            appointment_type=appointment_type,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        ).first()
        if open_entry is not None:
            raise Conflict(
                _("You are already on the waitlist for this appointment."), field="appointment_type"
            )
        entry = WaitlistEntry.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            appointment_type=appointment_type,
            earliest=earliest,
            latest=latest,
        )
        audit_record(actor=actor, action="waitlist.join", target=entry, patient=patient)
    return entry


def waitlist_withdraw(*, actor, entry: WaitlistEntry) -> WaitlistEntry:
    _require_booker(actor, entry.patient)
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
            entry.status = WaitlistStatus.WITHDRAWN
            entry.save(update_fields=["status", "updated_at"])
            audit_record(actor=actor, action="waitlist.withdraw", target=entry, patient=entry.patient)
    return entry


def waitlist_mark_booked(entry_id: int) -> None:
    WaitlistEntry.objects.filter(pk=entry_id).update(status=WaitlistStatus.BOOKED, updated_at=timezone.now())


def waitlist_offer_lapsed(appointment: Appointment) -> None:
    WaitlistEntry.objects.filter(pk=appointment.waitlist_entry_id, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.WAITING, updated_at=timezone.now()
    )


def offer_freed_time(
    *, appointment_type: AppointmentType, start: datetime, now: datetime | None = None
) -> None:
    """After the current transaction commits, offer the freed time to the first patient waiting."""
    type_id = appointment_type.pk

    def offer() -> None:
        offer_next(appointment_type_id=type_id, start=start, now=now or timezone.now())

    after_commit(offer, what="waitlist offer")


def offer_next(*, appointment_type_id: int, start: datetime, now: datetime) -> Appointment | None:
    """Offer the first free slot on the freed day to the first eligible waiting patient."""
    appointment_type = AppointmentType.objects.select_related("clinic").get(pk=appointment_type_id)
    tz = appointment_type.clinic.tz
    day = start.astimezone(tz).date()
    waiting = (
        WaitlistEntry.objects.filter(
            appointment_type=appointment_type,
            status=WaitlistStatus.WAITING,
            earliest__lte=day,
            latest__gte=day,
        )
        .select_related("patient__clinic", "patient__user")
        .order_by("created_at", "pk")
    )
    day_start = datetime.combine(day, datetime.min.time(), tz)
    for entry in waiting:
        if not timeline_reached(entry.patient, appointment_type.requires_step):
            continue
        already = set(Appointment.objects.filter(waitlist_entry=entry).values_list("start", flat=True))
        slots = [
            s
            for s in find_free_slots(
                appointment_type=appointment_type,
                start=max(day_start, now),
                end=day_start + timedelta(days=1),
                now=now,
                patient_id=entry.patient_id,
            )
            if s.start not in already
        ]
        if not slots:
            continue
        slot = slots[0]
        try:
            with transaction.atomic():
                appointment, _ = _create(
                    actor=None,
                    patient=entry.patient,
                    appointment_type=appointment_type,
                    start=slot.start,
                    practitioner_id=slot.practitioner_id,
                    idempotency_key=None,
                    status=AppointmentStatus.HELD,
                    hold_until=now + conf.offer_hold_duration(),
                    answers=BookingAnswers(),
                    now=now,
                    waitlist_entry=entry,
                )
                entry.status = WaitlistStatus.OFFERED
                entry.offers_made += 1
                entry.save(update_fields=["status", "offers_made", "updated_at"])
                audit_record(actor=None, action="waitlist.offer", target=entry, patient=entry.patient)
                _mail_offer(appointment)
        except Conflict:
            continue  # taken meanwhile, or the patient is now busy then: try the next patient
        return appointment
    return None


def _mail_offer(appointment: Appointment) -> None:
    from .notifications import _context, recipient

    to = recipient(appointment)
    if to:
        send_templated_email(
            to=to,
            name="scheduling/email/offer",
            context=_context(appointment),
            language=appointment.patient.preferred_language,
        )
