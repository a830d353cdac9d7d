"""Booking settings: ``settings.EXOCLINIC_SCHEDULING`` (a dict) overrides these clinic-policy defaults."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # How long a chosen slot stays held while the patient answers the booking questions.
    "HOLD_MINUTES": 10,
    # How long a waitlist offer stays held for the patient it was offered to.
    "OFFER_HOLD_HOURS": 12,
    # Reminders before the start, in minutes (24 h and 2 h).
    "REMINDER_OFFSETS_MINUTES": [24 * 60, 2 * 60],
    # How many free slots a refused booking suggests.
    "NEXT_SLOTS": 5,
    # The longest slot search one request may ask for.
    "MAX_SEARCH_DAYS": 31,
    # Link template for remote consultations; {uid} is the appointment's stable id.
    "VIDEO_URL_TEMPLATE": "https://video.example.org/exoclinic/{uid}",
}


def get(name: str):
    return getattr(settings, "EXOCLINIC_SCHEDULING", {}).get(name, DEFAULTS[name])


def hold_duration() -> timedelta:
    return timedelta(minutes=get("HOLD_MINUTES"))


def offer_hold_duration() -> timedelta:
    return timedelta(hours=get("OFFER_HOLD_HOURS"))


def reminder_offsets() -> list[int]:
    return sorted({int(m) for m in get("REMINDER_OFFSETS_MINUTES")}, reverse=True)
