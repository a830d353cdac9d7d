"""``manage.py serve`` (what ``make run`` starts): gunicorn and the Huey worker together, stopped together.

Runs the real processes on a fresh SQLite database of the test's own, on a free loopback port.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

# manage.py and the server in processes of their own, on a SQLite file of their own: see pyproject.toml.
pytestmark = pytest.mark.own_process

ROOT = Path(__file__).resolve().parents[2]

RAISE_ALERT = """
import datetime as dt
from django.utils import timezone
from exoclinic.accounts.models import Role, StaffMembership, User
from exoclinic.core.models import Clinic, Patient
from exoclinic.triage import services
from exoclinic.triage.models import OnCallShift, TriageAlert
from exoclinic.triage.tasks import escalate_alert
from tests.triage.factories import AD_HEADACHE, answers

now = timezone.now()
clinic = Clinic.objects.create(name="Serve clinic", slug="serve", time_zone="UTC", email="desk@example.org")
for position in (1, 2):
    user = User.objects.create_user(f"oncall{position}@example.org", full_name=f"On call {position}")
    StaffMembership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN)
    OnCallShift.objects.create(clinic=clinic, user=user, position=position,
                               starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1))
owner = User.objects.create_user("patient@example.org", full_name="Pat Ient")
patient = Patient.objects.create(
    clinic=clinic, user=owner, record_number="S1", first_name="Pat", last_name="Ient",
    date_of_birth=dt.date(1980, 1, 1), email=owner.email, sci_date_of_injury=dt.date(2022, 3, 1),
    sci_neurological_level="T4", sci_ais_grade="B",
)
# Raised five minutes ago (the emergency escalation delay): the next person is due to be called now.
report = services.symptom_report_submit(actor=owner, patient=patient, answers=answers(AD_HEADACHE),
                                        now=now - dt.timedelta(minutes=5))
alert = TriageAlert.objects.get(report=report)
escalate_alert.schedule(args=(alert.pk, 0), delay=1)
import json
print(json.dumps({"alert": alert.pk, "level": alert.level, "step": alert.escalation_step}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}/stat").exists() else ""
    return " Z " not in stat  # a zombie has exited


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_runs_a_queued_escalation_within_a_minute_and_one_sigint_stops_both(tmp_path):
    unset = ("DATABASE_URL", "DATABASE_TEST_NAME", "HUEY_REDIS_URL")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "EXOCLINIC_DATA_DIR": str(tmp_path),
            "DJANGO_DEBUG": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "WEB_CONCURRENCY": "2",
            "HUEY_IMMEDIATE": "0",
        }
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=300)
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "serve", "--port", str(port)], env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.3)
        web, worker = _children(server.pid)
        assert "run_huey" in Path(f"/proc/{worker}/cmdline").read_text()

        done = subprocess.run(
            [*manage, "shell", "-c", RAISE_ALERT], env=env, check=True, capture_output=True, text=True
        )
        raised = json.loads(done.stdout.strip().splitlines()[-1])
        assert raised["level"] == "emergency" and raised["step"] == 0
        queued_at = time.monotonic()

        db = sqlite3.connect(tmp_path / "exoclinic.sqlite3", timeout=20)
        step = 0
        while step == 0 and time.monotonic() - queued_at < 60:
            time.sleep(0.5)
            step = db.execute(
                "SELECT escalation_step FROM triage_triagealert WHERE id = ?", [raised["alert"]]
            ).fetchone()[0]
        assert step == 1, (tmp_path / "serve.log").read_text()[-3000:]
        audited = db.execute(
            "SELECT count(*) FROM core_auditevent WHERE action = 'triage_alert.escalate'"
        ).fetchone()[0]
        assert audited == 1
        db.close()
        status, body = _get(port, "/readyz")
        assert (status, body["status"]) == (200, "ready"), body

        os.kill(server.pid, signal.SIGINT)  # what Ctrl-C sends
        assert server.wait(timeout=45) == 0
        assert not _alive(web) and not _alive(worker)
        with pytest.raises(OSError):
            _get(port, "/healthz")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
