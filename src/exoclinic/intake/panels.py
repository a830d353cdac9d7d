"""The intake app's boxes on the portal home (your application) and the staff home (applications waiting)."""

from __future__ import annotations

from exoclinic.core.panels import Panel
from exoclinic.core.policy import staff_clinics

from .models import ApplicationStatus, TreatmentApplication
from .selectors import REVIEWER_ROLES, applications_of_user


def portal_panel(request) -> Panel | None:
    applications = list(applications_of_user(request.user).prefetch_related("messages")[:5])
    if not applications:
        return None
    items = []
    for application in applications:
        clinic_messages = [m for m in application.messages.all() if m.direction == "to_applicant"]
        items.append(
            {"application": application, "last_message": clinic_messages[-1] if clinic_messages else None}
        )
    return Panel("intake/panel_portal.html", {"items": items}, order=20)


def staff_panel(request) -> Panel | None:
    clinics = staff_clinics(request.user, REVIEWER_ROLES)
    waiting = TreatmentApplication.objects.filter(
        clinic__in=clinics, status=ApplicationStatus.SUBMITTED
    ).count()
    replied = TreatmentApplication.objects.filter(
        clinic__in=clinics, status=ApplicationStatus.IN_REVIEW, assigned_to=request.user
    ).count()
    if not waiting and not replied:
        return None
    return Panel("intake/panel_staff.html", {"waiting": waiting, "in_review_mine": replied}, order=30)
