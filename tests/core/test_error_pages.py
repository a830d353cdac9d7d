"""Error pages in the reader's language, with the emergency path, never failing themselves (DEBUG off).

The language comes from the request as for any page (the language cookie, Accept-Language, or a signed-in
patient's record); the 500 and 503 pages are the static files written per language at deploy time, sent
without a query.

The Spanish headings of 400, 403 and the CSRF page are new messages: those cases pass once the lead has
merged /work/notes/esrender.es.json into the catalogues (see the note of helper esrender).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from tests.factories import ClinicFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": {
        400: "The request could not be understood",
        403: "You do not have access to this page",
        404: "Page not found",
        "csrf": "The form could not be sent",
        500: "Something went wrong",
    },
    "es": {
        400: "No se ha podido entender la solicitud",
        403: "No tiene acceso a esta página",
        404: "Página no encontrada",
        "csrf": "No se ha podido enviar el formulario",
        500: "Algo ha fallado",
    },
}
EMERGENCY = {"en": "Emergency?", "es": "¿Emergencia?"}
CODES = [400, 403, 404, "csrf", 500]


@pytest.fixture
def deployed():
    clinic = ClinicFactory(
        name="Alder Regenerative Clinic", emergency_phone="+34 910 555 010", emergency_services_number="112"
    )
    call_command("render_static_pages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return clinic


def _raise_in_home_page(monkeypatch, exception):
    from exoclinic.site import views

    def broken(*args, **kwargs):
        raise exception

    monkeypatch.setattr(views, "render", broken)


def _request(code, client: Client, monkeypatch, headers: dict):
    if code == 400:
        return client.get("/", headers={**headers, "host": "evil.example"})  # not in ALLOWED_HOSTS
    if code == 403:
        _raise_in_home_page(monkeypatch, PermissionDenied("internal reason: role lab"))
        return client.get("/", headers=headers)
    if code == 404:
        return client.get("/no-such-page/", headers=headers)
    if code == "csrf":
        return client.post(
            "/accounts/login/", {"username": "a@example.org", "password": "x"}, headers=headers
        )
    _raise_in_home_page(monkeypatch, RuntimeError("a bug"))
    return client.get("/", headers=headers)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("code", CODES, ids=str)
def test_each_error_page_is_in_the_visitors_language_with_the_emergency_path(
    deployed, monkeypatch, settings, code, language
):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False, enforce_csrf_checks=code == "csrf")

    response = _request(code, client, monkeypatch, {"accept-language": f"{language},en;q=0.5"})

    html = response.content.decode()
    assert response.status_code == (403 if code == "csrf" else code)
    assert f'<html lang="{language}">' in html
    assert HEADINGS[language][code] in html
    other = "en" if language == "es" else "es"
    assert HEADINGS[other][code] not in html
    assert EMERGENCY[language] in html and 'href="tel:112"' in html
    assert 'href="tel:+34910555010"' in html  # the clinic's emergency line
    assert "internal reason" not in html and "Traceback" not in html


@pytest.mark.parametrize("code", CODES, ids=str)
def test_the_language_cookie_chooses_the_error_pages_language(deployed, monkeypatch, code):
    client = Client(raise_request_exception=False, enforce_csrf_checks=code == "csrf")
    client.cookies["django_language"] = "es"

    response = _request(code, client, monkeypatch, {"accept-language": "en"})

    assert HEADINGS["es"][code] in response.content.decode()


@pytest.mark.parametrize("code", [404, 500])
def test_a_spanish_patient_gets_error_pages_in_spanish_from_their_record(deployed, monkeypatch, code):
    patient = PatientFactory(clinic=deployed, user=UserFactory(), preferred_language="es")
    client = Client(raise_request_exception=False)
    client.force_login(patient.user)

    response = _request(code, client, monkeypatch, {"accept-language": "en"})

    assert HEADINGS["es"][code] in response.content.decode()


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/", "es", "El servicio no está disponible"),
        ("/", "en", "The service is unavailable"),
        ("/emergency/", "es", "Ayuda en caso de emergencia"),
        ("/emergency/", "en", "Emergency help"),
    ],
)
def test_with_the_database_down_the_static_pages_are_in_the_visitors_language(
    deployed, monkeypatch, path, language, heading
):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(connection, "ensure_connection", refuse)

    response = client.get(path, headers={"accept-language": language})

    html = response.content.decode()
    assert response.status_code == (200 if path == "/emergency/" else 503)
    assert f'<html lang="{language}">' in html and heading in html
    assert 'href="tel:+34910555010"' in html and 'href="tel:112"' in html


def test_a_4xx_page_that_cannot_reach_the_database_still_answers_with_the_emergency_numbers(
    deployed, monkeypatch
):
    from exoclinic.site import context_processors

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(context_processors, "public_clinic", refuse)
    client = Client(raise_request_exception=False)

    response = client.get("/no-such-page/", headers={"accept-language": "es"})

    html = response.content.decode()
    assert response.status_code == 404
    assert "Página no encontrada" in html and '<html lang="es">' in html
    assert 'href="tel:+34910555010"' in html and 'href="tel:112"' in html


def test_an_unknown_or_malformed_accept_language_gets_the_default_language(deployed, monkeypatch):
    client = Client(raise_request_exception=False)
    _raise_in_home_page(monkeypatch, RuntimeError("a bug"))

    response = client.get("/", headers={"accept-language": "xx-YY;q=abc, ,;;"})

    assert response.status_code == 500
    assert HEADINGS["en"][500] in response.content.decode()


def test_the_static_pages_are_written_once_per_language(deployed, settings):
    names = sorted(p.name for p in settings.STATIC_PAGES_DIR.iterdir())
    for page in ("500", "503", "emergency"):
        assert {f"{page}.html", f"{page}.en.html", f"{page}.es.html"} <= set(names)
    spanish = (settings.STATIC_PAGES_DIR / "500.es.html").read_text()
    assert '<html lang="es">' in spanish and "Algo ha fallado" in spanish
    assert "Alder Regenerative Clinic" in spanish
