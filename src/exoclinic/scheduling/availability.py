"""From database rows to the slot engine: who can do a type, their open time, their busy time, free slots.

No access policy here: callers (selectors and services) check who asks first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from exoclinic.accounts.models import Role, StaffMembership, User

from . import slots as engine
from .models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    AvailabilityException,
    Room,
    WeeklyHours,
)


@dataclass(frozen=True)
class FoundSlot:
    """A free slot for one practitioner (and room, when the type needs one); instants in UTC."""

    start: datetime
    end: datetime
    blocked_start: datetime
    blocked_end: datetime
    practitioner_id: int
    practitioner_name: str
    room_id: int | None

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "practitioner": self.practitioner_id,
            "practitioner_name": self.practitioner_name,
        }


def practitioners_for(appointment_type: AppointmentType) -> list[User]:
    memberships = StaffMembership.objects.filter(clinic_id=appointment_type.clinic_id, role=Role.CLINICIAN)
    if appointment_type.practitioner_title:
        memberships = memberships.filter(title__icontains=appointment_type.practitioner_title)
    ids = memberships.values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def rooms_for(appointment_type: AppointmentType) -> list[Room]:
    if not appointment_type.room_kind:
        return []
    return list(
        Room.objects.filter(
            clinic_id=appointment_type.clinic_id, kind=appointment_type.room_kind, is_active=True
        )
    )


def active_appointments() -> QuerySet[Appointment]:
    """Appointments that occupy time; a hold past its expiry no longer does (it is expired lazily)."""
    return Appointment.objects.filter(status__in=ACTIVE_STATUSES)


def live(queryset: QuerySet[Appointment], now: datetime) -> QuerySet[Appointment]:
    return queryset.exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)


def _busy(
    owner: Q, start: datetime, end: datetime, now: datetime, exclude_id: int | None
) -> list[engine.Interval]:
    rows = live(active_appointments(), now).filter(owner, blocked_start__lt=end, blocked_end__gt=start)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    return [engine.Interval(a, b) for a, b in rows.values_list("blocked_start", "blocked_end")]


def _weekly(rows: Iterable[WeeklyHours]) -> list[engine.WeeklyBlock]:
    return [engine.WeeklyBlock(r.weekday, r.start, r.end) for r in rows]


def _exceptions(rows: Iterable[AvailabilityException]) -> list[engine.DateException]:
    return [engine.DateException(r.day, engine.ExceptionKind(r.kind), r.start, r.end) for r in rows]


def _resource(
    owner: Q, clinic_id: int, tz, start: datetime, end: datetime, now: datetime, exclude_id, ignore_busy: bool
) -> engine.Resource:
    first_day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    weekly = WeeklyHours.objects.filter(owner, clinic_id=clinic_id)
    exceptions = AvailabilityException.objects.filter(
        owner, clinic_id=clinic_id, day__range=(first_day, last_day)
    )
    margin = timedelta(days=1)
    busy = [] if ignore_busy else _busy(owner, start - margin, end + margin, now, exclude_id)
    return engine.Resource(weekly=_weekly(weekly), exceptions=_exceptions(exceptions), busy=busy)


def rules_for(appointment_type: AppointmentType) -> engine.SlotRules:
    return engine.SlotRules(
        duration=appointment_type.duration,
        buffer_before=appointment_type.buffer_before,
        buffer_after=appointment_type.buffer_after,
        min_notice=timedelta(hours=appointment_type.min_notice_hours),
        horizon=timedelta(days=appointment_type.horizon_days),
        step=timedelta(minutes=appointment_type.step_minutes) if appointment_type.step_minutes else None,
    )


def find_free_slots(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    end: datetime,
    now: datetime,
    practitioner_id: int | None = None,
    patient_id: int | None = None,
    exclude_appointment_id: int | None = None,
    ignore_busy: bool = False,
    limit: int | None = None,
) -> list[FoundSlot]:
    """Free slots starting in [start, end): per practitioner, fitting their hours and a room's, clear of
    every active appointment and live hold of the practitioner, the room and the patient (buffers included).
    ``exclude_appointment_id`` ignores one appointment's own time (for rescheduling it)."""
    clinic = appointment_type.clinic
    tz = clinic.tz
    window = engine.Interval(start, end)
    rules = rules_for(appointment_type)
    practitioners = practitioners_for(appointment_type)
    if practitioner_id is not None:
        practitioners = [p for p in practitioners if p.pk == practitioner_id]
    rooms: list[Room | None] = rooms_for(appointment_type) if appointment_type.room_kind else [None]
    if not rooms:
        return []
    patient_busy = (
        engine.merge(_busy(Q(patient_id=patient_id), start - timedelta(days=1), end + timedelta(days=1), now,
                           exclude_appointment_id))
        if patient_id is not None and not ignore_busy
        else []
    )  # fmt: skip
    room_resources = {
        room.pk: _resource(Q(room=room), clinic.pk, tz, start, end, now, exclude_appointment_id, ignore_busy)
        for room in rooms
        if room is not None
    }
    found: dict[tuple[datetime, int], FoundSlot] = {}
    for person in practitioners:
        own = _resource(
            Q(practitioner=person), clinic.pk, tz, start, end, now, exclude_appointment_id, ignore_busy
        )
        for room in rooms:
            resources = [own] + ([room_resources[room.pk]] if room is not None else [])
            for slot in engine.find_slots(rules=rules, resources=resources, tz=tz, now=now, window=window):
                key = (slot.start, person.pk)
                if key in found or _overlaps_any(slot.blocked, patient_busy):
                    continue
                found[key] = FoundSlot(
                    slot.start,
                    slot.end,
                    slot.blocked_start,
                    slot.blocked_end,
                    person.pk,
                    person.get_full_name(),
                    room.pk if room is not None else None,
                )
    result = sorted(found.values(), key=lambda s: (s.start, s.practitioner_name, s.practitioner_id))
    return result[:limit] if limit is not None else result


def _overlaps_any(interval: engine.Interval, busy: list[engine.Interval]) -> bool:
    return any(interval.overlaps(b) for b in busy)


def next_free_slots(
    *,
    appointment_type: AppointmentType,
    after: datetime,
    now: datetime,
    practitioner_id: int | None = None,
    patient_id: int | None = None,
    count: int = 5,
    exclude_appointment_id: int | None = None,
) -> list[FoundSlot]:
    """The first ``count`` free slots from ``after``, looking ahead a week at a time up to the horizon."""
    horizon_end = now + timedelta(days=appointment_type.horizon_days, hours=1)
    start = max(after, now)
    out: list[FoundSlot] = []
    while start < horizon_end and len(out) < count:
        end = min(start + timedelta(days=7), horizon_end)
        out.extend(
            find_free_slots(
                appointment_type=appointment_type,
                start=start,
                end=end,
                now=now,
                practitioner_id=practitioner_id,
                patient_id=patient_id,
                exclude_appointment_id=exclude_appointment_id,
            )
        )
        start = end
    return out[:count]
