"""Pages of the second factor: set-up (QR code and first code), verification at login, and its settings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from exoclinic.core.errors import InvalidInput

from . import mfa


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/accounts/after-login/"


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the secret), then confirm with a first code."""
    user = request.user
    if mfa.has_confirmed_totp(user) and not mfa.is_verified(user):
        return redirect(_with_next("mfa-verify", _next_url(request)))
    if not (mfa.is_staff_account(user) or mfa.patients_offered_mfa()):
        return redirect("portal:home")
    device = mfa.totp_device_pending(user=user)
    error = None
    if request.method == "POST":
        try:
            codes = mfa.totp_enrol_confirm(user=user, device=device, code=request.POST.get("code", ""))
        except InvalidInput as exc:
            error = exc.message
        else:
            otp_login(request, device)
            # The codes are in this response only; they are not kept anywhere they could be shown again.
            return render(
                request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "qr_svg": mark_safe(mfa.otpauth_svg(device)),  # noqa: S308 - drawn by qrcode from our own URI
            "secret": mfa.totp_secret_b32(device),
            "otpauth_uri": device.config_url,
            "error": error,
            "next": _next_url(request),
            "required": mfa.is_staff_account(user) and mfa.mfa_enforced(),
        },
        status=400 if error else 200,
    )


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the app, or one of the recovery codes."""
    user = request.user
    if not mfa.has_confirmed_totp(user):
        return redirect(_with_next("mfa-setup", _next_url(request)))
    error = None
    if request.method == "POST":
        try:
            device = mfa.mfa_check(user=user, code=request.POST.get("code", ""))
        except InvalidInput as exc:
            error = exc.message
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/mfa_verify.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Renew recovery codes or remove the second factor; both need a verified session."""
    user = request.user
    enrolled = mfa.has_confirmed_totp(user)
    if enrolled and not mfa.is_verified(user):
        return redirect(_with_next("mfa-verify", request.path))
    if request.method == "POST" and enrolled:
        action = request.POST.get("action")
        if action == "renew":
            codes = mfa.recovery_codes_renew(user=user)
            return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": request.path})
        if action == "remove":
            mfa.mfa_remove(user=user, actor=user)
            messages.success(request, _("The second factor was removed."))
            return redirect(request.path)
    return render(
        request,
        "accounts/mfa_manage.html",
        {
            "enrolled": enrolled,
            "staff": mfa.is_staff_account(user),
            "offered": mfa.is_staff_account(user) or mfa.patients_offered_mfa(),
        },
    )
