"""How many database queries a booking, a slot search and a trivial request cost (issue 16).

The bounds are what was measured (SQLite and PostgreSQL, see docs/benchmarks.md "## Booking"); a change
that adds a query per practitioner or per day (an N+1) makes them fail.
"""

import pytest
from django.db import connection

from exoclinic.accounts.models import StaffMembership
from exoclinic.accounts.services import api_token_issue
from exoclinic.scheduling.models import Appointment, AppointmentStatus

from .factories import practitioner

# Measured counts (the same on SQLite and PostgreSQL).
ME_QUERIES = 3  # token, memberships, own patients
SLOTS_QUERIES = 4  # token, holds, weekly hours of all practitioners, busy appointments
# token, patient, type, the booking's savepoint and its release (inside the test's transaction), hours, busy
# appointments, the insert, the outbox mail row, and the audit row with its place in the chain: on SQLite
# three statements (head, head update, row), on PostgreSQL one (the head's update, the hash and the row).
BOOKING_QUERIES = {"sqlite": 12, "postgresql": 10}


pytestmark = pytest.mark.usefixtures("frozen_clock")


def bearer(client, user):
    """A token already used once: its first use also writes last_used_at (one more query, then throttled)."""
    _, raw = api_token_issue(user=user)
    auth = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    return auth


def _more_practitioners(madrid, n):
    for i in range(n):
        practitioner(madrid, hours=((0, 5), "09:00", "13:00"), full_name=f"Dr. Extra {i}")


def _week_search(client, consultation, auth):
    return client.get(
        f"/api/v1/slots?appointment_type={consultation.pk}&start=2027-03-01&end=2027-03-07", headers=auth
    )


def test_me_costs_at_most_three_queries(client, booker, django_assert_max_num_queries):
    patient, user = booker
    auth = bearer(client, user)
    with django_assert_max_num_queries(ME_QUERIES):
        response = client.get("/api/v1/me", headers=auth)
    assert response.status_code == 200


@pytest.mark.parametrize("extra_practitioners", [0, 2])
def test_a_week_of_slots_costs_the_same_for_one_and_three_practitioners(
    client, madrid, physician, consultation, booker, extra_practitioners, django_assert_max_num_queries
):
    patient, user = booker
    auth = bearer(client, user)
    _more_practitioners(madrid, extra_practitioners)
    with django_assert_max_num_queries(SLOTS_QUERIES):
        response = _week_search(client, consultation, auth)
    assert response.status_code == 200
    body = response.json()
    # Mon 1 March from 09:00 Madrid (now) to Fri: every practitioner offers slots, so all were read.
    assert {s["practitioner"]["id"] for s in body} == set(
        StaffMembership.objects.filter(clinic=madrid).values_list("user_id", flat=True)
    )
    assert len({s["start"][:10] for s in body}) == 5


def test_a_booking_costs_at_most_twelve_queries_and_still_queues_its_mail(
    client,
    physician,
    consultation,
    booker,
    mailoutbox,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    from exoclinic.core.models import OutboxMessage

    patient, user = booker
    auth = bearer(client, user)
    body = {"appointment_type": consultation.pk, "start": "2027-03-02T10:00:00+01:00"}
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(BOOKING_QUERIES[connection.vendor]):
            response = client.post(
                "/api/v1/appointments", body, content_type="application/json", headers=auth
            )
        assert response.status_code == 201
        assert OutboxMessage.objects.filter(name="scheduling/email/booked").count() == 1
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert appointment.status == AppointmentStatus.CONFIRMED and appointment.patient == patient
    assert len(mailoutbox) == 1 and patient.email in mailoutbox[0].to
    assert "text/calendar" in mailoutbox[0].message().as_string()


_PAST_COLUMNS = (
    "created_at, updated_at, clinic_id, uid, patient_id, appointment_type_id, practitioner_id, start,"
    ' "end", blocked_start, blocked_end, status, mobility_needs, caregiver_attending, interpreter_language,'
    " notes, video_link, seat, session_key, sequence, reschedule_count, late_cancellation, cancel_reason"
)


def _add_past_appointments(rows_sql: str, madrid, patient, consultation, physician) -> None:
    """Five years of completed appointments (30,000 rows), two a weekday, the patient in every one:
    `rows_sql` is the engine's SELECT of them, taking the clinic, patient, type and practitioner ids."""
    table = Appointment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({_PAST_COLUMNS}) {rows_sql}",
            [madrid.pk, patient.pk, consultation.pk, physician.pk],
        )
        cursor.execute(f"ANALYZE {table}")


def _busy_time_query_of_a_week_search(client, consultation, auth) -> str:
    """The SQL of the busy-time read that a patient's week search runs."""
    from django.test.utils import CaptureQueriesContext

    table = Appointment._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = _week_search(client, consultation, auth)
    assert response.status_code == 200 and response.json()
    [busy] = [q["sql"] for q in queries if f"FROM {table}" in q["sql"] and "blocked_start" in q["sql"]]
    return busy


def test_years_of_past_appointments_are_not_read_by_a_slot_search(
    client, madrid, physician, consultation, booker
):
    """PostgreSQL: the busy-time query is planned on the no-overlap constraints' GiST indexes, so a search
    reads the appointments of its week, not every earlier one of the practitioner or the patient."""
    if connection.vendor != "postgresql":
        pytest.skip("the query plan checked here is PostgreSQL's")
    patient, user = booker
    auth = bearer(client, user)
    table = Appointment._meta.db_table
    # given five years of past appointments
    _add_past_appointments(
        "SELECT now(), now(), %s, gen_random_uuid(), %s, %s, %s, t, t + interval '30 min', t,"
        " t + interval '30 min', 'completed', '', false, '', '', '', 1, 'past-' || g, 0, 0, false, ''"
        " FROM (SELECT g, timestamptz '2022-03-01 08:00+00' + g * interval '90 min' AS t"
        "       FROM generate_series(1, 30000) AS g) AS past",
        madrid,
        patient,
        consultation,
        physician,
    )

    # when the patient searches a week
    busy = _busy_time_query_of_a_week_search(client, consultation, auth)

    # then the busy-time query finds its rows through an index
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + busy)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Seq Scan on {table}" not in plan, plan
    assert "appointment_no_overlap" in plan, plan


def test_on_sqlite_years_of_past_appointments_are_not_read_by_a_slot_search(
    client, madrid, physician, consultation, booker
):
    """SQLite: the busy-time query is planned on the blocked_end indexes, so a search reads what ends after
    its week starts, not every earlier appointment of the practitioner or the patient."""
    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    patient, user = booker
    auth = bearer(client, user)
    # given five years of past appointments
    _add_past_appointments(
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 30000),"
        " past(n, t) AS (SELECT n, datetime('2022-03-01 08:00:00', '+' || (n * 90) || ' minutes') FROM g)"
        " SELECT t, t, %s, lower(hex(randomblob(16))), %s, %s, %s, t, datetime(t, '+30 minutes'), t,"
        " datetime(t, '+30 minutes'), 'completed', '', 0, '', '', '', 1, 'past-' || n, 0, 0, 0, ''"
        " FROM past",
        madrid,
        patient,
        consultation,
        physician,
    )

    # when the patient searches a week
    busy = _busy_time_query_of_a_week_search(client, consultation, auth)

    # then every part of the busy-time query is a search on a blocked_end index, none a scan of the table
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + busy)
        plan = [row[-1] for row in cursor.fetchall()]
    searches = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
    assert searches, plan
    assert all(step.startswith("SEARCH") and "blocked_end>?" in step for step in searches), plan
