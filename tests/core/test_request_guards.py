"""Smaller guards: rate limits on anonymous writes, bodies refused before they are read, no-store on
patient pages, downloads named by their detected type, and no asset from a CDN anywhere."""

from __future__ import annotations

import re

import pytest

from exoclinic.accounts.models import Role
from tests.intake.factories import answers, pdf_bytes, submitted

pytestmark = pytest.mark.django_db


def test_the_self_check_is_rate_limited_per_address_and_the_refusal_still_gives_the_advice(client, settings):
    settings.EXOCLINIC_RATE_LIMITS = [("/emergency/self-check/", 2, 60)]
    codes = [client.post("/emergency/self-check/", {}).status_code for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429
    refused = client.post("/emergency/self-check/", {})
    assert 'href="tel:112"' in refused.content.decode() and refused["Retry-After"] == "60"
    other = client.post("/emergency/self-check/", {}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code != 429  # another address has its own count


def test_anonymous_application_submits_are_rate_limited(client, clinic, settings):
    settings.EXOCLINIC_RATE_LIMITS = [("/api/v1/applications$", 3, 600)]
    body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in answers().items()}
    codes = [
        client.post("/api/v1/applications", body, content_type="application/json").status_code
        for _ in range(5)
    ]
    assert codes[3:] == [429, 429] and 429 not in codes[:3]
    assert client.post("/api/v1/applications", body, content_type="application/json").json()["code"] == (
        "rate_limited"
    )


class _Unreadable:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_200_mb_upload_is_refused_from_its_content_length_without_reading_it(client):
    response = client.generic(
        "POST",
        "/apply/step/documents/",
        b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413


def test_patient_pages_and_api_answers_are_not_stored_by_browsers(client, patient_user, patient):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(patient_user)
    for path in ("/portal/", "/portal/profile/", "/api/v1/me"):
        assert client.get(path)["Cache-Control"] == "no-store", path


def test_a_download_is_named_by_the_type_its_bytes_were_detected_as(client, clinic, staff):
    from exoclinic.intake import services

    application = submitted(clinic)
    coordinator = staff(Role.COORDINATOR)
    services.application_start_review(actor=coordinator, application=application)
    services.application_request_info(actor=coordinator, application=application, body="MRI please")
    upload = services.upload_add(application=application, name="report.html", data=pdf_bytes())
    client.force_login(coordinator)
    response = client.get(f"/apply/documents/{upload.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report.pdf"' in response["Content-Disposition"]


def test_no_page_loads_a_script_or_stylesheet_from_another_site(client, patient_user, patient):
    pages = ["/", "/emergency/", "/emergency/self-check/", "/apply/", "/login/", "/api/v1/docs"]
    client.force_login(patient_user)
    pages += ["/portal/", "/portal/symptoms/"]
    for path in pages:
        response = client.get(path, follow=True)
        html = response.content.decode()
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], (path, external)
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
