"""Benchmark: FHIR `$everything` of a patient with 10 years of records, and a bulk export of 10,000 patients.

- `$everything`: one patient with 520 weekly diary entries (10 years), 320 assessments (8 instruments each
  quarter for 10 years) and 40 appointments, requested through HTTP (`django.test.Client`, Bearer token);
  median of --rounds, the query count, and the peak of Python memory (tracemalloc) during one request.
- Bulk export: --patients patients (default 10,000) in two clinics (10% and 90%), 5 assessments and 4 diary
  entries each, exported by the writer the Huey task runs (`export_run`). The Group export of the small
  clinic and the Patient export of all patients are run with tracemalloc to compare their peak memory (the
  writer streams: the peak should not grow with the number of patients); the full export is timed again
  without tracemalloc, which slows Python down.

Runs in a throw-away test database (DATABASE_URL picks the engine). Results: docs/benchmarks.md "## FHIR".

Run: .venv/bin/python bench/fhir/run.py [--patients 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
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
from django.test.utils import setup_test_environment  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## FHIR"
INSTRUMENT_VALUES = {
    "scim3": {"total": 45, "self_care": 9, "respiration_sphincter": 24, "mobility": 12},
    "pain": {"average": 6, "interference_activities": 4, "interference_mood": 3, "interference_sleep": 5},
    "nbd": {"total": 11},
    "grip": {"right_kg": 18.5, "left_kg": 16.0},
    "mas": {"sum": 6, "max": 3, "knee_extensors_right": 3, "knee_extensors_left": 2},
    "penn": {"frequency": 2, "severity": 2},
    "sleep": {"quality": 5, "psqi_global": 9},
    "fss": {"mean": 4.8},
}


def _clinic(slug):
    from exoclinic.core.models import Clinic

    return Clinic.objects.create(name=slug.title(), slug=slug, emergency_phone="+34 900 000 000")


def _patients(clinic, count, start):
    from exoclinic.core.models import Patient

    return Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            record_number=f"B-{start + i}",
            first_name="Bench",
            last_name=f"P{start + i}",
            date_of_birth=dt.date(1980, 1, 1),
            sci_date_of_injury=dt.date(2012, 5, 1),
            sci_neurological_level="C6",
            sci_ais_grade="B",
            baseline_systolic_mmhg=104,
        )
        for i in range(count)
    )


def build_staff(clinics):
    from exoclinic.accounts.models import StaffMembership, User
    from exoclinic.accounts.services import api_token_issue

    user = User.objects.create_user("bench.clinician@example.org", "bench-password-123")
    for clinic in clinics:
        StaffMembership.objects.create(user=user, clinic=clinic, role="clinician")
    return user, api_token_issue(user=user)[1]


def build_ten_years(clinic, clinician):
    from exoclinic.outcomes.models import Assessment, DiaryEntry
    from exoclinic.scheduling.models import Appointment, AppointmentStatus, AppointmentType

    patient = _patients(clinic, 1, 0)[0]
    start = dt.date(2015, 1, 5)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            week_start=start + dt.timedelta(weeks=i),
            movement=4,
            muscle_relaxation=5,
            bowel_bladder=4,
            sensation=3,
            pain=6,
            rest_strength=5,
        )
        for i in range(520)
    )
    Assessment.objects.bulk_create(
        Assessment(
            patient=patient,
            instrument=code,
            taken_on=start + dt.timedelta(days=91 * q),
            items={},
            values=values,
        )
        for q in range(40)
        for code, values in INSTRUMENT_VALUES.items()
    )
    kind = AppointmentType.objects.create(
        clinic=clinic, name="Follow-up", kind="follow_up", duration_minutes=45
    )
    first = dt.datetime(2015, 2, 2, 9, tzinfo=dt.UTC)
    Appointment.objects.bulk_create(
        Appointment(
            clinic=clinic,
            patient=patient,
            appointment_type=kind,
            practitioner=clinician,
            start=first + dt.timedelta(days=91 * q),
            end=first + dt.timedelta(days=91 * q, minutes=45),
            blocked_start=first + dt.timedelta(days=91 * q),
            blocked_end=first + dt.timedelta(days=91 * q, minutes=45),
            status=AppointmentStatus.COMPLETED,
            session_key=f"bench-{q}",
        )
        for q in range(40)
    )
    return patient


def time_everything(patient, token, rounds):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/fhir/r4/Patient/{patient.pk}/$everything"
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    resources = response.json()["total"]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - started)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: queries.append(sql) or execute(sql, params, many, context)
    ):
        client.get(url)
    tracemalloc.start()
    client.get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "resources": resources,
        "median_s": statistics.median(times),
        "queries": len(queries),
        "peak_mib": peak / 2**20,
    }


def build_cohort(clinic, count, start):
    from exoclinic.outcomes.models import Assessment, DiaryEntry

    codes = list(INSTRUMENT_VALUES)[:5]
    for offset in range(0, count, 2000):
        patients = _patients(clinic, min(2000, count - offset), start + offset)
        Assessment.objects.bulk_create(
            Assessment(
                patient=p,
                instrument=code,
                taken_on=dt.date(2024, 1, 1) + dt.timedelta(days=90 * i),
                items={},
                values=INSTRUMENT_VALUES[code],
            )
            for p in patients
            for i, code in enumerate(codes)
        )
        DiaryEntry.objects.bulk_create(
            DiaryEntry(
                patient=p,
                week_start=dt.date(2024, 1, 1) + dt.timedelta(weeks=w),
                movement=4,
                muscle_relaxation=5,
                bowel_bladder=4,
                sensation=3,
                pain=6,
                rest_strength=5,
            )
            for p in patients
            for w in range(4)
        )


def run_export(user, clinic, *, trace: bool):
    from exoclinic.interop.export import export_dir, export_run
    from exoclinic.interop.models import BulkExport
    from exoclinic.interop.sources import KINDS

    export = BulkExport.objects.create(
        requested_by=user,
        clinic=clinic,
        types=list(KINDS),
        request_url="bench",
        base_url="http://bench/fhir/r4/",
    )
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    done = export_run(export_id=str(export.pk))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    size = sum(f.stat().st_size for f in export_dir(done).iterdir())
    return {
        "patients": done.patients_done,
        "resources": sum(o["count"] for o in done.output),
        "seconds": seconds,
        "peak_mib": None if peak is None else peak / 2**20,
        "mib_written": size / 2**20,
    }


def write_section(result: dict) -> None:
    e, small, full, timed = result["everything"], result["small"], result["full"], result["timed"]
    lines = [
        HEADING,
        "",
        "Measured by `bench/fhir/run.py` (throw-away test database, `django.test.Client` with a Bearer",
        "token for `$everything`; the bulk export writer `interop.export.export_run`, which the Huey task",
        "runs, called directly). Peak memory is Python's own allocations during the run (tracemalloc), not",
        "the process RSS.",
        f"{result['machine']}, load average {result['load']:.1f}, {result['engine']}, {result['date']}.",
        "",
        "| measure | patients | resources | time | peak memory | queries / written |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `$everything`, 10 years of records (median of {result['rounds']}) | 1 | {e['resources']:,} | "
        f"{e['median_s'] * 1000:.0f} ms | {e['peak_mib']:.1f} MiB | {e['queries']} queries |",
        f"| bulk export, Group (one clinic), with tracemalloc | {small['patients']:,} | "
        f"{small['resources']:,} | "
        f"{small['seconds']:.1f} s | {small['peak_mib']:.1f} MiB | {small['mib_written']:.0f} MiB NDJSON |",
        f"| bulk export, all patients, with tracemalloc | {full['patients']:,} | {full['resources']:,} | "
        f"{full['seconds']:.1f} s | {full['peak_mib']:.1f} MiB | {full['mib_written']:.0f} MiB NDJSON |",
        f"| bulk export, all patients, timed without tracemalloc | {timed['patients']:,} | "
        f"{timed['resources']:,} | {timed['seconds']:.1f} s | - | {timed['mib_written']:.0f} MiB NDJSON |",
        "",
        f"Peak memory of the export at {full['patients']:,} patients is"
        f" {full['peak_mib'] / small['peak_mib']:.2f}x the peak at {small['patients']:,} patients: the writer"
        f" reads patients in chunks of {result['chunk']} and writes each resource as a line, so memory"
        " follows the chunk, not the number of patients.",
        "",
    ]
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-fhir-")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        small_clinic, big_clinic = _clinic("bench-small"), _clinic("bench-big")
        user, token = build_staff([small_clinic, big_clinic])
        patient = build_ten_years(small_clinic, user)
        everything = time_everything(patient, token, args.rounds)
        print("everything", everything, flush=True)
        small_count = args.patients // 10
        build_cohort(small_clinic, small_count - 1, 1)  # with the ten-year patient: a tenth of the patients
        build_cohort(big_clinic, args.patients - small_count, small_count)
        small = run_export(user, small_clinic, trace=True)
        print("small", small, flush=True)
        full = run_export(user, None, trace=True)
        print("full", full, flush=True)
        timed = run_export(user, None, trace=False)
        print("timed", timed, flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    from exoclinic.interop.selectors import conf

    result = {
        "everything": everything,
        "small": small,
        "full": full,
        "timed": timed,
        "rounds": args.rounds,
        "engine": connection.vendor,
        "date": dt.date.today().isoformat(),
        "chunk": conf("EXPORT_CHUNK"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load": os.getloadavg()[0],
    }
    if not args.no_write:
        write_section(result)


if __name__ == "__main__":
    main()
