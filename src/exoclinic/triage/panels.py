"""Boxes on the staff home (unacknowledged alerts, at the top) and the portal home (report a symptom)."""

from __future__ import annotations

from exoclinic.core.panels import Panel
from exoclinic.core.policy import PATIENT_READER_ROLES, staff_clinics
from exoclinic.portal.selectors import portal_patients

from . import selectors


def open_alerts_panel(request) -> Panel | None:
    user = request.user
    if not staff_clinics(user, PATIENT_READER_ROLES).exists():
        return None
    alerts = selectors.audit_alert_reads(
        user=user, alerts=selectors.alerts_open(user=user)[:20], purpose="triage_alerts_panel"
    )
    return Panel("triage/_alerts_panel.html", {"alerts": alerts, "next": request.get_full_path()}, order=0)


def portal_symptoms_panel(request) -> Panel | None:
    if not portal_patients(user=request.user).exists():
        return None
    return Panel("triage/_portal_panel.html", {}, order=10)
