"""Booking pages: the emergency gate, the patient's flow, the portal list, the staff calendar."""

import re

import pytest

from exoclinic.accounts.models import Role
from exoclinic.scheduling import services
from exoclinic.scheduling.models import Appointment, AppointmentStatus
from tests.factories import PatientFactory, StaffFactory, UserFactory

from .conftest import NOW, at


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def test_book_starts_with_the_emergency_question_and_yes_shows_the_numbers_not_a_form(client, madrid):
    page = client.get("/book/")
    assert page.status_code == 200
    assert "is this urgent?" in page.content.decode()
    assert "stiff neck" in page.content.decode()
    urgent = client.post("/book/", {"urgent": "yes"}).content.decode()
    assert "Get help now" in urgent
    assert 'href="tel:112"' in urgent
    assert "Choose a time" not in urgent and 'name="urgent"' not in urgent
    assert client.post("/book/", {"urgent": "no"})["Location"] == "/book/types/"


def test_patient_holds_a_slot_answers_the_questions_and_the_booking_is_confirmed(
    client, madrid, physician, consultation, booker, mailoutbox, django_capture_on_commit_callbacks
):
    patient, user = booker
    client.force_login(user)
    types = client.get("/book/types/").content.decode()
    assert "Find a time for Consultation in person" in types
    page = client.get(f"/book/types/{consultation.pk}/?week=2027-03-02").content.decode()
    assert "Europe/Madrid" in page
    assert "2027-03-02 10:00-11:00 CET (UTC+01:00)" in page  # the label names the zone and offset
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    form = {"start": "2027-03-02T09:00:00+00:00", "practitioner": physician.pk, "idempotency_key": key}
    held = client.post(f"/book/types/{consultation.pk}/hold/", form)
    again = client.post(f"/book/types/{consultation.pk}/hold/", form)  # a double click
    assert held["Location"] == again["Location"]
    assert Appointment.objects.count() == 1
    hold_page = client.get(held["Location"]).content.decode()
    assert "We are holding this time for you for 10 more minutes." in hold_page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            held["Location"], {"action": "confirm", "mobility_needs": "Hoist", "caregiver_attending": "on"}
        )
    appointment = Appointment.objects.get()
    assert done["Location"] == f"/portal/appointments/{appointment.pk}/"
    assert appointment.status == AppointmentStatus.CONFIRMED and appointment.mobility_needs == "Hoist"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [patient.email]
    detail = client.get(done["Location"]).content.decode()
    assert "Tuesday 2 March 2027, 10:00" in detail


def test_a_slot_taken_meanwhile_shows_the_message_and_other_times(
    client, madrid, physician, consultation, booker
):
    patient, user = booker
    rival = PatientFactory(clinic=madrid)
    services.appointment_book(
        actor=StaffFactory(role=Role.COORDINATOR, clinic=madrid),
        patient=rival,
        appointment_type=consultation,
        start=at("2027-03-02", "10:00"),
        now=NOW,
    )
    client.force_login(user)
    response = client.post(
        f"/book/types/{consultation.pk}/hold/?week=2027-03-02",
        {"start": "2027-03-02T09:00:00+00:00", "practitioner": physician.pk},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "That time was just taken." in body and "2027-03-02 11:00-12:00 CET" in body


def test_patient_cancels_and_reschedules_from_the_portal(client, madrid, physician, consultation, booker):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-03", "10:00"), now=NOW
    )
    client.force_login(user)
    listing = client.get("/portal/appointments/").content.decode()
    assert "Consultation in person" in listing and "Wednesday 3 March 2027, 10:00" in listing
    moved = client.post(
        f"/portal/appointments/{appointment.pk}/reschedule/", {"start": "2027-03-03T11:00:00+01:00"}
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == at("2027-03-03", "11:00") and appointment.sequence == 1
    client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": "Travelling"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancel_reason == "Travelling"


def test_calendar_file_has_a_stable_uid_and_the_current_sequence(
    client, madrid, physician, consultation, booker
):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-03", "10:00"), now=NOW
    )
    services.appointment_reschedule(
        actor=user, appointment=appointment, start=at("2027-03-03", "11:00"), now=NOW
    )
    client.force_login(user)
    response = client.get(f"/portal/appointments/{appointment.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:{appointment.uid}@exoclinic" in body
    assert "SEQUENCE:1" in body
    assert "DTSTART;TZID=Europe/Madrid:20270303T110000" in body
    assert "BEGIN:VTIMEZONE" in body


def test_another_patients_appointment_page_is_404(client, madrid, physician, consultation, booker):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-03", "10:00"), now=NOW
    )
    stranger = UserFactory()
    PatientFactory(clinic=madrid, user=stranger)
    client.force_login(stranger)
    assert client.get(f"/portal/appointments/{appointment.pk}/").status_code == 404
    assert client.post(f"/portal/appointments/{appointment.pk}/cancel/").status_code == 404
    assert client.get(f"/portal/appointments/{appointment.pk}/calendar.ics").status_code == 404


def test_staff_calendar_shows_the_day_by_practitioner_and_checks_in(
    client, madrid, physician, consultation, booker
):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-01", "15:00"), now=NOW
    )
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    client.force_login(coordinator)
    page = client.get("/staff/calendar/?date=2027-03-01").content.decode()
    assert "Dr. Ada Alba" in page and patient.full_name in page and "15:00–16:00" in page
    week = client.get("/staff/calendar/?date=2027-03-03&view=week").content.decode()
    assert "Monday 1 March 2027" in week and "Sunday 7 March 2027" in week
    client.post(f"/staff/appointments/{appointment.pk}/check-in/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN


def test_staff_move_an_appointment_to_another_slot(client, madrid, physician, consultation, booker):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=NOW
    )
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    client.force_login(coordinator)
    page = client.get(f"/staff/appointments/{appointment.pk}/reschedule/?week=2027-03-02").content.decode()
    assert "Choose a new time" in page
    client.post(f"/staff/appointments/{appointment.pk}/reschedule/", {"start": "2027-03-02T15:00:00+01:00"})
    appointment.refresh_from_db()
    assert appointment.start == at("2027-03-02", "15:00")


def test_patients_and_other_clinics_staff_cannot_open_the_calendar_or_act(
    client, madrid, physician, consultation, booker
):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=NOW
    )
    client.force_login(user)
    assert client.get("/staff/calendar/").status_code == 404
    client.force_login(StaffFactory(role=Role.COORDINATOR))
    assert client.post(f"/staff/appointments/{appointment.pk}/check-in/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


def test_a_user_without_a_patient_record_is_told_to_apply(client, db):
    client.force_login(UserFactory())
    page = client.get("/book/types/").content.decode()
    assert "Apply for treatment" in page


def test_staff_book_for_a_patient_found_by_record_number(client, madrid, physician, consultation, booker):
    patient, user = booker
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    client.force_login(coordinator)
    missing = client.get("/staff/appointments/new/?record=NOPE").content.decode()
    assert "No patient of this clinic has that record number." in missing
    found = client.get(f"/staff/appointments/new/?record={patient.record_number}").content.decode()
    assert "Find a time for Consultation in person" in found
    slots = client.get(
        f"/staff/appointments/new/?record={patient.record_number}&type={consultation.pk}&week=2027-03-02"
    ).content.decode()
    assert "Booking for" in slots and "2027-03-02 10:00-11:00 CET" in slots
    response = client.post(
        f"/staff/appointments/new/?record={patient.record_number}&type={consultation.pk}",
        {"start": "2027-03-02T09:00:00+00:00", "practitioner": physician.pk},
    )
    assert response.status_code == 302 and "/staff/calendar/?date=2027-03-02" in response["Location"]
    booked = Appointment.objects.get()
    assert booked.patient == patient and booked.booked_by == coordinator
    assert booked.status == AppointmentStatus.CONFIRMED


def test_a_clinic_on_utc_gets_a_calendar_file_without_a_vtimezone():
    from icalendar import Calendar

    from exoclinic.scheduling.ics import _vtimezone

    assert _vtimezone("UTC") == b""
    madrid = _vtimezone("Europe/Madrid").decode()
    assert "TZID:Europe/Madrid" in madrid
    Calendar.from_ical("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + madrid + "END:VCALENDAR\r\n")
