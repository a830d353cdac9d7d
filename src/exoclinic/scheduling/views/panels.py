"""Portal home box: a waitlist offer waiting for the patient's answer."""

from __future__ import annotations

from exoclinic.core.panels import Panel

from ..selectors import pending_offers


def portal_offers_panel(request) -> Panel | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    offers = pending_offers(user=user)
    if not offers:
        return None
    return Panel("scheduling/panel_offers.html", {"offers": offers}, order=20)
