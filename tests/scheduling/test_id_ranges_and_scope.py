"""Ids from the request outside the database's range are a clean 404, and another clinic's patient id gets the
same answer as an absent one."""

from __future__ import annotations

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from tests.factories import ClinicFactory, PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _auth(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("bad", [2**63, 2**64 + 5, -1, -(2**63) - 1, 0])
def test_an_appointment_type_or_practitioner_id_out_of_range_is_a_404(client, consultation, booker, bad):
    _patient, user = booker
    auth = _auth(user)
    by_type = client.get(
        "/api/v1/slots", {"appointment_type": bad, "start": "2027-03-02", "end": "2027-03-03"}, headers=auth
    )
    assert by_type.status_code == 404 and by_type.json()["field"] == "appointment_type"
    by_practitioner = client.get(
        "/api/v1/slots",
        {
            "appointment_type": consultation.pk,
            "start": "2027-03-02",
            "end": "2027-03-03",
            "practitioner": bad,
        },
        headers=auth,
    )
    assert by_practitioner.status_code == 404 and by_practitioner.json()["field"] == "practitioner"
    booking = client.post(
        "/api/v1/appointments",
        {"appointment_type": bad, "start": "2027-03-02T10:00:00+01:00"},
        content_type="application/json",
        headers=auth,
    )
    assert booking.status_code == 404


def test_booking_for_another_clinics_patient_answers_like_an_absent_one(client, madrid, consultation):
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    elsewhere = PatientFactory(clinic=ClinicFactory())
    auth = _auth(coordinator)

    def book(patient_id):
        return client.post(
            "/api/v1/appointments",
            {
                "appointment_type": consultation.pk,
                "start": "2027-03-02T10:00:00+01:00",
                "patient": patient_id,
            },
            content_type="application/json",
            headers=auth,
        )

    theirs, absent, huge = book(elsewhere.pk), book(elsewhere.pk + 1000), book(2**63)
    assert theirs.status_code == absent.status_code == huge.status_code == 404
    assert theirs.json() == absent.json() == huge.json()
