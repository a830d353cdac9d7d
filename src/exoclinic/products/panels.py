"""The lab's box on the staff home: what needs attention (excursions, lots waiting, recalls to notify)."""

from __future__ import annotations

from exoclinic.core.panels import Panel
from exoclinic.core.policy import staff_clinics

from . import selectors
from .services._common import LAB_ROLES


def lab_attention_panel(request) -> Panel | None:
    user = request.user
    if not staff_clinics(user, LAB_ROLES).exists():
        return None
    attention = selectors.lab_attention(user=user)
    if not any(attention.values()):
        return None
    return Panel("products/_lab_panel.html", attention, order=20)


def portal_recall_notices_panel(request) -> Panel | None:
    """On the portal home, above everything else: a recall notice not yet opened."""
    unread = selectors.unread_recall_notices(user=request.user)
    if not unread:
        return None
    return Panel("products/portal/_notices_panel.html", {"unread": unread}, order=1)
