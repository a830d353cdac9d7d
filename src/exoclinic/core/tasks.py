"""Delivery of the outbox: each e-mail as its own retried task, and a per-minute drain for what is left."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def deliver_outbox_message(message_id: int) -> bool:
    from .outbox import outbox_deliver

    return outbox_deliver(message_id)


@db_periodic_task(crontab(minute="*"))
def drain_outbox_every_minute() -> int:
    from .outbox import drain_outbox

    return drain_outbox()
