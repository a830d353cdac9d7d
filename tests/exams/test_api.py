import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.exams.models import IsncsciExam
from tests import openapi
from tests.exams.factories import complete_t6_exam, normal_exam, recorded_exam

pytestmark = pytest.mark.django_db

CLASSIFY = "/api/v1/isncsci/classify"
EXAMS = "/api/v1/patients/{patient_id}/isncsci-exams"


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", headers=bearer(user))


def test_classify_answers_the_reference_result_shape(client, doc, patient_user):
    response = post(client, CLASSIFY, complete_t6_exam(), patient_user)

    assert response.status_code == 200
    body = response.json()
    openapi.check(body, openapi.response_schema(doc, CLASSIFY, "post", 200), doc)
    assert body["classification"]["ASIAImpairmentScale"] == "A"
    assert body["classification"]["neurologicalLevelOfInjury"] == "T6"
    assert body["totals"]["right"]["motor"] == "25"


def test_classify_names_the_bad_field_of_an_invalid_exam(client, doc, patient_user):
    exam = normal_exam()
    exam["right"]["motor"]["C5"] = "6"

    response = post(client, CLASSIFY, exam, patient_user)

    assert response.status_code == 400
    body = response.json()
    openapi.check(body, openapi.response_schema(doc, CLASSIFY, "post", 400), doc)
    assert body["code"] == "invalid"
    assert body["field"] == "right.motor.C5"
    assert body["message"] == 'right.motor.C5: "6" is not a motor value'


def test_classify_refuses_text_that_is_not_json(client, patient_user):
    response = client.post(CLASSIFY, "{nope", content_type="application/json", headers=bearer(patient_user))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_classify_needs_a_login(client):
    assert client.post(CLASSIFY, normal_exam(), content_type="application/json").status_code == 401


def test_classify_with_the_browser_session_needs_the_csrf_token(patient_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(patient_user)

    assert browser.post(CLASSIFY, normal_exam(), content_type="application/json").status_code == 403


def test_a_clinician_records_an_exam_and_lists_it(client, doc, patient, staff):
    clinician = staff(Role.CLINICIAN)
    url = EXAMS.format(patient_id=patient.pk)
    when = (timezone.now() - dt.timedelta(hours=2)).isoformat()

    created = post(
        client, url, {"examined_at": when, "exam": complete_t6_exam(), "comments": "baseline"}, clinician
    )

    assert created.status_code == 201, created.content
    openapi.check(created.json(), openapi.response_schema(doc, EXAMS, "post", 201), doc)
    assert (created.json()["ais"], created.json()["nli"]) == ("A", "T6")
    listing = client.get(url, headers=bearer(clinician))
    openapi.check(listing.json(), openapi.response_schema(doc, EXAMS, "get", 200), doc)
    assert [e["id"] for e in listing.json()] == [created.json()["id"]]


def test_recording_an_invalid_exam_answers_400_naming_the_field_and_stores_nothing(client, patient, staff):
    exam = normal_exam()
    exam["left"]["pinPrick"]["S4_5"] = "3"

    response = post(
        client,
        EXAMS.format(patient_id=patient.pk),
        {"examined_at": timezone.now().isoformat(), "exam": exam},
        staff(Role.CLINICIAN),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "left.pinPrick.S4_5"
    assert not IsncsciExam.objects.exists()


def test_a_bad_exam_date_is_named(client, patient, staff):
    response = post(
        client,
        EXAMS.format(patient_id=patient.pk),
        {"examined_at": "yesterday", "exam": normal_exam()},
        staff(Role.CLINICIAN),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "examined_at"


def test_the_patient_lists_their_exams_but_cannot_record_one(client, patient, patient_user, staff):
    exam = recorded_exam(actor=staff(Role.CLINICIAN), patient=patient)
    url = EXAMS.format(patient_id=patient.pk)

    assert [e["id"] for e in client.get(url, headers=bearer(patient_user)).json()] == [exam.pk]
    refused = post(
        client, url, {"examined_at": timezone.now().isoformat(), "exam": normal_exam()}, patient_user
    )
    assert refused.status_code == 404


@pytest.mark.parametrize("outsider", ["other_clinic_clinician", "lab"])
def test_outsiders_get_404_for_the_list_the_detail_and_a_new_exam(
    client, patient, staff, other_clinic, outsider
):
    exam = recorded_exam(actor=staff(Role.CLINICIAN), patient=patient)
    user = staff(Role.CLINICIAN, at=other_clinic) if outsider != "lab" else staff(Role.LAB)
    url = EXAMS.format(patient_id=patient.pk)

    assert client.get(url, headers=bearer(user)).status_code == 404
    assert client.get(f"/api/v1/isncsci-exams/{exam.pk}", headers=bearer(user)).status_code == 404
    created = post(client, url, {"examined_at": timezone.now().isoformat(), "exam": normal_exam()}, user)
    assert created.status_code == 404


def test_a_correction_through_the_api_reclassifies_and_needs_a_reason(client, doc, patient, staff):
    clinician = staff(Role.CLINICIAN)
    exam = recorded_exam(actor=clinician, patient=patient)
    url = f"/api/v1/isncsci-exams/{exam.pk}/corrections"

    refused = post(client, url, {"exam": normal_exam(), "reason": ""}, clinician)
    done = post(
        client,
        url,
        {"exam": normal_exam(), "reason": "wrong patient sheet", "expected_version": 1},
        clinician,
    )
    stale = post(client, url, {"exam": normal_exam(), "reason": "again", "expected_version": 1}, clinician)

    assert (refused.status_code, refused.json()["field"]) == (400, "reason")
    assert done.status_code == 200
    openapi.check(
        done.json(),
        openapi.response_schema(doc, "/api/v1/isncsci-exams/{exam_id}/corrections", "post", 200),
        doc,
    )
    assert (done.json()["version"], done.json()["ais"]) == (2, "E")
    assert stale.status_code == 409


def test_an_exam_recorded_through_the_api_can_name_its_visit(client, patient, staff, other_clinic):
    from tests.scheduling.factories import AppointmentFactory

    clinician = staff(Role.CLINICIAN)
    visit = AppointmentFactory(
        patient=patient, start=timezone.now() - dt.timedelta(hours=1), status="completed"
    )
    elsewhere = AppointmentFactory(start=timezone.now() - dt.timedelta(hours=1), status="completed")
    url = EXAMS.format(patient_id=patient.pk)
    body = {"examined_at": timezone.now().isoformat(), "exam": normal_exam()}

    refused = post(client, url, {**body, "appointment_id": elsewhere.pk}, clinician)
    created = post(client, url, {**body, "appointment_id": visit.pk}, clinician)

    assert (refused.status_code, refused.json()["field"]) == (400, "appointment_id")
    assert created.status_code == 201 and created.json()["appointment_id"] == visit.pk
