"""An application is never merged into the wrong patient: possible matches are shown to staff with the
evidence and staff decide; a patient's new e-mail counts only once confirmed from that mailbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.intake.models import ApplicationStatus
from tests.factories import PatientFactory, UserFactory
from tests.intake.factories import in_review, submitted

pytestmark = pytest.mark.django_db

MARTA_BORN = dt.date(1985, 3, 4)  # the applicant's birth date in tests.intake.factories.answers()


def _contact_form(patient, **changes):
    data = {
        "patient": patient.pk,
        "email": patient.email,
        "phone": patient.phone,
        "address": patient.address,
        "preferred_contact_method": patient.preferred_contact_method,
        "preferred_language": patient.preferred_language,
        "time_zone": patient.time_zone,
        "emergency_contact_name": "",
        "emergency_contact_phone": "",
        "emergency_contact_relationship": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def mallory(clinic):
    user = UserFactory(email="mallory@example.org")
    patient = PatientFactory(
        clinic=clinic, user=user, email="mallory@example.org", date_of_birth=MARTA_BORN, time_zone="UTC"
    )
    return patient, user


def test_the_reported_attack_never_attaches_the_applicants_record_to_the_attackers_chart(
    client, clinic, staff, mallory, django_capture_on_commit_callbacks
):
    attacker, attacker_user = mallory
    coordinator = staff(Role.COORDINATOR)
    # Given Mallory (same birth date as the applicant) sets her e-mail to the applicant's
    client.force_login(attacker_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/profile/", _contact_form(attacker, email="marta@example.org"))
    assert response.status_code == 302
    attacker.refresh_from_db()
    assert attacker.email == "mallory@example.org" and attacker.pending_email == "marta@example.org"
    assert [m.to for m in mail.outbox] == [["marta@example.org"]]  # the link goes to Marta, not Mallory

    # When Marta's application is accepted through the staff page
    application = in_review(clinic, coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/staff/applications/{application.pk}/decide/", {"decision": "accept", "reason": "Fits."}
    )

    # Then a new record is created for Marta and Mallory's chart gets nothing
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.patient != attacker and application.patient.first_name == "Marta"
    client.force_login(attacker_user)
    assert client.get(f"/apply/applications/{application.pk}/").status_code == 404
    assert "Marta" not in client.get("/portal/").content.decode()


def test_a_possible_match_is_shown_to_staff_with_the_evidence_and_nothing_is_linked_until_they_choose(
    client, clinic, staff
):
    coordinator = staff(Role.COORDINATOR)
    existing = PatientFactory(clinic=clinic, email="marta@example.org", date_of_birth=MARTA_BORN)
    application = in_review(clinic, coordinator)
    client.force_login(coordinator)

    page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert 'data-testid="possible-matches"' in page
    assert existing.record_number in page and "same e-mail address" in page
    assert AuditEvent.objects.filter(action="patient.view", patient=existing).exists()

    refused = client.post(
        f"/staff/applications/{application.pk}/decide/", {"decision": "accept", "reason": "Known."}
    )
    assert refused.status_code == 400
    assert "may already be a patient" in refused.content.decode()
    application.refresh_from_db()
    assert application.patient is None and application.status == ApplicationStatus.IN_REVIEW

    linked = client.post(
        f"/staff/applications/{application.pk}/decide/",
        {"decision": "accept", "reason": "Known.", "patient": str(existing.pk)},
    )
    assert linked.status_code == 302
    application.refresh_from_db()
    assert application.patient == existing
    accept = AuditEvent.objects.get(action="application.accept")
    assert accept.detail["linked"] == existing.pk and accept.detail["evidence"] == ["email", "birth_date"]


def test_the_api_answers_409_with_the_matches_and_accepts_the_staff_choice(client, clinic, staff):
    from exoclinic.accounts.services import api_token_issue

    coordinator = staff(Role.COORDINATOR)
    namesake = PatientFactory(clinic=clinic, first_name="Marta", last_name="Vidal", date_of_birth=MARTA_BORN)
    application = in_review(clinic, coordinator)
    _, raw = api_token_issue(user=coordinator)
    auth = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/applications/review/{application.pk}/transitions"

    response = client.post(
        url, {"action": "accept", "text": "Ok."}, content_type="application/json", headers=auth
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_match" and body["field"] == "patient"
    assert body["matches"] == [
        {
            "patient_id": namesake.pk,
            "record_number": namesake.record_number,
            "name": "Marta Vidal",
            "date_of_birth": "1985-03-04",
            "evidence": ["name_and_birth_date"],
        }
    ]
    response = client.post(
        url,
        {"action": "accept", "text": "Ok.", "patient": "new"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.patient not in (None, namesake)


def test_a_new_email_counts_once_the_link_sent_to_it_is_opened(
    client, mallory, django_capture_on_commit_callbacks
):
    patient, user = mallory
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/profile/", _contact_form(patient, email="mallory.new@example.org"))
    link = re.search(r"/portal/email/confirm/[^/\s]+/", mail.outbox[-1].body).group(0)

    assert client.get(link.replace("/confirm/", "/confirm/x")).status_code == 302  # forged: refused
    patient.refresh_from_db()
    assert patient.email == "mallory@example.org"

    assert client.get(link).status_code == 302
    patient.refresh_from_db()
    assert (patient.email, patient.pending_email) == ("mallory.new@example.org", "")
    assert AuditEvent.objects.filter(action="patient.update", patient=patient, detail__verified=True).exists()


def test_another_account_cannot_use_someone_elses_confirmation_link(
    client, clinic, mallory, django_capture_on_commit_callbacks
):
    patient, user = mallory
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/profile/", _contact_form(patient, email="mallory.new@example.org"))
    link = re.search(r"/portal/email/confirm/[^/\s]+/", mail.outbox[-1].body).group(0)
    stranger = UserFactory()
    PatientFactory(clinic=clinic, user=stranger)
    client.force_login(stranger)
    assert client.get(link).status_code == 404
    patient.refresh_from_db()
    assert patient.email == "mallory@example.org"


def test_staff_change_a_patients_email_at_once(clinic, staff, mallory):
    from exoclinic.core.services import patient_update

    patient, _ = mallory
    coordinator = staff(Role.COORDINATOR)
    updated = patient_update(actor=coordinator, patient=patient, data={"email": "checked@example.org"})
    assert updated.email == "checked@example.org" and updated.pending_email == ""


def test_applying_with_an_unverified_lookalike_does_not_offer_the_attacker_as_a_match(clinic, mallory):
    from exoclinic.intake.selectors import possible_patient_matches

    attacker, _ = mallory
    attacker.pending_email = "marta@example.org"
    attacker.save()
    assert possible_patient_matches(submitted(clinic)) == []
