"""The intake API through HTTP, checked against the project's OpenAPI document."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.intake import services
from exoclinic.intake.models import TreatmentApplication
from tests import openapi
from tests.intake.factories import answers, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def payload(clinic, **overrides):
    body = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in answers(**overrides).items()}
    return {**body, "idempotency_key": "api-key-0001", "clinic": clinic.slug}


def test_submit_without_an_account_and_retry_returns_the_same_application(client, clinic, doc):
    first = client.post("/api/v1/applications", payload(clinic), content_type="application/json")
    retry = client.post("/api/v1/applications", payload(clinic), content_type="application/json")
    assert (first.status_code, retry.status_code) == (201, 200)
    openapi.check(first.json(), openapi.response_schema(doc, "/api/v1/applications", "post", 201), doc)
    assert first.json()["reference"] == retry.json()["reference"]
    assert first.json()["status"] == "submitted"
    assert TreatmentApplication.objects.count() == 1


def test_submit_with_a_bad_answer_names_the_field(client, clinic, doc):
    response = client.post(
        "/api/v1/applications",
        payload(clinic, self_ratings={"movement": 11}),
        content_type="application/json",
    )
    assert response.status_code == 400
    openapi.check(response.json(), openapi.response_schema(doc, "/api/v1/applications", "post", 400), doc)
    assert response.json()["field"] == "movement"


def test_the_applicant_reads_their_own_status(client, clinic, doc, django_user_model):
    application = submitted(clinic)
    submitted(clinic, email="someone.else@example.org")
    user = django_user_model.objects.create_user("marta@example.org")
    response = client.get("/api/v1/applications/mine", headers=bearer(user))
    assert response.status_code == 200
    openapi.check(response.json(), openapi.response_schema(doc, "/api/v1/applications/mine", "get", 200), doc)
    assert [a["reference"] for a in response.json()] == [application.reference]


def test_staff_list_detail_and_transitions(client, clinic, other_clinic, staff, doc):
    application = submitted(clinic, bleeding_disorder="yes")
    coordinator = staff(Role.COORDINATOR)
    auth = bearer(coordinator)

    listing = client.get("/api/v1/applications/review?flag=needs_attention", headers=auth)
    openapi.check(
        listing.json(), openapi.response_schema(doc, "/api/v1/applications/review", "get", 200), doc
    )
    assert [a["id"] for a in listing.json()] == [application.pk]

    path = "/api/v1/applications/review/{application_id}"
    detail = client.get(f"/api/v1/applications/review/{application.pk}", headers=auth)
    openapi.check(detail.json(), openapi.response_schema(doc, path, "get", 200), doc)
    assert detail.json()["flags"][0]["code"] == "bleeding_disorder"

    url = f"/api/v1/applications/review/{application.pk}/transitions"
    refused = client.post(
        url, {"action": "accept", "text": "ok"}, content_type="application/json", headers=auth
    )
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    for action, text in (("start_review", ""), ("request_info", "Which medication?")):
        response = client.post(
            url, {"action": action, "text": text}, content_type="application/json", headers=auth
        )
        assert response.status_code == 200
    openapi.check(response.json(), openapi.response_schema(doc, f"{path}/transitions", "post", 200), doc)
    assert response.json()["status"] == "info_requested"

    outsider = bearer(staff(Role.COORDINATOR, at=other_clinic))
    assert client.get(f"/api/v1/applications/review/{application.pk}", headers=outsider).status_code == 404
    assert client.get("/api/v1/applications/review", headers=outsider).json() == []


def test_the_applicant_answers_a_question_through_the_api(client, clinic, staff, doc, django_user_model):
    coordinator = staff(Role.COORDINATOR)
    application = submitted(clinic)
    services.application_start_review(actor=coordinator, application=application)
    services.application_request_info(actor=coordinator, application=application, body="Which level?")
    user = django_user_model.objects.create_user("marta@example.org")
    url = f"/api/v1/applications/mine/{application.pk}/reply"
    response = client.post(url, {"body": "T6."}, content_type="application/json", headers=bearer(user))
    assert response.status_code == 200
    openapi.check(
        response.json(),
        openapi.response_schema(doc, "/api/v1/applications/mine/{application_id}/reply", "post", 200),
        doc,
    )
    assert response.json()["status"] == "in_review"
    assert [m["body"] for m in response.json()["messages"]] == ["Which level?", "T6."]
    stranger = django_user_model.objects.create_user("stranger@example.org")
    refused = client.post(url, {"body": "hi"}, content_type="application/json", headers=bearer(stranger))
    assert refused.status_code == 404
