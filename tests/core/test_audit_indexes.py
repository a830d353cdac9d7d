"""The audit trail grows by a row per staff read; reading a chart must not scan it.

With tens of thousands of audit rows present (inserted in SQL, the table analysed), every statement a staff
chart read, the chain-head recovery and the admin's access log run against ``core_auditevent`` is captured
from the real request and explained: each read is planned on an index, never as a sequential scan.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exoclinic.core.models import AuditChainHead, AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.postgres

ROWS = 40_000
TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the query plans checked here are PostgreSQL's")


def _fill_audit(*, clinic, patients, actor) -> None:
    """ROWS ``patient.view`` rows spread over ``patients``, then ANALYZE, so the planner knows the size."""
    base = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    ids = [p.pk for p in patients]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (occurred_at, actor_id, actor_email, action, record_type, record_id, "
            "clinic_id, patient_id, ip_address, user_agent, detail, seq, row_hash) "
            "SELECT now() - make_interval(secs => %s - g), %s, %s, 'patient.view', 'core.patient', "
            "(%s::bigint[])[1 + g %% %s]::text, %s, (%s::bigint[])[1 + g %% %s], NULL, '', '{}'::jsonb, "
            "%s + g, md5(g::text) || md5(g::text) FROM generate_series(1, %s) AS g",
            [ROWS, actor.pk, actor.email, ids, len(ids), clinic.pk, ids, len(ids), base, ROWS],
        )
        cursor.execute(f"ANALYZE {TABLE}")
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": base + ROWS, "last_hash": "0" * 64})


def _audit_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if TABLE in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _assert_indexed(sql: str) -> None:
    plan = _plan(sql)
    assert f"Seq Scan on {TABLE}" not in plan, f"{sql}\n{plan}"
    assert "Index" in plan and TABLE in plan, f"{sql}\n{plan}"


@pytest.fixture
def chart_scene(clinic, staff, client):
    patients = PatientFactory.create_batch(40, clinic=clinic)
    clinician = staff("clinician")
    _fill_audit(clinic=clinic, patients=patients, actor=clinician)
    return patients[0], clinician


def test_a_staff_chart_read_reads_the_audit_trail_only_through_indexes(chart_scene, client):
    # given 40,000 audit rows, and a chain head lost (a restored database): the first write looks for the
    # last sealed row
    patient, clinician = chart_scene
    client.force_login(clinician)
    AuditChainHead.objects.all().delete()

    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    # when a clinician opens the chart (twice: the second read finds the head again)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/staff/patients/{patient.pk}/").status_code == 200
        assert client.get(f"/staff/patients/{patient.pk}/").status_code == 200

    # then every read of the audit table is planned on an index, and the chart read was audited
    reads = _audit_reads(queries)
    assert reads, "the head recovery should read the audit table"
    for sql in reads:
        _assert_indexed(sql)
    # (on PostgreSQL the head update, the hash and the insert are one statement: WITH head AS (UPDATE ...)
    # INSERT ...; with the head lost, the first such statement inserts nothing and the head is rebuilt)
    writes = [q for q in queries if f'INSERT INTO "{TABLE}"' in q["sql"]]
    assert len(writes) == 3
    assert AuditEvent.objects.filter(id__gt=last_id).count() == 2
    assert AuditEvent.objects.filter(patient=patient, action="patient.view").exists()


def test_the_access_log_lists_a_patients_recent_reads_through_an_index(chart_scene, client, staff, clinic):
    # given 40,000 audit rows over 40 patients
    patient, _ = chart_scene
    admin = staff("admin")
    client.force_login(admin)

    # when the clinic admin opens the patient's access log (the chart's "who read this record" list)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/staff/patients/{patient.pk}/access-log/")

    # then it shows the patient's rows, found on the (patient, occurred_at) index
    assert response.status_code == 200
    reads = _audit_reads(queries)
    assert any("patient_id" in sql for sql in reads)
    for sql in reads:
        _assert_indexed(sql)
