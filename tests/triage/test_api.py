"""The triage API over HTTP, checked against the OpenAPI document."""

from __future__ import annotations

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.models import AuditEvent
from exoclinic.triage.models import SymptomReport, TriageAlert
from tests import openapi
from tests.factories import PatientFactory, UserFactory
from tests.triage.factories import AD_HEADACHE, answers


@pytest.fixture
def doc(client, db):
    return client.get("/api/v1/openapi.json").json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def payload(patient, yes=AD_HEADACHE):
    return {
        "patient_id": patient.pk,
        "answers": [
            {
                "code": a.code.value,
                "answer": a.answer.value,
                "severity": a.severity,
                "onset_hours_ago": a.onset_hours_ago,
            }
            for a in answers(yes)
        ],
        "vitals": {"systolic_mmhg": 118},
    }


def test_a_patient_submits_a_report_and_gets_the_outcome(client, doc, patient, patient_user, clinic):
    response = client.post(
        "/api/v1/triage/reports",
        payload(patient),
        content_type="application/json",
        headers=bearer(patient_user),
    )
    assert response.status_code == 201
    body = response.json()
    openapi.check(body, openapi.response_schema(doc, "/api/v1/triage/reports", "post", 201), doc)
    assert body["level"] == "emergency" and body["ruleset_version"] == "2026.2"
    assert "autonomic_dysreflexia" in [f["code"] for f in body["findings"]]
    assert body["advice"][0].startswith("Sit upright")
    assert body["alert_id"] == TriageAlert.objects.get().pk
    assert body["clinic_emergency_phone"] == clinic.emergency_phone
    assert SymptomReport.objects.get().source == "api"
    detail = client.get(f"/api/v1/triage/reports/{body['id']}", headers=bearer(patient_user))
    openapi.check(
        detail.json(), openapi.response_schema(doc, "/api/v1/triage/reports/{report_id}", "get", 200), doc
    )


def test_an_invalid_answer_is_refused_naming_the_field(client, patient, patient_user):
    data = payload(patient)
    headache = next(a for a in data["answers"] if a["code"] == "headache")
    headache["severity"] = "unbearable"
    response = client.post(
        "/api/v1/triage/reports", data, content_type="application/json", headers=bearer(patient_user)
    )
    assert response.status_code == 400
    assert response.json()["field"] == "answers.headache.severity"


def test_reporting_for_someone_else_answers_404(client, patient, staff):
    for user in (UserFactory(), staff(Role.CLINICIAN)):
        response = client.post(
            "/api/v1/triage/reports", payload(patient), content_type="application/json", headers=bearer(user)
        )
        assert response.status_code == 404
    assert not SymptomReport.objects.exists()


def test_staff_list_and_acknowledge_alerts_of_their_clinic(
    client, doc, patient, patient_user, staff, other_clinic
):
    client.post(
        "/api/v1/triage/reports",
        payload(patient),
        content_type="application/json",
        headers=bearer(patient_user),
    )
    coordinator = staff(Role.COORDINATOR)
    listing = client.get("/api/v1/triage/alerts", headers=bearer(coordinator))
    openapi.check(listing.json(), openapi.response_schema(doc, "/api/v1/triage/alerts", "get", 200), doc)
    [alert] = listing.json()
    assert alert["patient_id"] == patient.pk and alert["acknowledged_at"] is None
    read = AuditEvent.objects.get(action="patient.view", actor=coordinator)
    assert (read.patient, read.detail) == (patient, {"purpose": "triage_alerts_api"})

    outsider = staff(Role.CLINICIAN, at=other_clinic)
    assert client.get("/api/v1/triage/alerts", headers=bearer(outsider)).json() == []
    url = f"/api/v1/triage/alerts/{alert['id']}/acknowledge"
    assert client.post(url, headers=bearer(outsider)).status_code == 404

    done = client.post(url, headers=bearer(coordinator))
    assert done.status_code == 200
    openapi.check(
        done.json(),
        openapi.response_schema(doc, "/api/v1/triage/alerts/{alert_id}/acknowledge", "post", 200),
        doc,
    )
    assert done.json()["acknowledged_by"] == coordinator.email
    again = client.post(url, headers=bearer(coordinator))
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert client.get("/api/v1/triage/alerts", headers=bearer(coordinator)).json() == []
    assert len(client.get("/api/v1/triage/alerts?open_only=false", headers=bearer(coordinator)).json()) == 1


def test_the_checklist_is_served_in_form_order(client, patient_user):
    body = client.get("/api/v1/triage/checklist", headers=bearer(patient_user)).json()
    codes = [q["code"] for q in body]
    assert body[0]["red_flag"] and codes.index("headache") + 1 == codes.index("pounding_headache")
    assert body[codes.index("pounding_headache")]["parent"] == "headache"


def test_a_patient_cannot_read_another_patients_report(client, patient, patient_user):
    client.post(
        "/api/v1/triage/reports",
        payload(patient),
        content_type="application/json",
        headers=bearer(patient_user),
    )
    other = PatientFactory(user=UserFactory())
    report = SymptomReport.objects.get()
    assert client.get(f"/api/v1/triage/reports/{report.pk}", headers=bearer(other.user)).status_code == 404
