"""How django-axes sees a login attempt here: the e-mail address (normalised) and REMOTE_ADDR."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from exoclinic.core.middleware import request_meta_from


def attempted_email(request, credentials) -> str | None:
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return raw.strip().lower() or None


def client_ip(request) -> str | None:
    # The same rule as the audit trail: REMOTE_ADDR, which a trusted proxy rewrites; never X-Forwarded-For.
    return request_meta_from(request).ip_address


def locked_out_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
