"""Settings of the products app: ``EXOCLINIC_PRODUCTS = {...}`` in the project settings.

Every value here is clinic policy, not a clinical fact, except DEVIATION_REPORT_DAYS (clinical-facts §6); the
defaults are conservative and documented in docs/products.md.
"""

from __future__ import annotations

import re

from django.conf import settings

DEFAULTS = {
    # Code prefix (2-5 letters) per clinic slug; otherwise the first letters of the slug.
    "LOT_PREFIXES": {},
    # Clinic policy: a second lab user reviews each QC result before the lot can be released.
    "RELEASE_REQUIRES_REVIEW": False,
    # Largest temperature CSV accepted, in bytes.
    "READINGS_CSV_MAX_BYTES": 2_000_000,
    # Days from discovering a product deviation to the regulator report (clinical-facts §6: 45 days).
    "DEVIATION_REPORT_DAYS": 45,
}


def get(name: str):
    return getattr(settings, "EXOCLINIC_PRODUCTS", {}).get(name, DEFAULTS[name])


def lot_prefix(clinic) -> str:
    configured = get("LOT_PREFIXES").get(clinic.slug)
    if configured:
        return configured.upper()
    letters = re.sub(r"[^A-Z]", "", clinic.slug.upper())
    return (letters[:3] or "EXO").ljust(2, "X")
