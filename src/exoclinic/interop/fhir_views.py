"""The FHIR R4 REST endpoints at /fhir/r4/: parse, call a selector, answer application/fhir+json.

Authentication is the API's: ``Authorization: Bearer <token>`` (accounts.ApiToken) or the browser session.
Errors are OperationOutcome resources with 400/401/403/404.
"""

from __future__ import annotations

import functools
import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from exoclinic.accounts.services import api_token_authenticate
from exoclinic.core.errors import DomainError

from . import selectors
from .fhir.bundle import everything_bundle, searchset
from .fhir.capability import capability_statement
from .fhir.common import CONTENT_TYPE, FhirError, operation_outcome
from .sources import SOURCES

ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    410: "expired",
}


def fhir_response(body: dict, status: int = 200, content_type: str = CONTENT_TYPE) -> HttpResponse:
    return HttpResponse(json.dumps(body, separators=(",", ":")), status=status, content_type=content_type)


def outcome_response(status: int, code: str, diagnostics: str, expression=None) -> HttpResponse:
    response = fhir_response(operation_outcome(code, diagnostics, expression=expression), status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="exoclinic"'
    return response


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:metadata"))[: -len("metadata")]


def authenticated_user(request: HttpRequest):
    """The Bearer token's user, else the session's; FhirError 401 when neither."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        user = api_token_authenticate(header[7:].strip())
        if user is None:
            raise FhirError(401, "login", _("The Bearer token is not valid (revoked or unknown)."))
        request.user = user  # audit rows name who read
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    raise FhirError(401, "login", _("Log in or send a valid Bearer token."))


def fhir_endpoint(*, methods=("GET",), login=True):
    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return outcome_response(405, "not-supported", f"{request.method} is not supported here.")
            try:
                user = authenticated_user(request) if login else None
                return view(request, user, *args, **kwargs)
            except FhirError as exc:
                return outcome_response(exc.status, exc.code, exc.diagnostics, exc.expression)
            except DomainError as exc:
                return outcome_response(
                    exc.status, ISSUE_CODES.get(exc.status, "processing"), exc.message, exc.field
                )

        return wrapper

    return decorate


def _kind(name: str) -> str:
    if name not in SOURCES:
        raise FhirError(
            404,
            "not-supported",
            _("Resource type %(type)s is not supported by this server.") % {"type": repr(name)},
        )
    return name


@fhir_endpoint(login=False)
def metadata(request, user):
    body = capability_statement(
        base=base_url(request),
        search_params=selectors.SEARCH_PARAMS,
        param_types=selectors.PARAM_TYPES,
        common=selectors.COMMON,
        now=timezone.now(),
    )
    return fhir_response(body)


@fhir_endpoint()
def search(request, user, kind):
    kind = _kind(kind)
    query = [(name, value) for name in request.GET for value in request.GET.getlist(name)]
    page = selectors.search(user=user, kind=kind, query=query)
    filters, _count, _offset = selectors.parse_params(kind, query)
    body = searchset(
        base=base_url(request),
        kind=kind,
        resources=page.resources,
        total=page.total,
        offset=page.offset,
        count=page.count,
        filters=filters,
        now=timezone.now(),
    )
    return fhir_response(body)


@fhir_endpoint()
def read(request, user, kind, resource_id):
    kind = _kind(kind)
    return fhir_response(selectors.read(user=user, kind=kind, resource_id=resource_id))


@fhir_endpoint()
def everything(request, user, patient_id):
    resources = selectors.everything(user=user, patient_id=patient_id)
    body = everything_bundle(
        base=base_url(request), patient_id=patient_id, resources=resources, now=timezone.now()
    )
    return fhir_response(body)


@fhir_endpoint(login=False, methods=("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown(request, user):
    raise FhirError(
        404,
        "not-found",
        _("%(path)s is not an endpoint of this server (see metadata).") % {"path": request.path},
    )
