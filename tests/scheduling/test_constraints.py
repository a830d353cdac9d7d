"""The database itself refuses overlapping active appointments (PostgreSQL exclusion constraints)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from exoclinic.scheduling.models import AppointmentStatus
from tests.factories import PatientFactory, UserFactory

from .factories import AppointmentFactory, AppointmentTypeFactory, RoomFactory

pytestmark = pytest.mark.postgres

TEN = dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL; SQLite relies on the serialized services")


def _row(**kwargs):
    with transaction.atomic():
        return AppointmentFactory(**kwargs)


def test_overlapping_blocked_intervals_of_one_practitioner_are_refused(madrid):
    doc = UserFactory()
    kind = AppointmentTypeFactory(clinic=madrid)
    _row(patient=PatientFactory(clinic=madrid), appointment_type=kind, practitioner=doc, start=TEN)
    with pytest.raises(IntegrityError):
        # Starts when the first ends, but its 15-minute buffer before reaches back into it.
        _row(
            patient=PatientFactory(clinic=madrid),
            appointment_type=kind,
            practitioner=doc,
            start=TEN + dt.timedelta(hours=1),
            blocked_start=TEN + dt.timedelta(minutes=45),
        )


def test_back_to_back_and_cancelled_appointments_do_not_conflict(madrid):
    doc = UserFactory()
    kind = AppointmentTypeFactory(clinic=madrid)
    first = _row(patient=PatientFactory(clinic=madrid), appointment_type=kind, practitioner=doc, start=TEN)
    _row(
        patient=PatientFactory(clinic=madrid),
        appointment_type=kind,
        practitioner=doc,
        start=TEN + dt.timedelta(hours=1),
    )
    first.status = AppointmentStatus.CANCELLED
    first.save()
    _row(patient=PatientFactory(clinic=madrid), appointment_type=kind, practitioner=doc, start=TEN)


def test_one_room_and_one_patient_cannot_be_double_booked(madrid):
    room = RoomFactory(clinic=madrid)
    patient = PatientFactory(clinic=madrid)
    kind = AppointmentTypeFactory(clinic=madrid)
    _row(patient=patient, appointment_type=kind, practitioner=UserFactory(), room=room, start=TEN)
    with pytest.raises(IntegrityError):
        _row(
            patient=PatientFactory(clinic=madrid),
            appointment_type=kind,
            practitioner=UserFactory(),
            room=room,
            start=TEN,
        )
    with pytest.raises(IntegrityError):
        _row(patient=patient, appointment_type=kind, practitioner=UserFactory(), start=TEN)
