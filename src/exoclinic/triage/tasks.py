"""Escalation of unacknowledged triage alerts: one scheduled task per step, and a per-minute safety net."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def escalate_alert(alert_id: int, from_step: int, now: str | None = None) -> bool:
    """Scheduled when a step is notified; ``now`` (ISO 8601) is for tests and replays."""
    from .services import alert_escalate

    return alert_escalate(
        alert_id=alert_id, from_step=from_step, now=dt.datetime.fromisoformat(now) if now else None
    )


@db_periodic_task(crontab(minute="*"))
def escalate_overdue_alerts() -> int:
    from .services import alerts_escalate_overdue

    return alerts_escalate_overdue()
