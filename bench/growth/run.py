"""Benchmark: how the pages a user waits for grow as a clinic grows (time ~ size^k).

For each path the data is built at 4+ sizes (incrementally: each size adds to the previous one), the real URL
is requested through ``django.test.Client`` (one warm-up, then the median of ``--rounds``), the queries of one
more request are counted, and k is fitted by least squares on log(time) against log(size).

- slots: ``GET /api/v1/slots`` for a patient, 1 -> 50 physicians (one week), then 1 -> 12 weeks (10
  physicians); every physician has 5 years of past appointments (two a weekday).
- patients: the staff list ``GET /api/v1/patients`` (its first page of 100) and the staff search page
  ``/staff/?name=...``, 100 -> 100,000 patients.
- progress: ``/portal/progress/`` and ``/portal/progress/report.pdf``, 1 -> 20 years of weekly diary and
  quarterly assessments (one patient per size).
- cohort: ``/staff/outcomes/cohort/`` for a medical director, 1,000 -> 100,000 patients (the cohort data of
  bench/outcomes/run.py, one clinic per step).
- audit: the staff chart ``/staff/patients/<id>/`` with 1 -> 10,000,000 audit rows present (raw inserts:
  the read path is measured, not the chain's validity).

Runs in a throw-away test database (DATABASE_URL picks the engine; on PostgreSQL set DATABASE_TEST_NAME to a
name starting with ``bench``; SQLite uses a file under var/). Results go to bench/growth/results.json (one
entry per engine) and docs/benchmarks.md "## Growth curves" (other sections are left as they are).

    .venv/bin/python bench/growth/run.py [--paths slots,patients,progress,cohort,audit] [--rounds 5]
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/growth_bench \\
        DATABASE_TEST_NAME=bench_growth_test .venv/bin/python bench/growth/run.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# bench/outcomes/run.py sets up Django (settings, sys.path) on import; its cohort builder is reused below.
from bench.outcomes import run as outcomes_bench  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = Path(__file__).with_name("results.json")
HEADING = "## Growth curves"
LOG = print
SAVE_OFF = False


# ---------------------------------------------------------------- measuring


def measure(client: Client, url: str, rounds: int, **extra) -> dict:
    """Median wall time of ``rounds`` requests after one warm-up, and the queries of one more."""
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    first = time.perf_counter()
    client.get(url, **extra)
    one = time.perf_counter() - first
    # A request over 2 s is timed fewer times: the exponent over a wide range is robust to that.
    rounds = max(1, min(rounds, int(20 / max(one, 1e-3)))) if one > 2 else rounds
    times = [one]
    for _ in range(rounds - 1):
        start = time.perf_counter()
        client.get(url, **extra)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return {
        "ms": round(statistics.median(times) * 1000, 1),
        "queries": len(queries),
        "bytes": len(response.content),
        "runs": len(times),
        "load": round(os.getloadavg()[0], 1),
    }


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """k in time ~ size^k: the least-squares slope of log(time) on log(size)."""
    pts = [(math.log(s), math.log(t)) for s, t in points if s > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 2) if sxx else None


def record(results: dict, curve: str, size: int, data: dict) -> None:
    results.setdefault(curve, []).append({"size": size, **data})
    LOG(f"  {curve} size={size}: {data}", flush=True)
    save(results, SAVE_OFF)


def make_clinic(slug: str):
    from exoclinic.core.models import Clinic

    return Clinic.objects.create(
        name=f"Growth {slug}", slug=slug, time_zone="Europe/Madrid", emergency_phone="+34 900 000 000"
    )


def make_staff(clinic, email: str, role: str, **kwargs):
    from exoclinic.accounts.models import StaffMembership, User

    user = User.objects.filter(email=email).first() or User.objects.create_user(email, full_name=email)
    StaffMembership.objects.create(user=user, clinic=clinic, role=role, **kwargs)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


SURNAMES = [
    "Garcia", "Lopez", "Martin", "Sanchez", "Perez", "Gomez", "Ruiz", "Diaz", "Moreno", "Alvarez",
    "Romero", "Navarro", "Torres", "Dominguez", "Vazquez", "Ramos", "Gil", "Serrano", "Blanco", "Molina",
]  # fmt: skip


def add_patients(clinic, start: int, stop: int, prefix: str = "G") -> None:
    from exoclinic.core.models import Patient

    Patient.objects.bulk_create(
        (
            Patient(
                clinic=clinic,
                record_number=f"{prefix}{i:07d}",
                first_name=f"Name{i % 997}",
                last_name=SURNAMES[i % len(SURNAMES)] + ("" if i % 50 == 0 else f"{i % 50}"),
                date_of_birth=dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
                email=f"p{i}@growth.example.org",
            )
            for i in range(start, stop)
        ),
        batch_size=2000,
    )


# ---------------------------------------------------------------- slot search


def bench_slots(rounds: int, results: dict, practitioner_sizes, week_sizes, window_at: int) -> None:
    from django.utils import timezone

    from exoclinic.accounts.models import Role, User
    from exoclinic.core.models import Patient
    from exoclinic.scheduling.models import (
        Appointment,
        AppointmentStatus,
        AppointmentType,
        WeeklyHours,
        session_key_for,
    )

    clinic = make_clinic("growth-slots")
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
    add_patients(clinic, 0, 120, prefix="S")
    pool = list(Patient.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True))
    me = User.objects.create_user("slots.patient@growth.example.org", full_name="Slot patient")
    Patient.objects.filter(pk=pool[-1]).update(user=me)
    client = logged_in(me)
    now = timezone.now()
    today = timezone.localdate()
    first_day = today + dt.timedelta(days=7)
    five_years = [today - dt.timedelta(days=d) for d in range(1, 5 * 365 + 1)]
    past_days = [d for d in five_years if d.weekday() < 5]
    zone = dt.timezone(dt.timedelta(hours=1))
    built = 0

    def add_practitioner(n: int) -> None:
        user = make_staff(clinic, f"doctor{n}@growth.example.org", Role.CLINICIAN, title="Physician")
        WeeklyHours.objects.bulk_create(
            WeeklyHours(clinic=clinic, practitioner=user, weekday=w, start=dt.time(8), end=dt.time(20))
            for w in range(5)
        )
        rows = []
        for day in past_days:
            for slot, hour in enumerate((9, 11)):
                start = dt.datetime.combine(day, dt.time(hour), zone)
                end = start + dt.timedelta(minutes=30)
                rows.append(
                    Appointment(
                        clinic=clinic,
                        patient_id=pool[(n * 2 + slot) % (len(pool) - 1)],
                        appointment_type=kind,
                        practitioner=user,
                        start=start,
                        end=end,
                        blocked_start=start,
                        blocked_end=end,
                        status=AppointmentStatus.COMPLETED,
                        session_key=session_key_for(
                            type_id=kind.pk, practitioner_id=user.pk, room_id=None, start=start
                        ),
                    )
                )
        Appointment.objects.bulk_create(rows, batch_size=2000)

    def url(weeks: int) -> str:
        end = first_day + dt.timedelta(days=7 * weeks - 1)
        return f"/api/v1/slots?appointment_type={kind.pk}&start={first_day}&end={end}"

    del now
    for size in practitioner_sizes:
        while built < size:
            add_practitioner(built)
            built += 1
        record(results, "slots.practitioners", size, measure(client, url(1), rounds))
        if size == window_at:
            for weeks in week_sizes:
                record(results, "slots.weeks", weeks, measure(client, url(weeks), rounds))
    results["slots.past_appointments"] = Appointment.objects.filter(clinic=clinic).count()


# ---------------------------------------------------------------- patients


def bench_patients(rounds: int, results: dict, sizes) -> None:
    from exoclinic.accounts.models import Role

    clinic = make_clinic("growth-patients")
    staff = make_staff(clinic, "coordinator@growth.example.org", Role.COORDINATOR)
    client = logged_in(staff)
    built = 0
    for size in sizes:
        add_patients(clinic, built, size)
        built = size
        record(results, "patients.search", size, measure(client, "/staff/?name=Garcia", rounds))
        record(results, "patients.search_record", size, measure(client, "/staff/?name=G0000050", rounds))
        # The list is paged (100 a page by default): the first page, as a client opens it.
        record(results, "patients.api_list", size, measure(client, "/api/v1/patients", rounds))


# ---------------------------------------------------------------- progress


def build_progress(years: int, n: int):
    from exoclinic.accounts.models import User
    from exoclinic.core.models import Clinic, Patient
    from exoclinic.outcomes.models import Assessment, DiaryEntry

    clinic = Clinic.objects.get_or_create(
        slug="growth-progress", defaults={"name": "Progress", "emergency_phone": "+34 900 000 000"}
    )[0]
    user = User.objects.create_user(f"progress{n}@growth.example.org", "bench-password-123")
    patient = Patient.objects.create(
        clinic=clinic,
        user=user,
        record_number=f"PR-{n}",
        first_name="Progress",
        last_name=str(years),
        date_of_birth=dt.date(1980, 1, 1),
        sci_date_of_injury=dt.date(2000, 5, 1),
        sci_neurological_level="C6",
        sci_ais_grade="B",
    )
    start = dt.date.today() - dt.timedelta(weeks=52 * years + 1)
    start -= dt.timedelta(days=start.weekday())
    rng = random.Random(years)
    DiaryEntry.objects.bulk_create(
        (
            DiaryEntry(
                patient=patient,
                week_start=start + dt.timedelta(weeks=i),
                movement=rng.randint(2, 6),
                muscle_relaxation=rng.randint(3, 8),
                bowel_bladder=rng.randint(2, 6),
                sensation=rng.randint(2, 5),
                pain=rng.randint(3, 8),
                rest_strength=rng.randint(3, 7),
            )
            for i in range(52 * years)
        ),
        batch_size=2000,
    )
    rows = []
    for q in range(4 * years):
        taken = start + dt.timedelta(days=91 * q)
        for code, values in (
            ("scim3", {"total": 40 + q % 30, "self_care": 8, "respiration_sphincter": 22, "mobility": 10}),
            ("pain", {"average": 7 - q % 5, "interference_activities": None}),
            ("nbd", {"total": 12 - q % 8}),
            ("grip", {"right_kg": 15.0 + (q % 20) / 2, "left_kg": 14.0}),
        ):
            rows.append(
                Assessment(
                    patient=patient,
                    instrument=code,
                    taken_on=taken,
                    items={},
                    values=values,
                    follow_up_months=0 if q == 0 else None,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=2000)
    return user


def bench_progress(rounds: int, results: dict, sizes) -> None:
    for n, years in enumerate(sizes):
        client = logged_in(build_progress(years, n))
        record(results, "progress.page", years, measure(client, "/portal/progress/", rounds))
        record(results, "progress.pdf", years, measure(client, "/portal/progress/report.pdf", rounds))


# ---------------------------------------------------------------- cohort


def bench_cohort(rounds: int, results: dict, sizes) -> None:
    from exoclinic.accounts.models import Role
    from exoclinic.core.models import Clinic

    director = None
    built = 0
    for step, size in enumerate(sizes):
        # outcomes_bench.build_cohort makes a clinic with slug "cohort": each step adds one more clinic
        # with the patients this size needs, and the director directs every clinic built so far.
        outcomes_bench.build_cohort(size - built)
        built = size
        clinic = Clinic.objects.get(slug="cohort")
        clinic.slug = f"cohort-{step}"
        clinic.save(update_fields=["slug"])
        director = make_staff(clinic, "director@growth.example.org", Role.CLINICIAN, is_medical_director=True)
        client = logged_in(director)
        record(results, "cohort.page", size, measure(client, "/staff/outcomes/cohort/?point=12", rounds))


# ---------------------------------------------------------------- audit trail


def insert_audit_rows(n: int, *, actor_id: int, clinic_id: int, first_patient: int, patients: int) -> None:
    """``n`` more ``patient.view`` rows spread over ``patients`` patients, in SQL (no hash: not verified)."""
    from exoclinic.core.models import AuditChainHead, AuditEvent

    table = AuditEvent._meta.db_table
    base = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    base = max(base, AuditChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0)
    columns = (
        "occurred_at, actor_id, actor_email, action, record_type, record_id, clinic_id, patient_id, "
        "ip_address, user_agent, detail, seq, row_hash"
    )
    chunk = 1_000_000
    with connection.cursor() as cursor:
        for offset in range(0, n, chunk):
            count = min(chunk, n - offset)
            lo = base + offset
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "
                    "SELECT now() - make_interval(secs => %s - g), %s, 'reader@growth.example.org', "
                    "'patient.view', 'core.patient', (%s + g %% %s)::text, %s, %s + g %% %s, NULL, '', "
                    "'{\"purpose\": \"list\"}'::jsonb, g, md5(g::text) || md5(g::text) "
                    "FROM generate_series(%s, %s) AS g",
                    [lo + count, actor_id, first_patient, patients, clinic_id, first_patient, patients,
                     lo + 1, lo + count],
                )  # fmt: skip
            else:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "
                    "WITH RECURSIVE g(x) AS (SELECT %s UNION ALL SELECT x + 1 FROM g WHERE x < %s) "
                    "SELECT strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || (%s - x) || ' seconds'), %s, "
                    "'reader@growth.example.org', 'patient.view', 'core.patient', "
                    "CAST(%s + x %% %s AS TEXT), %s, %s + x %% %s, NULL, '', '{\"purpose\": \"list\"}', "
                    "x, printf('%%064d', x) FROM g",
                    [lo + 1, lo + count, lo + count + 1, actor_id, first_patient, patients, clinic_id,
                     first_patient, patients],
                )  # fmt: skip
    top = base + n
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": top, "last_hash": "0" * 64})
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def bench_audit(rounds: int, results: dict, sizes) -> None:
    from exoclinic.accounts.models import Role
    from exoclinic.core.models import AuditEvent, Patient

    clinic = make_clinic("growth-audit")
    add_patients(clinic, 0, 1000, prefix="A")
    ids = list(Patient.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True))
    assert ids[-1] - ids[0] == len(ids) - 1, "patient ids are not contiguous"
    reader = make_staff(clinic, "reader@growth.example.org", Role.CLINICIAN)
    client = logged_in(reader)
    chart = f"/staff/patients/{ids[0]}/"
    for size in sizes:
        present = AuditEvent.objects.count()
        if size > present:
            started = time.perf_counter()
            insert_audit_rows(
                size - present, actor_id=reader.pk, clinic_id=clinic.pk, first_patient=ids[0], patients=1000
            )
            LOG(f"  audit: {size - present} rows in {time.perf_counter() - started:.0f} s", flush=True)
        record(results, "audit.chart", size, measure(client, chart, rounds))
    results["audit.rows_reached"] = AuditEvent.objects.count()


# ---------------------------------------------------------------- the document

CURVES = [
    ("slots.practitioners", "Slot search, one week: physicians", "physicians", True),
    ("slots.weeks", "Slot search, 10 physicians: window", "weeks", True),
    ("patients.api_list", "Staff patient list `GET /api/v1/patients`", "patients", True),
    ("patients.search", "Patient search `/staff/?name=Garcia` (common surname)", "patients", True),
    ("patients.search_record", "Patient search by record number", "patients", True),
    ("progress.page", "Progress page `/portal/progress/`", "years", True),
    ("progress.pdf", "Progress report PDF", "years", True),
    ("cohort.page", "Cohort summary page `/staff/outcomes/cohort/?point=12`", "patients", True),
    ("audit.chart", "Staff chart `/staff/patients/<id>/`", "audit rows", True),
]


def write_section(stored: dict) -> None:
    lines = [
        HEADING,
        "",
        "Measured by `bench/growth/run.py`: the data is built at each size (bulk inserts; the audit rows",
        "by SQL), the real URL is requested through `django.test.Client` in one process (one warm-up, then",
        "the median of several requests; one request over 5 s is repeated fewer times), and one more",
        "request's queries are counted. k is the least-squares slope of log(time) on log(size): time ~",
        "size^k. **Absolute times were taken on a shared 2-CPU machine, some curves under heavy load from",
        "other work** (the load average at each point is in the JSON; the next section says which): read",
        "them as orders of magnitude, and the exponents, fitted over wide size ranges, as the result.",
        "",
        "Reproduce (each engine writes its own entry in `bench/growth/results.json`):",
        "",
        "```",
        ".venv/bin/python bench/growth/run.py",
        "DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/growth_bench \\",
        "    DATABASE_TEST_NAME=bench_growth_test .venv/bin/python bench/growth/run.py",
        "```",
        "",
        "`--paths slots,patients,progress,cohort,audit` picks the curves; `--max-audit`, `--max-patients`",
        "and `--max-cohort` bound the largest sizes.",
        "",
    ]
    for curve, title, unit, _ in CURVES:
        engines = {e: r[curve] for e, r in sorted(stored.items()) if curve in r}
        if not engines:
            continue
        lines += [f"### {title}", ""]
        header = f"| {unit} |" + "".join(f" {e} ms | {e} queries |" for e in engines)
        lines += [header, "|---|" + "---|---|" * len(engines)]
        sizes = sorted({row["size"] for rows in engines.values() for row in rows})
        for size in sizes:
            cells = f"| {size:,} |"
            for rows in engines.values():
                row = next((r for r in rows if r["size"] == size), None)
                cells += f" {row['ms']} | {row['queries']} |" if row else " - | - |"
            lines.append(cells)
        ks = ", ".join(
            f"{e} **k = {fit_exponent([(r['size'], r['ms']) for r in rows])}**" for e, rows in engines.items()
        )
        lines += ["", f"Fitted exponent: {ks}.", ""]
        note = NOTES.get(curve)
        if note:
            lines += [note, ""]
    meta = ", ".join(f"{e}: {r.get('date')}, {r.get('machine')}" for e, r in sorted(stored.items()))
    lines += [f"Runs: {meta}.", ""]
    text = "\n".join(lines)
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text + "\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    DOC.write_text(updated.rstrip("\n") + "\n")


NOTES: dict[str, str] = {}  # per-curve explanations, filled in below from the measured results
NOTES_FILE = Path(__file__).with_name("notes.json")
if NOTES_FILE.exists():
    NOTES.update(json.loads(NOTES_FILE.read_text()))


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", default="slots,patients,progress,cohort,audit")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-patients", type=int, default=100_000)
    parser.add_argument("--max-cohort", type=int, default=100_000)
    parser.add_argument("--max-audit", type=int, default=10_000_000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--doc-only", action="store_true", help="rewrite the doc from results.json")
    args = parser.parse_args()
    global SAVE_OFF
    SAVE_OFF = args.no_write
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if args.doc_only:
        write_section(stored)
        return
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    settings.EXOCLINIC_STAFF_MFA_REQUIRED = False
    settings.AXES_ENABLED = False
    settings.ALLOWED_HOSTS = ["testserver"]
    # The API allows 31 days a search; the curve goes to 12 weeks, so the bench lifts that bound.
    settings.EXOCLINIC_SCHEDULING = {**getattr(settings, "EXOCLINIC_SCHEDULING", {}), "MAX_SEARCH_DAYS": 90}
    if connection.vendor == "sqlite":
        path = ROOT / "var" / f"bench-growth-{args.paths.replace(',', '-')}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(path)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    results: dict = {}
    paths = args.paths.split(",")
    steps = {
        "slots": lambda: bench_slots(
            args.rounds, results, [1, 3, 10, 25, 50], [1, 2, 4, 8, 12], window_at=10
        ),
        "progress": lambda: bench_progress(args.rounds, results, [1, 2, 5, 10, 20]),
        "patients": lambda: bench_patients(
            args.rounds,
            results,
            [s for s in (100, 300, 1_000, 3_000, 10_000, 30_000, 100_000) if s <= args.max_patients],
        ),
        "cohort": lambda: bench_cohort(
            args.rounds, results, [s for s in (1_000, 3_000, 10_000, 30_000, 100_000) if s <= args.max_cohort]
        ),
        "audit": lambda: bench_audit(
            args.rounds,
            results,
            [s for s in (1, 1_000, 100_000, 1_000_000, 3_000_000, 10_000_000) if s <= args.max_audit],
        ),
    }
    try:
        for name in paths:
            LOG(name, flush=True)
            try:
                steps[name]()
            finally:
                save(results, args.no_write)  # what was measured so far survives a stopped run
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    for curve, rows in results.items():
        if isinstance(rows, list):
            LOG(f"{connection.vendor} {curve}: k = {fit_exponent([(r['size'], r['ms']) for r in rows])}")


def save(results: dict, no_write: bool) -> None:
    if no_write or not results:
        return
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    entry = stored.setdefault(connection.vendor, {})
    entry.update(results)
    entry["date"] = dt.date.today().isoformat()
    entry["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    RESULTS.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    write_section(stored)


if __name__ == "__main__":
    main()
