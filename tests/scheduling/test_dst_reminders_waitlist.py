"""Daylight saving through the slot search; reminders sent exactly once; waitlist offers on a freed slot."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import Conflict
from exoclinic.scheduling import selectors, services
from exoclinic.scheduling.models import (
    Appointment,
    AppointmentStatus,
    ReminderDelivery,
    WaitlistEntry,
    WaitlistStatus,
)
from exoclinic.scheduling.slots import Slot, in_zone
from tests.factories import PatientFactory, StaffFactory, UserFactory

from .conftest import NOW, at
from .factories import practitioner

MADRID = ZoneInfo("Europe/Madrid")
# 2027 in Madrid: spring forward Sunday 28 March 02:00 CET -> 03:00 CEST; fall back 31 October 03:00 -> 02:00.
SPRING = dt.date(2027, 3, 28)
AUTUMN = dt.date(2027, 10, 31)


def _labels(slots, tz=MADRID):
    return [
        local.label
        for local in in_zone([Slot(s.start, s.end, s.blocked_start, s.blocked_end) for s in slots], tz)
    ]


@pytest.fixture
def night_doctor(madrid):
    """Sunday hours 01:00-04:00 local: the block that contains both clock changes."""
    return practitioner(madrid, title="Physician", hours=((6, 7), "01:00", "04:00"))


def test_spring_gap_night_has_two_real_hours_and_skips_the_missing_hour(
    madrid, night_doctor, consultation, booker
):
    patient, user = booker
    slots = selectors.slots_search(user=user, type_id=consultation.pk, start=SPRING, end=SPRING, now=NOW)
    assert [s.start for s in slots] == [
        dt.datetime(2027, 3, 28, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 28, 1, tzinfo=dt.UTC),
    ]
    assert _labels(slots) == [
        "2027-03-28 01:00 CET (UTC+01:00) - 03:00 CEST (UTC+02:00)",
        "2027-03-28 03:00-04:00 CEST (UTC+02:00)",
    ]


def test_autumn_repeated_hour_gives_four_real_hours_and_both_two_oclocks(
    madrid, night_doctor, consultation, booker
):
    patient, user = booker
    now = dt.datetime(2027, 10, 1, 8, tzinfo=dt.UTC)
    slots = selectors.slots_search(user=user, type_id=consultation.pk, start=AUTUMN, end=AUTUMN, now=now)
    assert len(slots) == 4
    assert [label.split(" ", 1)[1] for label in _labels(slots)] == [
        "01:00-02:00 CEST (UTC+02:00)",
        "02:00 CEST (UTC+02:00) - 02:00 CET (UTC+01:00)",
        "02:00-03:00 CET (UTC+01:00)",
        "03:00-04:00 CET (UTC+01:00)",
    ]


def test_booking_the_second_two_oclock_of_the_autumn_night_leaves_the_first_free(
    madrid, night_doctor, consultation, booker
):
    patient, user = booker
    now = dt.datetime(2027, 10, 1, 8, tzinfo=dt.UTC)
    second_two = dt.datetime(2027, 10, 31, 1, tzinfo=dt.UTC)  # 02:00 CET
    services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=second_two, now=now
    )
    other = UserFactory()
    PatientFactory(clinic=madrid, user=other)
    left = selectors.slots_search(user=other, type_id=consultation.pk, start=AUTUMN, end=AUTUMN, now=now)
    assert dt.datetime(2027, 10, 31, 0, tzinfo=dt.UTC) in [s.start for s in left]  # 02:00 CEST
    assert second_two not in [s.start for s in left]


def test_slots_show_in_the_patients_own_zone(madrid, physician, consultation, booker):
    patient, user = booker
    patient.time_zone = "America/New_York"
    patient.save()
    slots = selectors.slots_search(
        user=user, type_id=consultation.pk, start=dt.date(2027, 3, 2), end=dt.date(2027, 3, 2), now=NOW
    )
    assert _labels(slots, patient.tz)[0] == "2027-03-02 03:00-04:00 EST (UTC-05:00)"


# --- reminders ----------------------------------------------------------------------------------------


def _book(patient, user, consultation, when="2027-03-03"):
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at(when, "10:00"), now=NOW
    )
    return appointment


def test_a_reminder_is_sent_once_even_if_its_task_runs_twice(
    madrid, physician, consultation, booker, mailoutbox, django_capture_on_commit_callbacks
):
    patient, user = booker
    appointment = _book(patient, user, consultation)
    due = appointment.start - dt.timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminder_send(
            appointment_id=appointment.pk, offset_minutes=1440, start=appointment.start, now=due
        )
        second = services.reminder_send(
            appointment_id=appointment.pk, offset_minutes=1440, start=appointment.start, now=due
        )
    assert (first, second) == (True, False)
    assert ReminderDelivery.objects.filter(appointment=appointment).count() == 1
    reminders = [m for m in mailoutbox if m.subject.startswith("Reminder")]
    assert len(reminders) == 1 and "Wednesday 3 March 2027, 10:00" in reminders[0].body


def test_reminders_are_queued_per_offset_and_a_stale_task_after_reschedule_sends_nothing(
    madrid, physician, consultation, booker, django_capture_on_commit_callbacks, monkeypatch
):
    from huey.contrib.djhuey import HUEY

    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    patient, user = booker
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(patient, user, consultation)
    queued = {task.id: task for task in HUEY.scheduled()}
    assert {
        f"scheduling-reminder-{appointment.pk}-1440-0",
        f"scheduling-reminder-{appointment.pk}-120-0",
    } <= set(queued)
    old_start = appointment.start
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(
            actor=user, appointment=appointment, start=at("2027-03-03", "12:00"), now=NOW
        )
    assert HUEY.is_revoked(queued[f"scheduling-reminder-{appointment.pk}-1440-0"])
    assert f"scheduling-reminder-{appointment.pk}-1440-1" in {task.id for task in HUEY.scheduled()}
    stale = services.reminder_send(
        appointment_id=appointment.pk,
        offset_minutes=1440,
        start=old_start,
        now=old_start - dt.timedelta(hours=24),
    )
    assert stale is False and not ReminderDelivery.objects.exists()


def test_no_reminder_for_a_cancelled_appointment(madrid, physician, consultation, booker):
    patient, user = booker
    appointment = _book(patient, user, consultation)
    services.appointment_cancel(actor=user, appointment=appointment, now=NOW)
    sent = services.reminder_send(
        appointment_id=appointment.pk,
        offset_minutes=120,
        start=appointment.start,
        now=appointment.start - dt.timedelta(hours=2),
    )
    assert sent is False and not ReminderDelivery.objects.exists()


def test_the_safety_net_sends_due_reminders_that_no_task_sent(madrid, physician, consultation, booker):
    patient, user = booker
    appointment = _book(patient, user, consultation)
    two_hours_before = appointment.start - dt.timedelta(hours=2) + dt.timedelta(minutes=3)
    assert services.reminders_due(now=two_hours_before) == 1
    assert services.reminders_due(now=two_hours_before) == 0
    assert list(ReminderDelivery.objects.values_list("offset_minutes", flat=True)) == [120]


# --- waitlist -----------------------------------------------------------------------------------------


def test_a_cancelled_slot_is_offered_to_the_first_waiting_patient_as_a_timed_hold(
    madrid, physician, consultation, booker, mailoutbox, django_capture_on_commit_callbacks
):
    patient, user = booker
    taken = _book(patient, user, consultation, when="2027-03-02")
    waiting_user = UserFactory()
    waiting = PatientFactory(clinic=madrid, user=waiting_user)
    later_user = UserFactory()
    later = PatientFactory(clinic=madrid, user=later_user)
    for who, account in ((waiting, waiting_user), (later, later_user)):
        services.waitlist_join(
            actor=account,
            patient=who,
            appointment_type=consultation,
            earliest=dt.date(2027, 3, 2),
            latest=dt.date(2027, 3, 2),
        )
    # Fill the rest of the day so the freed time is the only one.
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    for hour in ("09:00", "11:00", "12:00", "15:00", "16:00"):
        services.appointment_book(
            actor=coordinator,
            patient=PatientFactory(clinic=madrid),
            appointment_type=consultation,
            start=at("2027-03-02", hour),
            now=NOW,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(actor=user, appointment=taken, now=NOW)
    offer = Appointment.objects.get(patient=waiting, status=AppointmentStatus.HELD)
    assert offer.start == taken.start and offer.hold_expires_at == NOW + dt.timedelta(hours=12)
    assert WaitlistEntry.objects.get(patient=waiting).status == WaitlistStatus.OFFERED
    assert any(m.to == [waiting.email] and "free for you" in m.subject for m in mailoutbox)
    assert not Appointment.objects.filter(patient=later).exists()
    booked = services.appointment_confirm_hold(
        actor=waiting_user,
        appointment=offer,
        answers=services.BookingAnswers(),
        now=NOW + dt.timedelta(hours=1),
    )
    assert booked.status == AppointmentStatus.CONFIRMED
    assert WaitlistEntry.objects.get(patient=waiting).status == WaitlistStatus.BOOKED


def _two_waiting_for_tuesday_with_only_the_booked_time_left(madrid, consultation):
    """Two patients join the waitlist for Tuesday; staff fill every other time of the day."""
    waiting = (
        PatientFactory(clinic=madrid, user=UserFactory()),
        PatientFactory(clinic=madrid, user=UserFactory()),
    )
    for who in waiting:
        services.waitlist_join(
            actor=who.user,
            patient=who,
            appointment_type=consultation,
            earliest=dt.date(2027, 3, 2),
            latest=dt.date(2027, 3, 2),
        )
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    for hour in ("09:00", "11:00", "12:00", "15:00", "16:00"):
        services.appointment_book(
            actor=coordinator,
            patient=PatientFactory(clinic=madrid),
            appointment_type=consultation,
            start=at("2027-03-02", hour),
            now=NOW,
        )
    return waiting


def test_a_lapsed_offer_goes_to_the_next_patient(
    madrid, physician, consultation, booker, django_capture_on_commit_callbacks
):
    patient, user = booker
    taken = _book(patient, user, consultation, when="2027-03-02")
    first, second = _two_waiting_for_tuesday_with_only_the_booked_time_left(madrid, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(actor=user, appointment=taken, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.holds_expire(now=NOW + dt.timedelta(hours=13))
    assert Appointment.objects.get(patient=first).status == AppointmentStatus.EXPIRED
    assert WaitlistEntry.objects.get(patient=first).status == WaitlistStatus.WAITING
    assert Appointment.objects.get(patient=second).status == AppointmentStatus.HELD


def test_joining_the_same_waitlist_twice_is_refused(madrid, physician, consultation, booker):
    patient, user = booker
    services.waitlist_join(
        actor=user,
        patient=patient,
        appointment_type=consultation,
        earliest=dt.date(2027, 3, 2),
        latest=dt.date(2027, 3, 9),
    )
    with pytest.raises(Conflict):
        services.waitlist_join(
            actor=user,
            patient=patient,
            appointment_type=consultation,
            earliest=dt.date(2027, 3, 2),
            latest=dt.date(2027, 3, 9),
        )


def test_a_declined_offer_goes_to_the_next_patient_at_once(
    madrid, physician, consultation, booker, django_capture_on_commit_callbacks
):
    patient, user = booker
    taken = _book(patient, user, consultation, when="2027-03-02")
    first, second = _two_waiting_for_tuesday_with_only_the_booked_time_left(madrid, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(actor=user, appointment=taken, now=NOW)
    offer = Appointment.objects.get(patient=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_release_hold(actor=first.user, appointment=offer, now=NOW)
    assert Appointment.objects.get(patient=first).status == AppointmentStatus.EXPIRED
    assert Appointment.objects.get(patient=second).status == AppointmentStatus.HELD
