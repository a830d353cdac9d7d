import pytest
from django.core.management import call_command

from exoclinic.accounts.models import ApiToken, Role
from exoclinic.accounts.services import api_token_issue, api_token_revoke
from tests import openapi


@pytest.fixture
def doc(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def test_openapi_document_lists_the_foundation_endpoints(doc):
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/patients", "/api/v1/patients/{patient_id}"} <= set(doc["paths"])


def test_docs_page_is_served(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_me_describes_the_user_and_memberships(client, doc, clinic, staff):
    clinician = staff(Role.CLINICIAN, is_medical_director=True)
    body = client.get("/api/v1/me", headers=bearer(clinician)).json()
    openapi.check(body, openapi.response_schema(doc, "/api/v1/me", "get", 200), doc)
    assert body["email"] == clinician.email
    assert body["memberships"] == [
        {"clinic_id": clinic.pk, "clinic": clinic.name, "role": "clinician", "is_medical_director": True}
    ]


def test_patient_detail_and_list_match_the_openapi_document(client, doc, patient, patient_user):
    auth = bearer(patient_user)
    detail = client.get(f"/api/v1/patients/{patient.pk}", headers=auth).json()
    openapi.check(detail, openapi.response_schema(doc, "/api/v1/patients/{patient_id}", "get", 200), doc)
    assert detail["current_step"] == "consultation"
    listing = client.get("/api/v1/patients", headers=auth).json()
    openapi.check(listing, openapi.response_schema(doc, "/api/v1/patients", "get", 200), doc)
    assert [p["id"] for p in listing] == [patient.pk]


def test_without_credentials_the_api_answers_401_as_json(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_revoked_and_made_up_tokens_are_refused(client, patient_user):
    token, raw = api_token_issue(user=patient_user)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    api_token_revoke(user=patient_user, prefix=token.prefix)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer exo_madeup"}).status_code == 401


def test_tokens_are_stored_hashed(patient_user):
    _, raw = api_token_issue(user=patient_user)
    row = ApiToken.objects.get(user=patient_user)
    assert raw not in (row.key_hash, row.prefix) and len(row.key_hash) == 64


def test_issue_token_command_prints_a_working_token(client, patient_user, capsys):
    call_command("issue_token", patient_user.email.upper())
    raw = capsys.readouterr().out.strip()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["email"]
        == patient_user.email
    )


def test_session_authentication_works_for_reads(client, patient_user):
    client.force_login(patient_user)
    assert client.get("/api/v1/me").json()["email"] == patient_user.email


def test_session_writes_need_the_csrf_token(patient, patient_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(patient_user)
    response = csrf_client.patch(
        f"/api/v1/patients/{patient.pk}", {"phone": "1"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_patient_updates_contact_details_and_bad_input_names_the_field(client, doc, patient, patient_user):
    auth = bearer(patient_user)
    ok = client.patch(
        f"/api/v1/patients/{patient.pk}",
        {"phone": "+34 600 123"},
        content_type="application/json",
        headers=auth,
    )
    assert ok.status_code == 200 and ok.json()["phone"] == "+34 600 123"
    bad = client.patch(
        f"/api/v1/patients/{patient.pk}",
        {"time_zone": "Moon/Base"},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "time_zone" and bad.json()["code"] == "invalid"
    openapi.check(
        bad.json(), openapi.response_schema(doc, "/api/v1/patients/{patient_id}", "patch", 400), doc
    )


def test_malformed_json_types_give_400_naming_the_field(client, patient, patient_user):
    response = client.patch(
        f"/api/v1/patients/{patient.pk}",
        {"phone": ["not", "a", "string"]},
        content_type="application/json",
        headers=bearer(patient_user),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "phone"


def test_the_staff_patient_list_comes_a_page_at_a_time_and_audits_only_what_was_sent(client, clinic, staff):
    from exoclinic.core.models import AuditEvent
    from tests.factories import PatientFactory

    for name in ("Abad", "Benitez", "Castro", "Diaz", "Esteban"):
        PatientFactory(clinic=clinic, last_name=name)
    PatientFactory(last_name="Aaron")  # another clinic's patient: never listed, never counted
    auth = bearer(staff(Role.CLINICIAN))

    first = client.get("/api/v1/patients?limit=2", headers=auth)
    assert first.status_code == 200
    assert [p["last_name"] for p in first.json()] == ["Abad", "Benitez"]
    assert first["X-Total-Count"] == "5"
    assert first["Link"] == '</api/v1/patients?limit=2&offset=2>; rel="next"'
    sent = {p["id"] for p in first.json()}
    audited = set(AuditEvent.objects.filter(action="patient.view").values_list("patient_id", flat=True))
    assert audited == sent

    last = client.get("/api/v1/patients?limit=2&offset=4", headers=auth)
    assert [p["last_name"] for p in last.json()] == ["Esteban"]
    assert "Link" not in last

    # Without parameters: the first page of the default size, the same order.
    default = client.get("/api/v1/patients", headers=auth).json()
    assert [p["last_name"] for p in default] == ["Abad", "Benitez", "Castro", "Diaz", "Esteban"]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=abc", "offset=-1", "offset=1e3", "limit="])
def test_a_bad_page_is_refused_with_400_not_a_500(client, clinic, staff, query):
    response = client.get(f"/api/v1/patients?{query}", headers=bearer(staff(Role.CLINICIAN)))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_page_of_the_patient_list_costs_the_same_queries_however_many_patients_there_are(
    client, clinic, staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PatientFactory

    auth = bearer(staff(Role.CLINICIAN))
    client.get("/api/v1/patients", headers=auth)  # the token's first use records its time: not counted

    def queries(patients: int, limit: int) -> int:
        PatientFactory.create_batch(patients - clinic.patients.count(), clinic=clinic)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/patients?limit={limit}", headers=auth)
        assert response.status_code == 200 and response["X-Total-Count"] == str(patients)
        return len(captured)

    # A full page each time: the count may not grow with the patients who are not on it (before paging,
    # SQLite's cap of 999 parameters split the whole list's IN (...) lists into more and more queries).
    assert queries(150, limit=100) == queries(600, limit=100) == queries(1200, limit=100)
