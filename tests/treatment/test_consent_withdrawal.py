"""Consent that can be withdrawn: treatment consent (the procedure service refuses at once, staff see it on
the chart) and research consent (left out of research exports from then on); consent texts published from
the staff workspace."""

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidTransition
from exoclinic.core.models import AuditEvent
from exoclinic.core.timeline import Step, StepState, patient_timeline
from exoclinic.outcomes.cohort import research_rows
from exoclinic.treatment.models import Consent, ConsentText
from tests.factories import PatientFactory, UserFactory
from tests.products.factories import released_lot
from tests.treatment.factories import approved_plan_with_consent, consulted
from tests.treatment.helpers import record


@pytest.fixture
def signed(patient, staff):
    clinician = staff(Role.CLINICIAN)
    consulted(patient, at=timezone.now() - dt.timedelta(days=3))
    plan = approved_plan_with_consent(patient, clinician=clinician, at=timezone.now() - dt.timedelta(days=2))
    return plan, clinician


def test_the_patient_withdraws_consent_and_no_procedure_may_follow(
    client, signed, patient, patient_user, clinic
):
    plan, clinician = signed
    client.force_login(patient_user)
    page = client.get("/portal/treatment/").content.decode()
    assert "Withdraw my consent" in page
    url = f"/portal/treatment/plans/{plan.pk}/consent/withdraw/"
    client.post(url, {"reason": "I changed my mind"})  # the box not ticked: nothing changes
    assert Consent.objects.get(plan=plan).withdrawn_at is None
    response = client.post(url, {"confirm": "yes", "reason": "I changed my mind"})
    assert response.status_code == 302
    consent = Consent.objects.get(plan=plan)
    assert consent.withdrawn_at is not None and consent.withdrawn_by == patient_user
    assert AuditEvent.objects.filter(action="consent.withdraw", patient=patient).count() == 1
    assert 'data-testid="consent-withdrawn"' in client.get("/portal/treatment/").content.decode()

    with pytest.raises(InvalidTransition) as refused:
        record(plan, actor=clinician, lot=released_lot(clinic=clinic))
    assert refused.value.field == "consent"
    step = next(s for s in patient_timeline(patient).steps if s.step == Step.PLAN_CONSENT)
    assert step.state != StepState.DONE

    client.force_login(clinician)
    chart = client.get(f"/staff/patients/{patient.pk}/").content.decode()
    assert 'data-testid="chart-consent-withdrawn"' in chart
    plan_page = client.get(f"/staff/treatment/plans/{plan.pk}/").content.decode()
    assert "I changed my mind" in plan_page and 'data-testid="consent-withdrawn"' in plan_page


def test_only_the_patient_or_their_caregiver_withdraws(client, signed, patient, clinic):
    plan, _ = signed
    url = f"/portal/treatment/plans/{plan.pk}/consent/withdraw/"
    stranger = UserFactory()
    PatientFactory(clinic=clinic, user=stranger)
    client.force_login(stranger)
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert Consent.objects.get(plan=plan).withdrawn_at is None
    carer = UserFactory()
    patient.caregiver = carer
    patient.save()
    client.force_login(carer)
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert Consent.objects.get(plan=plan).withdrawn_by == carer


def test_a_withdrawn_research_consent_leaves_the_patient_out_of_later_research_exports(client, clinic, staff):
    user = UserFactory()
    patient = PatientFactory(
        clinic=clinic, user=user, research_consent=True, research_consent_at=timezone.now()
    )
    from exoclinic.outcomes import services as outcomes_services

    outcomes_services.assessment_record(
        actor=staff(Role.CLINICIAN),
        patient=patient,
        instrument="pain",
        items={"average": 5},
        taken_on=timezone.localdate() - dt.timedelta(days=7),
    )
    assert patient.pk in {row["patient_id"] for row in _patients_of(research_rows(clinics=[clinic]))}
    client.force_login(user)
    assert "Withdraw consent to research use" in client.get("/portal/profile/").content.decode()
    assert client.post("/portal/profile/research-consent/withdraw/").status_code == 302
    patient.refresh_from_db()
    assert not patient.research_consent
    assert AuditEvent.objects.filter(action="patient.research_consent_withdraw", patient=patient).exists()
    assert patient.pk not in {row["patient_id"] for row in _patients_of(research_rows(clinics=[clinic]))}
    client.force_login(staff(Role.CLINICIAN))
    assert (
        'data-testid="chart-research-consent"'
        in client.get(f"/staff/patients/{patient.pk}/").content.decode()
    )


def _patients_of(rows):
    """research_rows yields pseudonymised rows; map them back through the same pseudonym for the test."""
    from exoclinic.core.models import Patient
    from exoclinic.outcomes.cohort import research_id

    ids = {research_id(p.pk): p.pk for p in Patient.objects.all()}
    return [{"patient_id": ids[row[0]]} for row in rows]


def test_staff_publish_a_new_consent_text_and_other_roles_cannot(client, clinic, staff):
    clinician = staff(Role.CLINICIAN)
    client.force_login(clinician)
    response = client.post(
        "/staff/treatment/consent-texts/",
        {"version": "2027-01", "title": "Consent to exosome therapy", "body": "What the treatment involves."},
    )
    assert response.status_code == 302
    current = ConsentText.objects.get(clinic=clinic, is_current=True)
    assert current.version == "2027-01"
    assert AuditEvent.objects.filter(action="consent_text.publish", record_id=str(current.pk)).exists()
    again = client.post(
        "/staff/treatment/consent-texts/", {"version": "2027-01", "title": "Again", "body": "x"}
    )
    assert again.status_code == 200 and "This version exists already." in again.content.decode()
    for role in (Role.LAB, Role.COORDINATOR):
        client.force_login(staff(role))
        assert client.get("/staff/treatment/consent-texts/").status_code == 403
