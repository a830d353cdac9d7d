"""E-mail through Django's framework: every message is a template, in the recipient's language.

Templates: ``<name>_subject.txt`` (one line) and ``<name>_body.txt`` (plain text), optionally
``<name>_body.html``. Call inside a service's transaction: the message is kept in the outbox with the change
and leaves after commit through a retried Huey task (``core.outbox``), so a rolled-back change sends nothing
and a mail server that is down delays it.
"""

from __future__ import annotations

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .outbox import mail_queue


def render_email(name: str, context: dict, language: str | None = None) -> tuple[str, str, str | None]:
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{name}_subject.txt", ctx).split())
        body = render_to_string(f"{name}_body.txt", ctx)
        try:
            html = render_to_string(f"{name}_body.html", ctx)
        except TemplateDoesNotExist:
            html = None
    return subject, body, html


def send_templated_email(
    *, to: list[str] | str, name: str, context: dict, language: str | None = None, attachments=()
) -> None:
    """Queue an e-mail to go out after the current transaction commits (at once outside a transaction)."""
    recipients = [to] if isinstance(to, str) else list(to)
    subject, body, html = render_email(name, context, language)
    # Kept in the outbox in the caller's transaction: a mail server that is down delays it, never loses it.
    mail_queue(
        name=name, subject=subject, body=body, html=html, recipients=recipients, attachments=attachments
    )
