"""Every page carries a Content-Security-Policy without inline script, no framing, a referrer policy and a
permissions policy; no template of the project has an inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/emergency/self-check/", "/api/v1/docs", "/admin/login/"]
)
def test_pages_send_a_policy_that_forbids_inline_script_and_framing(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("style-src", []) + policy["default-src"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_answers_carry_the_same_headers(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_api_docs_page_loads_its_scripts_from_this_site(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "https://" not in page
    for tag in SCRIPT_TAG.findall(page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text()
        for tag in SCRIPT_TAG.findall(text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template}: {tag}")
        if re.search(r"<[^>]+\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{template}: inline event handler")
    assert not offenders, offenders
