"""Treatment settings. Numbers the clinical facts do not give are clinic policy, set here with a default."""

from __future__ import annotations

from django.conf import settings

_DEFAULTS = {
    # Days after a procedure during which anti-inflammatory medication is avoided when a plan does not say.
    # clinical-facts §5 leaves the period to each plan: this default is clinic policy, not a clinical fact.
    "DEFAULT_ANTI_INFLAMMATORY_DAYS": 28,
    # Preparation items fall due this many days before the first planned session (clinic policy).
    "PREPARATION_DUE_DAYS_BEFORE": 1,
    # Days from awareness of a serious adverse event to the regulator report (MedWatch 3500A, facts §6).
    "SERIOUS_REPORT_DAYS": 15,
}


def get(name: str):
    return getattr(settings, "EXOCLINIC_TREATMENT", {}).get(name, _DEFAULTS[name])
