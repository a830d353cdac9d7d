"""Demo second factor: every demo staff account gets a TOTP device with one fixed, published secret.

Never in production mode (``EXOCLINIC_ENV=production``): there the demo staff enrol like anyone else.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.db.models import Q
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# Published in the README on purpose: it protects nothing but demo data.
DEMO_TOTP_KEY_HEX = "65786f636c696e69632d64656d6f2d746f74702d6b6579"  # "exoclinic-demo-totp-key"
DEMO_DEVICE_NAME = "demo authenticator"


def demo_secret_b32() -> str:
    return b32encode(unhexlify(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")


def demo_totp_allowed() -> bool:
    return not settings.PRODUCTION


def demo_staff_users():
    return User.objects.filter(
        Q(memberships__isnull=False) | Q(is_staff=True) | Q(is_superuser=True), email__endswith="@example.org"
    ).distinct()


def seed(ctx) -> None:
    if not demo_totp_allowed():
        return
    for user in demo_staff_users():
        TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
        )


def demo_code(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"
