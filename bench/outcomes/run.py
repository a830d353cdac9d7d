"""Benchmark: the progress page against the portal home, and the cohort summary over 10,000 patients.

- Progress page: one patient with 10 years of weekly diary entries (520) and 40 assessments; the page and the
  portal home are requested alternately in the same run (median of --rounds). Target: under 3 times the home.
- Cohort summary: --patients patients (default 10,000) with 20 assessments each (4 instruments at baseline
  and at 1, 3, 6 and 12 months), built with bulk_create; ``cohort_summary`` at 12 months, median of 3.
  Target: under 2 s on SQLite and on PostgreSQL.

Runs in a throw-away test database (DATABASE_URL picks the engine; set DATABASE_TEST_NAME on PostgreSQL).
Results go to bench/outcomes/results.json (one entry per engine) and docs/benchmarks.md "## Outcomes".

Run: .venv/bin/python bench/outcomes/run.py [--patients 10000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exoclinic.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = Path(__file__).with_name("results.json")
HEADING = "## Outcomes"


def build_progress_patient():
    from exoclinic.accounts.models import User
    from exoclinic.core.models import Clinic, Patient
    from exoclinic.outcomes import services
    from exoclinic.outcomes.models import Assessment, DiaryEntry

    clinic = Clinic.objects.create(name="Bench", slug="bench", emergency_phone="+34 900 000 000")
    user = User.objects.create_user("bench.patient@example.org", "bench-password-123")
    patient = Patient.objects.create(
        clinic=clinic,
        user=user,
        record_number="B-1",
        first_name="Bench",
        last_name="Patient",
        date_of_birth=dt.date(1980, 1, 1),
        sci_date_of_injury=dt.date(2012, 5, 1),
        sci_neurological_level="C6",
        sci_ais_grade="B",
    )
    start = dt.date(2015, 1, 5)
    rng = random.Random(7)
    DiaryEntry.objects.bulk_create(
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
        for i in range(520)
    )
    services.follow_up_schedule_sync(
        actor=None, patient=patient, first_procedure=start + dt.timedelta(days=30)
    )
    instruments = ["scim3", "pain", "nbd", "grip"]
    rows = []
    for i in range(40):
        code = instruments[i % 4]
        values = {
            "scim3": {
                "total": 40 + i // 4,
                "self_care": 8,
                "respiration_sphincter": 22,
                "mobility": 10 + i // 4,
            },
            "pain": {"average": 7 - (i // 8), "interference_activities": None},
            "nbd": {"total": 12 - i // 10},
            "grip": {"right_kg": 15.0 + i / 10, "left_kg": 14.0},
        }[code]
        rows.append(
            Assessment(
                patient=patient,
                instrument=code,
                taken_on=start + dt.timedelta(days=91 * (i // 4)),
                items={},
                values=values,
                follow_up_months=0 if i < 4 else None,
            )
        )
    Assessment.objects.bulk_create(rows)
    return user


def time_pages(user, rounds: int) -> dict:
    client = Client()
    client.force_login(user)
    for url in ("/portal/", "/portal/progress/"):  # warm up templates and caches
        assert client.get(url).status_code == 200
    home, progress = [], []
    for _ in range(rounds):
        for url, sink in (("/portal/", home), ("/portal/progress/", progress)):
            start = time.perf_counter()
            response = client.get(url)
            sink.append(time.perf_counter() - start)
            assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/portal/progress/")
    home_ms, progress_ms = statistics.median(home) * 1000, statistics.median(progress) * 1000
    return {
        "home_ms": round(home_ms, 1),
        "progress_ms": round(progress_ms, 1),
        "ratio": round(progress_ms / home_ms, 2),
        "progress_queries": len(queries),
    }


def build_cohort(patients: int) -> None:
    from exoclinic.core.models import Clinic, Patient
    from exoclinic.outcomes.models import Assessment, FollowUpPoint, FollowUpSchedule

    clinic = Clinic.objects.create(name="Cohort", slug="cohort", emergency_phone="+34 900 000 001")
    rng = random.Random(11)
    today = dt.date.today()
    Patient.objects.bulk_create(
        (
            Patient(
                clinic=clinic,
                record_number=f"C-{i:06d}",
                first_name="P",
                last_name=str(i),
                date_of_birth=dt.date(1970 + i % 30, 1, 1),
                sci_date_of_injury=today - dt.timedelta(days=900 + i % 2000),
                sci_neurological_level=rng.choice(["C5", "C6", "T4", "T10", "L1"]),
                sci_ais_grade=rng.choice("ABCD"),
            )
            for i in range(patients)
        ),
        batch_size=2000,
    )
    ids = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True))
    FollowUpSchedule.objects.bulk_create(
        (
            FollowUpSchedule(patient_id=pk, first_procedure_on=today - dt.timedelta(days=400 + pk % 300))
            for pk in ids
        ),
        batch_size=2000,
    )
    schedules = dict(FollowUpSchedule.objects.filter(patient_id__in=ids).values_list("patient_id", "pk"))
    months = (0, 1, 3, 6, 12)
    points, rows = [], []
    for pk in ids:
        first = today - dt.timedelta(days=400 + pk % 300)
        lost = rng.random() < 0.15
        for m in months:
            due = first + dt.timedelta(days=round(m * 30.44))
            done = not (lost and m == 12)
            points.append(
                FollowUpPoint(
                    schedule_id=schedules[pk], months=m, due_on=due, completed_on=due if done else None
                )
            )
            if not done:
                continue
            gain = m // 3
            rows.extend(
                [
                    Assessment(
                        patient_id=pk,
                        instrument="scim3",
                        taken_on=due,
                        follow_up_months=m,
                        items={},
                        values={
                            "total": 40 + gain + rng.randint(-3, 3),
                            "self_care": 8,
                            "respiration_sphincter": 20,
                            "mobility": 12,
                        },
                    ),
                    Assessment(
                        patient_id=pk,
                        instrument="pain",
                        taken_on=due,
                        follow_up_months=m,
                        items={},
                        values={"average": max(0, 7 - gain // 2 - rng.randint(0, 2))},
                    ),
                    Assessment(
                        patient_id=pk,
                        instrument="nbd",
                        taken_on=due,
                        follow_up_months=m,
                        items={},
                        values={"total": 12 + rng.randint(-2, 2)},
                    ),
                    Assessment(
                        patient_id=pk,
                        instrument="isncsci",
                        taken_on=due,
                        follow_up_months=m,
                        items={},
                        values={
                            "uems": 20 + gain,
                            "lems": 10,
                            "total_motor": 30 + gain,
                            "lt_total": 60,
                            "pp_total": 55,
                            "ais": rng.choice("ABC"),
                            "nli": "C6",
                        },
                    ),
                ]
            )
        if len(rows) > 20000:
            Assessment.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Assessment.objects.bulk_create(rows, batch_size=5000)
    FollowUpPoint.objects.bulk_create(points, batch_size=5000)


def time_cohort(rounds: int = 3) -> dict:
    from exoclinic.core.models import Clinic
    from exoclinic.outcomes.cohort import CohortFilters, cohort_summary
    from exoclinic.outcomes.models import Assessment

    clinics = Clinic.objects.filter(slug="cohort")
    times, cpu = [], []
    summary = cohort_summary(clinics=clinics, filters=CohortFilters(point=12))  # warm-up
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        summary = cohort_summary(clinics=clinics, filters=CohortFilters(point=12))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    scim = next(m for m in summary.measures if m.code == "scim3.total")
    return {
        "cohort_s": round(statistics.median(times), 3),
        "cohort_cpu_s": round(statistics.median(cpu), 3),
        "cohort_patients": summary.patients,
        "cohort_assessments": Assessment.objects.filter(patient__clinic__in=clinics).count(),
        "scim_measured": scim.measured,
        "scim_missing": scim.missing,
    }


def write_section(results: dict) -> None:
    lines = [
        HEADING,
        "",
        "Measured by `bench/outcomes/run.py` (throw-away test database, `django.test.Client`, medians).",
        "Progress page: one patient with 520 weekly diary entries (10 years) and 40 assessments,",
        "requested alternately with the portal home in the same run; target under 3x the home.",
        "Cohort summary: 10,000 patients with 20 assessments each (4 instruments at baseline, 1, 3, 6",
        "and 12 months, 15% lost before 12 months), `cohort_summary` at 12 months; target under 2 s.",
        "The progress page's query count is also asserted (at most 20) in `tests/outcomes/test_pages.py`.",
        "Wall time depends on the machine's load (load average given); the cohort's CPU time is this",
        "process only (on PostgreSQL the database server's share is not in it).",
        "",
        "| engine | date | machine (load) | portal home | progress page | ratio (< 3) | queries "
        "| cohort wall (< 2 s) | cohort CPU | patients x rows |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for engine, r in sorted(results.items()):
        lines.append(
            f"| {engine} | {r['date']} | {r['machine']} ({r.get('load', 0):.1f}) | {r['home_ms']} ms "
            f"| {r['progress_ms']} ms | {r['ratio']}x | {r['progress_queries']} | {r['cohort_s']} s "
            f"| {r.get('cohort_cpu_s', '-')} s | {r['cohort_patients']} x {r['cohort_assessments']} |"
        )
    text = "\n".join(lines) + "\n"
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text + "\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    DOC.write_text(updated.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        user = build_progress_patient()
        pages = time_pages(user, args.rounds)
        print("pages", pages, flush=True)
        start = time.perf_counter()
        build_cohort(args.patients)
        print(f"cohort data built in {time.perf_counter() - start:.1f} s", flush=True)
        cohort = time_cohort()
        print("cohort", cohort, flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    engine = connection.vendor
    result = {
        **pages,
        **cohort,
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load": os.getloadavg()[0],
    }
    if args.no_write:
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[engine] = result
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    write_section(results)


if __name__ == "__main__":
    main()
