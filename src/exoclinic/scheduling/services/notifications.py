"""What a booking change sends: the e-mail with the calendar file, and the reminders rebuilt or dropped.

Called inside the service's transaction; e-mails leave and tasks are queued only after it commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from exoclinic.core.audit import audit_record
from exoclinic.core.notify import render_email, send_templated_email
from exoclinic.core.outbox import after_commit, enqueue, mail_queue_rendered_later

from .. import conf
from ..ics import appointment_ics, ics_filename, ics_method
from ..models import UPCOMING_STATUSES, Appointment, ReminderDelivery

REMINDABLE = UPCOMING_STATUSES


def recipient(appointment: Appointment) -> str:
    patient = appointment.patient
    return patient.email or (patient.user.email if patient.user_id else "")


def _context(appointment: Appointment) -> dict:
    tz = appointment.patient.tz
    return {
        "appointment": appointment,
        "patient": appointment.patient,
        "clinic": appointment.clinic,
        "local_start": appointment.start.astimezone(tz),
        "local_end": appointment.end.astimezone(tz),
        "zone": str(tz),
        "local_hold_until": appointment.hold_expires_at.astimezone(tz)
        if appointment.hold_expires_at
        else None,
    }


# What a booking mail says that can change after it is queued: it is rendered by the worker (the templates
# and the calendar file cost more than the rest of the booking), from these values as they were.
_SNAPSHOT = ("status", "sequence", "practitioner_id", "room_id", "seat", "video_link")
_SNAPSHOT_TIMES = ("start", "end", "hold_expires_at")


def _mail(appointment: Appointment, name: str, *, hand_over: bool = True):
    """The booking mail ``name`` kept in the outbox, to be rendered by the worker; None without an address.
    ``hand_over=False``: the caller hands it to its delivery task (see ``on_booked``)."""
    to = recipient(appointment)
    if not to:
        return None
    snapshot = {field: getattr(appointment, field) for field in _SNAPSHOT}
    for field in _SNAPSHOT_TIMES:
        value = getattr(appointment, field)
        snapshot[field] = value.isoformat() if value is not None else None
    snapshot["now"] = timezone.now().isoformat()
    return mail_queue_rendered_later(
        name=f"scheduling/email/{name}",
        render=render_appointment_mail,
        args=[appointment.pk, name, snapshot],
        recipients=[to],
        hand_over=hand_over,
    )


def render_appointment_mail(appointment_id: int, name: str, snapshot: dict):
    """The booking mail ``name`` (booked, changed, cancelled) with its calendar file, as the appointment was
    when it was queued (``snapshot``); None when the appointment is gone. Runs in the outbox delivery."""
    appointment = (
        Appointment.objects.select_related("patient__user", "patient__clinic", "clinic", "appointment_type")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return None
    for field in _SNAPSHOT:
        setattr(appointment, field, snapshot[field])
    for field in _SNAPSHOT_TIMES:
        value = snapshot[field]
        setattr(appointment, field, datetime.fromisoformat(value) if value is not None else None)
    subject, body, html = render_email(
        f"scheduling/email/{name}", _context(appointment), appointment.patient.preferred_language
    )
    ics = appointment_ics(appointment, now=datetime.fromisoformat(snapshot["now"]))
    attachments = [
        (ics_filename(appointment), ics, f"text/calendar; method={ics_method(appointment)}"),
    ]
    return subject, body, html, attachments


def _task_id(appointment: Appointment, offset: int, sequence: int) -> str:
    return f"scheduling-reminder-{appointment.pk}-{offset}-{sequence}"


def _reminders_schedule(appointment: Appointment) -> None:
    from ..tasks import send_appointment_reminder

    now = timezone.now()
    for offset in conf.reminder_offsets():
        eta = appointment.start - timedelta(minutes=offset)
        if eta <= now:
            continue  # booked inside this reminder's window: the confirmation says it all
        enqueue(
            send_appointment_reminder,
            args=(appointment.pk, offset, appointment.start.isoformat()),
            eta=eta,
            id=_task_id(appointment, offset, appointment.sequence),
        )


def _reminders_drop(appointment: Appointment, before_sequence: int) -> None:
    from huey.contrib.djhuey import HUEY

    for sequence in range(max(0, before_sequence - 3), before_sequence):
        for offset in conf.reminder_offsets():
            HUEY.revoke_by_id(_task_id(appointment, offset, sequence), revoke_once=True)


def on_booked(appointment: Appointment) -> None:
    """A new booking: its confirmation (with the calendar file) is written to the outbox now; after the
    commit one task is queued, which hands the e-mail to its delivery and schedules the reminders from the
    worker (``after_booking``). If the queue refuses that task, the outbox keeps it and the drain runs it;
    the e-mail row is sent by the drain in any case, and ``reminders_due`` is the reminders' safety net."""
    from ..tasks import after_booking

    message = _mail(appointment, "booked", hand_over=False)
    args = (appointment.pk, appointment.sequence, message.pk if message is not None else None)
    after_commit(lambda: enqueue(after_booking, args=args), what="booking e-mail and reminders")


def booking_followup(appointment_id: int, sequence: int, message_id: int | None) -> None:
    """In the worker, after a booking committed: the confirmation to its delivery task (retried there),
    and the reminders, unless the booking changed since (a change schedules its own)."""
    from exoclinic.core.tasks import deliver_outbox_message

    if message_id is not None:
        enqueue(deliver_outbox_message, args=(message_id,))
    appointment = Appointment.objects.filter(pk=appointment_id, sequence=sequence).first()
    if appointment is not None and appointment.status in REMINDABLE:
        _reminders_schedule(appointment)


def on_changed(appointment: Appointment) -> None:
    _mail(appointment, "changed")
    sequence = appointment.sequence

    def rebuild() -> None:
        _reminders_drop(appointment, sequence)
        _reminders_schedule(appointment)

    after_commit(rebuild, what="reminders rebuilt")


def on_cancelled(appointment: Appointment) -> None:
    _mail(appointment, "cancelled")
    sequence = appointment.sequence
    after_commit(lambda: _reminders_drop(appointment, sequence), what="reminders dropped")


def reminder_send(
    *, appointment_id: int, offset_minutes: int, start: datetime, now: datetime | None = None
) -> bool:
    """Send one reminder at most once: only for a booking still at ``start``, recorded by a unique row.

    Returns whether a reminder went out. A stale task (moved or cancelled appointment) sends nothing.
    """
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_related("patient__user", "clinic", "appointment_type", "practitioner")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or appointment.status not in REMINDABLE or appointment.start != start:
        return False
    if now >= appointment.start:
        return False
    to = recipient(appointment)
    if not to:
        return False
    try:
        with transaction.atomic():
            delivery = ReminderDelivery.objects.create(
                appointment=appointment,
                offset_minutes=offset_minutes,
                appointment_start=appointment.start,
                sent_at=now,
                recipient=to,
            )
            send_templated_email(
                to=to,
                name="scheduling/email/reminder",
                context={**_context(appointment), "offset_hours": offset_minutes / 60},
                language=appointment.patient.preferred_language,
            )
            audit_record(
                actor=None,
                action="appointment.remind",
                target=appointment,
                detail={"offset_minutes": offset_minutes, "delivery": delivery.pk},
            )
    except IntegrityError:
        return False  # already sent by another worker or an earlier run
    return True


def reminders_due(*, now: datetime | None = None) -> int:
    """Safety net for lost tasks: send every reminder whose time has come and that has not gone out."""
    now = now or timezone.now()
    offsets = conf.reminder_offsets()
    if not offsets:
        return 0
    upcoming = Appointment.objects.filter(
        status__in=REMINDABLE, start__gt=now, start__lte=now + timedelta(minutes=max(offsets))
    ).values_list("pk", "start", "created_at")
    sent = 0
    for pk, start, created_at in upcoming:
        for offset in offsets:
            due = start - timedelta(minutes=offset)
            # Only reminders that fell due after the booking was made, and not more than an hour ago.
            if created_at < due <= now and now - due < timedelta(hours=1):
                sent += reminder_send(appointment_id=pk, offset_minutes=offset, start=start, now=now)
    return sent
