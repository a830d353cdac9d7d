"""Error pages that need no database: a 500, a 503 and the emergency page, written at deploy time.

``manage.py render_static_pages`` (run after ``collectstatic`` at every deploy) renders them from the public
clinic's row into ``STATIC_PAGES_DIR`` (``var/static-pages/``). ``server_error`` (Django's handler500) sends
them: the 503 page when the database is unreachable (``/emergency/`` gets the emergency page), the 500 page
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


def _texts(name: str) -> tuple[str, str]:
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
        heading, explanation = _texts(name)
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


def render_static_pages(*, clinic=None, out_dir: Path | None = None) -> list[Path]:
    """Write 500.html, 503.html and emergency.html for ``clinic`` (the public clinic when not given)."""
    if clinic is None:
        from .selectors import public_clinic

        clinic = public_clinic()
    out = Path(out_dir or static_pages_dir())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PAGES:
        path = out / f"{name}.html"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(render_page(name, clinic), encoding="utf-8")
        tmp.replace(path)  # atomic: a request never reads a half-written page
        written.append(path)
    contact = {
        "emergency_services_number": getattr(clinic, "emergency_services_number", "") or "112",
        "emergency_phone": getattr(clinic, "emergency_phone", "") or "",
    }
    (out / "contact.json").write_text(json.dumps(contact), encoding="utf-8")
    written.append(out / "contact.json")
    return written


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


def page_html(name: str) -> str:
    """The deployed page, else the built-in default; never touches the database."""
    try:
        return (static_pages_dir() / f"{name}.html").read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        return render_page(name)
    except Exception:
        logger.exception("Built-in %s page failed to render", name)
        return (
            "<!doctype html><title>Emergency</title><h1>Emergency? Call 112.</h1>"
            "<p>The clinic's website is unavailable.</p>"
        )
