"""The application pages and the review pages, through HTTP as a browser would send them."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.intake import services
from exoclinic.intake.models import ApplicationStatus, TreatmentApplication
from tests.intake.factories import pdf_bytes, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_leaves_at_once(monkeypatch):
    """Each test runs inside one transaction that never commits: send what would go out after commit."""
    monkeypatch.setattr("exoclinic.core.outbox.transaction.on_commit", lambda fn, *a, **kw: fn())


ABOUT = {
    "for_self": "yes",
    "first_name": "Nuria",
    "last_name": "Sanz",
    "date_of_birth": "1990-02-03",
    "email": "nuria@example.org",
    "preferred_contact_method": "email",
    "preferred_language": "en",
    "time_zone": "Europe/Madrid",
}
STEPS = {
    "condition": {
        "condition": "sci",
        "date_of_injury": "2020-01-10",
        "neurological_level": "C6",
        "ais_grade": "C",
    },
    "function": {
        "movement": "2",
        "muscle_relaxation": "7",
        "bowel_bladder": "3",
        "sensation": "4",
        "pain": "6",
        "rest_strength": "5",
    },
    "health": {
        "active_infection": "no",
        "pregnant": "no",
        "active_cancer": "no",
        "bleeding_disorder": "no",
        "takes_anticoagulants": "yes",
        "takes_anti_inflammatories": "no",
        "takes_immunosuppressants": "no",
        "earlier_cell_treatment": "no",
    },
    "goals": {"goal_1": "arms_hands", "goal_2": "walking"},
    "consent": {"consent_contact": "on", "privacy_acknowledged": "on"},
}


def fill_in(client, clinic):
    response = client.post(f"/apply/step/about/?clinic={clinic.slug}", ABOUT)
    assert response.status_code == 302, response.content.decode()[:2000]
    for step, data in STEPS.items():
        response = client.post(f"/apply/step/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return TreatmentApplication.objects.get()


def test_apply_page_replaces_the_stub(client, clinic):
    response = client.get("/apply/")
    assert response.status_code == 200
    assert b"Start the application" in response.content


def test_every_step_is_saved_and_the_draft_link_is_emailed(client, clinic):
    draft = fill_in(client, clinic)
    assert draft.status == ApplicationStatus.DRAFT and draft.clinic == clinic
    assert draft.self_ratings["muscle_relaxation"] == 7 and draft.goals == ["arms_hands", "walking"]
    assert draft.consent_contact_at is not None
    assert mail.outbox[0].to == ["nuria@example.org"]
    assert "/apply/link/" in mail.outbox[0].body


def test_a_validation_error_keeps_every_value_and_names_the_field(client, clinic):
    response = client.post("/apply/step/about/", {**ABOUT, "date_of_birth": "2999-01-01", "email": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nuria"' in page and 'value="Sanz"' in page and 'value="2999-01-01"' in page
    assert "Enter your e-mail address." in page
    assert '<a href="#id_email">' in page
    assert not TreatmentApplication.objects.exists()


def test_the_review_page_submit_is_idempotent(client, clinic):
    fill_in(client, clinic)
    first = client.post("/apply/step/review/", {"submit_key": "k1"})
    retry = client.post("/apply/step/review/", {"submit_key": "k1"})
    assert first.status_code == retry.status_code == 302
    assert first["Location"] == retry["Location"] == "/apply/submitted/"
    application = TreatmentApplication.objects.get()
    page = client.get("/apply/submitted/").content.decode()
    assert application.reference in page
    assert TreatmentApplication.objects.count() == 1
    assert [m.subject for m in mail.outbox].count(
        f"Application {application.reference} received by {clinic.name}"
    ) == 1
    assert [f["code"] for f in application.flags] == ["anticoagulants"]


def test_an_incomplete_application_names_what_is_missing(client, clinic):
    client.post(f"/apply/step/about/?clinic={clinic.slug}", ABOUT)
    response = client.post("/apply/step/review/", {"submit_key": "k2"})
    assert response.status_code == 200
    assert "Go to the question" in response.content.decode()
    assert TreatmentApplication.objects.get().status == ApplicationStatus.DRAFT


def test_a_draft_is_resumed_from_its_link_in_another_browser(client, clinic):
    fill_in(client, clinic)
    link = re.search(r"(/apply/link/\S+/)", mail.outbox[0].body).group(1)
    other = Client()
    response = other.get(link)
    assert response.status_code == 302 and response["Location"] == "/apply/step/documents/"
    assert b"Nuria" in other.get("/apply/step/review/").content
    assert Client().get("/apply/link/not-a-token/").status_code == 404


def test_uploading_a_renamed_exe_shows_the_error_on_the_field(client, clinic):
    fill_in(client, clinic)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post("/apply/step/documents/", {"upload": "1", "kind": "medical_report", "file": fake})
    assert response.status_code == 200
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    real = SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf")
    client.post("/apply/step/documents/", {"upload": "1", "kind": "medical_report", "file": real})
    assert TreatmentApplication.objects.get().uploads.count() == 1


def test_staff_review_pages_are_for_the_clinics_reviewers_only(client, clinic, other_clinic, staff):
    application = submitted(clinic)
    url = f"/staff/applications/{application.pk}/"
    client.force_login(staff(Role.COORDINATOR, at=other_clinic))
    assert client.get(url).status_code == 404
    assert application.reference.encode() not in client.get("/staff/applications/").content
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    assert application.reference.encode() in client.get("/staff/applications/").content
    page = client.get(url).content.decode()
    assert "Marta" in page and "this clinic's policy" in page
    assert AuditEvent.objects.filter(action="application.view", actor=coordinator).exists()


def test_a_reviewer_asks_the_applicant_replies_and_the_reviewer_accepts(client, clinic, staff):
    application = submitted(clinic)
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    base = f"/staff/applications/{application.pk}"
    client.post(f"{base}/start-review/")
    response = client.post(f"{base}/request-info/", {"info-body": "When was your last MRI?"})
    assert response.status_code == 302
    link = re.search(r"(/apply/link/\S+/)", mail.outbox[-1].body).group(1)

    applicant = Client()
    status_url = applicant.get(link)["Location"]
    assert "When was your last MRI?" in applicant.get(status_url).content.decode()
    applicant.post(status_url, {"body": "March this year."})

    assert "March this year." in client.get(f"{base}/").content.decode()
    refused = client.post(f"{base}/decide/", {"decision": "accept", "reason": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    client.post(f"{base}/decide/", {"decision": "accept", "reason": "Suitable for a consultation."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.patient is not None


def test_a_transition_that_is_not_allowed_shows_a_message(client, clinic, staff):
    application = submitted(clinic)
    client.force_login(staff(Role.COORDINATOR))
    response = client.post(
        f"/staff/applications/{application.pk}/decide/", {"decision": "decline", "reason": "x"}, follow=True
    )
    assert "cannot be changed this way" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_portal_shows_the_applicants_status(client, clinic, django_user_model):
    application = submitted(clinic)
    services.application_withdraw(application=application)
    user = django_user_model.objects.create_user("marta@example.org", "a-long-test-password")
    client.force_login(user)
    page = client.get("/portal/").content.decode()
    assert application.reference in page and "Withdrawn" in page


def test_message_times_are_shown_in_the_applicants_zone_across_the_clock_change(client, clinic, staff):
    import datetime as dt

    application = submitted(clinic, time_zone="Europe/Madrid")
    coordinator = staff(Role.COORDINATOR)
    services.application_start_review(actor=coordinator, application=application)
    before = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # 01:30 in Madrid, winter time
    after = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)  # 03:30 in Madrid, summer time
    services.application_message_send(actor=coordinator, application=application, body="One", now=before)
    services.application_message_send(actor=coordinator, application=application, body="Two", now=after)
    raw = services.link_issue(application=application)
    page = client.get(client.get(f"/apply/link/{raw}/")["Location"]).content.decode()
    assert "29 Mar 2026 01:30" in page and "29 Mar 2026 03:30" in page
