"""The domain's error tree. Every rule a service refuses raises one of these, with a stable code.

The API turns them into JSON (``{"code", "message", "field"}``) with the class's HTTP status; HTML views show
the same message next to the named field.

Messages are translated where they are raised: ``gettext`` in the reader's active language, or
``gettext_lazy`` for text defined at import time, made ``str`` here when raised (so the JSON never holds a
lazy object). This module imports nothing from Django at import time: the pure modules (triage engine,
instruments) raise these errors too, and translate with ``translate`` below.
"""

from __future__ import annotations


def translate(message: str) -> str:
    """``message`` in the active language, for modules that must import without Django (the triage engine,
    the instruments). Without configured Django settings the English text is returned unchanged."""
    try:
        from django.conf import settings
        from django.utils.translation import gettext
    except ImportError:  # pragma: no cover - Django is a dependency; the pure modules do not need it
        return message
    return gettext(message) if settings.configured else message


_ = translate  # so makemessages finds the msgids below


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None, extra=None):
        message = str(message)  # a lazy message is rendered now, in the language active where it is raised
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message), "field": self.field}
        body.update(self.extra)
        return body


class InvalidInput(DomainError):
    code = "invalid"
    status = 400


class NotFound(DomainError):
    """Also raised for records that exist but that the reader may not see, so existence is not revealed."""

    code = "not_found"
    status = 404

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message if message is not None else _("Not found."), **kwargs)


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"
