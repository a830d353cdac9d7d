"""The demo seeding gives patients baselines, follow-ups and a diary that are true to their records, and is
safe to run twice."""

import pytest
from django.core.management import call_command

from exoclinic.core.models import Patient
from exoclinic.core.timeline import Step, StepState, patient_timeline
from exoclinic.outcomes.models import Assessment, AssessmentSource, DiaryEntry, FollowUpSchedule

pytestmark = pytest.mark.django_db


def _done_day(patient, step):
    found = next(s for s in patient_timeline(patient).steps if s.step == step)
    if found.state != StepState.DONE or found.when is None:
        return None
    from django.utils import timezone

    return timezone.localtime(found.when, patient.tz).date()


def test_demo_outcomes_are_seeded_once(client):
    call_command("seed_demo", quiet=True)
    counts = (Assessment.objects.count(), DiaryEntry.objects.count(), FollowUpSchedule.objects.count())
    call_command("seed_demo", quiet=True)
    assert (
        Assessment.objects.count(),
        DiaryEntry.objects.count(),
        FollowUpSchedule.objects.count(),
    ) == counts
    assert counts[2] >= 1 and counts[1] >= 10
    client.login(email="patient@example.org", password="exoclinic-demo-2026")
    page = client.get("/portal/progress/").content.decode()
    assert 'role="img"' in page and "SCIM III total" in page


def test_every_demo_patients_outcomes_follow_their_records():
    """No follow-up without a recorded procedure, none before it, no baseline before the consultation: the
    demo once gave patient@example.org a first procedure and a year of follow-ups she never had."""
    call_command("seed_demo", quiet=True)
    with_baseline = 0
    for patient in Patient.objects.all():
        consulted = _done_day(patient, Step.CONSULTATION)
        treated = _done_day(patient, Step.TREATMENT)
        schedule = FollowUpSchedule.objects.filter(patient=patient).first()
        demo = Assessment.objects.filter(patient=patient, source=AssessmentSource.DEMO)
        if treated is None:
            assert schedule is None, patient
            assert not demo.filter(follow_up_months__gt=0).exists(), patient
        else:
            assert schedule is not None and schedule.first_procedure_on == treated, patient
            assert not demo.filter(follow_up_months__gt=0, taken_on__lt=treated).exists(), patient
        if demo.exists():
            assert consulted is not None, f"{patient}: assessed at a consultation that never took place"
            assert min(demo.values_list("taken_on", flat=True)) >= consulted, patient
            with_baseline += 1
    assert with_baseline >= 3


def test_the_demo_patient_who_has_not_been_treated_sees_no_procedure_on_her_progress_page(client):
    call_command("seed_demo", quiet=True)
    client.login(email="patient@example.org", password="exoclinic-demo-2026")
    page = client.get("/portal/progress/").content.decode()
    ana = Patient.objects.get(email="patient@example.org")
    consulted = _done_day(ana, Step.CONSULTATION)
    assert _done_day(ana, Step.TREATMENT) is None
    assert "<dt>First procedure</dt><dd>not yet</dd>" in page
    assert f"<dt>Baseline</dt><dd>{consulted.isoformat()}</dd>" in page
    assert not Assessment.objects.filter(patient=ana, taken_on__lt=consulted, source=AssessmentSource.DEMO)
