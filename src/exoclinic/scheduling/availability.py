"""From database rows to the slot engine: who can do a type, their open time, their busy time, free slots.

No access policy here: callers (selectors and services) check who asks first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet

from exoclinic.accounts.models import Role, StaffMembership, User
from exoclinic.core.db import prepared_cursor

from . import slots as engine
from .models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Room,
    session_key_for,
)


class FoundSlot(NamedTuple):
    """A free slot for one practitioner (and room, when the type needs one); instants in UTC.

    A named tuple, not a frozen dataclass: a week's search builds hundreds and that costs half as much."""

    start: datetime
    end: datetime
    blocked_start: datetime
    blocked_end: datetime
    practitioner_id: int
    practitioner_name: str
    room_id: int | None
    places_left: int = 1  # a group session's free places (the type's capacity for a session not yet begun)
    # The practitioner's user columns as read with the hours: a booking answers with them, no user query.
    practitioner_full_name: str = ""
    practitioner_email: str = ""

    def practitioner(self) -> User:
        """The practitioner as a user with only these columns loaded (the others load when read)."""
        return User.from_db(
            connection.alias,
            ["id", "full_name", "email"],
            [self.practitioner_id, self.practitioner_full_name, self.practitioner_email],
        )

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "practitioner": self.practitioner_id,
            "practitioner_name": self.practitioner_name,
            "places_left": self.places_left,
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


def _open_time_sql(
    appointment_type: AppointmentType, field: str, practitioner_id: int | None
) -> tuple[str, str, list, str]:
    """The owner join and filter of the open-time query: the type's practitioners, or its kind of room."""
    if field == "practitioner":
        join = "JOIN accounts_user o ON o.id = h.practitioner_id"
        where = (
            "o.is_active AND h.practitioner_id IN (SELECT m.user_id FROM accounts_staffmembership m"
            " WHERE m.clinic_id = %s AND m.role = %s"
        )
        params: list = [appointment_type.clinic_id, str(Role.CLINICIAN)]
        if appointment_type.practitioner_title:
            where += " AND UPPER(m.title) LIKE UPPER(%s) ESCAPE '\\'"
            title = appointment_type.practitioner_title
            params.append("%" + title.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        where += ")"
        if practitioner_id is not None:
            where += " AND h.practitioner_id = %s"
            params.append(practitioner_id)
        return join, where, params, "o.full_name, o.email"
    join = "JOIN scheduling_room o ON o.id = h.room_id"
    return join, "o.is_active AND o.kind = %s", [appointment_type.room_kind], "o.name, o.name"


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def _as_utc(value) -> datetime:
    """A datetime column read with a plain cursor: aware on PostgreSQL, naive UTC text on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _open_time(
    appointment_type: AppointmentType,
    field: str,
    tz,
    start: datetime,
    end: datetime,
    practitioner_id=None,
    columns: dict[int, tuple[str, str]] | None = None,
) -> tuple[dict[int, list], dict[int, list], dict[int, str]]:
    """Weekly hours and date exceptions of the type's practitioners (or rooms), with each one's display
    name, in one query. Only owners with hours or extra hours can have slots.

    Plain SQL (portable between SQLite and PostgreSQL): this runs on every slot search and booking, and
    building the equivalent ORM union cost more than the query itself. ``columns``, when given, receives
    each owner's two name columns (a practitioner's full name and e-mail)."""
    first_day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    join, where, params, names_sql = _open_time_sql(appointment_type, field, practitioner_id)
    # Only code-chosen identifiers are formatted in; every value is a parameter.
    sql = (
        f'SELECT h.{field}_id, h.weekday, NULL, %s, h."start", h."end", {names_sql}'  # noqa: S608
        f" FROM scheduling_weeklyhours h {join} WHERE h.clinic_id = %s AND {where}"
        " UNION ALL "
        f'SELECT h.{field}_id, NULL, h.day, h.kind, h."start", h."end", {names_sql}'
        f" FROM scheduling_availabilityexception h {join}"
        f" WHERE h.clinic_id = %s AND h.day BETWEEN %s AND %s AND {where}"
    )
    clinic_id = appointment_type.clinic_id
    args = [WEEKLY, clinic_id, *params, clinic_id, first_day.isoformat(), last_day.isoformat(), *params]
    names: dict[int, str] = {}
    weekly: dict[int, list[engine.WeeklyBlock]] = {}
    exceptions: dict[int, list[engine.DateException]] = {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    for pk, weekday, day, kind, a, b, name, email in rows:
        a, b = (_as_time(a) if a is not None else None), (_as_time(b) if b is not None else None)
        if kind == WEEKLY:
            weekly.setdefault(pk, []).append(engine.WeeklyBlock(weekday, a, b))
        else:
            exceptions.setdefault(pk, []).append(
                engine.DateException(_as_date(day), engine.ExceptionKind(kind), a, b)
            )
        names[pk] = name or email or ""
        if columns is not None:
            columns[pk] = (name or "", email or "")
    return weekly, exceptions, names


WEEKLY = "weekly"  # marks weekly-hours rows in the union (exception kinds are "closed" and "extra")


@dataclass
class Session:
    """A group session of the searched type with places left: patients may join it, nothing else may
    overlap it."""

    practitioner_id: int
    room_id: int | None
    blocked: engine.Interval
    taken: int = 0


@dataclass
class BusyTime:
    practitioners: dict[int, list[engine.Interval]]
    rooms: dict[int, list[engine.Interval]]
    patient: list[engine.Interval]
    stale_holds: list[int]  # holds past their expiry that still carry an active status
    open_sessions: dict[str, Session] = field(default_factory=dict)  # session key -> session


def _busy_time(
    *,
    practitioner_ids,
    room_ids,
    patient_id: int | None,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_id: int | None,
    group: AppointmentType | None = None,
    reach_before: timedelta = timedelta(days=1),
    reach_after: timedelta = timedelta(days=1),
) -> BusyTime:
    """Busy time of the practitioners, rooms and the patient in one query: what overlaps [start -
    ``reach_before``, end + ``reach_after``), the time a slot starting in [start, end) can block.

    With ``group`` (a type whose sessions have several places), that type's sessions with places left
    are kept apart as ``open_sessions`` instead of busy time: a patient may join one, and the caller
    keeps everything else clear of it. Full sessions are busy time like any appointment."""
    busy = BusyTime({pk: [] for pk in practitioner_ids}, {pk: [] for pk in room_ids}, [], [])
    # Plain SQL for the same reason as the hours query; datetimes go through the backend's adapters.
    ops = connection.ops
    owners, params = [], []
    for column, ids in (("practitioner_id", list(practitioner_ids)), ("room_id", list(room_ids))):
        if ids:
            owners.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
            params.extend(ids)
    if patient_id is not None:
        owners.append("patient_id = %s")
        params.append(patient_id)
    if not owners:
        return busy
    # The active statuses written into the text (code constants, not input): the partial indexes of the
    # no-overlap constraints hold only active rows, and PostgreSQL uses a partial index only when the
    # query's condition implies its own, which it cannot see through parameters of a prepared statement.
    statuses = ", ".join(f"'{status}'" for status in _ACTIVE)
    if connection.vendor == "postgresql":
        # Overlap of ranges: the GiST indexes of the no-overlap constraints find the few appointments in
        # the window whatever the years of past ones (blocked_start < end alone matches all of those).
        when = "tstzrange(blocked_start, blocked_end, '[)') && tstzrange(%s, %s, '[)')"
        times = [start - reach_before, end + reach_after]
    else:
        # SQLite: the range on blocked_end (an index of its own per owner) finds what ends
        # after the window starts, which past appointments do not; the unary + keeps the planner off the
        # blocked_start indexes, whose range (blocked_start < end) would match every earlier appointment.
        when = "+blocked_start < %s AND blocked_end > %s"
        times = [end + reach_after, start - reach_before]
    sql = (
        "SELECT id, practitioner_id, room_id, patient_id, blocked_start, blocked_end, status,"  # noqa: S608
        " hold_expires_at, appointment_type_id, session_key"
        f" FROM scheduling_appointment WHERE status IN ({statuses}) AND {when} AND ({' OR '.join(owners)})"
    )
    args = [ops.adapt_datetimefield_value(t) for t in times]
    args += params
    if exclude_id is not None:
        sql += " AND id <> %s"
        args.append(exclude_id)
    with prepared_cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    group_id = group.pk if group is not None else None
    sessions: dict[str, Session] = {}
    for pk, who, room, patient, a, b, status, expires, type_id, key in rows:
        a, b = _as_utc(a), _as_utc(b)
        expires = _as_utc(expires) if expires is not None else None
        if status == AppointmentStatus.HELD and expires is not None and expires <= now:
            busy.stale_holds.append(pk)
            continue
        interval = engine.Interval(a, b)
        if patient == patient_id:
            busy.patient.append(interval)
        if type_id == group_id:
            sessions.setdefault(key, Session(who, room, interval)).taken += 1
            continue
        _add_busy(busy, who, room, interval)
    for key, session in sessions.items():
        if session.taken < group.capacity:
            busy.open_sessions[key] = session
        else:
            _add_busy(busy, session.practitioner_id, session.room_id, session.blocked)
    return busy


_ACTIVE = [str(status) for status in ACTIVE_STATUSES]
if not all(status.isidentifier() and status.islower() for status in _ACTIVE):
    raise ImproperlyConfigured("Appointment statuses are written into SQL: lower-case names only.")


def _add_busy(busy: BusyTime, practitioner_id: int, room_id: int | None, interval: engine.Interval) -> None:
    if practitioner_id in busy.practitioners:
        busy.practitioners[practitioner_id].append(interval)
    if room_id in busy.rooms:
        busy.rooms[room_id].append(interval)


def type_zone(appointment_type: AppointmentType) -> ZoneInfo:
    """The clinic's zone; read with the type by ``selectors.appointment_type_get`` (no clinic query)."""
    zone = getattr(appointment_type, "clinic_time_zone", None)
    return ZoneInfo(zone) if zone else appointment_type.clinic.tz


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
    stale_holds: list[int] | None = None,
) -> list[FoundSlot]:
    """Free slots starting in [start, end): per practitioner, fitting their hours and a room's, clear of
    every active appointment and live hold of the practitioner, the room and the patient (buffers included).
    ``exclude_appointment_id`` ignores one appointment's own time (for rescheduling it); ``stale_holds``,
    when given, receives the ids of expired holds found in the way (the caller expires them)."""
    tz = type_zone(appointment_type)
    window = engine.Interval(start, end)
    rules = rules_for(appointment_type)
    columns: dict[int, tuple[str, str]] = {}
    p_weekly, p_exceptions, names = _open_time(
        appointment_type, "practitioner", tz, start, end, practitioner_id, columns
    )
    r_weekly: dict[int, list] = {}
    r_exceptions: dict[int, list] = {}
    rooms: list[int | None] = [None]
    if appointment_type.room_kind:
        r_weekly, r_exceptions, room_names = _open_time(appointment_type, "room", tz, start, end)
        rooms = sorted(room_names)
    if not rooms or not names:
        return []
    if ignore_busy:
        busy = BusyTime({}, {}, [], [])
    else:
        busy = _busy_time(
            practitioner_ids=names,
            room_ids=[r for r in rooms if r is not None],
            patient_id=patient_id,
            start=start,
            end=end,
            now=now,
            exclude_id=exclude_appointment_id,
            group=appointment_type if appointment_type.is_group else None,
            # A slot starting in the window blocks from its start - buffer before to its end + buffer
            # after (UTC instants): only busy time overlapping that can keep it from being free.
            reach_before=rules.buffer_before,
            reach_after=rules.duration + rules.buffer_after,
        )
    if stale_holds is not None:
        stale_holds.extend(busy.stale_holds)
    people = {
        pk: engine.Resource(p_weekly.get(pk, []), p_exceptions.get(pk, []), busy.practitioners.get(pk, []))
        for pk in names
    }
    room_resources = {
        pk: engine.Resource(r_weekly.get(pk, []), r_exceptions.get(pk, []), busy.rooms.get(pk, []))
        for pk in rooms
        if pk is not None
    }
    patient_busy = [(b.start, b.end) for b in engine.merge(busy.patient)]
    capacity = appointment_type.capacity
    sessions = busy.open_sessions
    # The loop runs once per candidate slot (hundreds per search): tuples, no per-slot objects but the one
    # kept. With one room choice (or none) a practitioner's slots have distinct starts; with several rooms
    # the first room found for a start is kept.
    found: dict[tuple[datetime, int], FoundSlot] = {}
    keep_first = len(rooms) > 1
    open_memo: dict = {}
    for person_id, own in people.items():
        name = names[person_id]
        full_name, email = columns[person_id]
        for room_id in rooms:
            resources = [own] + ([room_resources[room_id]] if room_id is not None else [])
            for slot in engine.find_slots(
                rules=rules, resources=resources, tz=tz, now=now, window=window, open_memo=open_memo
            ):
                start, _end, blocked_start, blocked_end = slot
                key = (start, person_id)
                if keep_first and key in found:
                    continue
                if patient_busy and any(blocked_start < b and a < blocked_end for a, b in patient_busy):
                    continue
                places_left = capacity
                if sessions:
                    places_left = _places_left(appointment_type, sessions, slot, person_id, room_id)
                    if not places_left:
                        continue
                found[key] = _new(FoundSlot, (*slot, person_id, name, room_id, places_left, full_name, email))
    result = sorted(found.values(), key=_SLOT_ORDER)
    return result[:limit] if limit is not None else result


_SLOT_ORDER = attrgetter("start", "practitioner_name", "practitioner_id")
_new = tuple.__new__  # a named tuple from all its values, without its generated __new__


def _places_left(
    appointment_type: AppointmentType,
    sessions: dict[str, Session],
    slot: engine.Slot,
    practitioner_id: int,
    room_id: int | None,
) -> int:
    """Free places of a group slot: the open session it joins, or a new session that overlaps no other
    session of its practitioner or room (0: not bookable)."""
    own_key = session_key_for(
        type_id=appointment_type.pk, practitioner_id=practitioner_id, room_id=room_id, start=slot.start
    )
    for key, session in sessions.items():
        if key == own_key:
            continue
        shares = session.practitioner_id == practitioner_id or (
            room_id is not None and session.room_id == room_id
        )
        if shares and session.blocked.overlaps(slot.blocked):
            return 0
    joined = sessions.get(own_key)
    return appointment_type.capacity - (joined.taken if joined is not None else 0)


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
