"""Outcomes settings: ``settings.EXOCLINIC_OUTCOMES`` overrides any of these defaults.

None of these numbers come from clinical-facts.md: they are clinic policy (follow-up points, windows, reminder
timing) or unconfirmed thresholds (MAS one grade), so each is a setting with a conservative default.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict = {
    # Follow-up points after the first procedure, in months (product.md: 1, 3, 6, 12). Clinic policy.
    "FOLLOW_UP_MONTHS": (1, 3, 6, 12),
    # An assessment counts for a point when taken within this share of the point's interval around the due
    # date, and never less than WINDOW_MIN_DAYS (1 month: +/-7 days, 12 months: +/-55 days). Clinic policy.
    "WINDOW_FRACTION": 0.15,
    "WINDOW_MIN_DAYS": 7,
    # A point shows in the "due" list this many days before its date. Clinic policy.
    "DUE_SOON_DAYS": 14,
    # Patients get a reminder this many days before a follow-up point. Clinic policy.
    "REMINDER_DAYS_BEFORE": 7,
    # Weekly diary reminder: ISO weekday (1 Monday ... 7 Sunday) and hour (UTC) of the periodic task.
    "DIARY_REMINDER_WEEKDAY": 7,
    "DIARY_REMINDER_HOUR": 9,
    # Modified Ashworth one-grade threshold: unconfirmed in clinical-facts §2.
    "MAS_GRADE_THRESHOLD": 1,
    # Pain rule: "farrar2001" (2 points or 30%) or "hanley2006" (SCI-specific 1.8 points or 36%).
    "PAIN_RULE": "farrar2001",
    # Secret for the research export's pseudonymous ids (keyed HMAC). Falls back to one derived from
    # SECRET_KEY; set a separate value in production so ids stay stable if SECRET_KEY rotates.
    "RESEARCH_ID_SECRET": "",
}


def get(name: str):
    configured = getattr(settings, "EXOCLINIC_OUTCOMES", {}) or {}
    return configured.get(name, DEFAULTS[name])


def follow_up_months() -> tuple[int, ...]:
    months = sorted({int(m) for m in get("FOLLOW_UP_MONTHS") if int(m) > 0})
    return tuple(months)


def window_days(months: int) -> int:
    return max(int(get("WINDOW_MIN_DAYS")), round(months * 30.44 * float(get("WINDOW_FRACTION"))))


def research_secret() -> bytes:
    secret = get("RESEARCH_ID_SECRET")
    if secret:
        return secret.encode()
    return ("exoclinic.outcomes.research:" + settings.SECRET_KEY).encode()
