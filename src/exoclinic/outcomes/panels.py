"""Boxes on the staff and portal home pages, and the FOLLOW_UP step of the treatment timeline."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from exoclinic.core.panels import Panel
from exoclinic.core.policy import PATIENT_READER_ROLES, staff_clinics
from exoclinic.core.timeline import Step, StepEvidence
from exoclinic.portal.selectors import portal_patients

from . import selectors, services
from .models import FollowUpPoint


def staff_follow_ups_panel(request) -> Panel | None:
    user = request.user
    if not staff_clinics(user, PATIENT_READER_ROLES).exists():
        return None
    lists = selectors.follow_up_lists(user=user, limit=50)
    if not lists["overdue"] and not lists["due"]:
        return None
    return Panel(
        "outcomes/panel_staff_follow_ups.html",
        {
            "overdue": lists["overdue"][:5],
            "due": lists["due"][:5],
            "overdue_count": len(lists["overdue"]),
            "due_count": len(lists["due"]),
        },
        order=40,
    )


def portal_progress_panel(request) -> Panel | None:
    patient = portal_patients(user=request.user).first()
    if patient is None:
        return None
    today = selectors.local_today(patient)
    has_this_week = patient.diary_entries.filter(week_start=services.week_start(today)).exists()
    next_point = (
        FollowUpPoint.objects.filter(
            schedule__patient=patient, months__gt=0, completed_on__isnull=True, due_on__gte=today
        )
        .order_by("due_on")
        .first()
    )
    return Panel(
        "outcomes/panel_portal_progress.html",
        {"patient": patient, "has_this_week": has_this_week, "next_point": next_point},
        order=40,
    )


def follow_up_timeline_provider(patients) -> dict[int, list[StepEvidence]]:
    """FOLLOW_UP is done once every scheduled follow-up point is; else the next one is named (one query)."""
    points: dict[int, list[FollowUpPoint]] = {}
    rows = (
        FollowUpPoint.objects.filter(schedule__patient_id__in=[p.pk for p in patients], months__gt=0)
        .select_related("schedule")
        .order_by("months", "id")
    )
    for point in rows:
        points.setdefault(point.schedule.patient_id, []).append(point)
    return {pk: [_follow_up_evidence(own)] for pk, own in points.items()}


def _follow_up_evidence(points: list[FollowUpPoint]) -> StepEvidence:
    open_points = [p for p in points if p.completed_on is None]
    if not open_points:
        # Dated by the last assessment, at the end of that day, so it follows the treatment it came after.
        last = max(p.completed_on for p in points)
        when = dt.datetime.combine(last, dt.time(23, 59), tzinfo=dt.UTC)
        return StepEvidence(Step.FOLLOW_UP, True, when, _("Every scheduled follow-up assessment is done."))
    upcoming = open_points[0]
    note = _("Next follow-up assessment (%(m)d months) due around %(d)s.") % {
        "m": upcoming.months,
        "d": upcoming.due_on.isoformat(),
    }
    return StepEvidence(Step.FOLLOW_UP, False, None, note)
