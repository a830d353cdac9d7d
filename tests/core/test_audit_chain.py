"""The audit trail is a hash chain: a row changed or removed behind the application's back is found."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from exoclinic.accounts.models import Role
from exoclinic.core.audit import audit_patient_reads, audit_record
from exoclinic.core.auditverify import audit_chain_verify
from exoclinic.core.models import AuditEvent
from tests.factories import PatientFactory

TABLE = AuditEvent._meta.db_table


def _write_some_rows(patient, staff):
    clinician = staff(Role.CLINICIAN)
    for n in range(3):
        audit_record(
            actor=clinician, action="patient.update", target=patient, detail={"n": n, "note": "Núñez ✓"}
        )
    audit_patient_reads(
        actor=clinician, patients=[patient, PatientFactory(clinic=patient.clinic)], purpose="list"
    )
    audit_record(actor=clinician, action="patient.view", target=patient)
    return list(AuditEvent.objects.order_by("seq"))


def _verify_fails():
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode == 1


def test_rows_written_one_by_one_and_in_bulk_form_one_unbroken_chain(patient, staff, capsys):
    rows = _write_some_rows(patient, staff)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert len({r.row_hash for r in rows}) == len(rows)
    call_command("audit_verify")
    assert f"Audit chain intact: {len(rows)} row(s)" in capsys.readouterr().out


def test_a_row_changed_with_raw_sql_is_reported_with_its_id(patient, staff, capsys):
    rows = _write_some_rows(patient, staff)
    tampered = rows[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET actor_email = %s WHERE id = %s", ["someone@else.org", tampered.pk]
        )
    _verify_fails()
    err = capsys.readouterr().err
    assert f"row id={tampered.pk} (seq {tampered.seq})" in err
    assert "do not match its hash" in err


def test_a_changed_detail_is_found_even_when_the_hash_column_is_left_alone(patient, staff):
    rows = _write_some_rows(patient, staff)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ['{"n": 99}', rows[0].pk])
    report = audit_chain_verify()
    assert report.broken.row_id == rows[0].pk


def test_a_row_deleted_from_the_middle_is_reported_at_the_next_row(patient, staff, capsys):
    rows = _write_some_rows(patient, staff)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[1].pk])
    _verify_fails()
    err = capsys.readouterr().err
    assert f"row id={rows[2].pk} (seq {rows[2].seq})" in err
    assert "missing (deleted)" in err


def test_the_last_row_deleted_is_found_through_the_chain_head(patient, staff, capsys):
    rows = _write_some_rows(patient, staff)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[-1].pk])
    _verify_fails()
    assert "its head records row" in capsys.readouterr().err


def test_queryset_paths_that_would_rewrite_rows_are_refused(patient, staff):
    event = audit_record(actor=staff(Role.CLINICIAN), action="patient.view", target=patient)
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(PermissionError):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"action": "x"})
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create([event])


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_still_leave_one_unbroken_chain(clinic, staff):
    # Threads on their own connections: on PostgreSQL the head row's lock orders them, on SQLite the
    # IMMEDIATE transactions do.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # A shared-cache in-memory database locks tables instead of waiting; the real one is a file.
        pytest.skip("needs a file database: DATABASE_TEST_NAME=var/test_audit.sqlite3")
    clinician = staff(Role.CLINICIAN)
    patient = PatientFactory(clinic=clinic)
    errors = []

    def writer(n):
        try:
            for i in range(10):
                if i % 3 == 0:
                    audit_patient_reads(actor=clinician, patients=[patient, patient], purpose=f"t{n}")
                else:
                    audit_record(actor=clinician, action="patient.view", target=patient, detail={"t": n})
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = audit_chain_verify()
    assert report.ok, report.broken
    assert report.rows_checked == AuditEvent.objects.count() == 4 * (6 * 1 + 4 * 2)
