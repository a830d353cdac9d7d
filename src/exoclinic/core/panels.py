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


def panels_for(area: str, request) -> list[Panel]:
    shown = [panel for fn in _panels[area] if (panel := fn(request)) is not None]
    return sorted(shown, key=lambda p: p.order)
