"""Error pages that need no database: a 500, a 503 and the emergency page, written at deploy time.

``manage.py render_static_pages`` (run after ``collectstatic`` at every deploy) renders them from the public
clinic's row into ``STATIC_PAGES_DIR`` (``var/static-pages/``), once per language (``500.es.html``), plus
``500.html`` etc. in the default language. ``server_error`` (Django's handler500) sends them in the
request's language (``request_language``: the language cookie, then Accept-Language; never the database):
the 503 page when the database is unreachable (``/emergency/`` gets the emergency page), the 500 page
otherwise. Without rendered files the same template is rendered with a safe built-in default (112, no clinic
line), which needs no database either.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("exoclinic.static_pages")

# The built-in default: the European emergency number, no clinic line (unknown without the database).
DEFAULT_CLINIC = SimpleNamespace(name="", emergency_services_number="112", emergency_phone="")
PAGES = ("500", "503", "emergency")


def static_pages_dir() -> Path:
    return Path(settings.STATIC_PAGES_DIR)


def page_texts(name: str) -> tuple[str, str]:
    """Heading and explanation of an error page: the static pages (500, 503, emergency) and the 4xx pages
    (400, 403, 404, csrf), which use them too when their full page cannot be rendered."""
    if name == "503":
        return _("The service is unavailable"), _(
            "The clinic's website cannot reach its records right now. Try again in a few minutes. "
            "If you need help now, do not wait: use the numbers below."
        )
    if name == "emergency":
        return _("Emergency help"), _(
            "The clinic's website is partly unavailable; this page always works. "
            "The symptom check is back when the website is."
        )
    if name == "400":
        return _("The request could not be understood"), _(
            "The page could not read what your browser sent. Go back and try again. "
            "If you need help now, do not wait: use the numbers below."
        )
    if name == "403":
        return _("You do not have access to this page"), _(
            "This page belongs to another account or role. Log in with your own account, or ask the clinic. "
            "If you need help now, do not wait: use the numbers below."
        )
    if name == "404":
        return _("Page not found"), _("There is nothing here, or you do not have access to it.")
    if name == "csrf":
        return _("The form could not be sent"), _(
            "For your safety the form was refused: it was open for a long time, or your browser blocks "
            "cookies. Go back, reload the page and send the form again. "
            "If you need help now, do not wait: use the numbers below."
        )
    return _("Something went wrong"), _(
        "The page could not be shown. If you need help now, do not wait: use the numbers below."
    )


def _stylesheet() -> str:
    from django.templatetags.static import static

    try:
        return static("exoclinic/site.css")
    except ValueError:  # the manifest is missing (collectstatic not run yet): the page works unstyled
        return ""


def render_page(name: str, clinic=None, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        heading, explanation = page_texts(name)
        return render_to_string(
            "core/static_page.html",
            {
                "clinic": clinic or DEFAULT_CLINIC,
                "heading": heading,
                "explanation": explanation,
                "language": translation.get_language(),
                "stylesheet": _stylesheet(),
            },
        )


def _file_name(name: str, language: str | None) -> str:
    return f"{name}.{language}.html" if language else f"{name}.html"


def render_static_pages(*, clinic=None, out_dir: Path | None = None) -> list[Path]:
    """Write 500, 503 and emergency pages for ``clinic`` (the public clinic when not given): one file per
    language of ``LANGUAGES`` (``503.es.html``) and one in the default language (``503.html``)."""
    if clinic is None:
        from .selectors import public_clinic

        clinic = public_clinic()
    out = Path(out_dir or static_pages_dir())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    languages = [None, *(code for code, _name in settings.LANGUAGES)]
    for name in PAGES:
        for language in languages:
            path = out / _file_name(name, language)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(render_page(name, clinic, language), encoding="utf-8")
            tmp.replace(path)  # atomic: a request never reads a half-written page
            written.append(path)
    contact = {
        "emergency_services_number": getattr(clinic, "emergency_services_number", "") or "112",
        "emergency_phone": getattr(clinic, "emergency_phone", "") or "",
    }
    (out / "contact.json").write_text(json.dumps(contact), encoding="utf-8")
    written.append(out / "contact.json")
    return written


def contact_clinic() -> SimpleNamespace:
    """The clinic as the deployed pages know it (numbers only), for a page rendered without the database."""
    return SimpleNamespace(name="", **page_contact())


def page_contact() -> dict:
    """The numbers the deployed pages carry (for the API's 503 answer), else the built-in default."""
    try:
        contact = json.loads((static_pages_dir() / "contact.json").read_text(encoding="utf-8"))
        return {
            "emergency_services_number": str(contact["emergency_services_number"]),
            "emergency_phone": str(contact.get("emergency_phone", "")),
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {"emergency_services_number": "112", "emergency_phone": ""}


def request_language(request) -> str:
    """The language of a request without the database: the one the middleware chose (the language cookie,
    Accept-Language, or a signed-in patient's record once read), else the cookie and Accept-Language."""
    languages = dict(settings.LANGUAGES)
    chosen = getattr(request, "LANGUAGE_CODE", None)
    if chosen in languages:
        return chosen
    try:
        language = translation.get_language_from_request(request)
    except Exception:  # a malformed header must not break the error page
        return settings.LANGUAGE_CODE
    language = (language or "").split("-")[0]
    return language if language in languages else settings.LANGUAGE_CODE


def page_html(name: str, language: str | None = None) -> str:
    """The deployed page in ``language`` (else in the default language), else the built-in default; never
    touches the database."""
    names = [_file_name(name, language)] if language else []
    for file_name in [*names, _file_name(name, None)]:
        try:
            return (static_pages_dir() / file_name).read_text(encoding="utf-8")
        except OSError:
            continue
    try:
        return render_page(name, language=language)
    except Exception:
        logger.exception("Built-in %s page failed to render", name)
        # The last resort, when even the translation machinery fails: both languages, written out.
        return (
            "<!doctype html><title>Emergency</title><h1>Emergency? Call 112.</h1>"
            "<p>The clinic's website is unavailable.</p>"
            '<h1 lang="es">¿Es una emergencia? Llame al 112.</h1>'
            '<p lang="es">La web de la clínica no está disponible.</p>'
        )
