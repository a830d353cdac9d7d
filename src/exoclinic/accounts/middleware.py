"""Per-request guards for signed-in staff: the idle timeout and the second factor."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from exoclinic.core.audit import audit_record

from .mfa import has_confirmed_totp, is_staff_account, is_verified, second_factor_needed
from .signals import user_record

LAST_ACTIVITY_KEY = "exoclinic_last_activity"
# Written at most this often, so every request does not write the session.
ACTIVITY_RESOLUTION_SECONDS = 30
# What a signed-in user who still owes the second factor may open: logging in and out, the public pages,
# and the API (whose Session auth refuses them itself). Every other page, a new one too, is closed to them.
OPEN_PREFIXES = (
    "/accounts/",
    "/i18n/",
    "/static/",
    "/api/",
    "/emergency/",
    "/therapies/",
    "/conditions/",
    "/apply/",
    "/welcome/",
    "/admin/logout/",
)
OPEN_PATHS = ("/", "/favicon.ico", "/robots.txt")


def _open_to_unverified(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def idle_timeout_seconds() -> int:
    return int(getattr(settings, "EXOCLINIC_STAFF_IDLE_TIMEOUT_SECONDS", 30 * 60))


class StaffSessionMiddleware:
    """Staff sessions end after ``EXOCLINIC_STAFF_IDLE_TIMEOUT_SECONDS`` without a request (patients keep
    Django's session age), and staff who have not passed the second factor are sent to enrol or verify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if is_staff_account(user):
                expired = self._idle_expired(request)
                if expired is not None:
                    return expired
            if not _open_to_unverified(request.path) and second_factor_needed(user) and not is_verified(user):
                return redirect(mfa_redirect_url(user, request.get_full_path()))
        return self.get_response(request)

    def _idle_expired(self, request):
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > idle_timeout_seconds():
            audit_record(
                actor=request.user,
                action="login.idle_timeout",
                **user_record(request.user),
                detail={"idle_seconds": int(now - last)},
            )
            logout(request)
            if request.path.startswith("/api/"):
                return None  # the API answers 401 for the now anonymous request
            return redirect_to_login(request.get_full_path())
        if last is None or now - last > ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now
        return None


def mfa_redirect_url(user, next_url: str = "") -> str:
    name = "mfa-verify" if has_confirmed_totp(user) else "mfa-setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
