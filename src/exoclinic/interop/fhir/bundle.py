"""Bundles: searchset pages with self/next/previous links, and the $everything Bundle."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from .common import instant


def _entry(base: str, resource: dict, mode: str = "match") -> dict:
    return {
        "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def searchset(
    *,
    base: str,
    kind: str,
    resources: list[dict],
    total: int,
    offset: int,
    count: int,
    filters: list[tuple[str, str]],
    now,
) -> dict:
    def link(relation: str, at: int) -> dict:
        query = urlencode([*filters, ("_count", str(count)), ("_offset", str(at))])
        return {"relation": relation, "url": f"{base}{kind}?{query}"}

    links = [link("self", offset)]
    if count and offset + count < total:
        links.append(link("next", offset + count))
    if offset > 0 and count:
        links.append(link("previous", max(0, offset - count)))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(now)},
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [_entry(base, r) for r in resources],
    }


def everything_bundle(*, base: str, patient_id, resources: list[dict], now) -> dict:
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(now)},
        "type": "searchset",
        "total": len(resources),
        "link": [{"relation": "self", "url": f"{base}Patient/{patient_id}/$everything"}],
        "entry": [_entry(base, r) for r in resources],
    }
