"""Helpers shared by the HTML views: domain errors become the right HTTP answer."""

from __future__ import annotations

import functools
import logging
import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import NotFound, PermissionDenied
from .models import Patient
from .policy import acting_patient

# The session key of the patient a caregiver chose to act for (kept until they choose another).
ACTING_PATIENT_SESSION_KEY = "acting_patient_id"


def domain_errors_as_http(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def request_acting_patient(request, *, required: bool = True) -> Patient | None:
    """The patient this portal request acts for (``core.policy.acting_patient``).

    ``?patient=<id>`` (or the form field) is an explicit choice and is remembered in the session, so every
    page acts for the same person until another choice; a remembered choice the user may no longer act for
    is forgotten. The patient is kept on the request, and base.html shows whom the page acts for.
    Raises Http404 when ``required`` and there is no record, or when the choice is not the user's to make.
    """
    choice = request.GET.get("patient") or request.POST.get("patient")
    session = getattr(request, "session", None)
    try:
        if choice:
            patient = acting_patient(user=request.user, choice=choice)
            if session is not None:
                session[ACTING_PATIENT_SESSION_KEY] = patient.pk
        else:
            remembered = session.get(ACTING_PATIENT_SESSION_KEY) if session is not None else None
            try:
                patient = acting_patient(user=request.user, choice=remembered)
            except NotFound:
                session.pop(ACTING_PATIENT_SESSION_KEY, None)
                patient = acting_patient(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    if patient is None and required:
        raise Http404
    request.acting_patient = patient
    return patient


logger = logging.getLogger("exoclinic.errors")
DATABASE_DOWN = (OperationalError, InterfaceError)


def _error_page(request, name: str, status: int) -> HttpResponse:
    """A 4xx page in the reader's language with the emergency path. It never fails itself: when the full page
    cannot be rendered (the database is down, a context processor breaks) the page of the static template
    is sent, with the numbers of the deployed pages and no query."""
    from .static_pages import contact_clinic, page_texts, render_page, request_language

    with translation.override(request_language(request)):
        heading, explanation = page_texts(name)
        try:
            html = render_to_string(
                "core/error.html", {"heading": heading, "explanation": explanation}, request=request
            )
        except Exception:
            logger.exception("The %s page failed to render; sending the page without the database", status)
            html = render_page(name, contact_clinic(), translation.get_language())
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    """handler400."""
    return _error_page(request, "400", 400)


def permission_denied(request, exception=None):
    """handler403: the reason is not shown (it may name what the person may not see)."""
    return _error_page(request, "403", 403)


def page_not_found(request, exception=None):
    """handler404."""
    return _error_page(request, "404", 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was refused; the person is told how to send it again."""
    return _error_page(request, "csrf", 403)


def server_error(request):
    """handler500: static pages with the emergency advice, in the request's language, sent without touching
    the database."""
    from .static_pages import page_contact, page_html, request_language

    exc = sys.exc_info()[1]
    database_down = isinstance(exc, DATABASE_DOWN)
    status = 503 if database_down else 500
    language = request_language(request)
    if request.path.startswith("/api/"):
        contact = page_contact()
        with translation.override(language):
            message = _("The service is unavailable. In an emergency call %(number)s now.") % {
                "number": contact["emergency_services_number"]
            }
        body = {"code": "unavailable" if database_down else "server_error", "message": message, **contact}
        response = JsonResponse(body, status=status)
    else:
        name = "emergency" if request.path == "/emergency/" else str(status)
        response = HttpResponse(page_html(name, language), status=200 if name == "emergency" else status)
    response["Content-Language"] = language
    if database_down:
        response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response
