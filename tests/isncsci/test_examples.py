"""Hand-checked exams in the style of the standard's worked examples (ISNCSCI 2019, Rupp et al. 2021).

Each exam is built as "normal down to a level, impaired below"; the expected values were worked out by
hand from the rules of the standard (clinical-facts.md §1), not taken from either implementation.
"""

from __future__ import annotations

import pytest

import isncsci
from isncsci import DERMATOMES, MOTOR_LEVELS


def sensory(normal_through: str | None = None, below: str = "0", **scores: str) -> dict[str, str]:
    """Scores 2 down to `normal_through` (all when None), `below` after it, then the given overrides."""
    table = {}
    impaired = False
    for dermatome in DERMATOMES:
        table[dermatome] = below if impaired else "2"
        if dermatome == normal_through:
            impaired = True
    table.update(scores)
    return table


def motor(normal_through: str | None = None, below: str = "0", **grades: str) -> dict[str, str]:
    table = {}
    impaired = False
    for muscle in MOTOR_LEVELS:
        table[muscle] = below if impaired else "5"
        if muscle == normal_through:
            impaired = True
    table.update(grades)
    return table


def side(
    motor_table: dict[str, str], light_touch: dict[str, str], pin_prick: dict[str, str] | None = None, **extra
):
    return {
        "motor": motor_table,
        "lightTouch": light_touch,
        "pinPrick": pin_prick or dict(light_touch),
        **extra,
    }


def exam(right: dict, left: dict | None = None, vac: str = "No", dap: str = "No") -> dict:
    return {"right": right, "left": left or right, "voluntaryAnalContraction": vac, "deepAnalPressure": dap}


def test_normal_exam_is_intact_grade_e_with_full_totals():
    normal = side(motor(), sensory())

    result = isncsci.classify(exam(normal, vac="Yes", dap="Yes"))

    assert result == {
        "classification": {
            "neurologicalLevels": {
                "sensoryRight": "INT",
                "sensoryLeft": "INT",
                "motorRight": "INT",
                "motorLeft": "INT",
            },
            "neurologicalLevelOfInjury": "INT",
            "injuryComplete": "I",
            "ASIAImpairmentScale": "E",
            "zoneOfPartialPreservations": {
                "sensoryRight": "NA",
                "sensoryLeft": "NA",
                "motorRight": "NA",
                "motorLeft": "NA",
            },
        },
        "totals": {
            "left": {
                "upperExtremity": "25",
                "lowerExtremity": "25",
                "lightTouch": "56",
                "pinPrick": "56",
                "motor": "50",
            },
            "right": {
                "upperExtremity": "25",
                "lowerExtremity": "25",
                "lightTouch": "56",
                "pinPrick": "56",
                "motor": "50",
            },
            "upperExtremity": "50",
            "lowerExtremity": "50",
            "lightTouch": "112",
            "pinPrick": "112",
        },
    }


def test_complete_c5_injury_is_grade_a_with_zones_at_c5():
    # Elbow flexors 4/5, nothing below; sensation normal to C5, absent below; no sacral sparing.
    c5 = side(motor("C5", C5="4"), sensory("C5"))

    result = isncsci.classify(exam(c5))

    c = result["classification"]
    assert c["neurologicalLevels"] == {
        "sensoryRight": "C5",
        "sensoryLeft": "C5",
        "motorRight": "C5",
        "motorLeft": "C5",
    }
    assert c["neurologicalLevelOfInjury"] == "C5"
    assert c["injuryComplete"] == "C"
    assert c["ASIAImpairmentScale"] == "A"
    # Complete injury: the zones are the last partly innervated segments, here C5 itself.
    assert c["zoneOfPartialPreservations"] == {
        "sensoryRight": "C5",
        "sensoryLeft": "C5",
        "motorRight": "C5",
        "motorLeft": "C5",
    }
    assert result["totals"]["right"] == {
        "upperExtremity": "4",
        "lowerExtremity": "0",
        "lightTouch": "8",
        "pinPrick": "8",
        "motor": "4",
    }
    assert result["totals"]["upperExtremity"] == "8"
    assert result["totals"]["lightTouch"] == "16"


def test_complete_injury_zone_reaches_down_to_last_segment_with_sensation():
    # Complete C5 on the right, but light touch is impaired (1) at C6 and C7 before disappearing.
    right = side(motor("C5", C5="4"), sensory("C5", C6="1", C7="1"), sensory("C5"))

    result = isncsci.classify(exam(right, side(motor("C5", C5="4"), sensory("C5"))))

    assert result["classification"]["neurologicalLevels"]["sensoryRight"] == "C5"
    assert result["classification"]["ASIAImpairmentScale"] == "A"
    assert result["classification"]["zoneOfPartialPreservations"]["sensoryRight"] == "C7"
    assert result["classification"]["zoneOfPartialPreservations"]["sensoryLeft"] == "C5"


def test_thoracic_injury_with_sacral_sensation_only_is_grade_b():
    # T6 paraplegia: arms normal, legs 0, sensation to T6 plus light touch at S4-5; VAC absent.
    t6 = side(motor("T1"), sensory("T6", S4_5="1"), sensory("T6"))

    result = isncsci.classify(exam(t6))

    c = result["classification"]
    assert c["neurologicalLevels"] == {
        "sensoryRight": "T6",
        "sensoryLeft": "T6",
        "motorRight": "T6",
        "motorLeft": "T6",
    }
    assert c["neurologicalLevelOfInjury"] == "T6"
    assert c["injuryComplete"] == "I"
    assert c["ASIAImpairmentScale"] == "B"
    # Sacral sensation present: no sensory ZPP. VAC absent: motor ZPP applies (2019), here T6.
    assert c["zoneOfPartialPreservations"] == {
        "sensoryRight": "NA",
        "sensoryLeft": "NA",
        "motorRight": "T6",
        "motorLeft": "T6",
    }
    assert result["totals"]["lowerExtremity"] == "0"
    assert result["totals"]["upperExtremity"] == "50"


def test_non_key_muscle_function_far_below_turns_b_into_c():
    # Same T6 injury, but the examiner found hip adductor function (L3 non-key muscle) on the right:
    # motor function more than three levels below the motor level with sacral sensory sparing.
    right = side(
        motor("T1"), sensory("T6", S4_5="1"), sensory("T6"), lowestNonKeyMuscleWithMotorFunction="L3"
    )
    left = side(motor("T1"), sensory("T6", S4_5="1"), sensory("T6"))

    result = isncsci.classify(exam(right, left))

    c = result["classification"]
    assert c["ASIAImpairmentScale"] == "C"
    # In an AIS C injury the non-key muscle stands in for the motor ZPP on its side.
    assert c["zoneOfPartialPreservations"]["motorRight"] == "L3"
    assert c["zoneOfPartialPreservations"]["motorLeft"] == "T6"


def test_voluntary_anal_contraction_with_weak_legs_is_grade_c():
    # C6 tetraplegia, VAC present: motor incomplete, and no key muscle below C6 reaches grade 3.
    c6 = side(motor("C6", C7="2", C8="1", L2="1", L3="2"), sensory("C6", below="1", S4_5="1"))

    result = isncsci.classify(exam(c6, vac="Yes", dap="Yes"))

    c = result["classification"]
    assert c["neurologicalLevelOfInjury"] == "C6"
    assert c["injuryComplete"] == "I"
    assert c["ASIAImpairmentScale"] == "C"
    assert c["zoneOfPartialPreservations"]["motorRight"] == "NA"  # VAC present: no motor ZPP
    assert result["totals"]["right"]["upperExtremity"] == "13"  # 5 + 5 + 2 + 1 + 0
    assert result["totals"]["right"]["lightTouch"] == "33"  # C2-C6 at 2, the other 23 dermatomes at 1


def test_most_muscles_below_level_at_grade_3_or_more_is_grade_d():
    # L2 injury with VAC: of the 8 key muscles below L2 (L3-S1, both sides), 6 are graded 3 or more.
    l2 = side(motor(L2="4", L3="3", L4="3", L5="2", S1="3"), sensory("L2", below="1", S4_5="1"))
    left = side(motor(L2="4", L3="3", L4="4", L5="2", S1="4"), sensory("L2", below="1", S4_5="1"))

    result = isncsci.classify(exam(l2, left, vac="Yes", dap="Yes"))

    c = result["classification"]
    assert c["neurologicalLevels"]["motorRight"] == "L2"  # L2 is 4/5, so nothing below it can be the level
    assert c["neurologicalLevels"]["sensoryRight"] == "L2"
    assert c["neurologicalLevelOfInjury"] == "L2"
    assert c["ASIAImpairmentScale"] == "D"


def test_untested_dermatome_gives_both_possible_sensory_levels():
    # Right light touch at C6 not tested, impaired from C7: the sensory level is C5 or C6.
    right = side(motor("C6"), sensory("C6", C6="NT"), sensory("C6"))
    left = side(motor("C6"), sensory("C6"))

    result = isncsci.classify(exam(right, left))

    c = result["classification"]
    assert c["neurologicalLevels"]["sensoryRight"] == "C5,C6"
    assert c["neurologicalLevels"]["sensoryLeft"] == "C6"
    assert c["neurologicalLevelOfInjury"] == "C5,C6"
    assert result["totals"]["right"]["lightTouch"] == "ND"
    assert result["totals"]["lightTouch"] == "ND"
    assert result["totals"]["pinPrick"] == "20"  # C2-C6 at 2 on both sides


def test_untested_sacral_sensation_and_anal_contraction_leave_completeness_open():
    # T10 injury, S4-5 light touch not tested on both sides, VAC not tested, DAP absent.
    t10 = side(motor("T1"), sensory("T10", S4_5="NT"), sensory("T10"))

    result = isncsci.classify(exam(t10, vac="NT", dap="No"))

    c = result["classification"]
    assert c["injuryComplete"] == "C,I"
    assert c["ASIAImpairmentScale"] == "A,B,C"
    assert c["neurologicalLevels"]["motorRight"] == "T10"
    assert c["zoneOfPartialPreservations"]["sensoryRight"] == "NA,T10"
    assert c["zoneOfPartialPreservations"]["motorRight"] == "NA,T10"


def test_score_taken_as_normal_gives_starred_intact_and_e_star():
    # A normal exam where one light touch score is 0** (impaired by another condition, taken as normal).
    right = side(motor(), sensory(T8="0**"), sensory())
    left = side(motor(), sensory())

    result = isncsci.classify(exam(right, left, vac="Yes", dap="Yes"))

    c = result["classification"]
    assert c["neurologicalLevels"]["sensoryRight"] == "INT*"
    assert c["neurologicalLevels"]["sensoryLeft"] == "INT"
    assert c["neurologicalLevelOfInjury"] == "INT*"
    assert c["ASIAImpairmentScale"] == "E*"
    assert result["totals"]["right"]["lightTouch"] == "54"


def test_sacral_scores_impaired_by_other_condition_make_completeness_starred():
    # Complete T6 except that both S4-5 light touch scores are 0*: absent, but possibly not from the SCI.
    t6 = side(motor("T1"), sensory("T6", S4_5="0*"), sensory("T6"))

    result = isncsci.classify(exam(t6))

    assert result["classification"]["injuryComplete"] == "C*,I*"
    assert result["classification"]["ASIAImpairmentScale"] == "A*,B*"


@pytest.mark.parametrize(
    ("muscle", "grade", "expected"),
    [("C5", "2", "C4"), ("C5", "3", "C5"), ("C6", "3", "C6"), ("T1", "4", "T1"), ("L3", "3", "L3")],
)
def test_motor_level_is_lowest_muscle_at_3_with_normal_muscles_above(muscle, grade, expected):
    level_side = side(motor(muscle, **{muscle: grade}), sensory())

    result = isncsci.classify(exam(level_side, vac="No", dap="Yes"))

    assert result["classification"]["neurologicalLevels"]["motorRight"] == expected
