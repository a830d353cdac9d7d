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


# Pages and answers that carry patient data: never kept by a browser or a shared proxy.
NO_STORE_PREFIXES = ("/portal/", "/staff/", "/apply/", "/api/", "/admin/", "/book/", "/welcome/")


class PatientDataHeadersMiddleware:
    """``Cache-Control: no-store`` on patient pages (portal, staff, applications, the API, the admin) and on
    every answer to a signed-in user; and a request body larger than ``EXOCLINIC_MAX_REQUEST_BYTES`` is
    refused from its Content-Length with 413, before a byte of it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponse

        limit = getattr(settings, "EXOCLINIC_MAX_REQUEST_BYTES", 11 * 1024 * 1024)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            response = HttpResponse(
                "Request too large.", status=413, content_type="text/plain; charset=utf-8"
            )
            response["Connection"] = "close"
            return response
        limited = _rate_limited(request)
        if limited is not None:
            return limited
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and getattr(user, "is_authenticated", False)
        if request.path.startswith(NO_STORE_PREFIXES) or signed_in:
            response["Cache-Control"] = "no-store"
        return response


def _rate_limited(request):
    """Anonymous-reachable writes (applications, the self-check, booking) are limited per client address:
    ``EXOCLINIC_RATE_LIMITS`` = [(path prefix, or "path$" for one path, requests, seconds)], counted in
    Django's cache."""
    if request.method != "POST":
        return None
    from django.conf import settings
    from django.core.cache import cache
    from django.http import HttpResponse, JsonResponse

    for prefix, allowed, seconds in getattr(settings, "EXOCLINIC_RATE_LIMITS", ()):
        exact = prefix.endswith("$")  # "/path$": that path only, not the paths under it
        if (request.path != prefix[:-1]) if exact else not request.path.startswith(prefix):
            continue
        key = f"ratelimit:{prefix}:{request.META.get('REMOTE_ADDR', '')}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
            count = 1
        if count <= allowed:
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "code": "rate_limited",
                    "message": "Too many requests; try again in a minute.",
                    "field": None,
                },
                status=429,
            )
        else:
            from .static_pages import page_html, request_language

            # Even refused, the person sees the emergency numbers and advice.
            response = HttpResponse(page_html("emergency", request_language(request)), status=429)
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response
    return None


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
