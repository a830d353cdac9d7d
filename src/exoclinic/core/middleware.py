"""Keeps who is asking, from where, for the audit trail, without passing the request into services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None
    user_agent: str


current_request_meta: ContextVar[RequestMeta | None] = ContextVar("current_request_meta", default=None)


def request_meta_from(request) -> RequestMeta:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites REMOTE_ADDR.
    ip = request.META.get("REMOTE_ADDR") or None
    return RequestMeta(ip_address=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


class PatientLanguageMiddleware:
    """A signed-in patient sees pages in their preferred language (from their record), unless a language
    was chosen in the footer (the cookie ``LocaleMiddleware`` reads first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        from .models import Patient

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith("/api/")
        ):
            preferred = Patient.objects.filter(user=user).values_list("preferred_language", flat=True).first()
            if preferred and preferred in dict(settings.LANGUAGES) and preferred != request.LANGUAGE_CODE:
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
        return self.get_response(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request_meta.set(request_meta_from(request))
        try:
            return self.get_response(request)
        finally:
            current_request_meta.reset(token)


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` ({feature: [origins]}; an empty
    list switches the feature off). Django has the other security headers but not this one."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
