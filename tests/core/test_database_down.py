"""With the database unreachable, every page still gives the emergency number and the emergency advice:
static pages written at deploy time from the clinic's row, sent without a query."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db

PATHS = ["/emergency/", "/emergency/self-check/", "/", "/portal/", "/staff/"]


@pytest.fixture
def pages_dir(settings, tmp_path):
    settings.STATIC_PAGES_DIR = tmp_path / "static-pages"
    return settings.STATIC_PAGES_DIR


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def stop():
        monkeypatch.setattr(connection, "ensure_connection", refuse)

    return stop


@pytest.fixture
def deployed(pages_dir):
    clinic = ClinicFactory(
        name="Alder Regenerative Clinic", emergency_phone="+34 910 555 010", emergency_services_number="112"
    )
    call_command("render_static_pages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return clinic


@pytest.mark.parametrize("path", PATHS)
def test_with_the_database_down_each_page_gives_the_clinics_emergency_numbers_and_advice(
    deployed, database_down, patient_user, path
):
    client = Client(raise_request_exception=False)
    client.force_login(patient_user)  # the session is in the database, which is about to go
    database_down()

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == (200 if path == "/emergency/" else 503)
    assert "+34 910 555 010" in html and 'href="tel:+34910555010"' in html
    assert 'href="tel:112"' in html
    assert "sit upright with legs down" in html
    assert response["Cache-Control"] == "no-store"


def test_a_symptom_check_sent_while_the_database_is_down_gets_the_advice_page(deployed, database_down):
    client = Client(raise_request_exception=False, enforce_csrf_checks=False)
    database_down()
    response = client.post("/emergency/self-check/", {"answer_headache": "yes"})
    assert response.status_code == 503
    assert "+34 910 555 010" in response.content.decode()


def test_the_api_answers_503_in_json_with_the_emergency_numbers(deployed, database_down, patient_user):
    from exoclinic.accounts.services import api_token_issue

    _, raw = api_token_issue(user=patient_user)
    client = Client(raise_request_exception=False)
    database_down()
    response = client.get("/api/v1/appointments", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "unavailable" and "112" in body["message"]
    assert body["emergency_phone"] == "+34 910 555 010"


def test_without_deployed_pages_the_built_in_page_still_says_call_112(pages_dir, database_down):
    client = Client(raise_request_exception=False)
    database_down()
    response = client.get("/emergency/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:112"' in html and "sit upright with legs down" in html


def test_any_other_server_error_is_the_static_500_page_with_the_advice(deployed, monkeypatch):
    from exoclinic.site import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "render", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "+34 910 555 010" in html


def test_the_deployed_pages_are_written_from_the_public_clinics_row(deployed, pages_dir):
    assert sorted(p.name for p in pages_dir.iterdir()) == [
        "500.en.html",
        "500.es.html",
        "500.html",
        "503.en.html",
        "503.es.html",
        "503.html",
        "contact.json",
        "emergency.en.html",
        "emergency.es.html",
        "emergency.html",
    ]
    page = (pages_dir / "503.html").read_text()
    assert "Alder Regenerative Clinic" in page and "https://" not in page and "http://" not in page
