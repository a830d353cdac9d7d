"""Validation of exams in the interchange format: every problem is reported with its field path."""

from __future__ import annotations

import copy

import pytest

import isncsci
from isncsci import DERMATOMES, MOTOR_LEVELS, ExamValidationError, FieldError, Observation, Side


def normal_exam() -> dict:
    side = {
        "motor": dict.fromkeys(MOTOR_LEVELS, "5"),
        "lightTouch": dict.fromkeys(DERMATOMES, "2"),
        "pinPrick": dict.fromkeys(DERMATOMES, "2"),
    }
    return {
        "right": side,
        "left": copy.deepcopy(side),
        "voluntaryAnalContraction": "Yes",
        "deepAnalPressure": "Yes",
    }


def errors_of(exam) -> list[str]:
    with pytest.raises(ExamValidationError) as caught:
        isncsci.classify(exam)
    return [str(error) for error in caught.value.errors]


def test_grade_out_of_range_names_the_muscle():
    exam = normal_exam()
    exam["right"]["motor"]["C5"] = "6"

    with pytest.raises(ExamValidationError) as caught:
        isncsci.classify(exam)

    assert str(caught.value) == 'right.motor.C5: "6" is not a motor value'
    assert (caught.value.path, caught.value.message) == ("right.motor.C5", '"6" is not a motor value')
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda e: e["left"]["pinPrick"].__setitem__("T4", "3"),
            'left.pinPrick.T4: "3" is not a sensory value',
        ),
        (
            lambda e: e["left"]["lightTouch"].__setitem__("S4_5", "2*"),
            'left.lightTouch.S4_5: "2*" is not a sensory value',
        ),
        (lambda e: e["right"]["motor"].__setitem__("L2", 5), "right.motor.L2: 5 is not a motor value"),
        (lambda e: e["right"]["motor"].__setitem__("S1", "5*"), 'right.motor.S1: "5*" is not a motor value'),
        (lambda e: e["right"]["motor"].pop("T1"), "right.motor.T1: missing"),
        (lambda e: e["left"].pop("lightTouch"), "left.lightTouch: missing"),
        (lambda e: e.pop("deepAnalPressure"), "deepAnalPressure: missing"),
        (
            lambda e: e.__setitem__("voluntaryAnalContraction", "yes"),
            'voluntaryAnalContraction: "yes" is not one of Yes, No, NT',
        ),
        (lambda e: e.__setitem__("right", []), "right: expected a JSON object, got an array"),
        (lambda e: e["right"].__setitem__("motor", "5"), "right.motor: expected a JSON object, got a string"),
        (
            lambda e: e["right"].__setitem__("lowestNonKeyMuscleWithMotorFunction", "C4"),
            'right.lowestNonKeyMuscleWithMotorFunction: "C4" is not a level from C5 to S1',
        ),
        (lambda e: e["left"]["motor"].__setitem__("C4", "5"), "left.motor.C4: unknown field"),
        (lambda e: e.__setitem__("comments", "x"), "comments: unknown field"),
    ],
)
def test_each_kind_of_problem_is_reported_at_its_path(change, expected):
    exam = normal_exam()
    change(exam)

    assert errors_of(exam) == [expected]


def test_every_problem_is_listed_in_field_order():
    exam = normal_exam()
    exam["right"]["motor"]["C6"] = "x"
    exam["right"]["pinPrick"]["C3"] = "NT***"
    exam["left"]["lightTouch"].pop("L1")
    exam["voluntaryAnalContraction"] = None

    assert errors_of(exam) == [
        'right.motor.C6: "x" is not a motor value',
        'right.pinPrick.C3: "NT***" is not a sensory value',
        "left.lightTouch.L1: missing",
        "voluntaryAnalContraction: null is not one of Yes, No, NT",
    ]
    assert [e.path for e in isncsci.exam_errors(exam)][:2] == ["right.motor.C6", "right.pinPrick.C3"]


def test_exam_that_is_not_an_object_is_reported_for_the_exam_as_a_whole():
    with pytest.raises(ExamValidationError) as caught:
        isncsci.parse_exam(["not", "an", "exam"])

    assert caught.value.errors == (FieldError("", "expected a JSON object, got an array"),)
    assert str(caught.value) == "exam: expected a JSON object, got an array"


def test_valid_exam_has_no_errors_and_null_non_key_muscle_means_none():
    exam = normal_exam()
    exam["left"]["lowestNonKeyMuscleWithMotorFunction"] = None

    assert isncsci.exam_errors(exam) == []
    isncsci.validate_exam(exam)
    assert isncsci.parse_exam(exam).left.lowest_non_key_muscle_with_motor_function is None


@pytest.mark.parametrize("level", isncsci.NON_KEY_MUSCLE_LEVELS)
def test_every_level_from_c5_to_s1_is_accepted_as_the_non_key_muscle(level):
    # As in the reference (npm isncsci 2.0.6): key muscle levels and the thoracic levels and L1 between.
    exam = normal_exam()
    exam["right"]["lowestNonKeyMuscleWithMotorFunction"] = level

    assert isncsci.exam_errors(exam) == []
    assert isncsci.parse_exam(exam).right.lowest_non_key_muscle_with_motor_function == level


def test_non_key_muscle_levels_are_the_22_from_c5_to_s1_thoracic_and_l1_included():
    assert isncsci.NON_KEY_MUSCLE_LEVELS[0] == "C5" and isncsci.NON_KEY_MUSCLE_LEVELS[-1] == "S1"
    assert len(isncsci.NON_KEY_MUSCLE_LEVELS) == 22
    assert {"T2", "T8", "T12", "L1"} <= set(isncsci.NON_KEY_MUSCLE_LEVELS)


@pytest.mark.parametrize(
    ("value", "shown"), [("C4", '"C4"'), ("S2", '"S2"'), ("T13", '"T13"'), ("t8", '"t8"'), (5, "5")]
)
def test_non_key_muscle_outside_c5_to_s1_is_refused_naming_the_field(value, shown):
    exam = normal_exam()
    exam["left"]["lowestNonKeyMuscleWithMotorFunction"] = value

    assert errors_of(exam) == [
        f"left.lowestNonKeyMuscleWithMotorFunction: {shown} is not a level from C5 to S1"
    ]
    with pytest.raises(ExamValidationError):
        Side(("5",) * 10, ("2",) * 28, ("2",) * 28, value)  # type: ignore[arg-type]


def test_typed_objects_refuse_values_outside_the_standard():
    with pytest.raises(ExamValidationError) as caught:
        Side(motor=("5",) * 9 + ("6",), light_touch=("2",) * 28, pin_prick=("2",) * 28)

    assert str(caught.value) == 'motor.S1: "6" is not a motor value'


def test_typed_exam_reads_the_interchange_format_and_classifies_the_same():
    exam = isncsci.Exam.from_dict(normal_exam())

    result = isncsci.classify_exam(exam)

    assert exam.voluntary_anal_contraction is Observation.YES
    assert exam.right.motor == ("5",) * 10
    assert result.classification.asia_impairment_scale == "E"
    assert result.totals.upper_extremity == "50"
    assert result.to_dict() == isncsci.classify(normal_exam())


def test_typed_exam_refuses_an_answer_that_is_not_yes_no_or_nt():
    side = isncsci.Exam.from_dict(normal_exam()).right

    with pytest.raises(ExamValidationError) as caught:
        isncsci.Exam(side, side, "Maybe", "No")  # type: ignore[arg-type]

    assert caught.value.path == "voluntary_anal_contraction"
    assert isncsci.Exam(side, side, "Yes", "NT").deep_anal_pressure is Observation.NOT_TESTED  # type: ignore[arg-type]


def test_typed_side_keeps_its_values_as_tuples_and_reports_unknown_fields_after_missing_ones():
    built = Side(motor=["5"] * 10, light_touch=["2"] * 28, pin_prick=["2"] * 28)  # type: ignore[arg-type]

    assert built.motor == ("5",) * 10
    assert errors_of({"comments": "x"}) == [
        "right: missing",
        "left: missing",
        "voluntaryAnalContraction: missing",
        "deepAnalPressure: missing",
        "comments: unknown field",
    ]
