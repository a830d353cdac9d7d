"""/healthz and /readyz for a load balancer: what each says, and readiness failing when no worker runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError, connections
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from exoclinic.core.queue import oldest_due_delay
from exoclinic.triage.tasks import escalate_alert


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """The project's Huey on a queue file of the test's own, with no worker reading it."""
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", SqliteStorage(HUEY.name, filename=str(tmp_path / "huey.sqlite3")))
    return HUEY


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_database_cache_and_queue_answer(client, queue):
    escalate_alert(0, 0)  # queued just now: due, but not late
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["failed"] == []
    assert {name for name, check in body["checks"].items() if check["ok"]} == {"database", "cache", "queue"}


@pytest.mark.django_db
def test_readyz_fails_on_the_queue_when_a_due_task_has_waited_past_two_minutes(client, queue):
    escalate_alert.schedule(args=(0, 0), delay=-180)  # due three minutes ago, and nobody ran it
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["failed"] == ["queue"]
    assert "run_huey" in body["checks"]["queue"]["error"]
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]


@pytest.mark.django_db
def test_a_task_queued_to_run_now_counts_as_late_once_two_minutes_pass_without_a_worker(queue):
    escalate_alert(0, 0)
    assert oldest_due_delay(queue) < dt.timedelta(seconds=5)
    later = queue._get_timestamp() + dt.timedelta(minutes=3)
    assert oldest_due_delay(queue, now=later) > dt.timedelta(minutes=2)


@pytest.mark.django_db
def test_a_task_scheduled_for_later_does_not_make_the_queue_late(client, queue):
    escalate_alert.schedule(args=(0, 0), delay=3600)
    assert oldest_due_delay(queue) is None
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_does_not_answer(client, queue, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("unable to open database file")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["error"] == "database unavailable (OperationalError)"
    assert "unable to open" not in response.content.decode()  # details stay in the log
