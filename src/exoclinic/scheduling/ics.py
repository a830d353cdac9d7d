"""The calendar file of an appointment (RFC 5545, icalendar): stable UID, SEQUENCE, local time with TZID."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, vText

from .models import Appointment, AppointmentStatus


def appointment_ics(appointment: Appointment, *, now: datetime | None = None) -> bytes:
    """A calendar file for the appointment: METHOD:CANCEL once it is cancelled, else METHOD:REQUEST.

    The UID never changes, so a calendar updates the event it already has; SEQUENCE grows on each change.
    Times are in the clinic's zone (DTSTART;TZID=...) with the VTIMEZONE included.
    """
    clinic = appointment.clinic
    tz = clinic.tz
    cancelled = appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED)
    cal = Calendar()
    cal.add("prodid", "-//exoclinic//booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{appointment.uid}@exoclinic")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(tz))
    event.add("dtend", appointment.end.astimezone(tz))
    event.add("summary", f"{appointment.appointment_type.name} · {clinic.name}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if appointment.appointment_type.is_remote and appointment.video_link:
        event.add("location", appointment.video_link)
        event.add("url", appointment.video_link)
    else:
        event["location"] = vText(clinic.address.replace("\n", ", "))
    lines = [f"{appointment.appointment_type.name} with {appointment.practitioner.get_full_name()}."]
    lines.append(f"Clinic phone: {clinic.phone}" if clinic.phone else "")
    lines.append(f"Emergency: {clinic.emergency_services_number} or {clinic.emergency_phone}")
    lines.append(f"{settings.SITE_URL}/portal/appointments/{appointment.pk}/")
    event.add("description", "\n".join(line for line in lines if line))
    cal.add_component(event)
    # The VTIMEZONE is the calendar's last component: its lines go just before the calendar's END line.
    text = cal.to_ical()
    assert text.endswith(_CALENDAR_END)
    return text[: -len(_CALENDAR_END)] + _vtimezone(clinic.time_zone) + _CALENDAR_END


_CALENDAR_END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=64)
def _vtimezone(zone: str) -> bytes:
    """The VTIMEZONE of a zone as calendar lines, built once per process (building it walks decades of
    transitions, and writing it out is most of the file)."""
    cal = Calendar()
    event = Event()
    event.add("dtstart", datetime(2026, 1, 1, tzinfo=ZoneInfo(zone)))
    cal.add_component(event)
    cal.add_missing_timezones()
    if not cal.timezones:  # UTC: times are written with a Z and need no VTIMEZONE
        return b""
    timezone: Timezone = cal.timezones[0]
    return timezone.to_ical()


def ics_filename(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}.ics"
