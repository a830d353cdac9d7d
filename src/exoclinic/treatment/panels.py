"""The staff-home box: serious adverse events with their reporting clock, and patient reports to review."""

from __future__ import annotations

from django.utils import timezone

from exoclinic.core.panels import Panel

from . import selectors


def staff_adverse_events(request) -> Panel | None:
    clocks = list(selectors.serious_clocks_open(user=request.user)[:20])
    reviews = list(selectors.patient_reports_to_review(user=request.user)[:20])
    if not clocks and not reviews:
        return None
    now = timezone.now()
    return Panel(
        "treatment/panels/staff_adverse_events.html",
        {"clocks": [(e, e.days_left(now)) for e in clocks], "reviews": reviews},
        order=10,
    )
