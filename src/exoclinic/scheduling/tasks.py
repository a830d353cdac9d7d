"""Background jobs: reminders keyed by (appointment, offset), expiring holds, and a reminder safety net."""

from __future__ import annotations

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def send_appointment_reminder(appointment_id: int, offset_minutes: int, start_iso: str) -> bool:
    from .services.notifications import reminder_send

    return reminder_send(
        appointment_id=appointment_id, offset_minutes=offset_minutes, start=datetime.fromisoformat(start_iso)
    )


@db_task()
def after_booking(appointment_id: int, sequence: int, message_id: int | None) -> None:
    from .services.notifications import booking_followup

    booking_followup(appointment_id, sequence, message_id)


@db_periodic_task(crontab(minute="*"))
def expire_holds() -> int:
    from .services.booking import holds_expire

    return holds_expire()


@db_periodic_task(crontab(minute="*/5"))
def send_due_reminders() -> int:
    from .services.notifications import reminders_due

    return reminders_due()
