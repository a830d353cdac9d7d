"""Helpers shared by the HTML views: domain errors become the right HTTP answer."""

from __future__ import annotations

import functools
import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .errors import NotFound, PermissionDenied


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
