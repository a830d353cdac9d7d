"""The intake app's settings: ``EXOCLINIC_INTAKE_<NAME>`` in settings.py or the environment-driven settings.

The eligibility thresholds are the clinic's policy, not clinical fact (see ``eligibility.EligibilityPolicy``).
"""

from __future__ import annotations

from django.conf import settings

from .eligibility import EligibilityPolicy


def _get(name: str, default):
    return getattr(settings, f"EXOCLINIC_INTAKE_{name}", default)


def draft_days() -> int:
    """Days a draft and its resume link stay valid after the last save."""
    return int(_get("DRAFT_DAYS", 30))


def status_link_days() -> int:
    """Days a link to a submitted application's status page stays valid."""
    return int(_get("STATUS_LINK_DAYS", 90))


def max_file_bytes() -> int:
    return int(_get("MAX_FILE_BYTES", 10 * 1024 * 1024))


def max_total_bytes() -> int:
    return int(_get("MAX_TOTAL_BYTES", 40 * 1024 * 1024))


def max_files() -> int:
    return int(_get("MAX_FILES", 10))


def eligibility_policy() -> EligibilityPolicy:
    """Clinic policy thresholds for the flags; defaults are conservative and unconfirmed clinically."""
    return EligibilityPolicy(
        min_weeks_since_injury=int(_get("MIN_WEEKS_SINCE_INJURY", 12)),
        min_months_since_cell_treatment=int(_get("MIN_MONTHS_SINCE_CELL_TREATMENT", 6)),
        adult_age=int(_get("ADULT_AGE", 18)),
    )
