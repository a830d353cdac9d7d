"""Restriction and check-in windows across clock changes (Europe/Madrid: 29 March and 25 October 2026)."""

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from exoclinic.aftercare.windows import add_local_days, window_end

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
UTC = dt.UTC


def local(*args):
    return dt.datetime(*args, tzinfo=MADRID)


def test_48_hours_across_the_spring_change_is_48_elapsed_hours():
    start = local(2026, 3, 28, 10, 0)
    end = window_end(start=start, duration=48, unit="hours", tz=MADRID, plan_days=0)
    assert end - start == dt.timedelta(hours=48)
    assert end.astimezone(MADRID).hour == 11  # the clock went forward an hour on the way


def test_four_weeks_across_the_spring_change_ends_at_the_same_wall_clock_time():
    start = local(2026, 3, 20, 10, 0)
    end = window_end(start=start, duration=4, unit="weeks", tz=MADRID, plan_days=0)
    assert end.astimezone(MADRID) == local(2026, 4, 17, 10, 0)
    assert end - start == dt.timedelta(days=28, hours=-1)


def test_four_weeks_across_the_autumn_change_ends_at_the_same_wall_clock_time():
    start = local(2026, 10, 10, 9, 30)
    end = window_end(start=start, duration=4, unit="weeks", tz=MADRID, plan_days=0)
    assert end.astimezone(MADRID) == local(2026, 11, 7, 9, 30)
    assert end - start == dt.timedelta(days=28, hours=1)


def test_plan_period_uses_the_plans_days():
    start = local(2026, 3, 25, 12, 0)
    end = window_end(start=start, duration=None, unit="plan_period", tz=MADRID, plan_days=14)
    assert end.astimezone(MADRID) == local(2026, 4, 8, 12, 0)


def test_a_wall_time_skipped_by_the_clock_change_lands_later_never_earlier():
    start = local(2026, 3, 28, 2, 30)
    end = add_local_days(start, 1, MADRID)
    assert end.astimezone(MADRID) == local(2026, 3, 29, 3, 30)
    assert end > start + dt.timedelta(hours=23)


def test_results_are_in_utc():
    assert add_local_days(local(2026, 6, 1, 8, 0), 1, MADRID).tzinfo == UTC


@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1)),
    st.integers(min_value=1, max_value=400),
)
def test_local_days_never_end_before_days_minus_one_hour_or_after_days_plus_one_hour(naive, days):
    start = naive.replace(tzinfo=UTC)
    end = add_local_days(start, days, MADRID)
    assert dt.timedelta(days=days, hours=-1) <= end - start <= dt.timedelta(days=days, hours=1)
