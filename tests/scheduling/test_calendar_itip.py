"""Calendar invitations a calendar client acts on: RFC 5546 REQUEST and CANCEL, parsed by icalendar."""

import email

import pytest
from icalendar import Calendar

from exoclinic.scheduling import services
from tests.factories import PatientFactory, UserFactory

from .conftest import NOW, at

# RFC 5546 section 3.2.2 (REQUEST) and 3.2.5 (CANCEL): properties a VEVENT must carry for the method.
REQUIRED = {
    "REQUEST": {"ATTENDEE", "DTSTAMP", "DTSTART", "ORGANIZER", "SEQUENCE", "SUMMARY", "UID"},
    "CANCEL": {"ATTENDEE", "DTSTAMP", "ORGANIZER", "SEQUENCE", "UID"},
}


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _calendar_parts(message):
    """(the MIME method parameter, the parsed calendar) of each calendar attachment of a sent e-mail."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    found = []
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            found.append((part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))))
    return found


def _event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_booking_reschedule_and_cancel_mails_carry_organizer_attendee_and_the_method(
    madrid, physician, consultation, booker, mailoutbox, django_capture_on_commit_callbacks
):
    patient, user = booker
    madrid.email = "desk@alder.example"
    madrid.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment, _ = services.appointment_book(
            actor=user,
            patient=patient,
            appointment_type=consultation,
            start=at("2027-03-03", "10:00"),
            now=NOW,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(
            actor=user, appointment=appointment, start=at("2027-03-03", "11:00"), now=NOW
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(actor=user, appointment=appointment, reason="Travelling", now=NOW)

    methods = []
    uids = set()
    for message in mailoutbox:
        for mime_method, calendar in _calendar_parts(message):
            method = str(calendar["METHOD"])
            assert mime_method == method, "the MIME part's method must match the calendar's METHOD"
            event = _event(calendar)
            assert REQUIRED[method] <= set(event.keys()), f"{method} lacks {REQUIRED[method] - set(event)}"
            assert str(event["ORGANIZER"]) == "mailto:desk@alder.example"
            assert event["ORGANIZER"].params["CN"] == madrid.name
            attendee = event["ATTENDEE"]
            assert str(attendee) == f"mailto:{message.to[0]}" == f"mailto:{patient.email}"
            assert attendee.params["CN"] == patient.full_name
            assert attendee.params["PARTSTAT"] in {"ACCEPTED", "NEEDS-ACTION", "DECLINED"}
            uids.add(str(event["UID"]))
            methods.append((method, int(event["SEQUENCE"]), attendee.params["PARTSTAT"]))
    assert [m for m, _, _ in methods] == ["REQUEST", "REQUEST", "CANCEL"]
    sequences = [s for _, s, _ in methods]
    assert sequences == sorted(sequences) and sequences[1] > sequences[0]
    assert methods[-1][2] == "DECLINED"
    assert uids == {f"{appointment.uid}@exoclinic"}, "one event, updated in place"


def test_the_calendar_description_is_in_the_patients_language_and_time_zone(
    client, madrid, physician, consultation
):
    user = UserFactory()
    patient = PatientFactory(clinic=madrid, user=user, preferred_language="es", time_zone="America/Bogota")
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-03", "10:00"), now=NOW
    )
    client.force_login(user)
    body = client.get(f"/portal/appointments/{appointment.pk}/calendar.ics").content
    description = str(_event(Calendar.from_ical(body))["DESCRIPTION"])
    # 10:00 in Madrid is 04:00 in Bogotá (UTC-5) on 3 March 2027.
    assert "04:00 (America/Bogota)" in description
    assert "Emergencia" in description and "Emergency" not in description
