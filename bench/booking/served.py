"""Booking contention against a server that is already running: the one ``make run`` starts.

For each size N (50 and 200 by default), N patients, each on their own connection and released together,
ask for the same slot. Must be: one 201, N - 1 clean 409 ``slot_taken``, no reset connection, one active
appointment in the database. Reports p50/p99 latency and the peak memory of the server's processes
(gunicorn master and workers, found by the port they listen on), sampled every 20 ms.

The data (a clinic of its own, three physicians, N patients with tokens) is written through Django with the
same settings as the server, so the environment must match the server's (the defaults match ``make run``):

    EXOCLINIC_RATE_LIMIT_FACTOR=1000 make run PORT=8120 &
    EXOCLINIC_RATE_LIMIT_FACTOR=1000 .venv/bin/python bench/booking/run.py --url http://127.0.0.1:8120
    DATABASE_URL=postgres://... EXOCLINIC_RATE_LIMIT_FACTOR=1000 make run PORT=8121 &
    DATABASE_URL=postgres://... EXOCLINIC_RATE_LIMIT_FACTOR=1000 .venv/bin/python bench/booking/run.py \
        --url http://127.0.0.1:8121

Results go to docs/benchmarks.md under "## Booking under make run" (one row per database and size; the
figures of the other database are kept from bench/booking/served.json).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import platform
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
STORE = Path(__file__).with_name("served.json")
HEADING = "## Booking under make run"
REQUEST_TIMEOUT = 120


def _django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exoclinic.settings")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()


def setup_clinic(patients: int) -> dict:
    """A clinic of the run's own (never the demo's), three physicians, ``patients`` patients with tokens."""
    from django.db import connections
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from exoclinic.accounts.models import Role, StaffMembership, User
    from exoclinic.accounts.services import api_token_issue
    from exoclinic.core.models import Clinic, Patient
    from exoclinic.scheduling.availability import find_free_slots
    from exoclinic.scheduling.models import AppointmentType, WeeklyHours

    tag = f"{int(time.time())}"
    clinic = Clinic.objects.create(
        name=f"Bench clinic {tag}", slug=f"bench-{tag}", time_zone="Europe/Madrid", emergency_phone="+34 900"
    )
    for i in range(3):
        user = User.objects.create_user(f"doctor{i}.{tag}@bench.example.org", full_name=f"Doctor {i}")
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
        horizon_days=60,
        practitioner_title="physician",
    )
    tokens = []
    for i in range(patients):
        user = User.objects.create_user(f"p{i}.{tag}@bench.example.org", full_name=f"Patient {i}")
        Patient.objects.create(
            clinic=clinic,
            user=user,
            record_number=f"B{tag}-{i:04d}",
            first_name="Patient",
            last_name=str(i),
            date_of_birth=dt.date(1980, 1, 1),
            email=user.email,
        )
        # A token is issued only to an account with a confirmed second factor (accounts/services.py).
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        tokens.append(api_token_issue(user=user)[1])
    now = timezone.now()
    start = now + dt.timedelta(days=2)
    slots = find_free_slots(appointment_type=kind, start=start, end=start + dt.timedelta(days=7), now=now)
    connections.close_all()
    return {
        "type_id": kind.pk,
        "tokens": tokens,
        "slots": [(s.start.isoformat(), s.practitioner_id) for s in slots[::7]],
    }


def active_appointments(type_id: int, start: str) -> int:
    from exoclinic.scheduling.models import ACTIVE_STATUSES, Appointment

    return Appointment.objects.filter(
        appointment_type_id=type_id, start=dt.datetime.fromisoformat(start), status__in=ACTIVE_STATUSES
    ).count()


# ---- the server's processes --------------------------------------------------------------------------


def listening_pid(port: int) -> int | None:
    """The process holding the listening socket of ``port`` on loopback (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def server_debug(pid: int | None, *, default: bool) -> bool:
    """DEBUG as the server runs it (its DJANGO_DEBUG), not as this process would."""
    try:
        environ = dict(
            item.split("=", 1) for item in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item
        )
    except (OSError, TypeError):
        return default
    return environ.get("EXOCLINIC_ENV") != "production" and environ.get("DJANGO_DEBUG", "1") == "1"


def tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out.extend(tree(int(child)))
    except OSError:
        pass
    return out


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; PSS counts pages shared with the other workers once overall."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class MemorySampler(threading.Thread):
    def __init__(self, pid: int | None):
        super().__init__(daemon=True)
        self.pid, self.stop, self.peak_rss, self.peak_pss, self.processes = pid, threading.Event(), 0, 0, 0

    def sample(self) -> None:
        pids = tree(self.pid)
        figures = [memory_kib(p) for p in pids]
        self.peak_rss = max(self.peak_rss, sum(r for r, _ in figures))
        self.peak_pss = max(self.peak_pss, sum(p for _, p in figures))
        self.processes = max(self.processes, len(pids))

    def run(self) -> None:
        while self.pid and not self.stop.is_set():
            self.sample()
            time.sleep(0.02)


# ---- the clients ---------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def one_slot(host: str, port: int, data: dict, slot: tuple[str, int], clients: int) -> dict:
    """``clients`` patients, one connection each, released together, ask for the same slot."""
    barrier = threading.Barrier(clients)
    results: list[tuple[int, float, str]] = []
    lock = threading.Lock()
    start, practitioner = slot
    body = json.dumps({"appointment_type": data["type_id"], "start": start, "practitioner": practitioner})

    def run(token: str) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        barrier.wait(timeout=120)
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/appointments", body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
            code = json.loads(raw).get("code", "") if status != 201 and raw else ""
        except (http.client.HTTPException, OSError) as exc:
            status, code = 0, type(exc).__name__
        finally:
            conn.close()
        with lock:
            results.append((status, time.perf_counter() - started, code))

    threads = [threading.Thread(target=run, args=(token,)) for token in data["tokens"][:clients]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=REQUEST_TIMEOUT + 120)
    latencies = [s for _, s, _ in results]
    return {
        "clients": clients,
        "answered": sum(1 for st, _, _ in results if st),
        "created": sum(1 for st, _, _ in results if st == 201),
        "refused": sum(1 for st, _, _ in results if st == 409),
        "refusal_codes": sorted({c for st, _, c in results if st == 409}),
        "errors": sum(1 for st, _, _ in results if st not in (201, 409)),
        "error_kinds": sorted({c or str(st) for st, _, c in results if st not in (201, 409)}),
        "p50_ms": round(percentile(latencies, 50) * 1000),
        "p99_ms": round(percentile(latencies, 99) * 1000),
        "max_ms": round(max(latencies) * 1000),
    }


def warm_up(host: str, port: int, token: str, requests: int = 200) -> None:
    """Every worker thread has imported its code and opened its database connection before the runs."""

    def run() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        for _ in range(requests // 20):
            conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=run) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def served_main(url: str, sizes: list[int], write: bool) -> None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    conn.request("GET", "/healthz")
    if conn.getresponse().status != 200:
        raise SystemExit(f"{url}/healthz does not answer 200: start the server first (make run)")
    _django()
    from django.conf import settings
    from django.db import connection

    data = setup_clinic(max(sizes))
    if len(data["slots"]) < len(sizes):
        raise SystemExit("not enough free slots")
    master = listening_pid(port)
    warm_up(host, port, data["tokens"][0])
    runs = []
    for i, clients in enumerate(sizes):
        slot = tuple(data["slots"][i])
        sampler = MemorySampler(master)
        if master:
            sampler.sample()
        idle = sampler.peak_rss
        sampler.start()
        result = one_slot(host, port, data, slot, clients)
        sampler.stop.set()
        sampler.join()
        result.update(
            {
                "active_appointments": active_appointments(data["type_id"], slot[0]),
                "rss_idle_mib": round(idle / 1024),
                "rss_peak_mib": round(sampler.peak_rss / 1024),
                "pss_peak_mib": round(sampler.peak_pss / 1024),
                "processes": sampler.processes,
            }
        )
        runs.append(result)
        print(json.dumps(result), flush=True)
        time.sleep(2)
    from exoclinic import gunicorn_conf

    database = connection.vendor
    summary = {
        "database": "PostgreSQL" if database == "postgresql" else "SQLite",
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "server": f"{gunicorn_conf.workers} gthread workers x {gunicorn_conf.threads} threads",
        "debug": server_debug(master, default=settings.DEBUG),
        "load": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
    }
    if write:
        stored = json.loads(STORE.read_text()) if STORE.exists() else {}
        stored[summary["database"]] = summary
        STORE.write_text(json.dumps(stored, indent=2) + "\n")
        write_doc(stored)


def write_doc(stored: dict) -> None:
    rows = []
    notes = []
    for name in ("SQLite", "PostgreSQL"):
        s = stored.get(name)
        if not s:
            continue
        notes.append(
            f"{name}: {s['date']}, {s['machine']}, {s['server']}, DEBUG {'on' if s['debug'] else 'off'}, "
            f"load average after the run {' / '.join(f'{x:.2f}' for x in s['load'])}."
        )
        for r in s["runs"]:
            rows.append(
                f"| {name} | {r['clients']} | {r['created']} | {r['refused']} "
                f"(`{', '.join(r['refusal_codes']) or '-'}`) | {r['errors']}"
                f"{' (' + ', '.join(r['error_kinds']) + ')' if r['errors'] else ''} | "
                f"{r['active_appointments']} | {r['p50_ms']} / {r['p99_ms']} ms | "
                f"{r['rss_idle_mib']} -> {r['rss_peak_mib']} MiB ({r['pss_peak_mib']} MiB PSS) |"
            )
    header = (
        "| database | clients | 201 | 409 | other answers (resets, errors) | active appointments"
        "| latency p50 / p99 | server memory idle -> peak |"
    )
    body = f"""{HEADING}

`bench/booking/run.py --url URL` against the server `make run` starts (`manage.py serve`: gunicorn with
`src/exoclinic/gunicorn_conf.py`, and the Huey worker beside it), client and server on loopback of the same
machine. N patients, one connection each, released together, ask for the same slot; the run's own clinic
is added to the server's database first. Memory: the gunicorn master and its workers (found by the
listening port), sampled every 20 ms; RSS summed over the processes counts the pages they share once per
process, PSS counts them once.

{header}
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Must be: one 201, clients - 1 refusals `slot_taken`, 0 other answers, 1 appointment.
The server runs with `EXOCLINIC_RATE_LIMIT_FACTOR=1000`, as in the throughput benchmark. Without it, the
per-address limit on bookings refuses part of a burst of 250 from one address (9 of 200 were refused as
`rate_limited` on 2026-12-04).
{chr(10).join("- " + n for n in notes)}
"""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(body.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    DOC.write_text(text.rstrip("\n") + "\n")
