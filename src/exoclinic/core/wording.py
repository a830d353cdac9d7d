"""Translation for the pure modules (outcomes change and instruments, products QC): Django's gettext when
Django is set up, the English text as written otherwise, so those modules still import and run without it.

``gettext_noop`` marks text kept in a definition (a measure's name, a threshold's description) for the
catalogue; it is translated where it is shown, with ``gettext``.
"""

from __future__ import annotations


def gettext(message: str) -> str:
    try:
        from django.utils.translation import gettext as django_gettext

        return django_gettext(message)
    except Exception:  # Django absent or not configured: the English text
        return message


def ngettext(singular: str, plural: str, number: int | float) -> str:
    try:
        from django.utils.translation import ngettext as django_ngettext

        return django_ngettext(singular, plural, number)
    except Exception:
        return singular if number == 1 else plural


def gettext_noop(message: str) -> str:
    return message
