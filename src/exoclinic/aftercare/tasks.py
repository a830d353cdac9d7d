"""Background jobs: check-in reminders."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def send_check_in_reminders() -> int:
    from django.utils import timezone

    from .services import check_in_send_reminders

    return check_in_send_reminders(now=timezone.now())
