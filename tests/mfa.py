"""Logging in with a passed second factor, for tests that run with it enforced (``@pytest.mark.mfa``)."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created if there is none (a test's stand-in for enrolment)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current time step, or the next one if the current one was used
    (a TOTP device refuses a time step twice; it allows one step of drift)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def verified_login(client, user) -> TOTPDevice:
    """``client.force_login(user)`` with the second factor passed in that session."""
    device = confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
