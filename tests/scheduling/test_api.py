"""The booking API through HTTP, checked against the project's own OpenAPI document."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.scheduling.models import Appointment, AppointmentStatus
from tests import openapi
from tests.factories import PatientFactory, StaffFactory, UserFactory

from .conftest import NOW


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    # The API reads the clock; the tests' slots are in March 2027, seen from Monday 1 March 08:00 UTC.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def doc(client, db):
    return client.get("/api/v1/openapi.json").json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def _book(client, auth, consultation, start="2027-03-02T10:00:00+01:00", **extra):
    body = {"appointment_type": consultation.pk, "start": start, **extra}
    return client.post("/api/v1/appointments", body, content_type="application/json", headers=auth)


def test_openapi_lists_the_booking_endpoints(doc):
    assert {
        "/api/v1/appointment-types",
        "/api/v1/slots",
        "/api/v1/appointments",
        "/api/v1/appointments/{appointment_id}",
        "/api/v1/appointments/{appointment_id}/reschedule",
        "/api/v1/appointments/{appointment_id}/cancel",
    } <= set(doc["paths"])


def test_patient_lists_types_and_slots_with_start_end_and_practitioner(
    client, doc, physician, consultation, booker
):
    patient, user = booker
    auth = bearer(user)
    types = client.get("/api/v1/appointment-types", headers=auth).json()
    openapi.check(types, openapi.response_schema(doc, "/api/v1/appointment-types", "get", 200), doc)
    assert [t["name"] for t in types] == ["Consultation in person"]
    response = client.get(
        f"/api/v1/slots?appointment_type={consultation.pk}&start=2027-03-02&end=2027-03-02", headers=auth
    )
    assert response.status_code == 200
    body = response.json()
    openapi.check(body, openapi.response_schema(doc, "/api/v1/slots", "get", 200), doc)
    assert body[0] == {
        "start": "2027-03-02T08:00:00Z",
        "end": "2027-03-02T09:00:00Z",
        "practitioner": {"id": physician.pk, "name": "Dr. Ada Alba"},
        "places_left": 1,
    }
    assert len(body) == 6


def test_slot_search_names_the_bad_field(client, physician, consultation, booker):
    patient, user = booker
    response = client.get(
        f"/api/v1/slots?appointment_type={consultation.pk}&start=2027-03-05&end=2027-03-02",
        headers=bearer(user),
    )
    assert response.status_code == 400 and response.json()["field"] == "end"
    response = client.get(
        "/api/v1/slots?appointment_type=abc&start=2027-03-02&end=2027-03-02", headers=bearer(user)
    )
    assert response.status_code == 400 and response.json()["field"] == "appointment_type"


def test_booking_answers_201_and_the_same_key_again_returns_the_same_appointment(
    client, doc, physician, consultation, booker
):
    patient, user = booker
    auth = bearer(user)
    first = _book(client, auth, consultation, idempotency_key="k-1", caregiver_attending=True)
    assert first.status_code == 201
    openapi.check(first.json(), openapi.response_schema(doc, "/api/v1/appointments", "post", 201), doc)
    assert first.json()["status"] == "confirmed" and first.json()["caregiver_attending"] is True
    again = _book(client, auth, consultation, idempotency_key="k-1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Appointment.objects.count() == 1


def test_booking_a_taken_slot_answers_409_with_the_next_free_slots(
    client, doc, physician, consultation, booker
):
    patient, user = booker
    assert _book(client, bearer(user), consultation).status_code == 201
    rival = UserFactory()
    PatientFactory(clinic=patient.clinic, user=rival)
    response = _book(client, bearer(rival), consultation)
    assert response.status_code == 409
    body = response.json()
    openapi.check(body, openapi.response_schema(doc, "/api/v1/appointments", "post", 409), doc)
    assert body["code"] == "slot_taken" and body["message"] == "That time was just taken."
    assert body["next_slots"][0]["start"] == "2027-03-02T08:00:00+00:00"


def test_staff_book_for_a_patient_and_a_patient_cannot_book_for_someone_else(
    client, physician, consultation, booker, madrid
):
    patient, user = booker
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    response = _book(client, bearer(coordinator), consultation, patient=patient.pk)
    assert response.status_code == 201 and response.json()["patient"] == patient.pk
    stranger = UserFactory()
    PatientFactory(clinic=madrid, user=stranger)
    refused = _book(
        client, bearer(stranger), consultation, start="2027-03-02T11:00:00+01:00", patient=patient.pk
    )
    assert refused.status_code == 404


def test_reschedule_cancel_and_list_through_the_api(client, doc, physician, consultation, booker):
    patient, user = booker
    auth = bearer(user)
    created = _book(client, auth, consultation).json()
    moved = client.post(
        f"/api/v1/appointments/{created['id']}/reschedule",
        {"start": "2027-03-03T09:00:00+01:00"},
        content_type="application/json",
        headers=auth,
    )
    assert moved.status_code == 200
    openapi.check(
        moved.json(),
        openapi.response_schema(doc, "/api/v1/appointments/{appointment_id}/reschedule", "post", 200),
        doc,
    )
    assert moved.json()["start"] == "2027-03-03T08:00:00Z" and moved.json()["sequence"] == 1
    listing = client.get("/api/v1/appointments", headers=auth).json()
    openapi.check(listing, openapi.response_schema(doc, "/api/v1/appointments", "get", 200), doc)
    assert [a["id"] for a in listing] == [created["id"]]
    cancelled = client.post(
        f"/api/v1/appointments/{created['id']}/cancel",
        {"reason": "Better"},
        content_type="application/json",
        headers=auth,
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == AppointmentStatus.CANCELLED
    again = client.post(
        f"/api/v1/appointments/{created['id']}/cancel", {}, content_type="application/json", headers=auth
    )
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_another_patients_appointment_answers_404(client, physician, consultation, booker, madrid):
    patient, user = booker
    created = _book(client, bearer(user), consultation).json()
    stranger = UserFactory()
    PatientFactory(clinic=madrid, user=stranger)
    auth = bearer(stranger)
    assert client.get(f"/api/v1/appointments/{created['id']}", headers=auth).status_code == 404
    cancel = client.post(
        f"/api/v1/appointments/{created['id']}/cancel", {}, content_type="application/json", headers=auth
    )
    assert cancel.status_code == 404
    assert client.get("/api/v1/appointments", headers=auth).json() == []


def test_start_without_offset_is_refused_naming_the_field(client, physician, consultation, booker):
    patient, user = booker
    response = _book(client, bearer(user), consultation, start="2027-03-02T10:00:00")
    assert response.status_code == 400 and response.json()["field"] == "start"


def test_rescheduling_onto_a_taken_time_answers_409(client, physician, consultation, booker, madrid):
    patient, user = booker
    created = _book(client, bearer(user), consultation).json()
    rival = UserFactory()
    PatientFactory(clinic=madrid, user=rival)
    assert _book(client, bearer(rival), consultation, start="2027-03-02T11:00:00+01:00").status_code == 201
    response = client.post(
        f"/api/v1/appointments/{created['id']}/reschedule",
        {"start": "2027-03-02T11:00:00+01:00"},
        content_type="application/json",
        headers=bearer(user),
    )
    assert response.status_code == 409 and response.json()["code"] == "slot_taken"
    assert dt.datetime.fromisoformat(created["start"]) == Appointment.objects.get(pk=created["id"]).start
