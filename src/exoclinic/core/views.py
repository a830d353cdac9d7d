"""Helpers shared by the HTML views: domain errors become the right HTTP answer."""

from __future__ import annotations

import functools
import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
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


DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request):
    """handler500: static pages with the emergency advice, sent without touching the database."""
    from .static_pages import page_contact, page_html

    exc = sys.exc_info()[1]
    database_down = isinstance(exc, DATABASE_DOWN)
    status = 503 if database_down else 500
    if request.path.startswith("/api/"):
        contact = page_contact()
        message = _("The service is unavailable. In an emergency call %(number)s now.") % {
            "number": contact["emergency_services_number"]
        }
        body = {"code": "unavailable" if database_down else "server_error", "message": message, **contact}
        response = JsonResponse(body, status=status)
    else:
        name = "emergency" if request.path == "/emergency/" else str(status)
        response = HttpResponse(page_html(name), status=200 if name == "emergency" else status)
    if database_down:
        response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response
