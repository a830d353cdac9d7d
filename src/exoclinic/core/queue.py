"""The Huey classes the settings name, and how late the queue is.

Every task is stamped with the time it became due (its ``eta``) when it is queued: Huey gives a scheduled
task one, but a task queued to run now has none, so nothing could tell how long it has been waiting when no
worker runs. A task due now is still run at once (its ``eta`` is not in the future).

Imported by ``huey.contrib.djhuey`` while Django loads its apps: no Django models here.
"""

from __future__ import annotations

import datetime as dt

import huey

PENDING_SCAN = 1000  # queued tasks looked at per check; a stopped worker shows long before that


class _StampDue:
    def enqueue(self, task):
        if task.eta is None:
            task.eta = self._get_timestamp()
        return super().enqueue(task)


class SqliteHuey(_StampDue, huey.SqliteHuey):
    """Huey on a SQLite file (the default: ``var/huey.sqlite3``)."""


class RedisHuey(_StampDue, huey.RedisHuey):
    """Huey on Redis (``HUEY_REDIS_URL``)."""


def oldest_due_delay(queue: huey.Huey, *, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long the oldest task that is due has waited, queued or scheduled; None when none is due.

    ``now`` is in the queue's clock (naive UTC for a ``utc=True`` Huey).
    """
    now = now or queue._get_timestamp()
    oldest = None
    items = [
        *queue.storage.scheduled_items(limit=50),  # ordered by eta in SQLite and Redis
        *queue.storage.enqueued_items(limit=PENDING_SCAN),
    ]
    for data in items:
        try:
            eta = queue.deserialize_task(data).eta
        except Exception:  # noqa: S112  a task of an older release: its age is unknown
            continue
        if eta is not None and eta <= now and (oldest is None or eta < oldest):
            oldest = eta
    return None if oldest is None else now - oldest
