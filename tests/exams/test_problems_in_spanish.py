"""The classifier's problems reach the reader in their language (issue 20). ``test_catalogue_...`` needs
notes/msgs.es.json merged into the catalogues."""

import copy

import pytest
from django.utils import translation

import isncsci
from exoclinic.core.errors import InvalidInput
from exoclinic.exams.classification import _PROBLEMS, classify_or_refuse, exam_problems
from tests.exams.factories import normal_exam


def _broken_exams():
    """One exam for each kind of problem the classifier reports."""
    good = normal_exam()
    out = [[], "not an exam"]
    for change in (
        lambda e: e["right"]["motor"].__setitem__("C5", "6"),
        lambda e: e["left"]["lightTouch"].__setitem__("T4", "3"),
        lambda e: e.__setitem__("voluntaryAnalContraction", "Maybe"),
        lambda e: e.pop("deepAnalPressure"),
        lambda e: e["right"]["motor"].pop("C6"),
        lambda e: e["right"]["motor"].__setitem__("X1", "5"),
        lambda e: e.__setitem__("left", []),
        lambda e: e["right"].__setitem__("lowestNonKeyMuscleWithMotorFunction", "Z9"),
    ):
        exam = copy.deepcopy(good)
        change(exam)
        out.append(exam)
    return out


@pytest.mark.parametrize("exam", _broken_exams())
def test_every_problem_the_classifier_reports_has_a_translatable_shape(exam):
    problems = isncsci.exam_errors(exam)
    assert problems
    for problem in problems:
        assert any(pattern.fullmatch(problem.message) for pattern, _ in _PROBLEMS), problem.message


def test_in_english_the_problem_reads_as_the_classifier_wrote_it():
    exam = normal_exam()
    exam["right"]["motor"]["C5"] = "6"
    with translation.override("en"):
        assert exam_problems(exam) == [{"field": "right.motor.C5", "message": '"6" is not a motor value'}]


@pytest.mark.django_db
def test_catalogue_the_refusal_is_in_spanish():
    exam = normal_exam()
    exam["right"]["motor"]["C5"] = "6"
    with translation.override("es"), pytest.raises(InvalidInput) as refused:
        classify_or_refuse(exam)
    assert refused.value.message == 'right.motor.C5: "6" no es un valor motor'
