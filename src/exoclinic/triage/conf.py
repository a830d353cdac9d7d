"""Triage settings. Read from ``settings.EXOCLINIC_TRIAGE`` (a dict); every default here is clinic policy.

``ESCALATE_AFTER_MINUTES``: how long an alert may stay unacknowledged before it goes to the next person on
the rota, per level. The clinical facts give no number: the defaults (emergency 5, urgent 30 minutes) are
our conservative choice and **unconfirmed**; the medical director should set them. A routine report alerts
only when it carries a note in the patient's own words (120 minutes, also **unconfirmed**).
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # "routine": an alert raised only so that staff read a patient's own words (issue 15).
    "ESCALATE_AFTER_MINUTES": {"emergency": 5, "urgent": 30, "routine": 120},
}


def _config() -> dict:
    return {**DEFAULTS, **getattr(settings, "EXOCLINIC_TRIAGE", {})}


def escalate_after_minutes(level: str) -> float:
    minutes = {**DEFAULTS["ESCALATE_AFTER_MINUTES"], **_config()["ESCALATE_AFTER_MINUTES"]}
    return float(minutes[level])
