"""The one JSON API (django-ninja), mounted at /api/v1/. Each app adds its router here.

Authentication: the browser session (with CSRF on writes) or a Bearer token from `manage.py issue_token`.
Errors are JSON ``{"code", "message", "field"}`` with a stable code.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from exoclinic.accounts.mfa import is_verified, second_factor_needed
from exoclinic.accounts.services import api_token_lookup
from exoclinic.core.errors import DomainError, PermissionDenied

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_lookup(token)
        if api_token is None:
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                _("This API token is read-only: it may only read."), code="read_only_token"
            )
        request.user = api_token.user  # services and audit rows see who acts
        return api_token.user


class Session(APIKeyCookie):
    """The logged-in browser session; CSRF is checked on unsafe methods. Staff must have passed the second
    factor in that session (accounts/mfa.py); until then the API treats them as not logged in."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if second_factor_needed(user) and not is_verified(user):
            return None
        return user


# Answers every operation may give besides its own: invalid input (ninja's validation, 400), no or a bad
# credential (401), and, with an id in the path, the query or the body, a record that is not there or not
# visible (404). An
# operation's own ``response=`` map names the rest (403, 409) and its success codes.
_COMMON_ERRORS = {
    "400": "Invalid input: the field is named in `field`.",
    "401": "Log in or send a valid Bearer token.",
    "404": "Not found, or not visible to you.",
    "429": "Too many requests from this address: try again after Retry-After seconds.",
}


class ExoclinicAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _declare_common_errors(schema)
        return schema


def _declare_common_errors(schema) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "ErrorOut",
        {
            "title": "ErrorOut",
            "type": "object",
            "properties": {
                "code": {"title": "Code", "type": "string"},
                "message": {"title": "Message", "type": "string"},
                "field": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Field"},
            },
            "required": ["code", "message"],
        },
    )
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            wanted = []
            if params or "requestBody" in operation:
                wanted.append("400")
            if operation.get("security"):
                wanted.append("401")
            names_a_record = any(p.get("in") == "path" or p.get("name", "").endswith("_id") for p in params)
            if names_a_record or "requestBody" in operation:
                wanted.append("404")
            if method.lower() == "post" and _rate_limited(path):
                wanted.append("429")
            responses = operation.setdefault("responses", {})
            for status in wanted:
                responses.setdefault(status, {"description": _COMMON_ERRORS[status], **ref})


def _rate_limited(path: str) -> bool:
    """Whether ``core.middleware`` limits writes to this path per address (``EXOCLINIC_RATE_LIMITS``; a
    template's ``{param}`` stands for any value)."""
    from django.conf import settings

    concrete = re.sub(r"\{[^}]+\}", "1", path)
    for prefix, _allowed, _seconds in getattr(settings, "EXOCLINIC_RATE_LIMITS", ()):
        if prefix.endswith("$") and concrete == prefix[:-1]:
            return True
        if not prefix.endswith("$") and concrete.startswith(prefix):
            return True
    return False


api = ExoclinicAPI(
    title="exoclinic API",
    version="1",
    description="Clinic records under one access policy. Errors: {code, message, field}.",
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, status: int, code: str, message: str, field: str | None = None, **extra):
    return api.create_response(
        request, {"code": code, "message": str(message), "field": field, **extra}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [
        str(part) for part in first.get("loc", []) if part not in ("body", "payload", "query", "path")
    ]
    field = ".".join(location) or None
    message = first.get("msg") or _("Invalid input.")
    if field:
        message = _("%(field)s: %(problem)s") % {"field": field, "problem": message}
    return _error(request, 400, "invalid", message, field, errors=exc.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", _("Log in or send a valid Bearer token."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))


def _mount() -> None:
    from exoclinic.core.api import router as core_router

    api.add_router("", core_router)
    for app in (
        "intake",
        "scheduling",
        "triage",
        "products",
        "treatment",
        "aftercare",
        "exams",
        "outcomes",
        "interop",
    ):
        module = __import__(f"exoclinic.{app}.api", fromlist=["router"])
        router = getattr(module, "router", None)
        if router is not None and (router.path_operations or router._routers):
            api.add_router("", router)


_mount()
