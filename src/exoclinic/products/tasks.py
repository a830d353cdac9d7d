"""Background jobs of the products app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="5"))
def expire_lots() -> int:
    """Hourly: lots past their expiry date (in their clinic's zone) become EXPIRED."""
    from django.utils import timezone

    from .services import lots_expire

    return lots_expire(on=timezone.now())
