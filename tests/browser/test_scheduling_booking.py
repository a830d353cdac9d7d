"""A patient books, reschedules and cancels a visit on a phone-sized screen."""

import pytest
from huey.contrib.djhuey import HUEY
from playwright.sync_api import expect

from exoclinic.scheduling.models import Appointment, AppointmentStatus
from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.scheduling.factories import AppointmentTypeFactory, practitioner

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _huey_in_memory():
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_patient_books_reschedules_and_cancels_on_a_phone(page, login, transactional_db, mailoutbox):
    clinic = ClinicFactory(time_zone="Europe/Madrid")
    practitioner(clinic, title="Physician", hours=((0, 7), "09:00", "13:00"), full_name="Dr. Ada Alba")
    AppointmentTypeFactory(clinic=clinic, name="Consultation in person", min_notice_hours=48, horizon_days=60)
    user = UserFactory(email="rosa@example.org")
    PatientFactory(clinic=clinic, user=user, first_name="Rosa", email="rosa@example.org")
    login(page, "rosa@example.org")

    page.goto("/book/")
    expect(page.get_by_text("Before you book: is this urgent?")).to_be_visible()
    page.get_by_role("button", name="No, none of these").click()
    page.get_by_role("link", name="Find a time for Consultation in person").click()
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    assert _no_horizontal_scroll(page)
    first_slot = page.locator(".slot-list button").first
    chosen_label = first_slot.get_attribute("aria-label")
    first_slot.click()

    expect(page.get_by_role("heading", name="Confirm your appointment")).to_be_visible()
    page.get_by_label("Mobility or transfer needs").fill("Manual wheelchair, transfer board")
    page.get_by_label("A caregiver will come with me").check()
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_text("Your appointment is booked.")).to_be_visible()
    assert page.get_by_test_id("appointment-status").inner_text() == "Confirmed"
    booked_time = page.get_by_test_id("appointment-time").inner_text()
    assert chosen_label.split(" ")[1].split("-")[0] in booked_time  # the hour chosen is the hour booked
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    assert _no_horizontal_scroll(page)

    page.get_by_role("link", name="Change the time").click()
    expect(page.get_by_role("heading", name="Choose a new time")).to_be_visible()
    page.locator(".slot-list button").nth(1).click()
    expect(page.get_by_text("Your appointment is moved.")).to_be_visible()
    moved_time = page.get_by_test_id("appointment-time").inner_text()
    assert moved_time != booked_time

    page.get_by_label("Reason (optional)").fill("Travelling that week")
    page.get_by_role("button", name="Cancel appointment").click()
    expect(page.get_by_text("Your appointment is cancelled.")).to_be_visible()
    assert page.get_by_test_id("appointment-status").inner_text() == "Cancelled"

    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.sequence == 2
    assert (
        appointment.mobility_needs == "Manual wheelchair, transfer board" and appointment.caregiver_attending
    )
    subjects = [m.subject.split(":")[0] for m in mailoutbox]
    assert subjects == ["Appointment confirmed", "Appointment changed", "Appointment cancelled"]
    assert all(m.attachments[0].get_content_type() == "text/calendar" for m in mailoutbox)


def test_patient_takes_a_place_in_a_group_session_on_a_phone(page, login, transactional_db):
    from django.utils import timezone

    from exoclinic.scheduling import services
    from exoclinic.scheduling.availability import next_free_slots
    from tests.scheduling.factories import RoomFactory, add_hours

    clinic = ClinicFactory(time_zone="Europe/Madrid")
    practitioner(clinic, title="Physiotherapist", hours=((0, 7), "09:00", "13:00"), full_name="Pau Pons")
    gym = RoomFactory(clinic=clinic, kind="gym", name="Gym")
    add_hours(clinic, ((0, 7), "09:00", "13:00"), room=gym)
    group = AppointmentTypeFactory(
        clinic=clinic,
        name="Group physiotherapy",
        kind="physiotherapy",
        practitioner_title="physiotherapist",
        room_kind="gym",
        capacity=3,
        min_notice_hours=48,
        horizon_days=60,
    )
    first = next_free_slots(appointment_type=group, after=timezone.now(), now=timezone.now(), count=1)[0]
    other_user = UserFactory()
    other = PatientFactory(clinic=clinic, user=other_user)
    earlier, _ = services.appointment_book(
        actor=other_user, patient=other, appointment_type=group, start=first.start
    )
    user = UserFactory(email="rosa@example.org")
    PatientFactory(clinic=clinic, user=user, first_name="Rosa", email="rosa@example.org")
    login(page, "rosa@example.org")

    page.goto("/book/types/")
    expect(page.get_by_text("group session, up to 3 patients")).to_be_visible()
    page.get_by_role("link", name="Find a time for Group physiotherapy").click()
    first_slot = page.locator(".slot-list button").first
    expect(first_slot).to_contain_text("2 places left")
    expect(page.locator(".slot-list button").nth(1)).to_contain_text("3 places left")
    assert _no_horizontal_scroll(page)
    first_slot.click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_text("Your appointment is booked.")).to_be_visible()
    expect(page.get_by_text("A group session of up to 3 patients")).to_be_visible()
    expect(page.get_by_text(other.full_name)).to_have_count(0)  # the other patients stay private
    mine = Appointment.objects.get(patient__user=user)
    assert (mine.session_key, mine.seat) == (earlier.session_key, 2)
