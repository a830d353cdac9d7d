"""The slot engine: free appointment slots from weekly hours, exceptions and busy time.

Pure Python (no Django): every input is plain data and ``now`` is passed in, so daylight-saving
behaviour can be tested exactly. Hours are given in local wall-clock time of the clinic's IANA zone;
every interval that comes out is in UTC. ``in_zone`` presents slots in a viewer's zone.

How a search works (``find_slots``):
1. each resource (the practitioner, the room) has its own open time: weekly blocks for each local date,
   minus CLOSED exceptions, plus EXTRA exceptions (``open_intervals``);
2. the bookable time is the intersection of all resources' open time (``intersect``): a slot must fit
   inside the practitioner's hours *and* the room's;
3. each resource's busy intervals (appointments and holds, buffers included) become its full time, the
   time where it has no capacity left (``full_time``); the union of those is what a slot must avoid;
4. slot starts follow a grid of ``step`` from the start of each bookable block; a slot is kept when the
   appointment lies inside bookable time, the appointment widened by its buffers touches no full time,
   and its start respects minimum notice and the booking horizon (``free_slots``).

Rules for wall-clock times that do not map to exactly one instant:
- a time inside the spring gap (it never shows on the clock) means the first instant after the gap;
- a repeated autumn time means its first occurrence at the start of a block and its last occurrence
  at the end of a block, so a block covers every wall-clock time it names (01:00-03:00 on the fall-back
  night of New York is three real hours).
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from exoclinic.core.errors import InvalidInput

MIDNIGHT = time(0)


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open time interval [start, end) between two time-zone-aware instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs time-zone-aware datetimes")
        if self.end < self.start:
            raise ValueError("Interval ends before it starts")

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def _check_hours(start: time, end: time, what: str) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise InvalidInput(
            _("%(what)s: give local wall-clock times without a time zone.") % {"what": what}, field="start"
        )
    if end != MIDNIGHT and end <= start:
        raise InvalidInput(
            _("%(what)s: the end must be after the start (00:00 means midnight).") % {"what": what},
            field="end",
        )


@dataclass(frozen=True)
class WeeklyBlock:
    """Open hours on one weekday (0 = Monday), local wall-clock time; ``end`` 00:00 means midnight.

    Several blocks on the same weekday give a day with a break (09:00-13:00 and 15:00-19:00).
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidInput(_("Weekday must be 0 (Monday) to 6 (Sunday)."), field="weekday")
        _check_hours(self.start, self.end, _("Weekly hours"))


class ExceptionKind(enum.StrEnum):
    CLOSED = "closed"  # leave, holiday, training: removes time
    EXTRA = "extra"  # extra hours: adds time


@dataclass(frozen=True)
class DateException:
    """A change for one local date; ``start`` and ``end`` both None means the whole day.

    On one date the open time is (weekly blocks - CLOSED) + EXTRA: extra hours are an explicit
    decision, so they also open time on a day that is otherwise closed (a holiday with a morning clinic).
    """

    day: date
    kind: ExceptionKind
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise InvalidInput(_("Give both start and end, or neither for the whole day."), field="end")
        if self.start is not None and self.end is not None:
            _check_hours(self.start, self.end, _("Exception hours"))


class Slot(NamedTuple):
    """A free slot, all instants in UTC. A named tuple: a search makes hundreds, and a frozen dataclass
    costs twice as much to build."""

    start: datetime  # the appointment itself
    end: datetime
    blocked_start: datetime  # including the buffers: store these on the booking as its busy interval
    blocked_end: datetime

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def blocked(self) -> Interval:
        return Interval(self.blocked_start, self.blocked_end)


@dataclass(frozen=True)
class LocalSlot:
    """A slot presented in a viewer's zone: ``start`` and ``end`` carry that zone and its offset."""

    start: datetime
    end: datetime
    slot: Slot

    @property
    def label(self) -> str:
        """``2026-11-01 02:00-03:00 EST (UTC-05:00)``; across an offset change both ends show their zone:
        ``2026-11-01 01:00 EDT (UTC-04:00) - 01:00 EST (UTC-05:00)``."""
        if self.start.utcoffset() == self.end.utcoffset():
            return f"{self.start:%Y-%m-%d %H:%M}-{self.end:%H:%M} {_zone(self.start)}"
        return f"{self.start:%Y-%m-%d %H:%M} {_zone(self.start)} - {self.end:%H:%M} {_zone(self.end)}"


def _zone(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return f"{moment.tzname()} (UTC{offset[:3]}:{offset[3:5]})"


@dataclass(frozen=True)
class Resource:
    """A practitioner or a room: its open hours, date exceptions and busy intervals.

    ``busy`` holds the blocked intervals (buffers included) of appointments and unexpired holds that use
    this resource. ``capacity`` is how many bookings may overlap at any instant (1 for a practitioner; a
    treatment room with three chairs has 3).
    """

    weekly: Sequence[WeeklyBlock]
    exceptions: Sequence[DateException] = ()
    busy: Sequence[Interval] = ()
    capacity: int = 1


@dataclass(frozen=True)
class SlotRules:
    """What an appointment type asks of a slot; ``step`` None means back-to-back slots (step = duration)."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(0)
    horizon: timedelta | None = None
    step: timedelta | None = None

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise InvalidInput(_("The duration must be positive."), field="duration")
        if self.step is not None and self.step <= timedelta(0):
            raise InvalidInput(_("The step must be positive."), field="step")
        for name in ("buffer_before", "buffer_after", "min_notice"):
            if getattr(self, name) < timedelta(0):
                raise InvalidInput(_("This must not be negative."), field=name)
        if self.horizon is not None and self.horizon < timedelta(0):
            raise InvalidInput(_("This must not be negative."), field="horizon")


# --- wall-clock time to UTC ---------------------------------------------------------------------------


def local_to_utc(day: date, wall: time, tz: ZoneInfo, *, edge: Literal["start", "end"] = "start") -> datetime:
    """Convert a local wall-clock time to UTC, resolving gaps and repeats (see the module docstring).

    ``edge="end"`` reads 00:00 as the midnight that ends ``day``.
    """
    if wall == MIDNIGHT and edge == "end":
        day += timedelta(days=1)
    naive = datetime.combine(day, wall)
    # zoneinfo: fold=0 applies the offset in force before a transition, fold=1 the one after.
    first_utc = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second_utc = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first_utc == second_utc:
        return first_utc
    if first_utc.astimezone(tz).replace(tzinfo=None) != naive:
        # In the gap: neither reading shows this wall time; the transition lies between them.
        return _transition_between(min(first_utc, second_utc), max(first_utc, second_utc), tz)
    # Repeated hour: fold=0 is the first occurrence, fold=1 the second.
    return first_utc if edge == "start" else second_utc


def _transition_between(low: datetime, high: datetime, tz: ZoneInfo) -> datetime:
    """The instant the offset changes, found by bisection between two UTC instants around a gap."""
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    # Offsets change on whole seconds; ``high`` lies in [transition, transition + 1 s).
    return high.replace(microsecond=0)


# --- interval arithmetic ------------------------------------------------------------------------------


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, non-empty intervals covering the same time (touching ones are joined)."""
    merged: list[Interval] = []
    for iv in sorted(i for i in intervals if i.end > i.start):
        if merged and iv.start <= merged[-1].end:
            if iv.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, iv.end)
        else:
            merged.append(iv)
    return merged


def subtract(intervals: Iterable[Interval], remove: Iterable[Interval]) -> list[Interval]:
    """The time in ``intervals`` that is not in ``remove``."""
    cuts = merge(remove)
    out: list[Interval] = []
    i = 0
    for iv in merge(intervals):
        start = iv.start
        while i < len(cuts) and cuts[i].end <= start:
            i += 1
        j = i
        while j < len(cuts) and cuts[j].start < iv.end:
            if cuts[j].start > start:
                out.append(Interval(start, cuts[j].start))
            start = max(start, cuts[j].end)
            j += 1
        if start < iv.end:
            out.append(Interval(start, iv.end))
    return out


def intersect(*schedules: Iterable[Interval]) -> list[Interval]:
    """The time common to every schedule, e.g. ``intersect(practitioner_open, room_open)``.

    Two-pointer walk over the merged lists: keep the overlap of the current pair, then advance the one
    that ends first, since it cannot overlap anything later in the other list.
    """
    if not schedules:
        return []
    result = merge(schedules[0])
    for other in schedules[1:]:
        b = merge(other)
        out: list[Interval] = []
        i = j = 0
        while i < len(result) and j < len(b):
            start, end = max(result[i].start, b[j].start), min(result[i].end, b[j].end)
            if start < end:
                out.append(Interval(start, end))
            if result[i].end <= b[j].end:
                i += 1
            else:
                j += 1
        result = out
    return result


def full_time(busy: Iterable[Interval], capacity: int = 1) -> list[Interval]:
    """The time where ``capacity`` or more busy intervals overlap: a new booking would exceed capacity."""
    if capacity < 1:
        raise InvalidInput(_("Capacity must be at least 1."), field="capacity")
    if capacity == 1:
        return merge(busy)
    # Sweep line; at equal instants ends (-1) sort before starts (+1), as intervals are half-open.
    real = [iv for iv in busy if iv.end > iv.start]
    events = sorted([(iv.start, 1) for iv in real] + [(iv.end, -1) for iv in real])
    out: list[Interval] = []
    depth = 0
    full_since: datetime | None = None
    for instant, change in events:
        depth += change
        if depth >= capacity and full_since is None:
            full_since = instant
        elif depth < capacity and full_since is not None:
            out.append(Interval(full_since, instant))
            full_since = None
    return merge(out)


# --- open time and slots ------------------------------------------------------------------------------


def _day_interval(day: date, start: time | None, end: time | None, tz: ZoneInfo) -> Interval:
    s = local_to_utc(day, start if start is not None else MIDNIGHT, tz, edge="start")
    e = local_to_utc(day, end if end is not None else MIDNIGHT, tz, edge="end")
    # A block lying wholly inside a spring gap (02:15-02:45) has no real time.
    return Interval(s, max(s, e))


def open_intervals(
    *,
    weekly: Sequence[WeeklyBlock],
    exceptions: Sequence[DateException] = (),
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
) -> list[Interval]:
    """The open time (UTC) of a practitioner or a room between two local dates, both included."""
    by_day: dict[date, list[DateException]] = {}
    for exc in exceptions:
        by_day.setdefault(exc.day, []).append(exc)
    result: list[Interval] = []
    day = first_day
    while day <= last_day:
        regular = [_day_interval(day, b.start, b.end, tz) for b in weekly if b.weekday == day.weekday()]
        changes = by_day.get(day, ())
        closed = [_day_interval(day, e.start, e.end, tz) for e in changes if e.kind == ExceptionKind.CLOSED]
        extra = [_day_interval(day, e.start, e.end, tz) for e in changes if e.kind == ExceptionKind.EXTRA]
        result.extend(subtract(regular, closed) + extra)
        day += timedelta(days=1)
    return merge(result)


def free_slots(
    *,
    open_time: Sequence[Interval],
    busy: Sequence[Interval],
    duration: timedelta,
    buffer_before: timedelta = timedelta(0),
    buffer_after: timedelta = timedelta(0),
    min_notice: timedelta = timedelta(0),
    horizon: timedelta | None = None,
    now: datetime,
    window: Interval | None = None,
    step: timedelta | None = None,
) -> list[Slot]:
    """Free slots in ``open_time`` that keep clear of ``busy`` (time with no capacity left).

    The appointment itself lies within open time; its buffers may reach outside it (preparing before
    the first appointment of the day) but never into busy time, which matches the database rule that
    blocked intervals never overlap. Slot starts follow a grid of ``step`` (default: the duration) from
    the start of each open block, at least ``min_notice`` after ``now``, at most ``horizon`` after
    ``now``, and inside ``window`` when given.
    """
    rules = SlotRules(duration, buffer_before, buffer_after, min_notice, horizon, step)  # validates
    if now.tzinfo is None:
        raise ValueError("now must be time-zone-aware")
    step_ = rules.step or duration
    earliest = now + min_notice
    latest = now + horizon if horizon is not None else None
    if window is not None:
        earliest = max(earliest, window.start)
    full = merge(busy)
    full_starts = [iv.start for iv in full]
    full_ends = [iv.end for iv in full]
    window_end = window.end if window is not None else None
    slots: list[Slot] = []
    new = tuple.__new__  # the named tuple without its generated __new__ (hundreds per search)
    # The loop below runs once per candidate slot (hundreds per search): plain datetimes, no Interval.
    for block in merge(Interval(iv.start.astimezone(UTC), iv.end.astimezone(UTC)) for iv in open_time):
        if latest is not None and block.start > latest:
            break
        # Jump to the first grid point at or after ``earliest`` instead of walking the whole block.
        start = block.start
        if start < earliest:
            start += -((block.start - earliest) // step_) * step_
        end = start + duration
        while end <= block.end:
            if (latest is not None and start > latest) or (window_end is not None and start >= window_end):
                break
            blocked_start, blocked_end = start - buffer_before, end + buffer_after
            # The first full interval ending after the blocked start must begin at or after its end.
            i = bisect_right(full_ends, blocked_start)
            if i == len(full_starts) or full_starts[i] >= blocked_end:
                slots.append(new(Slot, (start, end, blocked_start, blocked_end)))
            start += step_
            end += step_
    return slots


def _open_time_of(resource: Resource, *, tz: ZoneInfo, first_day: date, last_day: date, memo) -> Sequence:
    def compute() -> list[Interval]:
        days = {"first_day": first_day, "last_day": last_day}
        return open_intervals(weekly=resource.weekly, exceptions=resource.exceptions, tz=tz, **days)

    if memo is None:
        return compute()
    key = (tuple(resource.weekly), tuple(resource.exceptions), tz.key, first_day, last_day)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(compute())
    return found


def find_slots(
    *,
    rules: SlotRules,
    resources: Sequence[Resource],
    tz: ZoneInfo,
    now: datetime,
    window: Interval,
    open_memo: dict | None = None,
) -> list[Slot]:
    """Free slots in ``window`` (UTC) where every resource (practitioner, room, ...) is open and has room.

    ``open_memo``, a dict the caller keeps for one search, remembers the open time of each distinct set of
    hours and exceptions: practitioners of a clinic often share their hours."""
    if not resources:
        return []
    # The window filters slot starts but is not cut out of open time: the grid must not depend on it.
    # Local dates that can touch the window; a local date spans at most 24 h +/- the largest offset.
    first_day = window.start.astimezone(tz).date() - timedelta(days=1)
    last_day = window.end.astimezone(tz).date() + timedelta(days=1)
    open_time = intersect(
        *(_open_time_of(r, tz=tz, first_day=first_day, last_day=last_day, memo=open_memo) for r in resources)
    )
    full = merge(iv for r in resources for iv in full_time(r.busy, r.capacity))
    return free_slots(
        open_time=open_time,
        busy=full,
        duration=rules.duration,
        buffer_before=rules.buffer_before,
        buffer_after=rules.buffer_after,
        min_notice=rules.min_notice,
        horizon=rules.horizon,
        now=now,
        window=window,
        step=rules.step,
    )


def in_zone(slots: Iterable[Slot], tz: ZoneInfo) -> list[LocalSlot]:
    """Present UTC slots in a viewer's zone (the clinic's or the patient's)."""
    return [LocalSlot(s.start.astimezone(tz), s.end.astimezone(tz), s) for s in slots]


__all__ = [
    "DateException",
    "ExceptionKind",
    "Interval",
    "LocalSlot",
    "Resource",
    "Slot",
    "SlotRules",
    "WeeklyBlock",
    "find_slots",
    "free_slots",
    "full_time",
    "in_zone",
    "intersect",
    "local_to_utc",
    "merge",
    "open_intervals",
    "subtract",
]
