"""Boxes other apps put on the staff home page and the portal home page (alerts, tasks in force).

An app registers ``fn(request) -> Panel | None`` from its AppConfig.ready(); the page shows every panel that
is not None, in ``order``. Panels are for what needs attention now; navigation links go in core.navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PanelFn = Callable[[object], Panel | None]
_panels: dict[str, list[PanelFn]] = {"staff": [], "portal": []}


def register(area: str, fn: PanelFn) -> None:
    if area not in _panels:
        raise ValueError("area is 'staff' or 'portal'")
    if fn not in _panels[area]:
        _panels[area].append(fn)


def _records_in(value, depth: int = 0):
    """Patients and patient-owned records a panel's context holds (lists, tuples, dicts, two levels)."""
    from django.db.models import QuerySet

    from .models import Patient

    if isinstance(value, Patient) or hasattr(value, "patient_id"):
        yield value
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _records_in(item, depth + 1)
    elif depth < 3 and isinstance(value, list | tuple | set | QuerySet):
        for item in value:
            yield from _records_in(item, depth + 1)


def panels_for(area: str, request) -> list[Panel]:
    shown = [panel for fn in _panels[area] if (panel := fn(request)) is not None]
    if area == "staff":
        from .read_audit import audit_staff_reads

        # The staff home shows patients in its panels: each is an audited read, like any list.
        records = [r for panel in shown for r in _records_in(panel.context)]
        audit_staff_reads(user=request.user, rows=records, purpose="staff_home_panels")
    return sorted(shown, key=lambda p: p.order)
