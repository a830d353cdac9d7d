"""The hot-path database helpers (core/db.py): the rows they read and write are the ORM's, and on
PostgreSQL the statements of every slot search and booking are prepared once per connection, unless a
connection pooler asks for them not to be."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from exoclinic.core.db import insert_new, model_rows, prepared_cursor
from exoclinic.core.models import OutboxMessage, Patient
from tests.factories import PatientFactory


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


@pytest.mark.django_db
def test_a_patient_read_through_model_rows_equals_the_orms(clinic):
    # given a patient with dates, a time of consent and an empty optional field
    made = PatientFactory(
        clinic=clinic,
        date_of_birth=dt.date(1979, 2, 28),
        sci_date_of_injury=dt.date(2020, 7, 14),
        research_consent=True,
        research_consent_at=dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC),
    )

    # when it is read with plain SQL and an extra column
    [row] = model_rows(Patient, "SELECT p.*, 41 + 1 AS answer FROM core_patient p WHERE p.id = %s", [made.pk])

    # then every field has the ORM's value and type, the extra column is an attribute, and it saves back
    orm = Patient.objects.get(pk=made.pk)
    for field in Patient._meta.concrete_fields:
        assert getattr(row, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(row, field.attname)) is type(getattr(orm, field.attname)), field.name
    assert row.answer == 42
    assert row._state.adding is False
    row.first_name = "Łukasz"
    row.save(update_fields=["first_name"])
    assert Patient.objects.get(pk=made.pk).first_name == "Łukasz"


@pytest.mark.django_db
def test_a_row_written_by_insert_new_reads_back_like_one_the_orm_wrote():
    # when a message row is written by the hot-path insert
    message = OutboxMessage(kind="mail", name="scheduling/email/booked", payload={"to": ["a@b.org"], "n": 1})
    insert_new(message)

    # then it has its id, its automatic times and its JSON as written
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.payload == {"to": ["a@b.org"], "n": 1}
    assert stored.created_at is not None and stored.due_at is not None
    assert message._state.adding is False


@pytest.mark.django_db
def test_the_hot_statements_are_prepared_once_per_connection(clinic):
    _postgres_only()
    patient = PatientFactory(clinic=clinic)
    sql = "SELECT first_name FROM core_patient WHERE id = %s"

    # when the same statement runs five times with different values
    for _ in range(5):
        with prepared_cursor() as cursor:
            cursor.execute(sql, [patient.pk])
            assert cursor.fetchone()[0] == patient.first_name

    # then the connection holds it once, prepared with a parameter
    assert _prepared_statements().count("SELECT first_name FROM core_patient WHERE id = $1") == 1


@pytest.mark.django_db
def test_a_pooler_that_cannot_keep_prepared_statements_can_turn_them_off(clinic, settings):
    _postgres_only()
    settings.EXOCLINIC_PG_PREPARED = False
    patient = PatientFactory(clinic=clinic)

    with prepared_cursor() as cursor:
        cursor.execute("SELECT last_name FROM core_patient WHERE id = %s", [patient.pk])
        assert cursor.fetchone()[0] == patient.last_name

    assert not [s for s in _prepared_statements() if "SELECT last_name FROM core_patient" in s]
