"""Every staff page, API list and export that shows a patient writes one audit row per patient shown, and a
patient's access log shows every one of those reads, export included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.models import AuditEvent
from tests.factories import PatientFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = {
    "/staff/calendar/?date=2027-03-02": "staff_calendar",
    "/staff/treatment/": "treatment_list",
    "/staff/treatment/adverse-events/": "adverse_event_list",
    "/staff/treatment/adverse-events/export.csv": "adverse_event_export",
    "/staff/applications/?status=accepted": "application_queue",
}
API_LISTS = {
    "/api/v1/appointments?start=2027-03-01T00:00:00Z&end=2027-03-05T00:00:00Z": "api_appointments",
    "/api/v1/treatment/plans": "api_treatment_plans",
    "/api/v1/treatment/adverse-events": "api_adverse_events",
    "/api/v1/applications/review?status=accepted": "api_application_queue",
}


@pytest.fixture
def shown(clinic):
    """Two patients of the clinic, each with an appointment, a plan, an adverse event and an application."""
    from exoclinic.intake import services as intake
    from exoclinic.treatment import services as treatment
    from tests.intake.factories import in_review
    from tests.scheduling.factories import AppointmentFactory
    from tests.treatment.factories import plan_for

    admin = StaffFactory(role=Role.ADMIN, clinic=clinic)
    clinician = StaffFactory(role=Role.CLINICIAN, clinic=clinic, is_medical_director=True)
    patients = []
    for n in range(2):
        application = in_review(clinic, admin, first_name=f"Pat{n}", email=f"pat{n}@example.org")
        intake.application_decide(actor=admin, application=application, decision="accept", reason="ok")
        application.refresh_from_db()
        patient = application.patient
        AppointmentFactory(patient=patient, start=dt.datetime(2027, 3, 2, 9 + n, tzinfo=dt.UTC))
        plan_for(patient, clinician=clinician)
        treatment.adverse_event_record(
            actor=clinician,
            patient=patient,
            ctcae_grade=1,
            serious=False,
            relatedness="possible",
            outcome="recovering",
            onset_at=timezone.now() - dt.timedelta(days=1),
            description="Redness",
        )
        patients.append(patient)
    PatientFactory(clinic=clinic)  # a patient nobody is shown below
    return patients, admin, clinician


def _reads(actor, purpose):
    return sorted(
        AuditEvent.objects.filter(actor=actor, action="patient.view", detail__purpose=purpose).values_list(
            "patient_id", flat=True
        )
    )


@pytest.mark.parametrize(("path", "purpose"), STAFF_PAGES.items())
def test_each_staff_page_audits_one_row_per_patient_shown(client, shown, path, purpose):
    patients, admin, clinician = shown
    reader = clinician if "treatment" in path else admin
    client.force_login(reader)
    response = client.get(path)
    assert response.status_code == 200
    assert _reads(reader, purpose) == sorted(p.pk for p in patients)


@pytest.mark.parametrize(("path", "purpose"), API_LISTS.items())
def test_each_api_list_audits_one_row_per_patient_shown(client, shown, path, purpose):
    patients, admin, clinician = shown
    reader = clinician if "treatment" in path else admin
    _, raw = api_token_issue(user=reader)
    response = client.get(path, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200, response.content
    assert len(response.json()) >= 2
    assert _reads(reader, purpose) == sorted(p.pk for p in patients)


def test_a_patient_reading_their_own_list_writes_no_staff_read(client, shown):
    patients, _admin, _clinician = shown
    user = UserFactory()
    patients[0].user = user
    patients[0].save()
    _, raw = api_token_issue(user=user)
    client.get("/api/v1/treatment/plans", headers={"Authorization": f"Bearer {raw}"})
    assert not AuditEvent.objects.filter(actor=user, action="patient.view").exists()


def test_the_patients_access_log_shows_the_export_and_the_lists(client, shown):
    patients, admin, clinician = shown
    client.force_login(clinician)
    client.get("/staff/treatment/adverse-events/export.csv")
    client.get("/staff/treatment/adverse-events/")
    client.force_login(admin)
    log = client.get(f"/staff/patients/{patients[0].pk}/access-log/").content.decode()
    assert "adverse_event_export" in log and "adverse_event_list" in log
