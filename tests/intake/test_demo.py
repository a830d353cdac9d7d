import pytest
from django.core import mail
from django.core.management import call_command

from exoclinic.intake import selectors
from exoclinic.intake.models import ApplicationStatus, TreatmentApplication


@pytest.mark.django_db
def test_demo_applications_cover_the_review_steps_and_seeding_twice_adds_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet=True)
    count = TreatmentApplication.objects.count()
    call_command("seed_demo", quiet=True)
    assert TreatmentApplication.objects.count() == count
    statuses = set(TreatmentApplication.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.ACCEPTED,
    } <= statuses
    accepted = TreatmentApplication.objects.get(status=ApplicationStatus.ACCEPTED)
    assert accepted.patient.email == "patient@example.org"
    assert selectors.application_self_ratings(accepted.patient)[1]["movement"] == 3
    assert not [
        m for m in mail.outbox if "example.org" in ",".join(m.to) and "application" in m.subject.lower()
    ]
