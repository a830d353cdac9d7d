import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exoclinic.outcomes.change import (
    NATURAL_RECOVERY_NOTE,
    ChangeCategory,
    ChangeDirection,
    baseline_within_natural_recovery_window,
    evaluate_change,
    months_since_injury,
    natural_recovery_note,
)
from exoclinic.outcomes.instruments import INSTRUMENTS, MeasureKind, ScoringError, get_measure, mas_grade_rule

# ---- SCIM III: 4 points small, 10 substantial (Scivoletto 2013) -----------------------------------------


def test_scim_gain_of_ten_is_substantial():
    result = evaluate_change("scim3.total", 40, 52)
    assert result.change == 12
    assert result.direction is ChangeDirection.IMPROVED
    assert result.category is ChangeCategory.SUBSTANTIAL
    assert result.source == "Scivoletto 2013"
    assert result.plain_words == (
        "SCIM III total went up by 12 points, from 40 to 52, reaching the 10-point substantial change "
        "(Scivoletto 2013)."
    )


@pytest.mark.parametrize(
    ("follow_up", "category"),
    [(43, ChangeCategory.BELOW_THRESHOLD), (44, ChangeCategory.BEYOND_THRESHOLD),
     (49, ChangeCategory.BEYOND_THRESHOLD), (50, ChangeCategory.SUBSTANTIAL)],
)  # fmt: skip
def test_scim_thresholds_count_from_the_threshold_itself(follow_up, category):
    assert evaluate_change("scim3.total", 40, follow_up).category is category


def test_scim_small_change_says_it_is_not_substantial():
    words = evaluate_change("scim3.total", 40, 45).plain_words
    assert "reaching the 4-point small meaningful change but not the 10-point substantial change" in words


def test_scim_loss_is_a_worsening_measured_by_the_same_threshold():
    result = evaluate_change("scim3.total", 60, 55)
    assert result.direction is ChangeDirection.WORSENED
    assert result.category is ChangeCategory.BEYOND_THRESHOLD
    assert result.plain_words.startswith("SCIM III total went down by 5 points, from 60 to 55")


def test_scim_subscales_have_no_established_threshold():
    result = evaluate_change("scim3.mobility", 10, 14)
    assert result.category is ChangeCategory.NO_THRESHOLD
    assert result.plain_words.endswith("no established threshold: raw change shown.")
    assert result.source is None


def test_unchanged_value_says_so():
    result = evaluate_change("scim3.total", 40, 40)
    assert result.direction is ChangeDirection.NO_CHANGE
    assert result.change == 0
    assert result.plain_words == "SCIM III total did not change (40 at baseline and at follow-up)."


# ---- Pain: 2 points or 30% (Farrar 2001); 1.8 points or 36% in SCI (Hanley 2006) ------------------------


def test_lower_pain_is_an_improvement_reaching_farrar():
    result = evaluate_change("pain.average", 7, 4)
    assert result.change == -3
    assert result.percent_change == pytest.approx(-42.9)
    assert result.direction is ChangeDirection.IMPROVED
    assert result.category is ChangeCategory.BEYOND_THRESHOLD
    assert result.plain_words == (
        "Average pain went down by 3 points (42.9%), from 7 to 4, reaching the 2-point or 30% change that "
        "patients notice (Farrar 2001)."
    )


def test_pain_relief_of_thirty_percent_counts_even_under_two_points():
    result = evaluate_change("pain.average", 3, 2)
    assert result.percent_change == pytest.approx(-33.3)
    assert result.category is ChangeCategory.BEYOND_THRESHOLD


def test_small_pain_relief_is_below_the_threshold():
    result = evaluate_change("pain.average", 8, 7)  # 1 point, 12.5%
    assert result.category is ChangeCategory.BELOW_THRESHOLD
    assert "less than the 2-point or 30% change" in result.plain_words


def test_pain_increase_is_judged_on_points_only():
    one_up = evaluate_change("pain.average", 2, 3)  # +50%, but the percentage criterion is for relief
    assert one_up.direction is ChangeDirection.WORSENED
    assert one_up.category is ChangeCategory.BELOW_THRESHOLD
    assert one_up.plain_words == (
        "Average pain went up by 1 point, from 2 to 3, less than the 2-point change that patients notice "
        "(Farrar 2001)."
    )
    assert evaluate_change("pain.average", 2, 5).category is ChangeCategory.BEYOND_THRESHOLD


def test_sci_specific_pain_rule_can_be_chosen():
    result = evaluate_change("pain.average", 10, 8, rule="hanley2006")  # 2 points, 20%
    assert result.category is ChangeCategory.BEYOND_THRESHOLD
    assert result.source == "Hanley 2006"
    assert (
        evaluate_change("pain.average", 10, 9, rule="hanley2006").category is ChangeCategory.BELOW_THRESHOLD
    )
    assert (
        evaluate_change("pain.average", 5, 3, rule="hanley2006").category is ChangeCategory.BEYOND_THRESHOLD
    )
    # 11 -> 7 would be 36.4%, but from 10: 3 points is 30%, under 36% yet over 1.8 points
    assert (
        evaluate_change("pain.average", 10, 7, rule="hanley2006").category is ChangeCategory.BEYOND_THRESHOLD
    )


def test_pain_from_zero_has_no_percentage():
    result = evaluate_change("pain.average", 0, 1)
    assert result.percent_change is None
    assert result.category is ChangeCategory.BELOW_THRESHOLD


def test_unknown_rule_is_refused():
    with pytest.raises(ScoringError) as caught:
        evaluate_change("pain.average", 5, 3, rule="made_up_2020")
    assert caught.value.field == "rule"


def test_pain_interference_has_no_established_threshold():
    assert evaluate_change("pain.interference_sleep", 8, 2).category is ChangeCategory.NO_THRESHOLD


# ---- ISNCSCI noise floor (Marino 2008) and motor levels (Kramer 2012) -----------------------------------


def test_motor_change_under_two_points_is_noise():
    result = evaluate_change("isncsci.lems", 10, 11, injury_complete=True)
    assert result.category is ChangeCategory.WITHIN_NOISE
    assert "may be measurement noise" in result.plain_words
    assert "Marino 2008" in result.plain_words


def test_motor_change_of_two_points_in_a_complete_injury_is_beyond_noise():
    result = evaluate_change("isncsci.uems", 10, 12, injury_complete=True)
    assert result.category is ChangeCategory.BEYOND_NOISE
    assert result.plain_words == (
        "Upper-extremity motor score went up by 2 points, from 10 to 12, at least the 2-point test-retest "
        "noise in complete injuries (Marino 2008, J Spinal Cord Med 31)."
    )


def test_motor_change_in_an_incomplete_injury_may_still_be_noise():
    result = evaluate_change("isncsci.total_motor", 40, 45, injury_complete=False)
    assert result.category is ChangeCategory.POSSIBLY_NOISE
    assert "the noise is larger in incomplete injuries" in result.plain_words
    assert evaluate_change("isncsci.total_motor", 40, 41, injury_complete=False).category is (
        ChangeCategory.WITHIN_NOISE
    )


def test_motor_change_with_unknown_completeness_says_it_was_not_given():
    result = evaluate_change("isncsci.total_motor", 40, 45)
    assert result.category is ChangeCategory.POSSIBLY_NOISE
    assert "completeness of the injury was not given" in result.plain_words


@pytest.mark.parametrize(
    ("follow_up", "category"), [(46, ChangeCategory.WITHIN_NOISE), (47, ChangeCategory.BEYOND_NOISE)]
)
def test_sensory_noise_floor_is_seven_points(follow_up, category):
    assert evaluate_change("isncsci.pp_total", 40, follow_up, injury_complete=True).category is category


def test_motor_level_two_segments_down_relates_to_self_care():
    result = evaluate_change("isncsci.motor_level_right", "C5", "C7")
    assert result.change == 2
    assert result.direction is ChangeDirection.IMPROVED
    assert result.category is ChangeCategory.BEYOND_THRESHOLD
    assert result.plain_words == (
        "Right motor level moved 2 levels down the spine, from C5 to C7, reaching the 2-level change that "
        "relates to a meaningful self-care gain (Kramer 2012)."
    )
    assert evaluate_change("isncsci.motor_level_left", "C8", "T1").category is ChangeCategory.BELOW_THRESHOLD


def test_level_moving_up_the_spine_is_a_worsening():
    result = evaluate_change("isncsci.nli", "c6", "C5")
    assert result.direction is ChangeDirection.WORSENED
    assert result.change == -1
    assert "up the spine (a loss), from C6 to C5" in result.plain_words


def test_motor_level_worsening_of_two_levels_reads_as_a_loss_not_a_gain():
    result = evaluate_change("isncsci.motor_level_right", "C7", "C5")
    assert result.direction is ChangeDirection.WORSENED
    assert result.category is ChangeCategory.BEYOND_THRESHOLD
    assert result.plain_words == (
        "Right motor level moved 2 levels up the spine (a loss), from C7 to C5, reaching the 2-level change "
        "linked to self-care (Kramer 2012)."
    )
    assert "gain" not in result.plain_words


def test_levels_count_across_regions_and_to_intact():
    assert evaluate_change("isncsci.sensory_level_left", "C8", "T1").change == 1
    assert evaluate_change("isncsci.sensory_level_left", "T12", "L1").change == 1
    assert evaluate_change("isncsci.sensory_level_left", "S3", "S4-5").change == 1
    assert evaluate_change("isncsci.sensory_level_left", "S4_5", "INT").change == 1


def test_starred_values_are_compared_by_position_and_the_star_is_explained():
    result = evaluate_change("isncsci.motor_level_left", "C6*", "C8")
    assert result.change == 2
    assert result.baseline == "C6*"
    assert result.plain_words.endswith(
        "A * marks a value affected by a condition other than the spinal cord injury."
    )
    assert evaluate_change("isncsci.ais", "C*", "D").direction is ChangeDirection.IMPROVED
    assert "A * marks" not in evaluate_change("isncsci.ais", "C", "D").plain_words


def test_ais_grade_change_is_shown_raw():
    result = evaluate_change("isncsci.ais", "A", "C")
    assert result.change == 2
    assert result.direction is ChangeDirection.IMPROVED
    assert result.category is ChangeCategory.NO_THRESHOLD
    assert result.plain_words == (
        "AIS grade changed from A to C (2 grades better); no established threshold: raw change shown."
    )
    assert evaluate_change("isncsci.ais", "D", "C").direction is ChangeDirection.WORSENED


@pytest.mark.parametrize(
    ("measure", "baseline", "follow_up", "reason"),
    [("isncsci.nli", "C5,C6", "C7", "the baseline value is ambiguous (C5,C6)"),
     ("isncsci.ais", "B", "C,D", "the follow-up value is ambiguous (C,D)"),
     ("isncsci.lems", "ND", 4, "the baseline value is not determinable (ND)"),
     ("scim3.total", None, 40, "no baseline value"),
     ("pain.average", 5, "", "no follow-up value")],
)  # fmt: skip
def test_missing_ambiguous_or_undetermined_values_are_not_compared(measure, baseline, follow_up, reason):
    result = evaluate_change(measure, baseline, follow_up)
    assert result.category is ChangeCategory.NOT_COMPARABLE
    assert result.change is None
    assert result.direction is None
    assert reason in result.plain_words


@pytest.mark.parametrize(
    ("measure", "baseline", "follow_up", "field"),
    [("scim3.total", 101, 40, "baseline"), ("pain.average", 5, -1, "follow_up"),
     ("pain.average", "5", 3, "baseline"), ("isncsci.ais", "A", "F", "follow_up"),
     ("isncsci.nli", "C5", 7, "follow_up"), ("grip.left_kg", True, 3, "baseline")],
)  # fmt: skip
def test_values_the_measure_cannot_take_are_refused(measure, baseline, follow_up, field):
    with pytest.raises(ScoringError) as caught:
        evaluate_change(measure, baseline, follow_up)
    assert caught.value.field == field


# ---- Grip (95% repeat difference 3.5 kg) ------------------------------------------------------------------


def test_grip_change_at_the_repeat_difference_is_beyond_noise_despite_float_rounding():
    result = evaluate_change("grip.right_kg", 8.8, 12.3)  # 3.5000000000000018 in floating point
    assert result.change == 3.5
    assert result.category is ChangeCategory.BEYOND_NOISE
    assert result.plain_words.startswith("Right grip strength went up by 3.5 kg, from 8.8 to 12.3")


def test_grip_change_under_the_repeat_difference_may_be_noise():
    result = evaluate_change("grip.left_kg", 20.0, 17.0)
    assert result.direction is ChangeDirection.WORSENED
    assert result.category is ChangeCategory.WITHIN_NOISE


# ---- MAS: one grade is an unconfirmed default -----------------------------------------------------------


def test_mas_one_grade_default_is_marked_unconfirmed():
    result = evaluate_change("mas.max", 3, 2)
    assert result.direction is ChangeDirection.IMPROVED
    assert result.category is ChangeCategory.BEYOND_THRESHOLD
    assert result.threshold == 1
    assert result.threshold_confirmed is False
    assert "unconfirmed" in result.plain_words
    assert "no established threshold" in result.plain_words


def test_mas_threshold_follows_the_clinic_setting():
    result = evaluate_change("mas.knee_extensors_left", 3, 2, rule=mas_grade_rule(2))
    assert result.category is ChangeCategory.BELOW_THRESHOLD
    assert result.threshold == 2
    assert "2-grade change" in result.plain_words
    with pytest.raises(ValueError):
        mas_grade_rule(0)


def test_mas_sum_has_no_threshold():
    assert evaluate_change("mas.sum", 12, 8).category is ChangeCategory.NO_THRESHOLD


# ---- Instruments without established thresholds --------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "baseline", "follow_up", "direction"),
    [("nbd.total", 12, 9, ChangeDirection.IMPROVED), ("fss.mean", 4.0, 5.0, ChangeDirection.WORSENED),
     ("sleep.psqi_global", 9, 6, ChangeDirection.IMPROVED), ("sleep.quality", 4, 7, ChangeDirection.IMPROVED),
     ("penn.frequency", 3, 1, ChangeDirection.IMPROVED), ("penn.severity", 1, 3, ChangeDirection.WORSENED)],
)  # fmt: skip
def test_no_established_threshold_shows_the_raw_change(measure, baseline, follow_up, direction):
    result = evaluate_change(measure, baseline, follow_up)
    assert result.category is ChangeCategory.NO_THRESHOLD
    assert result.direction is direction
    assert result.plain_words.endswith("; no established threshold: raw change shown.")


def test_fss_fractions_are_shown_with_two_decimals():
    words = evaluate_change("fss.mean", 40 / 9, 4.0).plain_words
    assert words.startswith("Fatigue Severity Scale went down by 0.44 points, from 4.44 to 4;")


# ---- Properties over every numeric measure ----------------------------------------------------------------

SCORE_MEASURES = [
    measure
    for definition in INSTRUMENTS.values()
    for measure in (*definition.measures, *((definition.item_measure,) if definition.item_measure else ()))
    if measure.kind is MeasureKind.SCORE
]
FORBIDDEN = (
    "because",
    "due to",
    "thanks",
    "treatment",
    "therapy",
    "caused",
    "exosome",
    "result of",
    "effect",
)


@st.composite
def measure_and_values(draw):
    measure = draw(st.sampled_from(SCORE_MEASURES))
    low, high = int(measure.minimum), int(measure.maximum)
    return (
        measure,
        draw(st.integers(low, high)),
        draw(st.integers(low, high)),
        draw(st.sampled_from([None, 1, 0])),
    )


@given(measure_and_values())
def test_plain_words_describe_the_change_and_never_its_cause(case):
    measure, baseline, follow_up, complete = case
    injury_complete = None if complete is None else bool(complete)
    result = evaluate_change(measure, baseline, follow_up, injury_complete=injury_complete)
    lowered = result.plain_words.lower()
    assert not any(word in lowered for word in FORBIDDEN)
    assert result.plain_words[0].isupper() and result.plain_words.endswith(".")
    assert result.change == follow_up - baseline
    if follow_up == baseline:
        assert result.direction is ChangeDirection.NO_CHANGE
    else:
        better = (follow_up > baseline) == measure.higher_is_better
        assert result.direction is (ChangeDirection.IMPROVED if better else ChangeDirection.WORSENED)
    if not measure.rules:
        assert result.category is ChangeCategory.NO_THRESHOLD
    elif follow_up != baseline:
        assert result.source in result.plain_words or not result.threshold_confirmed


@given(st.integers(0, 100), st.integers(0, 100))
def test_swapping_baseline_and_follow_up_flips_the_direction_only(baseline, follow_up):
    forward = evaluate_change("scim3.total", baseline, follow_up)
    backward = evaluate_change("scim3.total", follow_up, baseline)
    assert forward.change == -backward.change
    assert forward.category is backward.category
    if baseline != follow_up:
        assert forward.direction is not backward.direction


# ---- Natural recovery window (clinical facts §3) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("injury", "baseline", "within"),
    [(dt.date(2025, 1, 15), dt.date(2025, 1, 15), True), (dt.date(2025, 1, 15), dt.date(2025, 6, 1), True),
     (dt.date(2025, 1, 15), dt.date(2026, 1, 14), True), (dt.date(2025, 1, 15), dt.date(2026, 1, 15), False),
     (dt.date(2024, 2, 29), dt.date(2025, 2, 27), True), (dt.date(2024, 2, 29), dt.date(2025, 2, 28), False),
     (dt.date(2020, 3, 1), dt.date(2025, 3, 1), False)],
)  # fmt: skip
def test_baseline_within_twelve_months_of_injury_is_flagged(injury, baseline, within):
    assert baseline_within_natural_recovery_window(injury, baseline) is within
    assert (natural_recovery_note(injury, baseline) == NATURAL_RECOVERY_NOTE) is within


def test_natural_recovery_note_explains_why_gains_cannot_be_credited():
    assert "Kirshblum 2021" in NATURAL_RECOVERY_NOTE
    assert "cannot be credited to a therapy" in NATURAL_RECOVERY_NOTE
    assert natural_recovery_note(dt.date(2020, 1, 1), dt.date(2024, 1, 1)) is None


def test_baseline_before_injury_is_refused_and_datetimes_are_accepted():
    with pytest.raises(ScoringError) as caught:
        baseline_within_natural_recovery_window(dt.date(2025, 5, 1), dt.date(2025, 4, 30))
    assert caught.value.field == "baseline_date"
    moment = dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.UTC)
    assert baseline_within_natural_recovery_window(dt.date(2025, 1, 1), moment) is True


@pytest.mark.parametrize(
    ("injury", "on", "months"),
    [(dt.date(2025, 1, 31), dt.date(2025, 2, 27), 0), (dt.date(2025, 1, 31), dt.date(2025, 2, 28), 1),
     (dt.date(2025, 1, 15), dt.date(2026, 1, 14), 11), (dt.date(2025, 1, 15), dt.date(2026, 1, 15), 12)],
)  # fmt: skip
def test_months_since_injury_counts_whole_calendar_months(injury, on, months):
    assert months_since_injury(injury, on) == months


def test_measure_objects_and_codes_are_interchangeable():
    by_code = evaluate_change("nbd.total", 20, 14)
    by_object = evaluate_change(get_measure("nbd.total"), 20, 14)
    assert by_code == by_object
