"""The outcomes API over HTTP, checked against the project's OpenAPI document."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.outcomes import services
from exoclinic.outcomes.models import Assessment
from tests import openapi
from tests.outcomes.factories import RATINGS, scim_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def _check(doc, body, path, method, status):
    openapi.check(body, openapi.response_schema(doc, f"/api/v1{path}", method, status), doc)


def test_clinician_posts_an_assessment_and_reads_it_back(client, doc, patient, staff):
    auth = bearer(staff(Role.CLINICIAN))
    path = f"/api/v1/patients/{patient.pk}/assessments"
    response = client.post(
        path,
        {"instrument": "scim3", "items": scim_items(), "taken_on": "2025-01-10"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 201, response.content
    _check(doc, response.json(), "/patients/{patient_id}/assessments", "post", 201)
    assert response.json()["values"]["total"] == 41 and response.json()["source"] == "api"
    listing = client.get(path, headers=auth).json()
    _check(doc, listing, "/patients/{patient_id}/assessments", "get", 200)
    assert [a["instrument"] for a in listing] == ["scim3"]


def test_out_of_range_item_answers_400_naming_every_item(client, doc, patient, staff):
    response = client.post(
        f"/api/v1/patients/{patient.pk}/assessments",
        {"instrument": "scim3", "items": scim_items(bladder=7, stairs=9), "taken_on": "2025-01-10"},
        content_type="application/json",
        headers=bearer(staff(Role.CLINICIAN)),
    )
    assert response.status_code == 400
    body = response.json()
    _check(doc, body, "/patients/{patient_id}/assessments", "post", 400)
    assert body["code"] == "invalid_score" and body["field"] == "bladder"
    assert {e["field"] for e in body["errors"]} == {"bladder", "stairs"}
    assert not Assessment.objects.exists()


def test_patient_writes_the_diary_and_another_patient_gets_404(client, doc, patient, patient_user):
    response = client.post(
        f"/api/v1/patients/{patient.pk}/diary",
        {"ratings": RATINGS, "note": "better sleep"},
        content_type="application/json",
        headers=bearer(patient_user),
    )
    assert response.status_code == 201
    _check(doc, response.json(), "/patients/{patient_id}/diary", "post", 201)
    listing = client.get(f"/api/v1/patients/{patient.pk}/diary", headers=bearer(patient_user)).json()
    _check(doc, listing, "/patients/{patient_id}/diary", "get", 200)
    assert listing[0]["ratings"] == RATINGS
    from tests.factories import UserFactory

    stranger = UserFactory()
    assert client.get(f"/api/v1/patients/{patient.pk}/diary", headers=bearer(stranger)).status_code == 404


def test_progress_reports_change_against_threshold(client, doc, patient, patient_user, staff):
    clinician = staff(Role.CLINICIAN)
    services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="pain",
        items={"average": 7},
        taken_on=dt.date(2025, 1, 1),
    )
    services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="pain",
        items={"average": 4},
        taken_on=dt.date(2025, 6, 1),
    )
    body = client.get(f"/api/v1/patients/{patient.pk}/progress", headers=bearer(patient_user)).json()
    _check(doc, body, "/patients/{patient_id}/progress", "get", 200)
    pain = next(block for block in body["indicators"] if block["indicator"] == "pain")
    series = next(s for s in pain["series"] if s["measure"] == "pain.average")
    assert series["change"]["direction"] == "improved"
    assert series["change"]["category"] == "beyond_threshold"
    assert "Farrar 2001" in series["change"]["source"]


def test_cohort_summary_for_the_director_only(client, doc, clinic, staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    body = client.get("/api/v1/outcomes/cohort?point=12", headers=bearer(director)).json()
    _check(doc, body, "/outcomes/cohort", "get", 200)
    assert body["point_months"] == 12 and body["patients"] == 0
    assert client.get("/api/v1/outcomes/cohort", headers=bearer(staff(Role.CLINICIAN))).status_code == 403
    bad = client.get("/api/v1/outcomes/cohort?point=5", headers=bearer(director))
    assert bad.status_code == 400 and bad.json()["field"] == "point"


def test_instrument_definitions_carry_ranges_and_sourced_thresholds(client, doc, patient_user):
    body = client.get("/api/v1/outcomes/instruments", headers=bearer(patient_user)).json()
    _check(doc, body, "/outcomes/instruments", "get", 200)
    scim = next(i for i in body if i["code"] == "scim3")
    assert len(scim["items"]) == 19
    total = next(m for m in scim["measures"] if m["code"] == "scim3.total")
    assert total["rules"][0]["points"] == 4 and "Scivoletto" in total["rules"][0]["source"]
