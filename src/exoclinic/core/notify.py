"""E-mail through Django's framework: every message is a template, in the recipient's language.

Templates: ``<name>_subject.txt`` (one line) and ``<name>_body.txt`` (plain text), optionally
``<name>_body.html``. Call inside a service's transaction: the message leaves after commit, so a rolled-back
change sends nothing.
"""

from __future__ import annotations

from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


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

    def send() -> None:
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        if html:
            message.attach_alternative(html, "text/html")
        for filename, content, mimetype in attachments:
            message.attach(_part(filename, content, mimetype))
        message.send()

    transaction.on_commit(send)


def _part(filename: str, content: bytes | str, mimetype: str) -> MIMEBase:
    """One attachment as a MIME part; parameters in the type (``text/calendar; method=REQUEST``) are kept,
    which a plain ``attach(filename, content, mimetype)`` would drop (calendar clients read ``method``)."""
    base, *params = (piece.strip() for piece in mimetype.split(";"))
    maintype, subtype = base.split("/", 1)
    if maintype == "text":
        text = content.decode() if isinstance(content, bytes) else content
        part: MIMEBase = MIMEText(text, subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content.encode() if isinstance(content, str) else content)
        encoders.encode_base64(part)
    for param in params:
        key, _, value = param.partition("=")
        part.set_param(key.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
