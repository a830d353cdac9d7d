"""Who reads what over FHIR: the API's tokens and session, the one access policy, audited reads, errors."""

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from tests.factories import PatientFactory, UserFactory

from .conftest import add_assessments, validate


def _get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(path, params, **headers)


def _outcome(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    validate(body)
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]


@pytest.mark.parametrize(
    "path",
    ["/fhir/r4/Patient", "/fhir/r4/Observation", "/fhir/r4/Patient/1", "/fhir/r4/Patient/1/$everything"],
)
def test_anonymous_reader_gets_401_operation_outcome(db, client, path):
    response = client.get(path)
    issue = _outcome(response, 401)
    assert issue["code"] == "login"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_made_up_token_is_refused(db, client):
    _outcome(_get(client, "/fhir/r4/Patient", token="not-a-token"), 401)


def test_patient_reads_own_record_with_token_and_other_patients_id_is_404(patient, clinic, client, token):
    other = PatientFactory(clinic=clinic)
    add_assessments(patient)
    add_assessments(other)
    raw = token(patient.user)
    mine = _get(client, f"/fhir/r4/Patient/{patient.pk}", token=raw)
    assert mine.status_code == 200 and mine.json()["id"] == str(patient.pk)
    _outcome(_get(client, f"/fhir/r4/Patient/{other.pk}", token=raw), 404)
    _outcome(_get(client, f"/fhir/r4/Patient/{other.pk}/$everything", token=raw), 404)
    bundle = _get(client, "/fhir/r4/Observation", token=raw).json()
    assert bundle["total"] == 9
    assert {e["resource"]["subject"]["reference"] for e in bundle["entry"]} == {f"Patient/{patient.pk}"}
    assert _get(client, "/fhir/r4/Observation", token=raw, patient=other.pk).json()["total"] == 0


def test_caregiver_reads_the_linked_patient_only(clinic, client, token):
    caregiver = UserFactory()
    linked = PatientFactory(clinic=clinic, caregiver=caregiver)
    stranger = PatientFactory(clinic=clinic)
    raw = token(caregiver)
    assert _get(client, f"/fhir/r4/Patient/{linked.pk}/$everything", token=raw).status_code == 200
    _outcome(_get(client, f"/fhir/r4/Condition/{stranger.pk}", token=raw), 404)
    ids = [e["resource"]["id"] for e in _get(client, "/fhir/r4/Patient", token=raw).json()["entry"]]
    assert ids == [str(linked.pk)]


def test_other_clinics_staff_get_404_and_lab_staff_see_no_charts(patient, other_clinic, staff, client, token):
    outsider = staff(Role.CLINICIAN, at=other_clinic)
    _outcome(_get(client, f"/fhir/r4/Patient/{patient.pk}", token=token(outsider)), 404)
    assert _get(client, "/fhir/r4/Patient", token=token(outsider)).json()["total"] == 0
    lab = staff(Role.LAB)
    _outcome(_get(client, f"/fhir/r4/Patient/{patient.pk}", token=token(lab)), 404)


def test_staff_reads_are_audited_per_patient_returned(patient, clinic, staff, client):
    other = PatientFactory(clinic=clinic)
    add_assessments(patient)
    add_assessments(other)
    clinician = staff(Role.CLINICIAN)
    client.force_login(clinician)  # the browser session works as the API's does
    assert client.get("/fhir/r4/Observation").status_code == 200
    rows = AuditEvent.objects.filter(
        actor=clinician, action="patient.view", detail__purpose="fhir.Observation"
    )
    assert sorted(rows.values_list("patient_id", flat=True)) == sorted([patient.pk, other.pk])
    client.get(f"/fhir/r4/Patient/{patient.pk}/$everything")
    assert AuditEvent.objects.filter(
        actor=clinician, patient=patient, detail__purpose="fhir.Patient.$everything"
    ).exists()


@pytest.mark.parametrize(
    "query, expression",
    [
        ({"colour": "blue"}, "colour"),
        ({"date": "last-tuesday"}, "date"),
        ({"date": "2024-13-01"}, "date"),
        ({"patient": "Practitioner/3"}, "patient"),
        ({"_count": "many"}, "_count"),
        ({"_format": "xml"}, "_format"),
    ],
)
def test_a_bad_search_parameter_is_a_400_naming_it(patient, client, query, expression):
    client.force_login(patient.user)
    issue = _outcome(client.get("/fhir/r4/Observation", query), 400)
    assert issue["expression"] == [expression]
    assert expression in issue["diagnostics"]


def test_unknown_type_and_unknown_id_are_404(patient, client):
    client.force_login(patient.user)
    _outcome(client.get("/fhir/r4/Medication"), 404)
    _outcome(client.get("/fhir/r4/Observation/a-999999"), 404)
    _outcome(client.get("/fhir/r4/Observation/nonsense"), 404)
    _outcome(client.get("/fhir/r4/Patient/1/_history/2"), 404)


def test_writes_are_refused_with_405(patient, client):
    client.force_login(patient.user)
    _outcome(client.post("/fhir/r4/Patient", {}, content_type="application/fhir+json"), 405)


def test_search_by_code_date_status_and_last_updated(patient, client):
    add_assessments(patient, n=4)
    client.force_login(patient.user)

    def total(**params):
        return client.get("/fhir/r4/Observation", params).json()["total"]

    assert total(code="scim3") == 4
    assert total(code="http://loinc.org|72514-3") == 4
    assert total(code="http://loinc.org|scim3") == 0
    assert total(code="scim3", date="ge2024-01-08") == 3
    assert total(code="scim3", date=["ge2024-01-08", "lt2024-01-22"]) == 2
    assert total(date="2024-01-15") == 3  # scim3, pain and the diary week of that day
    assert total(status="final") == 12
    assert total(status="cancelled") == 0
    assert total(category="survey", code="weekly-diary") == 4
    assert total(_lastUpdated="gt2000-01-01") == 12
    assert total(_lastUpdated="lt2000-01-01") == 0


def test_paging_links_walk_the_whole_result_once(patient, client):
    add_assessments(patient, n=5)  # 15 observations from three sources
    client.force_login(patient.user)
    url, seen, pages = "/fhir/r4/Observation?_count=4", [], 0
    while url:
        bundle = client.get(url).json()
        assert bundle["total"] == 15
        seen += [e["resource"]["id"] for e in bundle.get("entry", [])]
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        if pages:
            assert "previous" in links
        url = links.get("next", "").replace("http://testserver", "")
        pages += 1
    assert pages == 4
    assert len(seen) == len(set(seen)) == 15


def test_list_reads_cost_the_same_queries_for_few_or_many_rows(clinic, staff, client):
    from django.db import connection

    clinician = staff(Role.CLINICIAN)
    client.force_login(clinician)
    add_assessments(PatientFactory(clinic=clinic), n=1)

    def queries(path):
        seen = []

        def count(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(path, {"_count": 500}).status_code == 200
        return len(seen)

    few = {kind: queries(f"/fhir/r4/{kind}") for kind in ("Observation", "Patient", "Condition")}
    assert 5 < few["Observation"] < 30
    for _ in range(8):
        add_assessments(PatientFactory(clinic=clinic), n=3)
    assert {kind: queries(f"/fhir/r4/{kind}") for kind in few} == few
