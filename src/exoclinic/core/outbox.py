"""Side effects that cannot break the answer a person is waiting for.

A patient who reports an emergency symptom must read "call 112" even when the mail server, Redis or the
queue are down. So:

- every after-commit step goes through ``after_commit``: ``robust=True`` and logged, so one failing step
  neither raises into the request nor skips the steps after it;
- a task goes to Huey through ``enqueue``; when the queue refuses it, it is kept as an ``OutboxMessage``
  and run when due by the periodic ``drain_outbox``;
- every e-mail is an ``OutboxMessage`` written in the same transaction as the change that sends it, then
  handed to the ``deliver_outbox_message`` task (retried by Huey); the periodic drain sends whatever is
  still pending once SMTP answers again.

A message is claimed (pending -> sending) before it is delivered, so it happens once even when the task
and the drain reach it at the same time.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterable
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .db import insert_new
from .models import OutboxKind, OutboxMessage, OutboxStatus

logger = logging.getLogger("exoclinic.outbox")

# After a failed delivery, wait this long (times the number of attempts, at most an hour) before the next.
RETRY_AFTER = dt.timedelta(minutes=1)


def after_commit(fn: Callable[[], object], *, what: str) -> None:
    """Run ``fn`` after the current transaction commits (at once outside one); a failure is logged only."""

    def run() -> None:
        try:
            fn()
        except Exception:
            logger.exception("After-commit step failed: %s", what)

    transaction.on_commit(run, robust=True)


def task_path(task) -> str:
    func = getattr(task, "func", task)
    return f"{func.__module__}.{func.__name__}"


def _resolve_task(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def enqueue(
    task,
    *,
    args: Iterable = (),
    kwargs: dict | None = None,
    eta: dt.datetime | None = None,
    delay: float | None = None,
    id: str | None = None,
) -> bool:
    """Hand a Huey task to the queue; returns False when the queue refused it and the outbox keeps it."""
    args, kwargs = list(args), dict(kwargs or {})
    try:
        if eta is not None or delay is not None or id is not None:
            task.schedule(args=tuple(args), kwargs=kwargs, eta=eta, delay=delay, id=id)
        else:
            task(*args, **kwargs)
        return True
    except Exception as exc:
        logger.exception("Queue refused %s; kept in the outbox", task_path(task))
        due = eta or timezone.now() + dt.timedelta(seconds=delay or 0)
        OutboxMessage.objects.create(
            kind=OutboxKind.TASK,
            name=task_path(task),
            payload={"args": args, "kwargs": kwargs},
            key=id or "",
            due_at=due,
            last_error=repr(exc)[:2000],
        )
        return False


def enqueue_after_commit(task, **options) -> None:
    """``enqueue`` once the current transaction has committed (tasks must not see uncommitted rows)."""
    after_commit(lambda: enqueue(task, **options), what=task_path(task))


def _encode(content) -> str:
    return base64.b64encode(content.encode() if isinstance(content, str) else bytes(content)).decode()


def mail_queue(
    *,
    name: str,
    subject: str,
    body: str,
    html: str | None,
    recipients: list[str],
    attachments: Iterable = (),
) -> OutboxMessage:
    """Keep an e-mail in the outbox (inside the caller's transaction) and send it after commit."""
    message = OutboxMessage.objects.create(
        kind=OutboxKind.MAIL,
        name=name,
        payload={
            "subject": subject,
            "body": body,
            "html": html,
            "to": recipients,
            "attachments": [{"filename": f, "content": _encode(c), "mimetype": m} for f, c, m in attachments],
        },
    )
    _hand_over_after_commit(message.pk, name)
    return message


def mail_queue_rendered_later(
    *, name: str, render: Callable, args: list, recipients: list[str], hand_over: bool = True
) -> OutboxMessage:
    """Keep an e-mail in the outbox (inside the caller's transaction) and render it when it is delivered.

    For a message whose rendering (templates, a calendar file) costs more than the rest of the request:
    ``render(*args)`` runs in the worker and returns ``(subject, body, html, attachments)``, or None when
    there is nothing to send any more. ``args`` must be JSON and carry what the message says as of now
    (a snapshot), not what the records say when the worker gets to it."""
    func = getattr(render, "func", render)
    message = OutboxMessage(
        kind=OutboxKind.MAIL,
        name=name,
        payload={"render": f"{func.__module__}.{func.__qualname__}", "args": args, "to": recipients},
    )
    insert_new(message)  # on every booking: one prepared INSERT on PostgreSQL
    if hand_over:  # else the caller's own task hands it over (the periodic drain sends it in any case)
        _hand_over_after_commit(message.pk, name)
    return message


def _hand_over_after_commit(message_id: int, name: str) -> None:
    def hand_over() -> None:
        from .tasks import deliver_outbox_message

        try:
            deliver_outbox_message(message_id)
        except Exception:
            # The row stays pending: the periodic drain sends it.
            logger.exception("Queue refused e-mail %s; the outbox drain will send it", message_id)

    after_commit(hand_over, what=f"e-mail {name}")


def _rendered(payload: dict) -> dict | None:
    """The payload with subject, body, html and attachments, rendering a deferred message now."""
    if "render" not in payload:
        return payload
    made = _resolve_task(payload["render"])(*payload.get("args", []))
    if made is None:
        return None
    subject, body, html, attachments = made
    return {
        "subject": subject,
        "body": body,
        "html": html,
        "to": payload["to"],
        "attachments": [{"filename": f, "content": _encode(c), "mimetype": m} for f, c, m in attachments],
    }


def _send_mail(payload: dict) -> None:
    payload = _rendered(payload)
    if payload is None:
        return
    message = EmailMultiAlternatives(
        payload["subject"], payload["body"], settings.DEFAULT_FROM_EMAIL, payload["to"]
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    for item in payload.get("attachments", []):
        message.attach(_part(item["filename"], base64.b64decode(item["content"]), item["mimetype"]))
    message.send()


def outbox_deliver(message_id: int, *, now: dt.datetime | None = None) -> bool:
    """Deliver one pending message. Returns False when another worker has it or it is done already;
    raises (after putting it back to pending, due later) when the mail server or the task fails."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        if message.kind == OutboxKind.MAIL:
            _send_mail(message.payload)
        else:
            task = _resolve_task(message.name)
            task.call_local(*message.payload.get("args", []), **message.payload.get("kwargs", {}))
    except Exception as exc:
        wait = min(RETRY_AFTER * message.attempts, dt.timedelta(hours=1))
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.PENDING, due_at=now + wait, last_error=repr(exc)[:2000]
        )
        logger.warning("Outbox message %s (%s) failed: %r", message_id, message.name, exc)
        raise
    OutboxMessage.objects.filter(pk=message_id).update(status=OutboxStatus.DONE, done_at=timezone.now())
    return True


def drain_outbox(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Deliver every pending message that is due; returns how many went out."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    delivered = 0
    for message_id in due:
        try:
            delivered += outbox_deliver(message_id, now=now)
        except Exception:  # noqa: S112 - logged by outbox_deliver; due again later
            continue
    return delivered


def _part(filename: str, content: bytes, mimetype: str) -> MIMEBase:
    """One attachment as a MIME part; parameters in the type (``text/calendar; method=REQUEST``) are kept,
    which a plain ``attach(filename, content, mimetype)`` would drop (calendar clients read ``method``)."""
    base, *params = (piece.strip() for piece in mimetype.split(";"))
    maintype, subtype = base.split("/", 1)
    if maintype == "text":
        part: MIMEBase = MIMEText(content.decode(), subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for param in params:
        key, _sep, value = param.partition("=")
        part.set_param(key.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
