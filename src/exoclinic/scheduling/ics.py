"""The calendar file of an appointment (RFC 5545, icalendar): stable UID, SEQUENCE, local time with TZID.

It is an iTIP message (RFC 5546): METHOD REQUEST or CANCEL with the ORGANIZER (the clinic) and the ATTENDEE
(the patient), so a calendar client updates or removes the event it already has.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .models import Appointment, AppointmentStatus


def ics_method(appointment: Appointment) -> str:
    """The iTIP method of the appointment's calendar file (also the ``method`` of the e-mail's MIME part)."""
    cancelled = appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED)
    return "CANCEL" if cancelled else "REQUEST"


def _organizer(appointment: Appointment) -> vCalAddress:
    clinic = appointment.clinic
    address = clinic.email or settings.DEFAULT_FROM_EMAIL
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(clinic.name)
    return organizer


def _attendee(appointment: Appointment, *, cancelled: bool) -> vCalAddress:
    patient = appointment.patient
    address = patient.email or (patient.user.email if patient.user_id else "")
    # A patient without an e-mail address still needs an ATTENDEE: a stable, non-deliverable address.
    attendee = vCalAddress(f"mailto:{address}" if address else f"urn:exoclinic:patient:{patient.pk}")
    attendee.params["cn"] = vText(patient.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["cutype"] = vText("INDIVIDUAL")
    if cancelled:
        attendee.params["partstat"] = vText("DECLINED")
    elif appointment.status == AppointmentStatus.CONFIRMED:
        attendee.params["partstat"] = vText("ACCEPTED")
    else:
        attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def _description(appointment: Appointment) -> str:
    """What the event says, in the patient's language, with the time in the patient's own zone."""
    clinic = appointment.clinic
    patient = appointment.patient
    tz = patient.tz
    with translation.override(patient.preferred_language or settings.LANGUAGE_CODE):
        local = appointment.start.astimezone(tz)
        lines = [
            _("%(type)s with %(practitioner)s.")
            % {
                "type": appointment.appointment_type.name,
                "practitioner": appointment.practitioner.get_full_name(),
            },
            _("Your time: %(date)s %(time)s (%(zone)s).")
            % {"date": local.date().isoformat(), "time": local.strftime("%H:%M"), "zone": str(tz)},
        ]
        if clinic.phone:
            lines.append(_("Clinic phone: %(phone)s") % {"phone": clinic.phone})
        lines.append(
            _("Emergency: %(number)s or %(phone)s")
            % {"number": clinic.emergency_services_number, "phone": clinic.emergency_phone}
        )
        lines.append(f"{settings.SITE_URL}/portal/appointments/{appointment.pk}/")
    return "\n".join(line for line in lines if line)


def appointment_ics(appointment: Appointment, *, now: datetime | None = None) -> bytes:
    """A calendar file for the appointment: METHOD:CANCEL once it is cancelled, else METHOD:REQUEST.

    The UID never changes, so a calendar updates the event it already has; SEQUENCE grows on each change.
    Times are in the clinic's zone (DTSTART;TZID=...) with the VTIMEZONE included.
    """
    clinic = appointment.clinic
    tz = clinic.tz
    method = ics_method(appointment)
    cancelled = method == "CANCEL"
    cal = Calendar()
    cal.add("prodid", "-//exoclinic//booking//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", f"{appointment.uid}@exoclinic")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(tz))
    event.add("dtend", appointment.end.astimezone(tz))
    event.add("summary", f"{appointment.appointment_type.name} · {clinic.name}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer(appointment))
    event.add("attendee", _attendee(appointment, cancelled=cancelled))
    if appointment.appointment_type.is_remote and appointment.video_link:
        event.add("location", appointment.video_link)
        event.add("url", appointment.video_link)
    else:
        event["location"] = vText(clinic.address.replace("\n", ", "))
    event.add("description", _description(appointment))
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
