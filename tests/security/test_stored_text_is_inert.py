"""Markup and script stored in any free-text field come back inert on every staff, portal and admin page
(escaped, never raw) and as JSON from the API.

Rather than a list of fields (which a new field would escape), every text field of every model of the
project is filled with the payload: application goals and answers, symptom notes, diary notes, upload
file names, staff notes, adverse-event descriptions, consent texts, page bodies (Markdown) and the rest.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, models, transaction
from django.test import Client

from exoclinic.core.models import AuditEvent

from .routes import fillings, url_routes
from .test_route_matrix import ROUTES
from .world import domain_models

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(1)", "<img src=x onerror")
SKIP_NAMES = ("email", "password", "slug", "code", "token", "hash", "key", "phone", "time_zone", "level")


def _text_fields(model) -> list[str]:
    out = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.choices or f.unique:
            continue
        if any(part in f.name for part in SKIP_NAMES):
            continue
        if isinstance(f, models.CharField) and (f.max_length or 0) < len(PAYLOAD):
            continue
        out.append(f.name)
    return out


def _poison() -> list[str]:
    filled = []
    for model in domain_models():
        fields = _text_fields(model)
        if model is AuditEvent or not fields:
            continue
        try:
            with transaction.atomic():
                model._default_manager.update(**dict.fromkeys(fields, PAYLOAD))
        except (DatabaseError, ValueError, TypeError):
            continue  # an append-only table refuses updates; its text is written once by a service
        filled.extend(f"{model.__name__}.{name}" for name in fields)
    return filled


# Pages staff and patients read, with the roles that read them.
AREAS = {
    "staff/": ("clinician", "coordinator", "lab"),
    "portal/": ("patient", "caregiver"),
    "admin/": ("superuser",),
}
PAGES = [r for r in url_routes() if any(r.key.startswith(a) for a in AREAS)]
API_READS = [r for r in ROUTES if r.is_api and r.methods == ("get",)]


def test_every_free_text_field_is_filled(world, db):
    filled = _poison()
    for expected in ("TreatmentApplication", "DiaryEntry", "AdverseEvent", "Patient"):
        assert any(name.startswith(expected + ".") for name in filled), (expected, filled)


@pytest.mark.parametrize("area", list(AREAS))
def test_stored_markup_is_escaped_on_every_page(area, world, db):
    _poison()
    shown_raw = []
    for role in AREAS[area]:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[role])
        for route in (r for r in PAGES if r.key.startswith(area)):
            url = fillings(route, world)[0][0]
            response = client.get(url)
            assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                text = response.content.decode()
                if any(raw in text for raw in RAW):
                    shown_raw.append(f"{role} {url}")
    assert not shown_raw, shown_raw


def test_api_returns_stored_markup_as_json_only(world, db):
    _poison()
    client = Client(raise_request_exception=False)
    client.force_login(world.users["clinician"])
    for route in API_READS:
        url = fillings(route, world)[0][0]
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            assert response["Content-Type"].startswith("application/json"), url
            assert response["X-Content-Type-Options"] == "nosniff"
