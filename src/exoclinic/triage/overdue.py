"""Escalations that should have happened and did not: what the staff home shows when the worker is down.

An unacknowledged alert with someone left to call is escalated by a Huey task when its time is up (and by
the per-minute safety net). When it is still waiting ``GRACE`` after that time, no worker is running the
tasks, and the people on call have not been told.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from exoclinic.core.panels import Panel
from exoclinic.core.policy import PATIENT_READER_ROLES, scope_to_clinics, staff_clinics

from . import conf
from .models import ALERT_LEVELS, TriageAlert

GRACE = dt.timedelta(minutes=2)  # the safety net runs every minute


def overdue_escalations(*, user, now: dt.datetime | None = None) -> list[TriageAlert]:
    """Alerts of the user's clinics whose escalation is more than ``GRACE`` overdue, oldest first."""
    now = now or timezone.now()
    shortest = min(conf.escalate_after_minutes(level) for level in ALERT_LEVELS)
    candidates = scope_to_clinics(user, TriageAlert.objects.all(), roles=PATIENT_READER_ROLES).filter(
        acknowledged_at__isnull=True, notified_at__lt=now - GRACE - dt.timedelta(minutes=shortest)
    )
    overdue = [
        alert
        for alert in candidates.only("pk", "level", "notified_at", "escalation_step", "chain", "clinic_id")
        if alert.escalation_step + 1 < len(alert.chain)
        and alert.notified_at + dt.timedelta(minutes=conf.escalate_after_minutes(alert.level)) + GRACE < now
    ]
    return sorted(overdue, key=lambda a: a.notified_at)


def overdue_escalations_panel(request) -> Panel | None:
    """A banner above everything else; counts only, so no patient is shown (nothing to audit)."""
    if not staff_clinics(request.user, PATIENT_READER_ROLES).exists():
        return None
    overdue = overdue_escalations(user=request.user)
    if not overdue:
        return None
    now = timezone.now()
    late = round((now - overdue[0].notified_at).total_seconds() / 60)
    return Panel("triage/_overdue_panel.html", {"count": len(overdue), "minutes": late}, order=-10)
