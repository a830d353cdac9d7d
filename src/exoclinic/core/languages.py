"""Content stored in the database in every language (django-modeltranslation's ``<field>_<lang>`` columns).

Writing ``title=...`` on a translated model fills only the column of the language active at that moment (a
Spanish-speaking clinician would write their English into the Spanish column), so services and the demo
write the language columns by name with these helpers.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation

DEFAULT_LANGUAGE = "en"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(text) -> dict[str, str]:
    """``text`` (a lazy msgid, or a plain string) as each language reads it: {"en": ..., "es": ...}.

    A language whose catalogue has no translation is left out, so the reader falls back to English."""
    with translation.override(DEFAULT_LANGUAGE):
        english = str(text)
    values = {DEFAULT_LANGUAGE: english}
    for code in language_codes():
        if code == DEFAULT_LANGUAGE:
            continue
        with translation.override(code):
            rendered = str(text)
        if rendered != english:
            values[code] = rendered
    return values


def columns(field: str, values: Mapping[str, str | None]) -> dict[str, str | None]:
    """{"title_en": ..., "title_es": ...} for ``Model(**columns("title", {...}))``; blank values are None
    (a missing translation, which falls back), never ""."""
    return {f"{field}_{code}": (values.get(code) or None) for code in language_codes()}


def copy_columns(source, fields: tuple[str, ...]) -> dict[str, str | None]:
    """Every language column of ``fields`` from ``source``, for a record copied from a template."""
    return {
        f"{field}_{code}": getattr(source, f"{field}_{code}") for field in fields for code in language_codes()
    }


def fill_missing(obj, values: Mapping[str, str | None]) -> list[str]:
    """Set each ``<field>_<lang>`` column of ``values`` that is empty on ``obj``; never overwrite what staff
    wrote. Returns the columns changed (the caller saves them)."""
    changed = []
    for column, value in values.items():
        if value and not getattr(obj, column):
            setattr(obj, column, value)
            changed.append(column)
    return changed
