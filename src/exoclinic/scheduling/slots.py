"""The slot engine: free appointment slots from weekly hours, exceptions and busy time.

Pure Python (no Django): every input is plain data and ``now`` is passed in, so daylight-saving
behaviour can be tested exactly. Hours are given in local wall-clock time of an IANA zone; every
interval that comes out is in UTC.

Rules for wall-clock times that do not map to exactly one instant:
- a time inside the spring gap (it never shows on the clock) means the first instant after the gap;
- a repeated autumn time means its first occurrence at the start of a block and its last occurrence
  at the end of a block, so a block covers every wall-clock time it names.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open time interval [start, end) in UTC."""

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


@dataclass(frozen=True)
class WeeklyBlock:
    """Working hours on one weekday (0 = Monday), local wall-clock time; end may be 00:00 (midnight)."""

    weekday: int
    start: time
    end: time


class ExceptionKind(enum.StrEnum):
    CLOSED = "closed"  # leave, holiday, training: removes time
    EXTRA = "extra"  # extra hours: adds time


@dataclass(frozen=True)
class DateException:
    """A change for one local date; start/end None means the whole day."""

    day: date
    kind: ExceptionKind
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC, the appointment itself
    end: datetime
    blocked_start: datetime  # UTC, including the buffers
    blocked_end: datetime


def local_to_utc(day: date, wall: time, tz: ZoneInfo, *, edge: str = "start") -> datetime:
    """Convert a local wall-clock time to UTC, resolving gaps and repeats (see the module docstring)."""
    if wall == time(0) and edge == "end":
        day, wall = day + timedelta(days=1), time(0)
    first = datetime.combine(day, wall, tzinfo=tz).replace(fold=0)
    last = first.replace(fold=1)
    first_utc, last_utc = first.astimezone(UTC), last.astimezone(UTC)
    if first_utc == last_utc:
        return first_utc
    round_trip = first_utc.astimezone(tz).replace(tzinfo=None)
    if round_trip != first.replace(tzinfo=None):
        return _transition_between(min(first_utc, last_utc), max(first_utc, last_utc), tz)
    # Repeated hour: fold=0 is the first occurrence, fold=1 the second.
    return first_utc if edge == "start" else last_utc


def _transition_between(low: datetime, high: datetime, tz: ZoneInfo) -> datetime:
    """The instant the offset jumps, found by bisection between two UTC instants around a gap."""
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return high.replace(microsecond=0)


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for iv in sorted(i for i in intervals if i.end > i.start):
        if merged and iv.start <= merged[-1].end:
            if iv.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, iv.end)
        else:
            merged.append(iv)
    return merged


def subtract(intervals: Iterable[Interval], remove: Iterable[Interval]) -> list[Interval]:
    result = _merge(intervals)
    for cut in _merge(remove):
        next_result: list[Interval] = []
        for iv in result:
            if not iv.overlaps(cut):
                next_result.append(iv)
                continue
            if iv.start < cut.start:
                next_result.append(Interval(iv.start, cut.start))
            if cut.end < iv.end:
                next_result.append(Interval(cut.end, iv.end))
        result = next_result
    return result


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for x in _merge(a):
        for y in _merge(b):
            start, end = max(x.start, y.start), min(x.end, y.end)
            if start < end:
                out.append(Interval(start, end))
    return _merge(out)


def _day_interval(day: date, start: time | None, end: time | None, tz: ZoneInfo) -> Interval:
    s = local_to_utc(day, start or time(0), tz, edge="start")
    e = local_to_utc(day, end if end is not None else time(0), tz, edge="end")
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
    opened: list[Interval] = []
    closed: list[Interval] = []
    by_day: dict[date, list[DateException]] = {}
    for exc in exceptions:
        by_day.setdefault(exc.day, []).append(exc)
    day = first_day
    while day <= last_day:
        for block in weekly:
            if block.weekday == day.weekday():
                opened.append(_day_interval(day, block.start, block.end, tz))
        for exc in by_day.get(day, ()):
            target = opened if exc.kind == ExceptionKind.EXTRA else closed
            target.append(_day_interval(day, exc.start, exc.end, tz))
        day += timedelta(days=1)
    return subtract(opened, closed)


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
    """Free slots in ``open_time`` that keep clear of ``busy`` (blocked intervals of other bookings).

    The appointment itself lies within open time; its buffers may reach outside it but never into
    busy time, which matches the database rule (blocked intervals never overlap). Slot starts follow
    a grid of ``step`` (default: the duration) from the start of each open block, at least
    ``min_notice`` after ``now``, at most ``horizon`` after ``now`` and inside ``window``.
    """
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    step = step or duration
    earliest = now + min_notice
    latest = now + horizon if horizon is not None else None
    busy_sorted = _merge(busy)
    slots: list[Slot] = []
    for block in _merge(open_time):
        start = block.start
        while start + duration <= block.end:
            candidate = Slot(start, start + duration, start - buffer_before, start + duration + buffer_after)
            if (
                start >= earliest
                and (latest is None or start <= latest)
                and (window is None or window.start <= start < window.end)
                and not _hits(Interval(candidate.blocked_start, candidate.blocked_end), busy_sorted)
            ):
                slots.append(candidate)
            if latest is not None and start > latest:
                break
            start += step
    return slots


def _hits(interval: Interval, busy_sorted: Sequence[Interval]) -> bool:
    return any(interval.overlaps(b) for b in busy_sorted)
