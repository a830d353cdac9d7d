"""When a restriction or a check-in starts and ends. Pure functions; `tz` is the patient's zone.

Hours are elapsed time (48 hours is 48 hours even across a clock change). Days and weeks are counted on
the patient's calendar: four weeks after 10:00 on a Monday ends at 10:00 on a Monday, whatever the clocks did.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

UTC = dt.UTC


def add_local_days(start: dt.datetime, days: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The same wall-clock time `days` later in `tz`, as UTC; a time a clock change skips moves later."""
    local = start.astimezone(tz)
    naive = local.replace(tzinfo=None) + dt.timedelta(days=days)
    # fold=0: a repeated wall time (autumn) is its first occurrence; a skipped one (spring) reads with the
    # offset before the change, which lands an hour later on the new clock, never earlier.
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def window_end(
    *, start: dt.datetime, duration: int | None, unit: str, tz: zoneinfo.ZoneInfo, plan_days: int
) -> dt.datetime:
    if unit == "hours":
        return start.astimezone(UTC) + dt.timedelta(hours=duration)  # elapsed: add in UTC, not wall time
    if unit == "days":
        return add_local_days(start, duration, tz)
    if unit == "weeks":
        return add_local_days(start, 7 * duration, tz)
    if unit == "plan_period":
        return add_local_days(start, plan_days, tz)
    raise ValueError(f"unknown unit {unit!r}")
