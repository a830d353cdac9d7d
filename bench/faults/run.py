"""Faults lose nothing: SIGKILL the server in the middle of a burst of writes, restart it, count.

For each database (a fresh SQLite file; a PostgreSQL database whose name starts with ``bench``, dropped and
created), this script migrates, adds a clinic of its own (three physicians, patients with tokens), starts
gunicorn with the configuration ``make run`` uses (``src/exoclinic/gunicorn_conf.py``), and sends writes
from ``--writers`` threads: bookings (``POST /api/v1/appointments``), diary entries
(``POST /api/v1/patients/{id}/diary``) and application submits (``POST /api/v1/applications``). After
``--kill-after`` seconds it kills the gunicorn master and every worker with SIGKILL (no clean-up runs),
restarts the server, and checks through Django:

- lost: a write answered 2xx whose record is missing (must be 0);
- partial: a record of the run without its audit row, or an application without its answers (must be 0);
- the database passes its integrity check (SQLite ``PRAGMA integrity_check``).

    .venv/bin/python bench/faults/run.py                 # SQLite, then PostgreSQL
    BENCH_FAULTS_PG=postgres://postgres:postgres@127.0.0.1:5432/bench_faults \
        .venv/bin/python bench/faults/run.py --only postgres

Results go to docs/benchmarks.md under "## Faults" and bench/faults/results.json.
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
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
STORE = Path(__file__).with_name("results.json")
HEADING = "## Faults"
HOST = "127.0.0.1"
PATIENTS = 20
RATINGS = {
    "movement": 3,
    "muscle_relaxation": 6,
    "bowel_bladder": 4,
    "sensation": 3,
    "pain": 5,
    "rest_strength": 6,
}
GOALS = ["walking", "bladder_bowel"]


# ---- child modes: run inside Django with the environment of the server ---------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exoclinic.settings")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()


def child_setup() -> dict:
    _django()
    from django.utils import timezone

    from exoclinic.accounts.models import Role, StaffMembership, User
    from exoclinic.accounts.services import api_token_issue
    from exoclinic.core.models import Clinic, Patient
    from exoclinic.scheduling.availability import find_free_slots
    from exoclinic.scheduling.models import AppointmentType, WeeklyHours

    clinic = Clinic.objects.create(
        name="Faults clinic", slug="faults", time_zone="Europe/Madrid", emergency_phone="+34 900"
    )
    for i in range(3):
        user = User.objects.create_user(f"doctor{i}@faults.example.org", full_name=f"Doctor {i}")
        StaffMembership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN, title="Physician")
        for weekday in range(5):
            WeeklyHours.objects.create(
                clinic=clinic, practitioner=user, weekday=weekday, start=dt.time(8), end=dt.time(20)
            )
    kind = AppointmentType.objects.create(
        clinic=clinic,
        name="Consultation",
        kind="consultation",
        duration_minutes=30,
        min_notice_hours=1,
        horizon_days=200,
        practitioner_title="physician",
    )
    patients = []
    for i in range(PATIENTS):
        user = User.objects.create_user(f"p{i}@faults.example.org", full_name=f"Patient {i}")
        patient = Patient.objects.create(
            clinic=clinic,
            user=user,
            record_number=f"F{i:04d}",
            first_name="Patient",
            last_name=str(i),
            date_of_birth=dt.date(1980, 1, 1),
            email=user.email,
        )
        patients.append({"id": patient.pk, "token": api_token_issue(user=user)[1]})
    now = timezone.now()
    start = now + dt.timedelta(days=2)
    slots = find_free_slots(appointment_type=kind, start=start, end=start + dt.timedelta(days=150), now=now)
    return {
        "clinic": clinic.slug,
        "type_id": kind.pk,
        "patients": patients,
        "slots": [(s.start.isoformat(), s.practitioner_id) for s in slots],
        "today": timezone.localdate().isoformat(),
    }


def child_check(acknowledged: dict) -> dict:
    _django()
    from django.db import connection

    from exoclinic.core.models import AuditEvent
    from exoclinic.intake.models import TreatmentApplication
    from exoclinic.outcomes.models import DiaryEntry
    from exoclinic.scheduling.models import Appointment

    def audited(action: str, record_type: str) -> set[str]:
        return set(
            AuditEvent.objects.filter(action=action, record_type=record_type).values_list(
                "record_id", flat=True
            )
        )

    appointments = {
        str(pk) for pk in Appointment.objects.filter(clinic__slug="faults").values_list("pk", flat=True)
    }
    diary = {
        str(pk)
        for pk in DiaryEntry.objects.filter(patient__clinic__slug="faults").values_list("pk", flat=True)
    }
    applications = {
        a.reference: a for a in TreatmentApplication.objects.filter(clinic__slug="faults", status="submitted")
    }
    booked = audited("appointment.book", "scheduling.appointment")
    recorded = audited("diary_entry.record", "outcomes.diaryentry")
    submitted = audited("application.submit", "intake.treatmentapplication")
    lost = {
        "booking": sorted(set(map(str, acknowledged["booking"])) - appointments),
        "diary": sorted(set(map(str, acknowledged["diary"])) - diary),
        "application": sorted(set(acknowledged["application"]) - set(applications)),
    }
    partial = {
        "appointment without its audit row": sorted(appointments - booked),
        "diary entry without its audit row": sorted(diary - recorded),
        "application without its audit row": sorted(
            str(a.pk) for a in applications.values() if str(a.pk) not in submitted
        ),
        "application without its answers": sorted(
            ref
            for ref, a in applications.items()
            if not (a.first_name and a.goals == GOALS and a.self_ratings)
        ),
    }
    integrity = "n/a"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = cursor.fetchone()[0]
    return {
        "present": {"booking": len(appointments), "diary": len(diary), "application": len(applications)},
        "lost": lost,
        "partial": partial,
        "integrity": integrity,
    }


# ---- the parent: server, burst, kill, restart ----------------------------------------------------------


def run_child(mode: str, env: dict, payload: dict | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode],
        input=json.dumps(payload or {}),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(env: dict, port: int, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:exoclinic.gunicorn_conf"],
        env={**env, "BIND": f"{HOST}:{port}"},
        stdout=log,
        stderr=log,
        start_new_session=True,  # master and workers in one process group, killed together
    )


def wait_until_up(port: int, timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not come up")


class Burst:
    """Writers taking the next write from a shared counter; every 2xx answer is remembered."""

    def __init__(self, port: int, data: dict, writers: int):
        self.port, self.data, self.writers = port, data, writers
        self.lock = threading.Lock()
        self.next = 0
        self.stop = threading.Event()
        self.acknowledged = {"booking": [], "diary": [], "application": []}
        self.sent = {"booking": 0, "diary": 0, "application": 0}
        self.refused = 0  # 4xx: a clean answer, nothing written
        self.no_answer = 0  # connection reset or refused: the client cannot know
        self.in_flight = 0

    def request_for(self, n: int) -> tuple[str, str, str, dict | None, str | None]:
        kind = ("booking", "diary", "application")[n % 3]
        k = n // 3
        patient = self.data["patients"][k % PATIENTS]
        if kind == "booking":
            start, practitioner = self.data["slots"][k]
            body = {"appointment_type": self.data["type_id"], "start": start, "practitioner": practitioner}
            return kind, "POST", "/api/v1/appointments", body, patient["token"]
        if kind == "diary":
            day = dt.date.fromisoformat(self.data["today"]) - dt.timedelta(weeks=k // PATIENTS + 1)
            body = {"ratings": RATINGS, "on": day.isoformat(), "note": f"week {k}"}
            return kind, "POST", f"/api/v1/patients/{patient['id']}/diary", body, patient["token"]
        body = application_payload(self.data["clinic"], k)
        return kind, "POST", "/api/v1/applications", body, None

    def worker(self) -> None:
        conn = None
        while not self.stop.is_set():
            with self.lock:
                n = self.next
                self.next += 1
            kind, method, path, body, token = self.request_for(n)
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            with self.lock:
                self.sent[kind] += 1
                self.in_flight += 1
            try:
                conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=60)
                conn.request(method, path, body=json.dumps(body), headers=headers)
                response = conn.getresponse()
                answer = json.loads(response.read() or b"{}")
            except (http.client.HTTPException, OSError, ValueError):
                with self.lock:
                    self.no_answer += 1
                    self.in_flight -= 1
                if conn:
                    conn.close()
                conn = None
                time.sleep(0.05)
                continue
            with self.lock:
                self.in_flight -= 1
                if 200 <= response.status < 300:
                    self.acknowledged[kind].append(
                        answer["reference"] if kind == "application" else answer["id"]
                    )
                else:
                    self.refused += 1

    def acknowledged_count(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.acknowledged.values())

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.worker, daemon=True) for _ in range(self.writers)]
        for t in threads:
            t.start()
        return threads


def warm_up(port: int, token: str, connections: int) -> None:
    """Every worker has loaded its code before the burst, so the kill meets a server at full speed."""

    def run() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        for _ in range(10):
            conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def application_payload(clinic: str, k: int) -> dict:
    return {
        "idempotency_key": f"faults-{k:06d}-key",
        "clinic": clinic,
        "for_self": True,
        "first_name": "Marta",
        "last_name": f"Vidal {k}",
        "date_of_birth": "1985-03-04",
        "sex": "female",
        "email": f"applicant{k}@faults.example.org",
        "phone": "+34 600 111 222",
        "preferred_contact_method": "email",
        "preferred_language": "en",
        "time_zone": "Europe/Madrid",
        "condition": "sci",
        "date_of_injury": "2019-06-01",
        "neurological_level": "T6",
        "ais_grade": "B",
        "injury_cause": "Fall",
        "self_ratings": RATINGS,
        "active_infection": "no",
        "pregnant": "no",
        "active_cancer": "no",
        "bleeding_disorder": "no",
        "takes_anticoagulants": "no",
        "takes_anti_inflammatories": "no",
        "takes_immunosuppressants": "no",
        "earlier_cell_treatment": "no",
        "goals": GOALS,
        "goals_own_words": "Stand up to cook.",
        "expectations": "To know what is possible.",
        "consent_contact": True,
        "privacy_acknowledged": True,
        "research_consent": True,
    }


def recreate_pg(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit("The run drops its database: give one whose name starts with 'bench'.")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def one_database(name: str, url: str, port: int, args) -> dict:
    data_dir = tempfile.mkdtemp(prefix=f"bench-faults-{name.lower()}-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_TEST_NAME")}
    env.update(
        {
            "EXOCLINIC_DATA_DIR": data_dir,
            "DJANGO_DEBUG": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    if url:
        recreate_pg(url)
        env["DATABASE_URL"] = url
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    data = run_child("setup", env)
    log = open(Path(data_dir) / "gunicorn.log", "w")  # noqa: SIM115
    server = start_server(env, port, log)
    wait_until_up(port)
    warm_up(port, data["patients"][0]["token"], args.writers)
    burst = Burst(port, data, args.writers)
    threads = burst.start()
    started = time.monotonic()
    # Mid-burst: once enough writes are acknowledged, with the writers' next requests in flight.
    while burst.acknowledged_count() < args.kill_after_acks and time.monotonic() - started < 120:
        time.sleep(0.01)
    with burst.lock:
        acknowledged_before_kill = sum(len(v) for v in burst.acknowledged.values())
        in_flight_at_kill = burst.in_flight
        os.killpg(server.pid, signal.SIGKILL)  # master and workers: no shutdown code runs
    kill_after_s = time.monotonic() - started
    server.wait()
    time.sleep(0.5)  # writers meet the dead server
    server = start_server(env, port, log)
    restart_seconds = wait_until_up(port)
    time.sleep(1.0)  # and the restarted one answers again
    burst.stop.set()
    for t in threads:
        t.join(timeout=120)
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)
    log.close()
    result = run_child("check", env, burst.acknowledged)
    acknowledged = {k: len(v) for k, v in burst.acknowledged.items()}
    return {
        "database": name,
        "writers": args.writers,
        "kill_after_s": round(kill_after_s, 1),
        "in_flight_at_kill": in_flight_at_kill,
        "sent": burst.sent,
        "acknowledged": acknowledged,
        "acknowledged_before_kill": acknowledged_before_kill,
        "refused_4xx": burst.refused,
        "no_answer": burst.no_answer,
        "restart_s": round(restart_seconds, 1),
        "lost": sum(len(v) for v in result["lost"].values()),
        "lost_detail": result["lost"],
        "partial": sum(len(v) for v in result["partial"].values()),
        "partial_detail": result["partial"],
        "present": result["present"],
        "integrity": result["integrity"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=["setup", "check"])
    parser.add_argument("--writers", type=int, default=12)
    parser.add_argument("--kill-after-acks", type=int, default=60, help="acknowledged writes before the kill")
    parser.add_argument("--port", type=int, default=8122)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.child == "setup":
        print(json.dumps(child_setup()))
        return
    if args.child == "check":
        print(json.dumps(child_check(json.loads(sys.stdin.read()))))
        return
    pg = os.environ.get("BENCH_FAULTS_PG", "postgres://postgres:postgres@127.0.0.1:5432/bench_faults_ops")
    runs = []
    if args.only != "postgres":
        runs.append(one_database("SQLite", "", args.port, args))
        print(json.dumps(runs[-1]), flush=True)
    if args.only != "sqlite":
        runs.append(one_database("PostgreSQL", pg, args.port + 1, args))
        print(json.dumps(runs[-1]), flush=True)
    if not args.no_write:
        stored = json.loads(STORE.read_text()) if STORE.exists() else {}
        for r in runs:
            stored[r["database"]] = {**r, "date": dt.date.today().isoformat()}
        STORE.write_text(json.dumps(stored, indent=2) + "\n")
        write_doc(stored)


def write_doc(stored: dict) -> None:
    rows = []
    for name in ("SQLite", "PostgreSQL"):
        r = stored.get(name)
        if not r:
            continue
        sent = sum(r["sent"].values())
        ack = r["acknowledged"]
        present = r["present"]
        rows.append(
            f"| {name} | {sent} | {ack['booking']} / {ack['diary']} / {ack['application']} "
            f"| {r['acknowledged_before_kill']} ({r['kill_after_s']:g} s) | {r['in_flight_at_kill']} "
            f"| {r['no_answer']} | {r['refused_4xx']} "
            f"| {present['booking']} / {present['diary']} / {present['application']} "
            f"| **{r['lost']}** | **{r['partial']}** | {r['integrity']} | {r['restart_s']} s |"
        )
    some = next(iter(stored.values()))
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    header = (
        "| database | writes sent | acknowledged (2xx) booking / diary / application "
        "| acknowledged before the kill | in flight at the kill | attempts without an answer "
        "| refused (4xx) | present after restart | lost | partial | integrity | restart |"
    )
    body = f"""{HEADING}

`bench/faults/run.py`, {some["date"]}, {machine}. gunicorn with `src/exoclinic/gunicorn_conf.py` (the
`make run` configuration) on a fresh database; {some["writers"]} writer threads send bookings, diary entries
and application submits in turn through the API (after a warm-up of every worker); once
{some["acknowledged_before_kill"]} writes are acknowledged, with each writer's next request in flight,
the gunicorn master and all its workers are killed with SIGKILL, the server is started again and the
writers go on (retrying every 50 ms: "attempts without an answer") until it answers. Then every write that
got a 2xx answer is looked up, and every record of the run is checked for its
audit row (`appointment.book`, `diary_entry.record`, `application.submit`) and each application for its
answers.

{header}
|---|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Lost: acknowledged but missing. Partial: a record without its audit row, or an application without its
answers. Both must be 0. "Present" can exceed "acknowledged": a write committed just before the kill whose
answer never reached the client. Why nothing is half-written: each service writes its record and audit row
in one transaction; the kill ends the process, and an uncommitted transaction is rolled back (SQLite: the
WAL frames of an unfinished transaction are ignored on the next open; PostgreSQL: it never committed).
SIGKILL is a process crash, not a power cut: SQLite runs `synchronous=NORMAL` in WAL mode, which can lose
the last transactions (never corrupt the file) if the machine itself loses power.
"""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(body.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    DOC.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
