"""The second factor: TOTP devices and recovery codes (django-otp), and who must use them.

Rule: every staff user (any ``StaffMembership``, ``is_staff`` or ``is_superuser``) must pass a second factor
before staff pages, the admin or staff API operations through a session, and an API token is issued only to a
user with a confirmed TOTP device. Patients may enrol (``EXOCLINIC["PATIENT_MFA"] = "offered"``); once
enrolled they are asked for a code too. ``EXOCLINIC_STAFF_MFA_REQUIRED = False`` switches all of this off
(the test suite does, except for tests marked ``mfa``).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput
from exoclinic.core.policy import is_any_staff

from .models import User
from .signals import user_record

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def mfa_enforced() -> bool:
    return bool(getattr(settings, "EXOCLINIC_STAFF_MFA_REQUIRED", True))


def is_staff_account(user) -> bool:
    """Staff for the second factor and the idle timeout: a membership anywhere, or admin flags."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_exoclinic_staff_account", None)
    if cached is None:
        cached = bool(user.is_superuser or user.is_staff or is_any_staff(user))
        user._exoclinic_staff_account = cached
    return cached


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def patients_offered_mfa() -> bool:
    return settings.EXOCLINIC.get("PATIENT_MFA", "offered") == "offered"


def second_factor_needed(user) -> bool:
    """Whether this signed-in user must pass the second factor before protected pages."""
    if not mfa_enforced() or not getattr(user, "is_authenticated", False):
        return False
    return is_staff_account(user) or has_confirmed_totp(user)


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user, so reloading the page keeps the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=TOTP_NAME)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the pending device with a first code; returns the recovery codes (shown once, never again)."""
    if device.user_id != user.pk or device.confirmed:
        raise InvalidInput(_("Start the set-up again."), field="code")
    if not device.verify_token(code.strip().replace(" ", "")):
        raise InvalidInput(_("That code is not right. Enter the 6 digits your app shows now."), field="code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="mfa.enrol", **user_record(user), detail={"method": "totp"})
    return codes


def mfa_check(*, user: User, code: str):
    """The device that accepts ``code`` (TOTP, or a recovery code, which is then used up), or an error."""
    code = (code or "").strip().replace(" ", "").lower()
    if not code:
        raise InvalidInput(_("Enter the code from your authenticator app."), field="code")
    device = match_token(user, code)
    if device is None:
        audit_record(actor=user, action="mfa.failure", **user_record(user))
        raise InvalidInput(
            _("That code is not right. Wait for a new one if you entered several wrong codes."), field="code"
        )
    if isinstance(device, StaticDevice):
        audit_record(
            actor=user,
            action="mfa.recovery_code_used",
            **user_record(user),
            detail={"remaining": device.token_set.count()},
        )
    else:
        audit_record(actor=user, action="mfa.verify", **user_record(user), detail={"method": "totp"})
    return device


def recovery_codes_renew(*, user: User) -> list[str]:
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="mfa.recovery_codes_renew", **user_record(user))
    return codes


def mfa_remove(*, user: User, actor: User) -> int:
    """Remove every second-factor device of ``user``; staff are asked to enrol again at their next page."""
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        audit_record(actor=actor, action="mfa.remove", **user_record(user), detail={"devices": len(devices)})
    return len(devices)


def otpauth_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code, drawn on the server (no script, no external image)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # no XML declaration inside HTML


def totp_secret_b32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")
