"""The staff-home box (serious adverse events with their reporting clock, patient reports to review) and the
portal-home box asking for re-consent to a new consent text."""

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


def portal_consent_renewals(request) -> Panel | None:
    """On the portal home: a consent that stands on an older consent text while the treatment goes on."""
    consents = selectors.consents_to_renew(user=request.user)
    if not consents:
        return None
    return Panel("treatment/panels/portal_consent_renewals.html", {"consents": consents}, order=2)
