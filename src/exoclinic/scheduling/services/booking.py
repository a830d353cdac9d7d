"""Holding, booking, rescheduling and cancelling: every write re-checks the slot inside one transaction.

The database refuses overlaps (PostgreSQL exclusion constraints); on SQLite the transaction is a
serialized writer (``BEGIN IMMEDIATE``), so the check below cannot go stale before the insert. Either way
the loser gets ``Conflict(code="slot_taken")`` with the next free slots.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from exoclinic.core.models import Patient
from exoclinic.core.policy import acts_for, is_staff_of, require_staff

from .. import conf
from ..availability import FoundSlot, find_free_slots, next_free_slots
from ..models import (
    ACTIVE_STATUSES,
    UPCOMING_STATUSES,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    session_key_for,
)
from ..rules import BOOKING_STAFF_ROLES, timeline_reached

SLOT_TAKEN = gettext_lazy("That time was just taken.")
# One sentence per refused action, so each language words (and agrees) it as it needs; keyed by ``what``.
_CANNOT = {
    "confirmed": gettext_lazy("A %(status)s appointment cannot be confirmed."),
    "rescheduled": gettext_lazy("A %(status)s appointment cannot be rescheduled."),
    "cancelled": gettext_lazy("A %(status)s appointment cannot be cancelled."),
    "checked in": gettext_lazy("A %(status)s appointment cannot be checked in."),
    "completed": gettext_lazy("A %(status)s appointment cannot be completed."),
    "marked a no-show": gettext_lazy("A %(status)s appointment cannot be marked a no-show."),
}


@dataclass(frozen=True)
class BookingAnswers:
    """The booking questions."""

    mobility_needs: str = ""
    caregiver_attending: bool = False
    interpreter_language: str = ""
    notes: str = ""


def _acts_as_staff(actor, patient: Patient) -> bool:
    return is_staff_of(actor, patient.clinic_id, BOOKING_STAFF_ROLES)


def _require_booker(actor, patient: Patient) -> bool:
    """True when staff book; raises NotFound when the actor may not book for this patient.

    Acting on one's own record (or as the named caregiver) is acting as the patient, with the patient's
    rules (cutoff, self-bookable types), even for someone who also works at the clinic."""
    if acts_for(actor, patient):
        return False
    if _acts_as_staff(actor, patient):
        return True
    raise NotFound()


def _check_type(*, appointment_type: AppointmentType, patient: Patient, by_staff: bool) -> None:
    if appointment_type.clinic_id != patient.clinic_id or not appointment_type.is_active:
        raise NotFound(gettext("This appointment type is not offered."), field="appointment_type")
    if not by_staff and not appointment_type.patient_bookable:
        raise PermissionDenied(
            gettext("This appointment is booked by the clinic; please contact us."), field="appointment_type"
        )
    if not timeline_reached(patient, appointment_type.requires_step):
        raise InvalidInput(
            gettext("This appointment can be booked once an earlier step of your treatment is done."),
            field="appointment_type",
            code="step_not_reached",
        )


def _slot_taken(
    appointment_type: AppointmentType,
    start: datetime,
    practitioner_id: int | None,
    patient: Patient,
    now: datetime,
    exclude_id: int | None = None,
) -> Conflict:
    suggestions = next_free_slots(
        appointment_type=appointment_type,
        after=start - timedelta(hours=1),
        now=now,
        patient_id=patient.pk,
        count=conf.get("NEXT_SLOTS"),
        exclude_appointment_id=exclude_id,
    )
    return Conflict(
        str(SLOT_TAKEN),  # translated now, in the reader's language
        field="start",
        code="slot_taken",
        extra={"next_slots": [s.as_dict() for s in suggestions]},
    )


class _Taken(Exception):
    pass


def _find_slot(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner_id: int | None,
    patient: Patient,
    now: datetime,
    exclude_id: int | None = None,
    stale_holds: list[int] | None = None,
) -> FoundSlot:
    """The free slot at ``start``; InvalidInput if no slot starts then at all, _Taken if it is busy."""
    if start.tzinfo is None:
        raise InvalidInput(gettext("Give the start with its time zone offset."), field="start")
    window = dict(start=start, end=start + timedelta(seconds=1), now=now)
    common = dict(appointment_type=appointment_type, practitioner_id=practitioner_id, **window)
    free = find_free_slots(
        patient_id=patient.pk, exclude_appointment_id=exclude_id, stale_holds=stale_holds, **common
    )
    match = [s for s in free if s.start == start]
    if match:
        return match[0]
    if any(s.start == start for s in find_free_slots(ignore_busy=True, **common)):
        raise _Taken()
    raise InvalidInput(
        gettext("No appointment of this type can start at that time."), field="start", code="not_a_slot"
    )


_TIMES = ("start", "end", "blocked_start", "blocked_end")


def _place(appointment_type: AppointmentType, slot: FoundSlot, exclude_id: int | None = None):
    """The lowest free place in the slot's session and the times to store (joining a session keeps its
    times); _Taken when every place is held. Runs inside the booking transaction, after stale holds expired.

    Two writers may pick the same place at once on PostgreSQL: the unique index refuses the second, which
    tries again (``_attempts``)."""
    times = {name: getattr(slot, name) for name in _TIMES}
    if not appointment_type.is_group:
        return 1, times
    key = session_key_for(
        type_id=appointment_type.pk,
        practitioner_id=slot.practitioner_id,
        room_id=slot.room_id,
        start=slot.start,
    )
    members = Appointment.objects.filter(session_key=key, status__in=ACTIVE_STATUSES)
    if exclude_id is not None:
        members = members.exclude(pk=exclude_id)
    rows = list(members.order_by("seat").values("seat", *_TIMES))
    taken = {row["seat"] for row in rows}
    free = [n for n in range(1, appointment_type.capacity + 1) if n not in taken]
    if not free:
        raise _Taken()
    if rows:
        times = {name: rows[0][name] for name in _TIMES}
    return free[0], times


def _attempts(appointment_type: AppointmentType) -> range:
    """How often to try: a lost race for a place means another writer committed that place, so after
    ``capacity`` lost races the session is full (the next look says so). A one-place slot: once."""
    return range(appointment_type.capacity)


def _expire_stale_holds(ids: list[int], now: datetime) -> None:
    """Holds past their expiry stop blocking before the insert (the exclusion constraint still sees them)."""
    if ids:
        Appointment.objects.filter(
            pk__in=ids, status=AppointmentStatus.HELD, hold_expires_at__lte=now
        ).update(status=AppointmentStatus.EXPIRED, updated_at=now)


def _existing_for_key(key: str | None, patient: Patient) -> Appointment | None:
    if not key:
        return None
    existing = Appointment.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.patient_id != patient.pk:
        raise Conflict(gettext("This idempotency key was used for another booking."), field="idempotency_key")
    return existing


def _create(
    *,
    actor,
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner_id: int | None,
    idempotency_key: str | None,
    status: AppointmentStatus | None,
    hold_until: datetime | None,
    answers: BookingAnswers,
    now: datetime,
    waitlist_entry=None,
) -> tuple[Appointment, bool]:
    """Check the slot and insert, in one transaction; ``status`` None means booked (confirmed or requested).

    No savepoint around the insert: if the database refuses it (PostgreSQL: an overlapping booking won the
    race, a retry with the same key, or the same place of a group session), the whole transaction rolls
    back and the loser is answered after, or looks again for a place (``_attempts``).
    """
    if practitioner_id is not None:
        from ..selectors import db_id

        practitioner_id = db_id(
            practitioner_id, field="practitioner", message=gettext("No such practitioner.")
        )
    # A waitlist offer is made by the system (actor None) on the clinic's behalf.
    by_staff = True if waitlist_entry is not None else _require_booker(actor, patient)
    _check_type(appointment_type=appointment_type, patient=patient, by_staff=by_staff)
    if status is None:
        status = _booked_status(appointment_type, by_staff=by_staff)

    def insert() -> tuple[Appointment, bool]:
        with transaction.atomic():
            existing = _existing_for_key(idempotency_key, patient)
            if existing is not None:
                return existing, False
            stale: list[int] = []
            slot = _find_slot(
                appointment_type=appointment_type,
                start=start,
                practitioner_id=practitioner_id,
                patient=patient,
                now=now,
                stale_holds=stale,
            )
            _expire_stale_holds(stale, now)
            seat, times = _place(appointment_type, slot)
            uid = uuid.uuid4()
            video_link = conf.get("VIDEO_URL_TEMPLATE").format(uid=uid) if appointment_type.is_remote else ""
            appointment = Appointment.objects.create(
                uid=uid,
                clinic_id=patient.clinic_id,
                patient=patient,
                appointment_type=appointment_type,
                practitioner_id=slot.practitioner_id,
                room_id=slot.room_id,
                seat=seat,
                **times,
                status=status,
                hold_expires_at=hold_until,
                idempotency_key=idempotency_key or None,
                booked_by=actor,
                mobility_needs=answers.mobility_needs,
                caregiver_attending=answers.caregiver_attending,
                interpreter_language=answers.interpreter_language,
                notes=answers.notes,
                video_link=video_link,
                confirmed_at=now if status == AppointmentStatus.CONFIRMED else None,
                waitlist_entry=waitlist_entry,
            )
            if Patient.clinic.is_cached(patient):
                appointment.clinic = patient.clinic
            appointment.practitioner = slot.practitioner()
            if status != AppointmentStatus.HELD:
                from .notifications import on_booked

                on_booked(appointment)
            detail = {"start": slot.start.isoformat(), "status": status, "by_staff": by_staff}
            if appointment_type.is_group:
                detail["place"] = seat
            # Last before the commit: the audit row locks the chain head, which every audited write waits for.
            audit_record(
                actor=actor,
                action="appointment.hold" if status == AppointmentStatus.HELD else "appointment.book",
                target=appointment,
                detail=detail,
            )
            return appointment, True

    for _attempt in _attempts(appointment_type):
        try:
            return insert()
        except IntegrityError:
            # Another writer won: a retry with the same idempotency key, or an overlapping booking or hold,
            # or (a group session) the same place; the next attempt looks again.
            existing = _existing_for_key(idempotency_key, patient)
            if existing is not None:
                return existing, False
        except _Taken:
            break
    raise _slot_taken(appointment_type, start, practitioner_id, patient, now)


def appointment_hold(
    *,
    actor,
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner_id: int | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Hold a slot for a few minutes while the booking questions are answered."""
    now = now or timezone.now()
    appointment, _ = _create(
        actor=actor,
        patient=patient,
        appointment_type=appointment_type,
        start=start,
        practitioner_id=practitioner_id,
        idempotency_key=idempotency_key,
        status=AppointmentStatus.HELD,
        hold_until=now + conf.hold_duration(),
        answers=BookingAnswers(),
        now=now,
    )
    return appointment


def _booked_status(appointment_type: AppointmentType, *, by_staff: bool) -> AppointmentStatus:
    """The one rule for a new booking's status: a type that staff confirm is a request, unless staff book it
    (acting on one's own record is acting as the patient, see ``_require_booker``)."""
    if appointment_type.staff_confirms and not by_staff:
        return AppointmentStatus.REQUESTED
    return AppointmentStatus.CONFIRMED


def appointment_book(
    *,
    actor,
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner_id: int | None = None,
    idempotency_key: str | None = None,
    answers: BookingAnswers | None = None,
    now: datetime | None = None,
) -> tuple[Appointment, bool]:
    """Book in one step (API, staff). Returns (appointment, created); a retried key returns the first."""
    now = now or timezone.now()
    return _create(
        actor=actor,
        patient=patient,
        appointment_type=appointment_type,
        start=start,
        practitioner_id=practitioner_id,
        idempotency_key=idempotency_key,
        status=None,
        hold_until=None,
        answers=answers or BookingAnswers(),
        now=now,
    )


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("appointment_type", "patient")
        .get(pk=appointment.pk)
    )


def _require_transition(appointment: Appointment, allowed: tuple[str, ...], what: str) -> None:
    if appointment.status not in allowed:
        raise Conflict(
            _CANNOT[what] % {"status": appointment.get_status_display().lower()},
            field="status",
            code="invalid_transition",
        )


def appointment_confirm_hold(
    *, actor, appointment: Appointment, answers: BookingAnswers, now: datetime | None = None
) -> Appointment:
    """Turn a live hold into a booking with the answers; an expired hold is refused with the next slots."""
    now = now or timezone.now()
    by_staff = _require_booker(actor, appointment.patient)
    with transaction.atomic():
        appt = _locked(appointment)
        if appt.status in UPCOMING_STATUSES:
            return appt  # a double submit of the confirmation
        _require_transition(appt, (AppointmentStatus.HELD, AppointmentStatus.EXPIRED), "confirmed")
        expired = appt.status == AppointmentStatus.EXPIRED or appt.hold_expires_at <= now
    if expired:
        _expire(appt, now)
        raise Conflict(
            gettext("Your hold on this time ran out and it is no longer reserved for you."),
            field="start",
            code="hold_expired",
            extra={
                "next_slots": [
                    s.as_dict()
                    for s in next_free_slots(
                        appointment_type=appt.appointment_type,
                        after=appt.start,
                        now=now,
                        patient_id=appt.patient_id,
                    )
                ]
            },
        )
    with transaction.atomic():
        appt = _locked(appointment)
        _require_transition(appt, (AppointmentStatus.HELD,), "confirmed")
        appt.status = _booked_status(appt.appointment_type, by_staff=by_staff)
        appt.hold_expires_at = None
        appt.confirmed_at = now if appt.status == AppointmentStatus.CONFIRMED else None
        for name, value in vars(answers).items():
            setattr(appt, name, value)
        appt.save()
        if appt.waitlist_entry_id:
            from .waitlist import waitlist_mark_booked

            waitlist_mark_booked(appt.waitlist_entry_id)
        audit_record(actor=actor, action="appointment.book", target=appt, detail={"from_hold": True})
        from .notifications import on_booked

        on_booked(appt)
    return appt


def _expire(appointment: Appointment, now: datetime) -> None:
    Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.HELD).update(
        status=AppointmentStatus.EXPIRED, updated_at=now
    )
    appointment.status = AppointmentStatus.EXPIRED


def appointment_release_hold(*, actor, appointment: Appointment, now: datetime | None = None) -> None:
    """The patient went back: free the held time at once."""
    _require_booker(actor, appointment.patient)
    now = now or timezone.now()
    with transaction.atomic():
        appt = _locked(appointment)
        if appt.status == AppointmentStatus.HELD:
            _expire(appt, now)
            if appt.waitlist_entry_id:
                # A declined waitlist offer: the patient keeps waiting, the time goes to the next in line.
                from .waitlist import offer_freed_time, waitlist_offer_lapsed

                waitlist_offer_lapsed(appt)
                offer_freed_time(appointment_type=appt.appointment_type, start=appt.start, now=now)


def appointment_confirm(*, actor, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """Staff confirm a requested appointment."""
    require_staff(actor, appointment.clinic_id, BOOKING_STAFF_ROLES)
    now = now or timezone.now()
    with transaction.atomic():
        appt = _locked(appointment)
        _require_transition(appt, (AppointmentStatus.REQUESTED,), "confirmed")
        appt.status, appt.confirmed_at = AppointmentStatus.CONFIRMED, now
        appt.sequence += 1
        appt.save()
        audit_record(actor=actor, action="appointment.confirm", target=appt)
        from .notifications import on_changed

        on_changed(appt)
    return appt


def _patient_before_cutoff(appt: Appointment, now: datetime) -> bool:
    return now <= appt.start - appt.appointment_type.cancellation_cutoff


def appointment_reschedule(
    *,
    actor,
    appointment: Appointment,
    start: datetime,
    practitioner_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move a booking to another free slot: the same appointment (and calendar UID), SEQUENCE + 1."""
    now = now or timezone.now()
    by_staff = _require_booker(actor, appointment.patient)
    for _attempt in _attempts(appointment.appointment_type):
        try:
            return _move(
                actor=actor,
                appointment=appointment,
                start=start,
                practitioner_id=practitioner_id,
                now=now,
                by_staff=by_staff,
            )
        except IntegrityError:
            continue  # taken meanwhile (a group session: its place); the booking is unchanged, look again
        except _Taken:
            break
    raise _slot_taken(
        appointment.appointment_type, start, practitioner_id, appointment.patient, now, appointment.pk
    )


def _move(
    *, actor, appointment: Appointment, start: datetime, practitioner_id: int | None, now: datetime, by_staff
) -> Appointment:
    with transaction.atomic():
        appt = _locked(appointment)
        _require_transition(appt, UPCOMING_STATUSES, "rescheduled")
        if not by_staff and not _patient_before_cutoff(appt, now):
            raise PermissionDenied(
                gettext("It is too late to change this appointment online; please call the clinic."),
                field="start",
                code="past_cutoff",
            )
        old_start = appt.start
        stale: list[int] = []
        slot = _find_slot(
            appointment_type=appt.appointment_type,
            start=start,
            practitioner_id=practitioner_id,
            patient=appt.patient,
            now=now,
            exclude_id=appt.pk,
            stale_holds=stale,
        )
        _expire_stale_holds(stale, now)
        appt.seat, times = _place(appt.appointment_type, slot, exclude_id=appt.pk)
        for name, value in times.items():
            setattr(appt, name, value)
        appt.practitioner_id, appt.room_id = slot.practitioner_id, slot.room_id
        appt.sequence += 1
        appt.reschedule_count += 1
        appt.save()
        audit_record(
            actor=actor,
            action="appointment.reschedule",
            target=appt,
            detail={"from": old_start.isoformat(), "to": appt.start.isoformat(), "by_staff": by_staff},
        )
        from .notifications import on_changed
        from .waitlist import offer_freed_time

        on_changed(appt)
        offer_freed_time(appointment_type=appt.appointment_type, start=old_start, now=now)
        return appt


def appointment_cancel(
    *, actor, appointment: Appointment, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Patients cancel until the type's cutoff; staff at any time. Cancelling after the cutoff is recorded."""
    now = now or timezone.now()
    by_staff = _require_booker(actor, appointment.patient)
    with transaction.atomic():
        appt = _locked(appointment)
        _require_transition(appt, UPCOMING_STATUSES, "cancelled")
        before_cutoff = _patient_before_cutoff(appt, now)
        if not by_staff and not before_cutoff:
            raise PermissionDenied(
                gettext("It is too late to cancel online; please call the clinic."),
                field="status",
                code="past_cutoff",
            )
        appt.status = AppointmentStatus.CANCELLED
        appt.cancelled_at, appt.cancelled_by = now, actor
        appt.cancel_reason = reason[:300]
        appt.late_cancellation = not before_cutoff
        appt.sequence += 1
        appt.save()
        audit_record(
            actor=actor,
            action="appointment.cancel",
            target=appt,
            detail={"late": appt.late_cancellation, "by_staff": by_staff, "reason": appt.cancel_reason},
        )
        from .notifications import on_cancelled
        from .waitlist import offer_freed_time

        on_cancelled(appt)
        offer_freed_time(appointment_type=appt.appointment_type, start=appt.start, now=now)
    return appt


def holds_expire(*, now: datetime | None = None) -> int:
    """Expire every hold past its time (a periodic task); freed waitlist offers go to the next patient."""
    now = now or timezone.now()
    stale = list(
        Appointment.objects.filter(status=AppointmentStatus.HELD, hold_expires_at__lte=now).select_related(
            "appointment_type"
        )
    )
    from .waitlist import offer_freed_time, waitlist_offer_lapsed

    for appt in stale:
        with transaction.atomic():
            expired = Appointment.objects.filter(pk=appt.pk, status=AppointmentStatus.HELD).update(
                status=AppointmentStatus.EXPIRED, updated_at=now
            )
            if expired and appt.waitlist_entry_id:
                waitlist_offer_lapsed(appt)
                offer_freed_time(appointment_type=appt.appointment_type, start=appt.start, now=now)
    return len(stale)
