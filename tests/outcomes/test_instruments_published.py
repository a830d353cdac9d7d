"""Each instrument against its published form: the minimum, the maximum and a worked example.

Where each value was checked is written per instrument in docs/instruments.md ("Checked against"). The worked
examples apply the published scoring rule to a set of answers written here; none of the sources that could be
read prints a worked case of its own, and docs/instruments.md says so.
"""

import pytest

from exoclinic.outcomes.instruments import get_instrument
from exoclinic.outcomes.instruments.spasticity import MAS_GRADES

# SCIM III: the allowed scores of each item as printed on the form.
SCIM_ALLOWED = {
    "feeding": {0, 1, 2, 3},
    "bathing_upper": {0, 1, 2, 3},
    "bathing_lower": {0, 1, 2, 3},
    "dressing_upper": {0, 1, 2, 3, 4},
    "dressing_lower": {0, 1, 2, 3, 4},
    "grooming": {0, 1, 2, 3},
    "respiration": {0, 2, 4, 6, 8, 10},
    "bladder": {0, 3, 6, 9, 11, 13, 15},
    "bowel": {0, 5, 8, 10},
    "toilet": {0, 1, 2, 4, 5},
    "bed_mobility": {0, 2, 4, 6},
    "transfer_bed_wheelchair": {0, 1, 2},
    "transfer_wheelchair_toilet": {0, 1, 2},
    "mobility_indoors": set(range(9)),
    "mobility_moderate": set(range(9)),
    "mobility_outdoors": set(range(9)),
    "stairs": {0, 1, 2, 3},
    "transfer_wheelchair_car": {0, 1, 2},
    "transfer_ground_wheelchair": {0, 1},
}
SCIM_SUBSCALE_ITEMS = {"self_care": 6, "respiration_sphincter": 4, "mobility": 9}  # NINDS CDE: 6, 4 and 9


def test_scim3_items_take_exactly_the_published_scores_and_subscales_run_0_20_0_40_0_40():
    scim = get_instrument("scim3")
    assert {item.key: {c.value for c in item.choices} for item in scim.items} == SCIM_ALLOWED
    assert {s: sum(1 for i in scim.items if i.subscale == s) for s in SCIM_SUBSCALE_ITEMS} == (
        SCIM_SUBSCALE_ITEMS
    )
    lowest = scim.score({key: min(values) for key, values in SCIM_ALLOWED.items()})
    highest = scim.score({key: max(values) for key, values in SCIM_ALLOWED.items()})
    assert lowest.values == {"total": 0, "self_care": 0, "respiration_sphincter": 0, "mobility": 0}
    assert highest.values == {"total": 100, "self_care": 20, "respiration_sphincter": 40, "mobility": 40}


def test_scim3_worked_example_a_manual_wheelchair_user_with_self_catheterisation():
    items = {
        "feeding": 3,
        "bathing_upper": 2,
        "bathing_lower": 1,
        "dressing_upper": 3,
        "dressing_lower": 1,
        "grooming": 3,  # self-care 13
        "respiration": 10,
        "bladder": 11,
        "bowel": 8,
        "toilet": 4,  # respiration and sphincter 33
        "bed_mobility": 4,
        "transfer_bed_wheelchair": 1,
        "transfer_wheelchair_toilet": 1,
        "mobility_indoors": 2,
        "mobility_moderate": 2,
        "mobility_outdoors": 1,
        "stairs": 0,
        "transfer_wheelchair_car": 1,
        "transfer_ground_wheelchair": 0,  # mobility 12
    }
    score = get_instrument("scim3").score(items)
    assert score.values == {"total": 58, "self_care": 13, "respiration_sphincter": 33, "mobility": 12}


# NBD: each item's highest weight as the NINDS CDE page and Krogh's item list give them.
NBD_ITEM_MAXIMA = {
    "defecation_frequency": 6,
    "defecation_time": 7,
    "uneasiness": 2,
    "tablets": 2,
    "drops": 2,
    "digital_stimulation": 6,
    "faecal_incontinence": 13,
    "incontinence_medication": 4,
    "flatus_incontinence": 2,
    "perianal_skin": 3,
}


def test_nbd_items_have_the_published_maxima_and_the_total_runs_0_to_47():
    nbd = get_instrument("nbd")
    assert {item.key: max(c.value for c in item.choices) for item in nbd.items} == NBD_ITEM_MAXIMA
    assert all(min(c.value for c in item.choices) == 0 for item in nbd.items)
    assert nbd.score(dict.fromkeys(NBD_ITEM_MAXIMA, 0)).total == 0
    top = nbd.score(NBD_ITEM_MAXIMA)
    assert top.total == 47 and top.band == "severe"


@pytest.mark.parametrize(
    ("total_items", "band"),
    [
        ({"defecation_frequency": 6}, "very_minor"),  # 6
        ({"defecation_time": 7}, "minor"),  # 7
        ({"defecation_time": 7, "uneasiness": 2}, "minor"),  # 9
        ({"defecation_time": 7, "tablets": 2, "flatus_incontinence": 2}, "moderate"),  # 11
        ({"digital_stimulation": 6, "defecation_time": 7}, "moderate"),  # 13
        ({"digital_stimulation": 6, "defecation_time": 7, "defecation_frequency": 1}, "severe"),  # 14
    ],
)
def test_nbd_worked_examples_fall_in_the_published_bands(total_items, band):
    items = {**dict.fromkeys(NBD_ITEM_MAXIMA, 0), **total_items}
    assert get_instrument("nbd").score(items).band == band


def test_penn_frequency_runs_0_to_4_and_severity_1_to_3_only_with_spasms():
    penn = get_instrument("penn")
    assert [c.value for c in penn.items[0].choices] == [0, 1, 2, 3, 4]
    assert [c.value for c in penn.items[1].choices] == [1, 2, 3]
    assert penn.score({"frequency": 0}).values == {"frequency": 0, "severity": None}
    assert penn.score({"frequency": 4, "severity": 3}).values == {"frequency": 4, "severity": 3}
    # Worked example: spontaneous spasms more than once an hour (3), of moderate severity (2).
    assert penn.score({"frequency": 3, "severity": 2}).values == {"frequency": 3, "severity": 2}


def test_mas_has_the_six_published_grades_with_1_plus_between_1_and_2():
    assert [c.value for c in MAS_GRADES] == ["0", "1", "1+", "2", "3", "4"]
    assert [c.points for c in MAS_GRADES] == [0, 1, 2, 3, 4, 5]
    mas = get_instrument("mas")
    assert mas.score({"elbow_flexors_right": "0"}).values["elbow_flexors_right"] == 0
    assert mas.score({"elbow_flexors_right": "4"}).values["elbow_flexors_right"] == 5
    # Worked example: right elbow flexors 1+ and left 2 are coded 2 and 3 for analysis.
    both = mas.score({"elbow_flexors_right": "1+", "elbow_flexors_left": "2"}).values
    assert both["elbow_flexors_right"] == 2 and both["elbow_flexors_left"] == 3


def test_psqi_seven_components_0_to_3_give_a_global_score_0_to_21_and_above_5_is_poor():
    sleep = get_instrument("sleep")
    components = [
        k for k in (item.key for item in sleep.items) if k.startswith("psqi_") and k != "psqi_global"
    ]
    assert len(components) == 7
    assert sleep.score({"quality": 5, **dict.fromkeys(components, 0)}).values["psqi_global"] == 0
    assert sleep.score({"quality": 5, **dict.fromkeys(components, 3)}).values["psqi_global"] == 21
    # Worked example: components 1, 1, 1, 1, 1, 0, 0 sum to 5, not poor; one more point is poor (> 5).
    five = dict(zip(components, [1, 1, 1, 1, 1, 0, 0], strict=True))
    assert sleep.score({"quality": 5, **five}).band != "poor_sleep"
    six = {**five, components[-1]: 1}
    assert sleep.score({"quality": 5, **six}).band == "poor_sleep"


def test_fss_nine_items_1_to_7_are_averaged_so_the_score_runs_1_to_7():
    fss = get_instrument("fss")
    assert len(fss.items) == 9
    assert all([c.value for c in item.choices] == list(range(1, 8)) for item in fss.items)
    assert fss.score({f"item{i}": 1 for i in range(1, 10)}).total == 1
    assert fss.score({f"item{i}": 7 for i in range(1, 10)}).total == 7
    # Worked example: answers summing to 45 give a mean of 5.0, at least 4: substantial fatigue.
    answers = [5, 6, 4, 5, 5, 6, 4, 5, 5]
    score = fss.score({f"item{i}": v for i, v in enumerate(answers, 1)})
    assert score.total == pytest.approx(5.0) and score.band == "substantial_fatigue"
