"""The read-audit rule over every staff route, generated from the URL configuration: whatever page, export or
API list a member of staff opens, each patient whose record number it shows has a ``patient.view`` row for
that request. A new staff page or API list is covered without editing this test."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from exoclinic.accounts.services import api_token_issue
from exoclinic.core.models import AuditEvent
from tests.core.test_read_audit import shown  # noqa: F401  (the fixture: two patients with records)

pytestmark = pytest.mark.django_db


def _routes(patterns=None, prefix=""):
    """(path template, pattern) for every URL pattern, nested includes flattened."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _fill(template: str, patient_id: int) -> str | None:
    """A concrete path: patient ids filled in; a route with any other parameter is skipped (it opens one
    record, which the selectors audit through ``patient_get``, tested per app)."""
    path = template.lstrip("^").rstrip("$")
    for name in re.findall(r"<(?:\w+:)?(\w+)>", path):
        if name != "patient_id":
            return None
    path = re.sub(r"<(?:\w+:)?patient_id>", str(patient_id), path)
    return "/" + path


def _staff_paths(patient_id):
    paths = set()
    for template, _pattern in _routes():
        path = _fill(template, patient_id)
        if path is None or "(?P" in path or "\\" in path:
            continue
        if path.startswith(("/staff/", "/api/v1/")) and not path.endswith(("/new/", "/edit/")):
            paths.add(path)
    return sorted(paths)


def _shows(content: str, patient) -> bool:
    """The page names the patient: record number, or full name (as text or JSON, HTML-escaped or not)."""
    import html

    names = {patient.record_number, patient.full_name, html.escape(patient.full_name)}
    return any(name in content for name in names)


def test_every_staff_route_that_shows_a_patient_audits_the_read(client, shown):  # noqa: F811
    patients, admin, clinician = shown
    paths = _staff_paths(patients[0].pk)
    assert len(paths) > 30, paths
    checked = 0
    for reader in (admin, clinician):
        token = api_token_issue(user=reader, name="audit walk")[1]
        client.force_login(reader)
        for path in paths:
            before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if path.startswith("/api/") else {}
            response = client.get(path, **headers)
            if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
                continue
            content = b"".join(response.streaming_content) if response.streaming else response.content
            text = content.decode("utf-8", errors="replace")
            for patient in patients:
                if not _shows(text, patient):
                    continue
                checked += 1
                assert AuditEvent.objects.filter(
                    id__gt=before, actor=reader, patient=patient, action="patient.view"
                ).exists(), f"{path} shows {patient.record_number} to {reader.email} without an audit row"
    assert checked >= 10, "the walk must reach pages that show these patients"
