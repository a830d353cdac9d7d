"""The slot engine, with daylight-saving nights in Madrid and New York.

2026 transitions used below (all Sundays): Madrid springs forward 29 March 02:00 CET -> 03:00 CEST and
falls back 25 October 03:00 CEST -> 02:00 CET; New York springs forward 8 March 02:00 EST -> 03:00 EDT
and falls back 1 November 02:00 EDT -> 01:00 EST.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exoclinic.core.errors import InvalidInput
from exoclinic.scheduling.slots import (
    DateException,
    ExceptionKind,
    Interval,
    Resource,
    SlotRules,
    WeeklyBlock,
    find_slots,
    free_slots,
    full_time,
    in_zone,
    intersect,
    local_to_utc,
    open_intervals,
    subtract,
)

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
MONDAY = date(2026, 2, 2)  # a winter week in Madrid: CET, UTC+1
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def weekdays(start: time, end: time) -> list[WeeklyBlock]:
    return [WeeklyBlock(d, start, end) for d in range(5)]


def local(day: date, hh: int, mm: int = 0, tz: ZoneInfo = MADRID) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz)


def week(tz: ZoneInfo = MADRID, first: date = MONDAY, days: int = 7) -> Interval:
    start = datetime.combine(first, time(0), tzinfo=tz)
    return Interval(start, datetime.combine(first + timedelta(days=days), time(0), tzinfo=tz))


def starts(slots, tz: ZoneInfo = MADRID) -> list[str]:
    return [s.start.astimezone(tz).strftime("%a %H:%M") for s in slots]


def search(practitioner: Resource, *, rules=None, now=LONG_AGO, window=None, rooms=(), tz=MADRID):
    return find_slots(
        rules=rules or SlotRules(duration=HOUR),
        resources=[practitioner, *rooms],
        tz=tz,
        now=now,
        window=window or week(tz),
    )


def test_normal_week_gives_back_to_back_slots_in_opening_hours_only():
    slots = search(Resource(weekdays(time(9), time(13))))

    assert len(slots) == 20
    assert starts(slots)[:5] == ["Mon 09:00", "Mon 10:00", "Mon 11:00", "Mon 12:00", "Tue 09:00"]
    assert slots[0].start == datetime(2026, 2, 2, 8, tzinfo=UTC)
    assert all(s.start.tzinfo == UTC and s.end - s.start == HOUR for s in slots)
    assert not any(s.start.astimezone(MADRID).weekday() >= 5 for s in slots)


def test_several_blocks_a_day_leave_the_break_free():
    hours = [WeeklyBlock(0, time(9), time(13)), WeeklyBlock(0, time(15), time(18))]

    slots = search(Resource(hours))

    assert starts(slots) == [f"Mon {h:02d}:00" for h in (9, 10, 11, 12, 15, 16, 17)]


def test_closed_day_has_no_slots():
    holiday = DateException(date(2026, 2, 4), ExceptionKind.CLOSED)

    slots = search(Resource(weekdays(time(9), time(13)), exceptions=[holiday]))

    assert len(slots) == 16
    assert not any(s.start.astimezone(MADRID).date() == date(2026, 2, 4) for s in slots)


def test_partial_day_closure_removes_only_those_hours():
    training = DateException(MONDAY, ExceptionKind.CLOSED, time(10), time(12))

    slots = search(Resource(weekdays(time(9), time(13)), exceptions=[training]))

    assert [s for s in starts(slots) if s.startswith("Mon")] == ["Mon 09:00", "Mon 12:00"]


def test_extra_hours_open_a_saturday_morning():
    extra = DateException(date(2026, 2, 7), ExceptionKind.EXTRA, time(10), time(12))

    slots = search(Resource(weekdays(time(9), time(13)), exceptions=[extra]))

    assert [s for s in starts(slots) if s.startswith("Sat")] == ["Sat 10:00", "Sat 11:00"]


def test_extra_hours_on_a_closed_holiday_are_open():
    changes = [
        DateException(MONDAY, ExceptionKind.CLOSED),
        DateException(MONDAY, ExceptionKind.EXTRA, time(10), time(12)),
    ]

    slots = search(Resource(weekdays(time(9), time(13)), exceptions=changes))

    assert [s for s in starts(slots) if s.startswith("Mon")] == ["Mon 10:00", "Mon 11:00"]


def test_busy_interval_removes_every_slot_it_touches_and_no_other():
    booked = Interval(local(MONDAY, 10, 30), local(MONDAY, 11))

    slots = search(Resource(weekdays(time(9), time(13)), busy=[booked]))

    assert [s for s in starts(slots) if s.startswith("Mon")] == ["Mon 09:00", "Mon 11:00", "Mon 12:00"]


def test_buffers_keep_a_new_slot_clear_of_a_booking_and_its_buffers():
    # Booked 10:00-11:00 with 15 min buffers: busy 09:45-11:15. A new slot needs 15 min before it too,
    # so the first start after the booking is 11:30, and nothing fits before it on a 09:00 opening.
    booked = Interval(local(MONDAY, 9, 45), local(MONDAY, 11, 15))
    rules = SlotRules(duration=HOUR, buffer_before=15 * MINUTE, buffer_after=15 * MINUTE, step=15 * MINUTE)

    slots = search(Resource([WeeklyBlock(0, time(9), time(13))], busy=[booked]), rules=rules)

    assert starts(slots) == ["Mon 11:30", "Mon 11:45", "Mon 12:00"]
    assert slots[0].blocked_start == local(MONDAY, 11, 15) and slots[0].blocked_end == local(MONDAY, 12, 45)


def test_buffers_may_reach_outside_opening_hours_when_nothing_is_booked_there():
    rules = SlotRules(duration=HOUR, buffer_before=15 * MINUTE, buffer_after=15 * MINUTE)

    slots = search(Resource([WeeklyBlock(0, time(9), time(11))]), rules=rules)

    assert starts(slots) == ["Mon 09:00", "Mon 10:00"]
    assert slots[0].blocked_start == local(MONDAY, 8, 45)


def test_minimum_notice_and_horizon_bound_slot_starts():
    now = local(MONDAY, 9, 30)
    rules = SlotRules(duration=HOUR, min_notice=2 * HOUR, horizon=timedelta(days=2))

    slots = search(Resource(weekdays(time(9), time(13))), rules=rules, now=now)

    # Earliest start 11:30 -> next grid point 12:00; latest start Wednesday 09:30 -> Wednesday 09:00.
    assert starts(slots) == [
        "Mon 12:00",
        "Tue 09:00",
        "Tue 10:00",
        "Tue 11:00",
        "Tue 12:00",
        "Wed 09:00",
    ]


def test_slot_must_fit_both_the_practitioner_and_the_room():
    doctor = Resource([WeeklyBlock(0, time(9), time(17))])
    room = Resource(
        [WeeklyBlock(0, time(8), time(10)), WeeklyBlock(0, time(12), time(18))],
        busy=[Interval(local(MONDAY, 13), local(MONDAY, 14))],  # another practitioner's patient
    )

    slots = search(doctor, rooms=[room])

    assert starts(slots) == ["Mon 09:00", "Mon 12:00", "Mon 14:00", "Mon 15:00", "Mon 16:00"]


def test_intersection_keeps_only_common_time():
    a = [Interval(local(MONDAY, 9), local(MONDAY, 17))]
    b = [Interval(local(MONDAY, 8), local(MONDAY, 10)), Interval(local(MONDAY, 12), local(MONDAY, 18))]

    assert intersect(a, b) == [
        Interval(local(MONDAY, 9), local(MONDAY, 10)),
        Interval(local(MONDAY, 12), local(MONDAY, 17)),
    ]


def test_room_with_two_chairs_takes_a_second_booking_but_not_a_third():
    doctor = Resource([WeeklyBlock(0, time(9), time(13))], capacity=3)
    room = Resource(
        [WeeklyBlock(0, time(9), time(13))],
        busy=[
            Interval(local(MONDAY, 10), local(MONDAY, 11)),
            Interval(local(MONDAY, 10), local(MONDAY, 11)),
            Interval(local(MONDAY, 11), local(MONDAY, 12)),
        ],
        capacity=2,
    )

    slots = search(doctor, rooms=[room])

    assert starts(slots) == ["Mon 09:00", "Mon 11:00", "Mon 12:00"]


def test_full_time_of_capacity_one_is_the_union_of_busy_time():
    busy = [Interval(local(MONDAY, 9), local(MONDAY, 10)), Interval(local(MONDAY, 10), local(MONDAY, 11))]

    assert full_time(busy) == [Interval(local(MONDAY, 9), local(MONDAY, 11))]


@pytest.mark.parametrize(
    ("tz", "night", "expected_local", "expected_utc_hours"),
    [
        (MADRID, date(2026, 3, 29), ["01:00+01:00", "01:30+01:00", "03:00+02:00", "03:30+02:00"], (0, 2)),
        (NEW_YORK, date(2026, 3, 8), ["01:00-05:00", "01:30-05:00", "03:00-04:00", "03:30-04:00"], (6, 8)),
    ],
)
def test_spring_gap_yields_only_real_instants(tz, night, expected_local, expected_utc_hours):
    # A block 01:00-04:00 on the spring-forward night holds two real hours, not three.
    hours = [WeeklyBlock(6, time(1), time(4))]

    open_time = open_intervals(weekly=hours, tz=tz, first_day=night, last_day=night)
    slots = search(Resource(hours), rules=SlotRules(duration=30 * MINUTE), tz=tz, window=week(tz, night, 1))

    first_hour, last_hour = expected_utc_hours
    assert open_time == [
        Interval(
            datetime(2026, night.month, night.day, first_hour, tzinfo=UTC),
            datetime(2026, night.month, night.day, last_hour, tzinfo=UTC),
        )
    ]
    assert [s.start.isoformat(timespec="minutes")[11:] for s in in_zone(slots, tz)] == expected_local
    assert all(s.end - s.start == 30 * MINUTE for s in slots)
    for shown in in_zone(slots, tz):
        assert not time(2) <= shown.start.time() < time(3)
        wall = shown.start.replace(tzinfo=None)
        assert wall.replace(tzinfo=tz).astimezone(UTC) == shown.slot.start  # the wall time exists


@pytest.mark.parametrize(("tz", "night"), [(MADRID, date(2026, 3, 29)), (NEW_YORK, date(2026, 3, 8))])
def test_a_time_inside_the_spring_gap_means_the_first_instant_after_it(tz, night):
    instant = local_to_utc(night, time(2, 30), tz)

    assert instant.astimezone(tz).time() == time(3)
    assert instant - timedelta(seconds=1) == local_to_utc(night, time(1, 59, 59), tz)


@pytest.mark.parametrize(
    ("tz", "night", "expected_labels"),
    [
        (
            MADRID,
            date(2026, 10, 25),
            [
                "2026-10-25 01:00-02:00 CEST (UTC+02:00)",
                "2026-10-25 02:00 CEST (UTC+02:00) - 02:00 CET (UTC+01:00)",
                "2026-10-25 02:00-03:00 CET (UTC+01:00)",
            ],
        ),
        (
            NEW_YORK,
            date(2026, 11, 1),
            [
                "2026-11-01 01:00 EDT (UTC-04:00) - 01:00 EST (UTC-05:00)",
                "2026-11-01 01:00-02:00 EST (UTC-05:00)",
                "2026-11-01 02:00-03:00 EST (UTC-05:00)",
            ],
        ),
    ],
)
def test_repeated_autumn_hour_gives_one_more_real_hour_without_overlaps(tz, night, expected_labels):
    # A block 01:00-03:00 on the fall-back night lasts three real hours.
    hours = [WeeklyBlock(6, time(1), time(3))]

    open_time = open_intervals(weekly=hours, tz=tz, first_day=night, last_day=night)
    slots = search(Resource(hours), tz=tz, window=week(tz, night, 1))

    assert sum((iv.duration for iv in open_time), timedelta()) == 3 * HOUR
    assert [s.label for s in in_zone(slots, tz)] == expected_labels
    assert all(s.end - s.start == HOUR for s in slots)
    assert all(a.end <= b.start for a, b in zip(slots, slots[1:], strict=False))


def test_block_ending_inside_the_repeated_hour_covers_both_occurrences():
    # New York, 1 November 2026: 01:00-01:59 happens twice. 00:00-01:30 starts at 00:00 EDT (04:00 UTC)
    # and ends at the second 01:30, EST (06:30 UTC): two and a half real hours.
    night = date(2026, 11, 1)

    open_time = open_intervals(
        weekly=[WeeklyBlock(6, time(0), time(1, 30))], tz=NEW_YORK, first_day=night, last_day=night
    )

    assert open_time == [
        Interval(datetime(2026, 11, 1, 4, tzinfo=UTC), datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
    ]


def test_slots_are_shown_in_the_viewers_zone():
    slots = search(Resource([WeeklyBlock(0, time(10), time(11))]))

    shown = in_zone(slots, NEW_YORK)

    assert [s.start.isoformat() for s in shown] == ["2026-02-02T04:00:00-05:00"]
    assert shown[0].slot == slots[0]


def test_subtract_cuts_holes_and_keeps_the_rest():
    day = [Interval(local(MONDAY, 9), local(MONDAY, 17))]
    cuts = [Interval(local(MONDAY, 10), local(MONDAY, 11)), Interval(local(MONDAY, 16), local(MONDAY, 18))]

    assert subtract(day, cuts) == [
        Interval(local(MONDAY, 9), local(MONDAY, 10)),
        Interval(local(MONDAY, 11), local(MONDAY, 16)),
    ]


def test_weekly_block_ending_before_it_starts_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        WeeklyBlock(0, time(13), time(9))

    assert refused.value.field == "end"


def test_weekly_block_may_end_at_midnight():
    hours = [WeeklyBlock(0, time(22), time(0))]

    open_time = open_intervals(weekly=hours, tz=MADRID, first_day=MONDAY, last_day=MONDAY)

    assert open_time == [Interval(local(MONDAY, 22), local(MONDAY + timedelta(days=1), 0))]


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="now"):
        free_slots(open_time=[], busy=[], duration=HOUR, now=datetime(2026, 2, 2, 9))


# --- property: slots never touch busy time and always lie inside open time ------------------------

DST_WEEKS = [date(2026, 2, 2), date(2026, 3, 23), date(2026, 10, 19), date(2026, 3, 2), date(2026, 10, 26)]


@st.composite
def scenarios(draw):
    tz = draw(st.sampled_from([MADRID, NEW_YORK]))
    first = draw(st.sampled_from(DST_WEEKS))
    quarter = 15 * MINUTE
    blocks = []
    for _ in range(draw(st.integers(0, 8))):
        start_q = draw(st.integers(0, 90))
        length_q = draw(st.integers(1, 96 - start_q))
        start = (datetime.min + start_q * quarter).time()
        end = (datetime.min + (start_q + length_q) * quarter).time()
        blocks.append(WeeklyBlock(draw(st.integers(0, 6)), start, end))
    origin = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    busy = []
    for _ in range(draw(st.integers(0, 12))):
        offset = draw(st.integers(0, 7 * 24 * 60)) * MINUTE
        busy.append(Interval(origin + offset, origin + offset + draw(st.integers(1, 240)) * MINUTE))
    rules = SlotRules(
        duration=draw(st.integers(5, 120)) * MINUTE,
        buffer_before=draw(st.integers(0, 30)) * MINUTE,
        buffer_after=draw(st.integers(0, 30)) * MINUTE,
        min_notice=draw(st.integers(0, 48)) * HOUR,
        step=draw(st.none() | st.integers(5, 60).map(lambda m: m * MINUTE)),
    )
    now = origin + draw(st.integers(-24, 7 * 24)) * HOUR
    return tz, first, blocks, busy, rules, now


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_slots_never_overlap_busy_time_with_buffers_and_lie_inside_open_time(scenario):
    tz, first, blocks, busy, rules, now = scenario
    window = week(tz, first)

    slots = find_slots(rules=rules, resources=[Resource(blocks, busy=busy)], tz=tz, now=now, window=window)

    open_time = open_intervals(
        weekly=blocks, tz=tz, first_day=first - timedelta(days=1), last_day=first + timedelta(days=8)
    )
    for slot in slots:
        assert slot.end - slot.start == rules.duration
        assert any(iv.contains(slot.interval) for iv in open_time)
        assert not any(slot.blocked.overlaps(b) for b in busy)
        assert slot.blocked == Interval(slot.start - rules.buffer_before, slot.end + rules.buffer_after)
        assert slot.start >= now + rules.min_notice
        assert window.start <= slot.start < window.end
    assert slots == sorted(slots, key=lambda s: s.start)


# --- property: interval arithmetic agrees with a minute-by-minute model --------------------------------

ORIGIN = datetime(2026, 2, 2, tzinfo=UTC)
minute_intervals = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 60)).map(
        lambda t: Interval(ORIGIN + t[0] * MINUTE, ORIGIN + (t[0] + t[1]) * MINUTE)
    ),
    max_size=8,
)


def minutes(intervals) -> set[int]:
    return {m for iv in intervals for m in range((iv.start - ORIGIN) // MINUTE, (iv.end - ORIGIN) // MINUTE)}


def depth(intervals, m: int) -> int:
    return sum(1 for iv in intervals if iv.start <= ORIGIN + m * MINUTE < iv.end)


@given(minute_intervals, minute_intervals, st.integers(1, 3))
def test_interval_arithmetic_matches_counting_minutes(a, b, capacity):
    assert minutes(subtract(a, b)) == minutes(a) - minutes(b)
    assert minutes(intersect(a, b)) == minutes(a) & minutes(b)
    assert minutes(full_time(a, capacity)) == {m for m in range(400) if depth(a, m) >= capacity}
    for result in (subtract(a, b), intersect(a, b), full_time(a, capacity)):
        assert all(x.end < y.start for x, y in zip(result, result[1:], strict=False))  # merged and sorted


def test_one_search_keeps_each_practitioners_own_hours_and_closures_apart():
    # given three practitioners searched together: two with the same hours, one closed on Tuesday
    memo: dict = {}
    morning = Resource(weekdays(time(9), time(13)))
    same = Resource(weekdays(time(9), time(13)))
    closed_tuesday = Resource(
        weekdays(time(9), time(13)),
        exceptions=[DateException(MONDAY + timedelta(days=1), ExceptionKind.CLOSED)],
    )
    afternoon = Resource(weekdays(time(15), time(17)))

    def one(resource):
        return find_slots(
            rules=SlotRules(duration=HOUR),
            resources=[resource],
            tz=MADRID,
            now=LONG_AGO,
            window=week(),
            open_memo=memo,
        )

    # then each gets the slots its own hours give, as when searched alone
    for resource in (morning, afternoon, same, closed_tuesday, morning):
        assert one(resource) == search(resource)
    assert "Tue 09:00" not in starts(one(closed_tuesday)) and "Tue 09:00" in starts(one(same))
    assert starts(one(afternoon))[:2] == ["Mon 15:00", "Mon 16:00"]
    assert len(memo) == 3  # worked out once per distinct set of hours and exceptions
