"""Portal: the restrictions in force and open check-ins. Staff: anti-inflammatory warnings to act on."""

from __future__ import annotations

from django.utils import timezone

from exoclinic.core.panels import Panel
from exoclinic.portal.selectors import portal_patients

from . import selectors


def portal_aftercare(request) -> Panel | None:
    if not request.user.is_authenticated:
        return None
    now = timezone.now()
    views = [selectors.aftercare_for_patient(p, now=now) for p in portal_patients(user=request.user)]
    views = [v for v in views if v.in_force or v.check_ins_open or v.warnings]
    if not views:
        return None
    return Panel("aftercare/panels/portal_aftercare.html", {"views": views}, order=10)


def staff_medication_warnings(request) -> Panel | None:
    warnings = list(selectors.warnings_open(user=request.user)[:20])
    if not warnings:
        return None
    return Panel("aftercare/panels/staff_medication_warnings.html", {"warnings": warnings}, order=11)
