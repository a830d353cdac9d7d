"""Links other apps add to the staff and portal navigation, shown only to the roles named."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavLink:
    area: str
    label: str
    url_name: str
    roles: frozenset[str] | None
    order: int


_links: list[NavLink] = []


def register(area: str, label, url_name: str, roles=None, order: int = 100) -> None:
    if area not in {"staff", "portal"}:
        raise ValueError("area is 'staff' or 'portal'")
    link = NavLink(area, label, url_name, frozenset(roles) if roles else None, order)
    if not any(existing.area == area and existing.url_name == url_name for existing in _links):
        _links.append(link)


def links_for(area: str, roles: set[str] | None = None) -> list[dict]:
    out = []
    for link in sorted((lk for lk in _links if lk.area == area), key=lambda lk: (lk.order, str(lk.label))):
        if link.roles and not (roles and link.roles & roles):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": link.label, "url": url, "url_name": link.url_name})
    return out
