"""Benchmark: booking against a real server (gunicorn) on PostgreSQL or SQLite, loopback only, bounded runs.

(a) Contention: ``--clients`` (200) clients, released together, book 20 slots for 10 patients; each slot is
    asked for by 10 different patients. Reports appointments made (must be 20), overlapping active
    appointments found in the database afterwards (must be 0), and p50/p99 latency.
(b) Throughput: requests per second of slot search (one week, three practitioners) and of booking (each
    request a different free slot), each as a ratio to a trivial endpoint (``GET /api/v1/me``: token
    check and two small queries) served by the same server in the same run. Rounds alternate the three;
    the median round counts. Targets (issue 16): slot search >= 0.7, booking >= 0.5.
(c) Group sessions: ``--clients`` clients, released together, ask for places in 4 sessions of a group type
    with 5 places each (each patient asks for each session 5 times). Reports places taken (must be 20),
    sessions over capacity and places held twice (both must be 0).

The benchmark creates (and drops first) its own database, whose name must start with ``bench``:

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/bench_booking \
        .venv/bin/python bench/booking/run.py

``--sqlite`` runs the same on a new SQLite file in the run's own data folder instead.
Queries per request (/me, slot search, booking) are counted through Django's test client on the same
database and printed with the ratios.

Results go to docs/benchmarks.md under "## Booking" (PostgreSQL) or "## Booking on SQLite" (other sections
are left as they are).

``--url http://127.0.0.1:8120`` instead runs one-slot contention at 50 and 200 clients against a server that
is already running (the one ``make run`` starts), with latency and the server's memory: see served.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Booking"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60  # seconds: every request is bounded


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit("The benchmark drops its database: give one whose name starts with 'bench'.")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "ALLOWED_HOSTS": HOST,
            # Reminder tasks queue in the benchmark's own Huey file (no consumer runs, so none is sent).
            "EXOCLINIC_DATA_DIR": tempfile.mkdtemp(prefix="bench-booking-"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",  # rendered, not sent
            # Thousands of bookings from one address: the per-address limit is raised, still counted.
            "EXOCLINIC_RATE_LIMIT_FACTOR": "1000",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    return env


def setup_data(days_ahead: int) -> dict:
    """Clinic, three physicians (weekday hours 08:00-20:00), a 30-minute type, patients and tokens."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exoclinic.settings")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from django.db import connections
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from exoclinic.accounts.models import Role, StaffMembership, User
    from exoclinic.accounts.services import api_token_issue
    from exoclinic.core.models import Clinic, Patient
    from exoclinic.scheduling.availability import find_free_slots
    from exoclinic.scheduling.models import AppointmentType, WeeklyHours

    clinic = Clinic.objects.create(
        name="Bench clinic", slug="bench", time_zone="Europe/Madrid", emergency_phone="+34 900 000 000"
    )
    doctors = []
    for i in range(3):
        user = User.objects.create_user(f"doctor{i}@bench.example.org", full_name=f"Doctor {i}")
        StaffMembership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN, title="Physician")
        for weekday in range(5):
            WeeklyHours.objects.create(
                clinic=clinic, practitioner=user, weekday=weekday, start=dt.time(8), end=dt.time(20)
            )
        doctors.append(user)
    kind = AppointmentType.objects.create(
        clinic=clinic,
        name="Consultation",
        kind="consultation",
        duration_minutes=30,
        buffer_after_minutes=0,
        min_notice_hours=1,
        horizon_days=400,
        practitioner_title="physician",
    )
    tokens = []
    patients = []
    for i in range(10):
        user = User.objects.create_user(f"patient{i}@bench.example.org", full_name=f"Patient {i}")
        patients.append(
            Patient.objects.create(
                clinic=clinic,
                user=user,
                record_number=f"B{i:04d}",
                first_name="Patient",
                last_name=str(i),
                date_of_birth=dt.date(1980, 1, 1),
                email=user.email,
            )
        )
        # A token is issued only to an account with a confirmed second factor (accounts/services.py).
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        tokens.append(api_token_issue(user=user)[1])
    staff = User.objects.create_user("coordinator@bench.example.org", full_name="Coordinator")
    StaffMembership.objects.create(user=staff, clinic=clinic, role=Role.COORDINATOR)
    TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
    staff_token = api_token_issue(user=staff)[1]
    group = AppointmentType.objects.create(
        clinic=clinic,
        name="Group session",
        kind="physiotherapy",
        duration_minutes=60,
        step_minutes=60,
        capacity=GROUP_PLACES,
        min_notice_hours=1,
        horizon_days=400,
        practitioner_title="physician",
    )
    now = timezone.now()
    start = now + dt.timedelta(days=2)
    slots = find_free_slots(
        appointment_type=kind, start=start, end=start + dt.timedelta(days=days_ahead), now=now
    )
    # Four sessions of one doctor on a day that none of the contention targets touches (the throughput
    # rounds book the first weeks; the slot search reads a week 300 days ahead).
    target_days = {s.start.date() for s in slots[:: max(1, len(slots) // 40)][:20]}
    day = start + dt.timedelta(days=150)
    group_slots = []
    while not group_slots:
        found = find_free_slots(appointment_type=group, start=day, end=day + dt.timedelta(days=1), now=now)
        if found and day.date() not in target_days:
            first = found[0].practitioner_id
            group_slots = [s for s in found if s.practitioner_id == first][:GROUP_SESSIONS]
        day += dt.timedelta(days=1)
    connections.close_all()
    return {
        "group_type_id": group.pk,
        "group_slots": [(s.start.isoformat(), s.practitioner_id) for s in group_slots],
        "type_id": kind.pk,
        "tokens": tokens,
        "patient_ids": [p.pk for p in patients],
        "staff_token": staff_token,
        "slots": [(s.start.isoformat(), s.practitioner_id) for s in slots],
        "search_day": start.date(),
    }


class Client:
    """One keep-alive HTTP connection to the server on loopback."""

    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> tuple[int, bytes, float]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {**self.headers, "Authorization": f"Bearer {token}"} if token else self.headers
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            return 0, b"", time.perf_counter() - started
        return response.status, data, time.perf_counter() - started


def wait_until_up(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def release_together(port: int, clients: int, request_for) -> dict:
    """``clients`` booking requests released at once; ``request_for(k)`` gives client k's (token, body)."""
    barrier = threading.Barrier(clients)
    results: list[tuple[int, float, str]] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        token, body = request_for(k)
        client = Client(port, token)
        barrier.wait(timeout=60)
        status, raw, seconds = client.call("POST", "/api/v1/appointments", body)
        code = json.loads(raw).get("code", "") if status not in (0, 201) and raw else ""
        with lock:
            results.append((status, seconds, code))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=REQUEST_TIMEOUT + 60)
    latencies = [s for _, s, _ in results]
    return {
        "clients": clients,
        "answered": len(results),
        "created": sum(1 for st, _, _ in results if st == 201),
        "refused": sum(1 for st, _, _ in results if st == 409),
        "refusal_codes": sorted({c for st, _, c in results if st == 409}),
        "errors": sum(1 for st, _, _ in results if st not in (201, 409)),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def contention(port: int, data: dict, clients: int) -> dict:
    """Slot k % 20 for patient (k // 20) % 10."""
    targets = data["slots"][:: max(1, len(data["slots"]) // 40)][:20]  # 20 slots spread over the days

    def request_for(k: int) -> tuple[str, dict]:
        start, practitioner = targets[k % 20]
        body = {"appointment_type": data["type_id"], "start": start, "practitioner": practitioner}
        return data["tokens"][(k // 20) % 10], body

    return release_together(port, clients, request_for)


GROUP_SESSIONS = 4
GROUP_PLACES = 5


def group_contention(port: int, data: dict, clients: int) -> dict:
    """Session k % 4 for patient (k // 4) % 10."""
    sessions = data["group_slots"]

    def request_for(k: int) -> tuple[str, dict]:
        start, practitioner = sessions[k % len(sessions)]
        body = {"appointment_type": data["group_type_id"], "start": start, "practitioner": practitioner}
        return data["tokens"][(k // len(sessions)) % 10], body

    return {"sessions": len(sessions), **release_together(port, clients, request_for)}


class Checker:
    """A connection of its own for the checks (psycopg, or sqlite3 on the run's SQLite file); ``%s``
    placeholders on both."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        if self.url:
            import psycopg

            self.conn = psycopg.connect(self.url.replace("postgres://", "postgresql://", 1))
        else:
            import sqlite3

            self.conn = sqlite3.connect(Path(os.environ["EXOCLINIC_DATA_DIR"]) / "exoclinic.sqlite3")
        return self

    def __exit__(self, *exc):
        self.conn.close()

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql if self.url else sql.replace("%s", "?"), params)


def places_check(url: str, type_id: int) -> dict:
    """Places taken in the group type's sessions, sessions holding more patients than places, places held
    twice in one session."""
    active = "('held','requested','confirmed','checked_in','completed')"
    where = f"status IN {active} AND appointment_type_id = %s"
    with Checker(url) as conn:
        taken = conn.execute(f"SELECT count(*) FROM scheduling_appointment WHERE {where}", [type_id])
        over = conn.execute(
            f"SELECT count(*) FROM (SELECT session_key FROM scheduling_appointment WHERE {where}"
            " GROUP BY session_key HAVING count(*) > %s) s",
            [type_id, GROUP_PLACES],
        )
        twice = conn.execute(
            f"SELECT count(*) FROM (SELECT session_key, seat FROM scheduling_appointment WHERE {where}"
            " GROUP BY session_key, seat HAVING count(*) > 1) s",
            [type_id],
        )
        return {
            "places_taken": taken.fetchone()[0],
            "sessions_over_capacity": over.fetchone()[0],
            "places_held_twice": twice.fetchone()[0],
        }


def database_check(url: str) -> tuple[int, int]:
    """(active appointments, overlapping pairs of active appointments sharing a patient, or a practitioner
    or room in different sessions: places of one group session overlap by design)."""
    active = "('held','requested','confirmed','checked_in','completed')"
    with Checker(url) as conn:
        count = conn.execute(
            f"SELECT count(*) FROM scheduling_appointment WHERE status IN {active}"
        ).fetchone()[0]
        overlaps = conn.execute(
            f"""SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b ON a.id < b.id
                WHERE a.status IN {active} AND b.status IN {active}
                  AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
                  AND (a.patient_id = b.patient_id
                       OR (a.session_key <> b.session_key
                           AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id)))"""
        ).fetchone()[0]
    return count, overlaps


def count_queries(data: dict, search_path: str, slot: tuple[str, int]) -> dict:
    """SQL statements per request (transaction control not counted: SQLite sends BEGIN and COMMIT as
    statements, PostgreSQL's driver does not), through Django's test client in this process on the same
    database; and the time the worker then spends rendering the booking's e-mail and calendar file."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from exoclinic.core.models import OutboxMessage
    from exoclinic.core.outbox import _rendered

    client = TestClient(HTTP_HOST=HOST)
    auth = {"Authorization": f"Bearer {data['tokens'][0]}"}
    client.get("/api/v1/me", headers=auth)  # a token's first use also writes its last-used time
    start, practitioner = slot
    body = {"appointment_type": data["type_id"], "start": start, "practitioner": practitioner}
    requests = {
        "me": lambda: client.get("/api/v1/me", headers=auth),
        "search": lambda: client.get(search_path, headers=auth),
        "booking": lambda: client.post(
            "/api/v1/appointments", body, content_type="application/json", headers=auth
        ),
    }
    counts = {}
    for kind, send in requests.items():
        with CaptureQueriesContext(connection) as captured:
            status = send().status_code
        assert status in (200, 201), (kind, status)
        statements = [q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries]
        counts[kind] = sum(1 for word in statements if word not in ("BEGIN", "COMMIT", "ROLLBACK"))
    message = OutboxMessage.objects.filter(name="scheduling/email/booked").order_by("-pk").first()
    _rendered(message.payload)  # the first loads the templates
    started = time.perf_counter()
    for _ in range(10):
        _rendered(message.payload)
    counts["render_ms"] = (time.perf_counter() - started) / 10 * 1000
    connection.close()
    return counts


def throughput(port: int, requests: list[tuple[str, str, dict | None, str]], concurrency: int) -> dict:
    """Requests per second for a fixed list of (method, path, body, token) shared by keep-alive clients."""
    queue = list(reversed(requests))
    lock = threading.Lock()
    statuses: dict[int, int] = {}

    def worker() -> None:
        client = Client(port, "")
        while True:
            with lock:
                if not queue:
                    return
                method, path, body, token = queue.pop()
            status, _, _ = client.call(method, path, body, token)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.perf_counter() - started
    return {"rps": len(requests) / elapsed, "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=600, help="requests per kind per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--sqlite", action="store_true", help="SQLite (a new file) instead of DATABASE_URL")
    parser.add_argument("--note", default="", help="a paragraph for docs/benchmarks.md (e.g. an earlier run)")
    parser.add_argument("--url", default="", help="a running server (make run): one-slot contention only")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200], help="clients per run with --url")
    args = parser.parse_args()
    if args.url:
        from served import served_main  # bench/booking/served.py

        served_main(args.url, args.sizes, write=not args.no_write)
        return
    url = "" if args.sqlite else os.environ.get("DATABASE_URL", "")
    if not args.sqlite and not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL=postgres://.../bench_booking, or give --sqlite")
    if url:
        recreate_database(url)
    env = server_env(url)  # SQLite: a new file in the run's own data folder
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    os.environ.update(env)
    data = setup_data(days_ahead=400)
    bookable = data["slots"]
    needed = 20 * 2 + args.rounds * args.requests
    if len(bookable) < needed:
        raise SystemExit(f"Only {len(bookable)} free slots, need {needed}")

    port = free_port()
    log = open(ROOT / "var" / "bench-booking-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "exoclinic.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--timeout",
            "120",
            "--backlog",
            "2048",
        ],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_until_up(port, time.time() + 240)  # a loaded machine starts slowly
        # Warm up every worker and code path.
        warm = Client(port, data["tokens"][0])
        for _ in range(20):
            warm.call("GET", "/api/v1/me")
        contended = contention(port, data, args.clients)
        made, overlaps = database_check(url)
        contended.update({"appointments_in_db": made, "overlaps": overlaps})
        grouped = group_contention(port, data, args.clients)
        grouped.update(places_check(url, data["group_type_id"]))
        grouped["overlaps"] = database_check(url)[1]

        day = data["search_day"] + dt.timedelta(days=300)  # a week the booking rounds do not fill
        search_path = (
            f"/api/v1/slots?appointment_type={data['type_id']}&start={day.isoformat()}"
            f"&end={(day + dt.timedelta(days=6)).isoformat()}"
        )
        used = {(s, p) for s, p in data["slots"][:: max(1, len(data["slots"]) // 40)][:20]}
        free = [s for s in bookable if s not in used]
        queries = count_queries(data, search_path, free.pop())
        load_before = os.getloadavg()
        rounds = []
        for r in range(args.rounds):
            chunk = free[r * args.requests : (r + 1) * args.requests]
            tokens = data["tokens"]
            # Patients book for themselves, each request a different free slot.
            booking = [
                (
                    "POST",
                    "/api/v1/appointments",
                    {"appointment_type": data["type_id"], "start": start, "practitioner": practitioner},
                    tokens[i % 10],
                )
                for i, (start, practitioner) in enumerate(chunk)
            ]
            kinds = {
                "trivial": [("GET", "/api/v1/me", None, tokens[i % 10]) for i in range(args.requests)],
                "search": [("GET", search_path, None, tokens[i % 10]) for i in range(args.requests)],
                "booking": booking,
            }
            order = ["trivial", "search", "booking"] if r % 2 == 0 else ["booking", "search", "trivial"]
            result = {k: throughput(port, kinds[k], args.concurrency) for k in order}
            rounds.append(result)
        load_after = os.getloadavg()
        made_after, overlaps_after = database_check(url)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    def median(kind: str) -> float:
        return statistics.median(r[kind]["rps"] for r in rounds)

    search_ratios = [r["search"]["rps"] / r["trivial"]["rps"] for r in rounds]
    booking_ratios = [r["booking"]["rps"] / r["trivial"]["rps"] for r in rounds]
    summary = {
        "contention": contended,
        "queries": queries,
        "engine": "SQLite" if args.sqlite else "PostgreSQL",
        "group": grouped,
        "trivial_rps": median("trivial"),
        "search_rps": median("search"),
        "booking_rps": median("booking"),
        "search_ratio": statistics.median(search_ratios),
        "booking_ratio": statistics.median(booking_ratios),
        "search_ratios": [round(x, 2) for x in search_ratios],
        "booking_ratios": [round(x, 2) for x in booking_ratios],
        "statuses": [{k: v["statuses"] for k, v in r.items()} for r in rounds],
        "appointments_after": made_after,
        "overlaps_after": overlaps_after,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "args": vars(args),
    }
    print(json.dumps(summary, indent=2, default=str))
    if not args.no_write:
        write_results(summary)


def write_results(s: dict) -> None:
    c = s["contention"]
    g = s["group"]
    places = g["sessions"] * GROUP_PLACES
    a = s["args"]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    search, search_ratio = f"{s['search_rps']:.0f}", f"{s['search_ratio']:.2f}"
    booking, booking_ratio = f"{s['booking_rps']:.0f}", f"{s['booking_ratio']:.2f}"
    search_rounds = ", ".join(f"{x:.2f}" for x in s["search_ratios"])
    booking_rounds = ", ".join(f"{x:.2f}" for x in s["booking_ratios"])
    search_row = (
        f"| slot search: `GET /api/v1/slots`, a week, 3 practitioners | {search} | **{search_ratio}**"
        f" ({search_rounds}) | >= 0.7 | {s['queries']['search']} |"
    )
    booking_row = (
        f"| booking: `POST /api/v1/appointments` by a patient, a new slot each | {booking}"
        f" | **{booking_ratio}** ({booking_rounds}) | >= 0.5 | {s['queries']['booking']} |"
    )
    q = s["queries"]
    heading = HEADING if s["engine"] == "PostgreSQL" else f"{HEADING} on SQLite"
    command = "--sqlite" if s["engine"] == "SQLite" else "with DATABASE_URL=postgres://..."
    body = f"""{heading}

`bench/booking/run.py` {command}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine}; gunicorn
({a["workers"]} gthread workers x {a["threads"]} threads) on {s["engine"]}, client and server on loopback of
the same machine.

**(a) Contention**: {c["clients"]} clients released together book 20 slots for 10 patients (each slot asked
for by 10 different patients).

| measure | result | must be |
|---|---|---|
| appointments made (201) | {c["created"]} | 20 |
| active appointments in the database | {c["appointments_in_db"]} | 20 |
| overlapping active appointments (same practitioner, room or patient) | {c["overlaps"]} | 0 |
| clean refusals (409 `{", ".join(c["refusal_codes"]) or "-"}`) | {c["refused"]} | {c["clients"] - 20} |
| other answers (errors, timeouts) | {c["errors"]} | 0 |
| latency p50 / p99 | {c["p50_ms"]:.0f} ms / {c["p99_ms"]:.0f} ms | |

**(b) Throughput**, median of {a["rounds"]} rounds of {a["requests"]} requests per kind, {a["concurrency"]}
keep-alive clients sending the tokens of the 10 patients in turn, the order of the kinds alternating between
rounds:

| endpoint | requests/s | ratio to trivial (rounds) | target | queries per request |
|---|---|---|---|---|
| trivial: `GET /api/v1/me` | {s["trivial_rps"]:.0f} | 1 | | {q["me"]} |
{search_row}
{booking_row}

After the whole run: {s["appointments_after"]} active appointments, {s["overlaps_after"]} overlapping.
Queries: SQL statements of one request through Django's test client on the same database, transaction
control (BEGIN, COMMIT) not counted. Each booking writes its confirmation e-mail to the outbox (rendered
later by the outbox delivery task, {q["render_ms"]:.1f} ms per booking in this process: templates and
calendar file) and queues the delivery and its two reminders in a Huey SQLite file of the run's own, so
those writes are included; no Huey worker runs, so no mail is rendered or sent during the rounds.
The machine was shared with other work (load average 1/5/15 min before the throughput rounds
{" / ".join(f"{x:.2f}" for x in s["load_before"])}, after {" / ".join(f"{x:.2f}" for x in s["load_after"])}),
and ratios move between runs. {a["note"]}

**(c) Group sessions**: {g["clients"]} clients released together ask for places in {g["sessions"]} sessions
of a group type with {GROUP_PLACES} places each (one doctor, back to back; each of the 10 patients asks for
each session 5 times). Run after (a), before (b).

| measure | result | must be |
|---|---|---|
| places taken (201) | {g["created"]} | {places} |
| places in the database | {g["places_taken"]} | {places} |
| sessions holding more patients than places | {g["sessions_over_capacity"]} | 0 |
| places held twice in one session | {g["places_held_twice"]} | 0 |
| overlaps (same patient; another session of the practitioner or room) | {g["overlaps"]} | 0 |
| clean refusals (409 `{", ".join(g["refusal_codes"]) or "-"}`) | {g["refused"]} | {g["clients"] - places} |
| other answers (errors, timeouts) | {g["errors"]} | 0 |
| latency p50 / p99 | {g["p50_ms"]:.0f} ms / {g["p99_ms"]:.0f} ms | |
"""
    # Re-read right before writing: another engineer owns another section of the same file.
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(body.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    DOC.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
