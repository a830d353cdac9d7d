"""Many patients ask for the same slot at the same instant, each on its own database connection."""

import pytest
from django.db import connection

from exoclinic.scheduling.models import ACTIVE_STATUSES, Appointment

from .conftest import NOW
from .race import race

THREADS = 50


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _assert_one_winner(results):
    statuses = sorted(code for code, _ in results)
    assert len(results) == THREADS
    assert statuses.count(201) == 1, statuses
    refusals = [body for code, body in results if code == 409]
    assert len(refusals) == THREADS - 1
    assert {body["code"] for body in refusals} == {"slot_taken"}
    assert all(body["next_slots"] for body in refusals)
    assert Appointment.objects.filter(status__in=ACTIVE_STATUSES).count() == 1


@pytest.mark.race
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_of_one_slot_make_one_appointment_on_postgresql(
    madrid, physician, consultation
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    _assert_one_winner(race(consultation, madrid, threads=THREADS))


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_of_one_slot_make_one_appointment_on_sqlite(
    madrid, physician, consultation
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the race")
    if connection.is_in_memory_db():
        # A shared-cache in-memory database locks tables instead of waiting; the real one is a file.
        pytest.skip("needs a file database: make test-race runs it on one")
    _assert_one_winner(race(consultation, madrid, threads=THREADS))
