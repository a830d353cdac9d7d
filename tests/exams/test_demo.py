import pytest
from django.core.management import call_command

import isncsci
from exoclinic.core.models import Patient
from exoclinic.exams.demo import demo_exam
from exoclinic.exams.models import IsncsciExam

# The demo's patients by recorded level and grade (core/demo.py), and two more of each grade.
PROFILES = [("C5", "B"), ("T4", "A"), ("C6", "C"), ("T10", "D"), ("C4", "A"), ("L1", "C"), ("T6", "B")]
PROFILES += [("C7", "D"), ("T12", "A"), ("C8", "C"), ("T1", "B"), ("T2", "D")]


@pytest.mark.parametrize(("level", "grade"), PROFILES)
def test_generated_exams_classify_as_the_recorded_level_and_grade_at_baseline_and_follow_up(level, grade):
    for gain in (0, 1):
        classification = isncsci.classify(demo_exam(level, grade, gain=gain))["classification"]

        assert classification["neurologicalLevelOfInjury"] == level
        assert classification["ASIAImpairmentScale"] == grade


@pytest.mark.django_db
def test_seeding_twice_gives_a_baseline_and_a_follow_up_for_three_patients():
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)

    exams = IsncsciExam.objects.order_by("patient_id", "examined_at")
    assert exams.count() == 6
    patients = Patient.objects.filter(isncsci_exams__isnull=False).distinct()
    assert patients.count() == 3
    for patient in patients:
        baseline, follow_up = patient.isncsci_exams.order_by("examined_at")
        assert baseline.ais == follow_up.ais == patient.sci_ais_grade
        assert baseline.nli == patient.sci_neurological_level
