import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from exoclinic.core.errors import InvalidInput
from exoclinic.outcomes.instruments import (
    INSTRUMENTS,
    Indicator,
    ScoringError,
    ThresholdKind,
    get_instrument,
    get_measure,
    instruments_for,
)
from exoclinic.outcomes.instruments.bowel import nbd_band

SRC = Path(__file__).resolve().parents[2] / "src"

SCIM_EXAMPLE = {
    # self-care 2+1+0+2+1+2 = 8
    "feeding": 2,
    "bathing_upper": 1,
    "bathing_lower": 0,
    "dressing_upper": 2,
    "dressing_lower": 1,
    "grooming": 2,
    # respiration and sphincter 10+11+5+2 = 28
    "respiration": 10,
    "bladder": 11,
    "bowel": 5,
    "toilet": 2,
    # mobility 4+1+1+2+2+1+0+1+0 = 12
    "bed_mobility": 4,
    "transfer_bed_wheelchair": 1,
    "transfer_wheelchair_toilet": 1,
    "mobility_indoors": 2,
    "mobility_moderate": 2,
    "mobility_outdoors": 1,
    "stairs": 0,
    "transfer_wheelchair_car": 1,
    "transfer_ground_wheelchair": 0,
}


def refusal(instrument: str, items: dict) -> ScoringError:
    with pytest.raises(ScoringError) as caught:
        get_instrument(instrument).score(items)
    return caught.value


# ---- registry and definitions ----------------------------------------------------------------------------


def test_registry_holds_every_instrument_by_code():
    assert set(INSTRUMENTS) == {
        "scim3",
        "isncsci",
        "mas",
        "penn",
        "sciset",
        "nbd",
        "nbss",
        "nbss_sf",
        "pain",
        "sleep",
        "fss",
        "grip",
    }
    for code, definition in INSTRUMENTS.items():
        assert get_instrument(code) is definition
        assert definition.code == code


def test_unknown_instrument_is_refused_naming_the_field():
    with pytest.raises(ScoringError) as caught:
        get_instrument("barthel")
    assert caught.value.field == "instrument"
    assert "barthel" in caught.value.message


def test_every_indicator_has_an_instrument():
    for indicator in Indicator:
        assert instruments_for(indicator), indicator


def test_each_definition_states_range_direction_and_source():
    for definition in INSTRUMENTS.values():
        assert definition.name and definition.source
        assert isinstance(definition.indicator, Indicator)
        for measure in definition.measures:
            assert measure.code.startswith(definition.code + ".")
            for rule in measure.rules:
                assert rule.source and rule.description and rule.points > 0


def test_thresholds_are_only_those_of_the_clinical_facts():
    rules = {
        (measure.code, rule.code, rule.points, rule.percent, rule.substantial_points, rule.confirmed)
        for definition in INSTRUMENTS.values()
        for measure in definition.measures
        for rule in measure.rules
    }
    assert rules == {
        ("scim3.total", "scivoletto2013", 4, None, 10, True),
        ("pain.average", "farrar2001", 2, 30, None, True),
        ("pain.average", "hanley2006", 1.8, 36, None, True),
        ("isncsci.total_motor", "marino2008_motor", 2, None, None, True),
        ("isncsci.uems", "marino2008_motor", 2, None, None, True),
        ("isncsci.lems", "marino2008_motor", 2, None, None, True),
        ("isncsci.lt_total", "marino2008_sensory", 7, None, None, True),
        ("isncsci.pp_total", "marino2008_sensory", 7, None, None, True),
        ("isncsci.motor_level_right", "kramer2012", 2, None, None, True),
        ("isncsci.motor_level_left", "kramer2012", 2, None, None, True),
        ("grip.right_kg", "grip_repeat_difference", 3.5, None, None, True),
        ("grip.left_kg", "grip_repeat_difference", 3.5, None, None, True),
        ("mas.max", "mas_grade", 1, None, None, False),
        ("sciset.score", "sciset_mdc", 0.82, None, None, True),
    }
    assert get_measure("mas.knee_extensors_left").rules[0].confirmed is False


def test_noise_floors_are_marked_as_noise_not_as_meaningful_change():
    assert get_measure("isncsci.lems").rules[0].kind is ThresholdKind.NOISE_FLOOR
    assert get_measure("isncsci.lems").rules[0].complete_injury_only
    assert get_measure("grip.left_kg").rules[0].kind is ThresholdKind.NOISE_FLOOR
    assert get_measure("scim3.total").rules[0].kind is ThresholdKind.MEANINGFUL_CHANGE


def test_directions_say_lower_pain_spasticity_bowel_score_and_fatigue_are_better():
    assert get_instrument("scim3").higher_is_better
    assert get_instrument("grip").higher_is_better
    assert get_measure("sleep.quality").higher_is_better
    for lower_better in (
        "pain.average",
        "mas.max",
        "penn.frequency",
        "nbd.total",
        "fss.mean",
        "sleep.psqi_global",
    ):
        assert not get_measure(lower_better).higher_is_better, lower_better


def test_unknown_measure_is_refused():
    with pytest.raises(ScoringError) as caught:
        get_measure("scim3.bogus")
    assert caught.value.field == "measure"


def test_scoring_error_is_a_domain_input_error_with_every_problem_listed():
    error = refusal("scim3", {**SCIM_EXAMPLE, "bladder": 7, "feeding": 9})
    assert isinstance(error, InvalidInput)
    body = error.as_dict()
    assert body["code"] == "invalid_score"
    assert body["field"] == "feeding"
    assert {problem["field"] for problem in body["errors"]} == {"feeding", "bladder"}


def test_instrument_modules_import_no_django():
    code = (
        "import sys, exoclinic.outcomes.instruments, exoclinic.outcomes.change, exoclinic.outcomes.stats;"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


# ---- SCIM III ---------------------------------------------------------------------------------------------


def test_scim_has_19_items_in_three_subscales_summing_to_20_40_40():
    scim = get_instrument("scim3")
    assert len(scim.items) == 19
    maxima = {}
    for item in scim.items:
        maxima[item.subscale] = maxima.get(item.subscale, 0) + item.max_points
    assert maxima == {"self_care": 20, "respiration_sphincter": 40, "mobility": 40}
    assert scim.score_range == (0, 100)


def test_scim_items_take_the_published_non_contiguous_values():
    scim = get_instrument("scim3")

    def values(key):
        return [choice.value for choice in scim.item(key).choices]

    assert values("respiration") == [0, 2, 4, 6, 8, 10]
    assert values("bladder") == [0, 3, 6, 9, 11, 13, 15]
    assert values("bowel") == [0, 5, 8, 10]
    assert values("toilet") == [0, 1, 2, 4, 5]
    assert values("bed_mobility") == [0, 2, 4, 6]
    assert values("mobility_outdoors") == list(range(9))
    assert values("stairs") == [0, 1, 2, 3]
    assert values("transfer_ground_wheelchair") == [0, 1]
    assert values("dressing_lower") == [0, 1, 2, 3, 4]


def test_scim_example_is_scored_per_subscale_and_in_total():
    score = get_instrument("scim3").score(SCIM_EXAMPLE)
    assert score.values == {"total": 48, "self_care": 8, "respiration_sphincter": 28, "mobility": 12}
    assert score.total == 48
    assert score.items["bladder"] == 11


def test_scim_best_and_worst_forms_score_100_and_0():
    scim = get_instrument("scim3")
    assert scim.score({item.key: item.max_points for item in scim.items}).total == 100
    assert scim.score(dict.fromkeys(SCIM_EXAMPLE, 0)).total == 0


def test_scim_value_between_allowed_values_is_refused_with_the_allowed_list():
    error = refusal("scim3", {**SCIM_EXAMPLE, "bladder": 7})
    assert error.field == "bladder"
    assert error.message == "Bladder management takes 0, 3, 6, 9, 11, 13 or 15; got 7"


def test_scim_missing_item_is_refused():
    items = dict(SCIM_EXAMPLE)
    del items["stairs"]
    error = refusal("scim3", items)
    assert error.field == "stairs"
    assert error.message == "Stair management is required"


def test_scim_unknown_item_is_refused():
    error = refusal("scim3", {**SCIM_EXAMPLE, "swimming": 2})
    assert error.field == "swimming"
    assert "not an item" in error.message


@pytest.mark.parametrize("value", [3.5, True, "three", [3], -1])
def test_scim_non_whole_or_foreign_values_are_refused(value):
    assert refusal("scim3", {**SCIM_EXAMPLE, "feeding": value}).field == "feeding"


def test_scim_accepts_form_strings_integral_floats_and_decimals():
    score = get_instrument("scim3").score(
        {
            **SCIM_EXAMPLE,
            "feeding": " 3 ",
            "bladder": 15.0,
            "stairs": Decimal("1"),
            "grooming": Decimal("3.0"),
        }
    )
    assert score.total == 48 + 1 + 4 + 1 + 1
    assert score.items["feeding"] == 3
    assert refusal("scim3", {**SCIM_EXAMPLE, "stairs": Decimal("1.5")}).field == "stairs"


# ---- Modified Ashworth Scale ----------------------------------------------------------------------------


def test_mas_codes_one_plus_as_two_and_summarises_sum_and_max():
    score = get_instrument("mas").score(
        {
            "knee_extensors_left": "1+",  # coded 2
            "knee_extensors_right": "2",  # coded 3
            "ankle_plantar_flexors_left": 4,  # grade 4, coded 5
            "elbow_flexors_right": "0",  # coded 0
        }
    )
    assert score.values["sum"] == 10
    assert score.values["max"] == 5
    assert score.total == 5
    assert score.values["knee_extensors_left"] == 2
    assert score.items == {
        "knee_extensors_left": "1+",
        "knee_extensors_right": "2",
        "ankle_plantar_flexors_left": "4",
        "elbow_flexors_right": "0",
    }


def test_mas_grade_outside_the_scale_is_refused():
    error = refusal("mas", {"knee_flexors_left": "2+"})
    assert error.field == "knee_flexors_left"
    assert error.message == "Knee flexors, left takes 0, 1, 1+, 2, 3 or 4; got '2+'"
    assert refusal("mas", {"knee_flexors_left": 5}).field == "knee_flexors_left"


def test_mas_needs_at_least_one_assessed_group_and_known_group_names():
    assert refusal("mas", {}).field == "items"
    assert refusal("mas", {"tongue_left": "1"}).field == "tongue_left"


def test_mas_each_group_change_uses_the_group_measure():
    assert get_measure("mas.hip_adductors_right").code == "mas.group"


# ---- Penn Spasm Frequency Scale -------------------------------------------------------------------------


def test_penn_without_spasms_has_no_severity():
    score = get_instrument("penn").score({"frequency": 0})
    assert score.values == {"frequency": 0, "severity": None}


def test_penn_severity_with_frequency_zero_is_refused():
    error = refusal("penn", {"frequency": 0, "severity": 2})
    assert error.field == "severity"
    assert "no spasms" in error.message


def test_penn_severity_is_required_when_there_are_spasms():
    error = refusal("penn", {"frequency": 3})
    assert error.field == "severity"
    assert get_instrument("penn").score({"frequency": 3, "severity": 2}).values == {
        "frequency": 3,
        "severity": 2,
    }


def test_penn_out_of_range_values_are_refused():
    assert refusal("penn", {"frequency": 5, "severity": 1}).field == "frequency"
    assert refusal("penn", {"frequency": 2, "severity": 0}).field == "severity"


# ---- NBD score ------------------------------------------------------------------------------------------

NBD_EXAMPLE = {
    "defecation_frequency": 1,
    "defecation_time": 3,
    "uneasiness": 2,
    "tablets": 0,
    "drops": 0,
    "digital_stimulation": 6,
    "faecal_incontinence": 6,
    "incontinence_medication": 0,
    "flatus_incontinence": 2,
    "perianal_skin": 0,
}


def test_nbd_example_sums_the_weights_into_a_band():
    score = get_instrument("nbd").score(NBD_EXAMPLE)
    assert score.total == 1 + 3 + 2 + 6 + 6 + 2 == 20
    assert score.band == "severe"


def test_nbd_maximum_weights_sum_to_47():
    nbd = get_instrument("nbd")
    assert len(nbd.items) == 10
    score = nbd.score({item.key: item.max_points for item in nbd.items})
    assert score.total == 47
    assert nbd.score(dict.fromkeys(NBD_EXAMPLE, 0)).band == "very_minor"


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "very_minor"), (6, "very_minor"), (7, "minor"), (9, "minor"), (10, "moderate"), (13, "moderate"),
     (14, "severe"), (47, "severe")],
)  # fmt: skip
def test_nbd_bands_follow_the_published_cut_offs(total, band):
    assert nbd_band(total)[0] == band


def test_nbd_weight_that_does_not_belong_to_the_item_is_refused():
    error = refusal("nbd", {**NBD_EXAMPLE, "tablets": 3})
    assert error.message == "Regular use of tablets against constipation takes 0 or 2; got 3"
    assert refusal("nbd", {**NBD_EXAMPLE, "faecal_incontinence": 8}).field == "faecal_incontinence"


# ---- Pain -----------------------------------------------------------------------------------------------


def test_pain_nrs_with_interference_items():
    score = get_instrument("pain").score(
        {"average": 6, "interference_activities": 3, "interference_mood": 5, "interference_sleep": 7}
    )
    assert score.total == 6
    assert score.values["interference_sleep"] == 7


def test_pain_interference_is_optional_but_the_average_is_not():
    assert get_instrument("pain").score({"average": 4}).values["interference_mood"] is None
    assert refusal("pain", {"interference_mood": 4}).field == "average"


def test_pain_above_ten_is_refused():
    error = refusal("pain", {"average": 11})
    assert error.field == "average"
    assert "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 or 10; got 11" in error.message


# ---- Sleep ----------------------------------------------------------------------------------------------


def test_sleep_quality_alone_has_no_psqi_band():
    score = get_instrument("sleep").score({"quality": 7})
    assert score.total == 7
    assert score.values["psqi_global"] is None
    assert score.band is None


@pytest.mark.parametrize(("psqi", "band"), [(5, "not_poor_sleep"), (6, "poor_sleep"), (21, "poor_sleep")])
def test_psqi_above_five_is_poor_sleep(psqi, band):
    assert get_instrument("sleep").score({"psqi_global": psqi}).band == band


def test_psqi_components_are_summed_into_the_global_score():
    components = {
        "psqi_subjective_quality": 1,
        "psqi_latency": 1,
        "psqi_duration": 2,
        "psqi_efficiency": 0,
        "psqi_disturbances": 1,
        "psqi_medication": 0,
        "psqi_daytime_dysfunction": 2,
    }
    score = get_instrument("sleep").score(components)
    assert score.values["psqi_global"] == 7
    assert score.band == "poor_sleep"
    assert refusal("sleep", {**components, "psqi_global": 8}).field == "psqi_global"
    partial = dict(components)
    del partial["psqi_latency"]
    assert refusal("sleep", partial).field == "psqi_latency"


def test_sleep_needs_a_rating_and_ranges_are_enforced():
    assert refusal("sleep", {}).field == "quality"
    assert refusal("sleep", {"psqi_global": 22}).field == "psqi_global"
    assert refusal("sleep", {"quality": -1}).field == "quality"


# ---- Fatigue Severity Scale -----------------------------------------------------------------------------


def test_fss_mean_of_four_is_substantial_fatigue():
    answers = [4, 5, 3, 4, 4, 5, 4, 3, 4]  # sum 36, mean 4.0
    score = get_instrument("fss").score({f"item{i}": v for i, v in enumerate(answers, 1)})
    assert score.total == 4.0
    assert score.band == "substantial_fatigue"


def test_fss_mean_just_under_four_is_not_substantial():
    answers = [4, 4, 4, 4, 4, 4, 4, 4, 3]  # sum 35, mean 3.89
    score = get_instrument("fss").score({f"item{i}": v for i, v in enumerate(answers, 1)})
    assert score.total == pytest.approx(35 / 9)
    assert score.band == "below_substantial_fatigue"


def test_fss_items_run_from_one_to_seven_and_are_all_required():
    full = {f"item{i}": 4 for i in range(1, 10)}
    assert refusal("fss", {**full, "item3": 0}).field == "item3"
    assert refusal("fss", {**full, "item3": 8}).field == "item3"
    del full["item9"]
    assert refusal("fss", full).field == "item9"


# ---- Grip -----------------------------------------------------------------------------------------------


def test_grip_one_hand_is_enough():
    score = get_instrument("grip").score({"right_kg": 23.5})
    assert score.values == {"right_kg": 23.5, "left_kg": None}
    assert score.total is None


@pytest.mark.parametrize("value", [-1, 100.5, 350, "abc", float("nan"), float("inf")])
def test_grip_implausible_values_are_refused(value):
    error = refusal("grip", {"left_kg": value})
    assert error.field == "left_kg"
    assert "0 to 100 kg" in error.message


def test_grip_needs_at_least_one_hand():
    assert refusal("grip", {}).field == "right_kg"


# ---- ISNCSCI summary ------------------------------------------------------------------------------------

ISNCSCI_EXAMPLE = {"uems": 20, "lems": 5, "lt_total": 60, "pp_total": 48, "ais": "C", "nli": "C5"}


def test_isncsci_total_motor_is_the_sum_of_upper_and_lower():
    score = get_instrument("isncsci").score(ISNCSCI_EXAMPLE)
    assert score.total == 25
    assert score.values["lt_total"] == 60


def test_isncsci_total_that_contradicts_its_halves_is_refused():
    assert refusal("isncsci", {**ISNCSCI_EXAMPLE, "total_motor": 30}).field == "total_motor"
    assert get_instrument("isncsci").score({**ISNCSCI_EXAMPLE, "total_motor": 25}).total == 25


def test_isncsci_not_determinable_totals_and_ambiguous_levels_are_kept():
    score = get_instrument("isncsci").score({**ISNCSCI_EXAMPLE, "lems": "nd", "nli": "c6, C5", "ais": "D,C"})
    assert score.values["lems"] == "ND"
    assert score.total == "ND"
    assert score.values["nli"] == "C5,C6"
    assert score.values["ais"] == "C,D"


def test_isncsci_levels_are_normalised():
    score = get_instrument("isncsci").score(
        {**ISNCSCI_EXAMPLE, "motor_level_right": "s4-5", "sensory_level_left": "int"}
    )
    assert score.values["motor_level_right"] == "S4_5"
    assert score.values["sensory_level_left"] == "INT"


@pytest.mark.parametrize(
    ("key", "value"),
    [("uems", 51), ("uems", 20.5), ("lems", -1), ("lt_total", 113), ("pp_total", "x"), ("ais", "F"),
     ("nli", "C9"), ("motor_level_left", 5)],
)  # fmt: skip
def test_isncsci_values_outside_their_ranges_are_refused(key, value):
    assert refusal("isncsci", {**ISNCSCI_EXAMPLE, key: value}).field == key


def test_sensory_totals_track_sensation_and_motor_scores_movement():
    from exoclinic.outcomes.instruments import measures_for

    sensation = {measure.code for measure in measures_for(Indicator.SENSATION)}
    assert {"isncsci.lt_total", "isncsci.pp_total"} <= sensation
    assert "isncsci.uems" not in sensation
    assert "isncsci.uems" in {measure.code for measure in measures_for(Indicator.MOVEMENT)}


def test_isncsci_starred_values_keep_their_star():
    score = get_instrument("isncsci").score(
        {**ISNCSCI_EXAMPLE, "ais": "d*,c", "nli": "C6*,c5", "motor_level_left": "T1*"}
    )
    assert score.values["ais"] == "C,D*"
    assert score.values["nli"] == "C5,C6*"
    assert score.values["motor_level_left"] == "T1*"
    assert refusal("isncsci", {**ISNCSCI_EXAMPLE, "nli": "C5**"}).field == "nli"


CLASSIFIER_RESULT = {  # the shape the isncsci classifier writes: every value a string
    "classification": {
        "neurologicalLevels": {"sensoryRight": "C5", "sensoryLeft": "C6", "motorRight": "C5",
                               "motorLeft": "C6*"},
        "neurologicalLevelOfInjury": "C5",
        "injuryComplete": "I",
        "ASIAImpairmentScale": "C",
        "zoneOfPartialPreservations": {"sensoryRight": "NA", "sensoryLeft": "NA", "motorRight": "C7",
                                       "motorLeft": "C8"},
    },
    "totals": {"upperExtremity": "23", "lowerExtremity": "ND", "lightTouch": "58", "pinPrick": "47",
               "left": {}, "right": {}},
}  # fmt: skip


def test_classifier_result_feeds_the_instrument():
    from exoclinic.outcomes.instruments.isncsci_summary import (
        injury_complete_from_classifier_result,
        items_from_classifier_result,
    )

    score = get_instrument("isncsci").score(items_from_classifier_result(CLASSIFIER_RESULT))
    assert score.values["uems"] == 23
    assert score.values["lems"] == "ND"
    assert score.total == "ND"
    assert score.values["motor_level_left"] == "C6*"
    assert score.values["ais"] == "C"
    assert injury_complete_from_classifier_result(CLASSIFIER_RESULT) is False


@pytest.mark.parametrize(("value", "complete"), [("C", True), ("I", False), ("I*", False), ("C,I", None),
                                                 ("C*,I*", None), (None, None)])  # fmt: skip
def test_completeness_from_the_classifier_is_open_when_the_exam_leaves_it_open(value, complete):
    from exoclinic.outcomes.instruments.isncsci_summary import injury_complete_from_classifier_result

    result = {**CLASSIFIER_RESULT, "classification": {"injuryComplete": value}}
    assert injury_complete_from_classifier_result(result) is complete


def test_classifier_result_without_sections_is_refused():
    from exoclinic.outcomes.instruments.isncsci_summary import items_from_classifier_result

    with pytest.raises(ScoringError) as caught:
        items_from_classifier_result({"totals": {}})
    assert caught.value.field == "classification"
