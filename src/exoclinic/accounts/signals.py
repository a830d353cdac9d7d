"""Authentication events into the audit trail. Django and django-axes announce them only as signals, so these
receivers are the one place they are recorded (every login, failure and lockout)."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from exoclinic.core.audit import audit_record


def user_record(user) -> dict:
    """Audit a row about an account without tying it to the patient record behind it (no extra query)."""
    return {"record_type": "accounts.user", "record_id": user.pk}


def _attempted_email(credentials: dict) -> str:
    return str(credentials.get("username") or credentials.get("email") or "").strip().lower()[:254]


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    from .middleware import LAST_ACTIVITY_KEY

    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = time.time()
    audit_record(actor=user, action="login.success", **user_record(user))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="logout", **user_record(user))


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    # The attempted address only: the password never reaches the trail.
    audit_record(
        actor=None,
        action="login.failure",
        record_type="accounts.user",
        detail={
            "email": _attempted_email(credentials),
            "locked_out": bool(getattr(request, "axes_locked_out", False)),
        },
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        actor=None,
        action="login.lockout",
        record_type="accounts.user",
        detail={"email": (username or "").lower()[:254], "ip_address": ip_address},
    )
