"""From database rows to the slot engine: who can do a type, their open time, their busy time, free slots.

No access policy here: callers (selectors and services) check who asks first.
"""

from __future__ import annotations

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
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .only("pk", "full_name", "email")
        .order_by("full_name", "pk")
    )


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


def _resources(
    field: str,
    owner: Q,
    clinic_id: int,
    tz,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_id: int | None,
    ignore_busy: bool,
) -> tuple[dict[int, engine.Resource], dict[int, str]]:
    """Open hours, exceptions and busy time of the practitioners (or rooms) matching ``owner``, in three
    queries; with each one's display name. Only owners with hours or extra hours can have slots."""
    first_day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    name_fields = (
        (f"{field}__full_name", f"{field}__email") if field == "practitioner" else (f"{field}__name",)
    )
    names: dict[int, str] = {}
    weekly: dict[int, list[engine.WeeklyBlock]] = {}
    for pk, weekday, a, b, *name in WeeklyHours.objects.filter(owner, clinic_id=clinic_id).values_list(
        f"{field}_id", "weekday", "start", "end", *name_fields
    ):
        weekly.setdefault(pk, []).append(engine.WeeklyBlock(weekday, a, b))
        names[pk] = next((n for n in name if n), "")
    exceptions: dict[int, list[engine.DateException]] = {}
    for pk, day, kind, a, b, *name in AvailabilityException.objects.filter(
        owner, clinic_id=clinic_id, day__range=(first_day, last_day)
    ).values_list(f"{field}_id", "day", "kind", "start", "end", *name_fields):
        exceptions.setdefault(pk, []).append(engine.DateException(day, engine.ExceptionKind(kind), a, b))
        names[pk] = next((n for n in name if n), "")
    busy: dict[int, list[engine.Interval]] = {}
    if not ignore_busy and names:
        margin = timedelta(days=1)
        rows = live(active_appointments(), now).filter(
            **{f"{field}_id__in": list(names)}, blocked_start__lt=end + margin, blocked_end__gt=start - margin
        )
        if exclude_id is not None:
            rows = rows.exclude(pk=exclude_id)
        for pk, a, b in rows.values_list(f"{field}_id", "blocked_start", "blocked_end"):
            busy.setdefault(pk, []).append(engine.Interval(a, b))
    resources = {
        pk: engine.Resource(
            weekly=weekly.get(pk, []), exceptions=exceptions.get(pk, []), busy=busy.get(pk, [])
        )
        for pk in names
    }
    return resources, names


def _practitioner_filter(appointment_type: AppointmentType, practitioner_id: int | None) -> Q:
    memberships = StaffMembership.objects.filter(clinic_id=appointment_type.clinic_id, role=Role.CLINICIAN)
    if appointment_type.practitioner_title:
        memberships = memberships.filter(title__icontains=appointment_type.practitioner_title)
    owner = Q(practitioner_id__in=memberships.values("user_id"), practitioner__is_active=True)
    return owner & Q(practitioner_id=practitioner_id) if practitioner_id is not None else owner


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
    common = dict(
        clinic_id=clinic.pk, tz=tz, start=start, end=end, now=now, exclude_id=exclude_appointment_id,
        ignore_busy=ignore_busy,
    )  # fmt: skip
    people, names = _resources(
        "practitioner", _practitioner_filter(appointment_type, practitioner_id), **common
    )
    rooms: list[int | None] = [None]
    room_resources: dict[int, engine.Resource] = {}
    if appointment_type.room_kind:
        room_owner = Q(room__kind=appointment_type.room_kind, room__is_active=True)
        room_resources, _ = _resources("room", room_owner, **common)
        rooms = sorted(room_resources)
    if not rooms or not people:
        return []
    patient_busy = (
        engine.merge(_busy(Q(patient_id=patient_id), start - timedelta(days=1), end + timedelta(days=1), now,
                           exclude_appointment_id))
        if patient_id is not None and not ignore_busy
        else []
    )  # fmt: skip
    found: dict[tuple[datetime, int], FoundSlot] = {}
    for person_id, own in people.items():
        for room_id in rooms:
            resources = [own] + ([room_resources[room_id]] if room_id is not None else [])
            for slot in engine.find_slots(rules=rules, resources=resources, tz=tz, now=now, window=window):
                key = (slot.start, person_id)
                if key in found or (patient_busy and _overlaps_any(slot.blocked, patient_busy)):
                    continue
                found[key] = FoundSlot(
                    slot.start,
                    slot.end,
                    slot.blocked_start,
                    slot.blocked_end,
                    person_id,
                    names[person_id],
                    room_id,
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
