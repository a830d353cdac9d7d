"""Booking services against the database: slots, buffers, holds, no double booking, transitions."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.core.timeline import Step, patient_timeline
from exoclinic.scheduling import selectors, services
from exoclinic.scheduling.models import Appointment, AppointmentStatus, AvailabilityException, ExceptionKind
from tests.factories import PatientFactory, StaffFactory, UserFactory

from .conftest import at
from .factories import AppointmentTypeFactory, RoomFactory, add_hours, practitioner

TUESDAY = dt.date(2027, 3, 2)


def _local_starts(slots, tz="Europe/Madrid"):
    from zoneinfo import ZoneInfo

    return [s.start.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in slots]


def test_slots_follow_weekly_hours_with_a_break(madrid, physician, consultation, booker, now):
    patient, user = booker
    slots = selectors.slots_search(user=user, type_id=consultation.pk, start=TUESDAY, end=TUESDAY, now=now)
    assert _local_starts(slots) == ["09:00", "10:00", "11:00", "12:00", "15:00", "16:00"]
    assert {s.practitioner_id for s in slots} == {physician.pk}


def test_a_closed_day_exception_removes_the_day_and_extra_hours_add_time(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    AvailabilityException.objects.create(
        clinic=madrid, practitioner=physician, day=TUESDAY, kind=ExceptionKind.CLOSED
    )
    AvailabilityException.objects.create(
        clinic=madrid,
        practitioner=physician,
        day=TUESDAY,
        kind=ExceptionKind.EXTRA,
        start=dt.time(18),
        end=dt.time(19),
    )
    slots = selectors.slots_search(user=user, type_id=consultation.pk, start=TUESDAY, end=TUESDAY, now=now)
    assert _local_starts(slots) == ["18:00"]


def test_buffers_keep_the_next_slot_clear_of_a_booking(madrid, physician, booker, now):
    patient, user = booker
    buffered = AppointmentTypeFactory(
        clinic=madrid, duration_minutes=60, buffer_after_minutes=30, step_minutes=30, name="Buffered"
    )
    services.appointment_book(
        actor=user, patient=patient, appointment_type=buffered, start=at("2027-03-02", "10:00"), now=now
    )
    other_user = UserFactory()
    PatientFactory(clinic=madrid, user=other_user)
    slots = selectors.slots_search(user=other_user, type_id=buffered.pk, start=TUESDAY, end=TUESDAY, now=now)
    morning = [s for s in _local_starts(slots) if s < "13:00"]
    # 09:00 would end at 10:00 but its 30-minute tail reaches into 10:00-11:30; 11:30 is the first after.
    assert morning == ["11:30", "12:00"]


def test_minimum_notice_and_horizon_limit_the_slots(madrid, physician, booker, now):
    patient, user = booker
    strict = AppointmentTypeFactory(clinic=madrid, min_notice_hours=26, horizon_days=2, name="Strict")
    # now: Monday 09:00 in Madrid; 26 h notice -> from Tuesday 11:00; 2-day horizon -> until Wednesday 09:00.
    slots = selectors.slots_search(
        user=user, type_id=strict.pk, start=TUESDAY, end=TUESDAY + dt.timedelta(days=1), now=now
    )
    assert [s.start.astimezone(madrid.tz).strftime("%a %H:%M") for s in slots] == [
        "Tue 11:00",
        "Tue 12:00",
        "Tue 15:00",
        "Tue 16:00",
        "Wed 09:00",
    ]


def test_patient_books_a_free_slot_and_it_is_confirmed_with_an_audit_row(
    madrid, physician, consultation, booker, now, mailoutbox, django_capture_on_commit_callbacks
):
    patient, user = booker
    with django_capture_on_commit_callbacks(execute=True):
        appointment, created = services.appointment_book(
            actor=user,
            patient=patient,
            appointment_type=consultation,
            start=at("2027-03-02", "10:00"),
            now=now,
        )
    assert created and appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.practitioner == physician
    assert appointment.start == dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)
    assert AuditEvent.objects.filter(action="appointment.book", record_id=str(appointment.pk)).exists()
    assert len(mailoutbox) == 1
    part = mailoutbox[0].attachments[0]
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert "TZID=Europe/Madrid" in part.get_payload(decode=True).decode()


def test_second_booking_of_a_taken_slot_is_refused_with_the_next_free_slots(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    rival_user = UserFactory()
    rival = PatientFactory(clinic=madrid, user=rival_user)
    with pytest.raises(Conflict) as refused:
        services.appointment_book(
            actor=rival_user,
            patient=rival,
            appointment_type=consultation,
            start=at("2027-03-02", "10:00"),
            now=now,
        )
    assert refused.value.code == "slot_taken"
    assert refused.value.message == "That time was just taken."
    suggested = [s["start"] for s in refused.value.extra["next_slots"]]
    assert suggested[0] == "2027-03-02T08:00:00+00:00"  # 09:00 in Madrid is still free
    assert "2027-03-02T09:00:00+00:00" not in suggested
    assert Appointment.objects.count() == 1


def test_a_start_that_is_not_a_slot_is_invalid_not_taken(madrid, physician, consultation, booker, now):
    patient, user = booker
    with pytest.raises(InvalidInput) as refused:
        services.appointment_book(
            actor=user,
            patient=patient,
            appointment_type=consultation,
            start=at("2027-03-02", "13:30"),
            now=now,
        )
    assert refused.value.field == "start"


def test_retry_with_the_same_idempotency_key_returns_the_same_appointment(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    first, created = services.appointment_book(
        actor=user,
        patient=patient,
        appointment_type=consultation,
        start=at("2027-03-02", "10:00"),
        idempotency_key="retry-1",
        now=now,
    )
    again, created_again = services.appointment_book(
        actor=user,
        patient=patient,
        appointment_type=consultation,
        start=at("2027-03-02", "10:00"),
        idempotency_key="retry-1",
        now=now,
    )
    assert created and not created_again
    assert again.pk == first.pk and Appointment.objects.count() == 1


def test_a_patient_cannot_hold_two_overlapping_appointments_with_different_practitioners(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    second_doc = practitioner(madrid, title="Physician", hours=((0, 5), "09:00", "13:00"))
    services.appointment_book(
        actor=user,
        patient=patient,
        appointment_type=consultation,
        start=at("2027-03-02", "10:00"),
        practitioner_id=physician.pk,
        now=now,
    )
    with pytest.raises(Conflict):
        services.appointment_book(
            actor=user,
            patient=patient,
            appointment_type=consultation,
            start=at("2027-03-02", "10:00"),
            practitioner_id=second_doc.pk,
            now=now,
        )


def test_treatment_needs_a_free_procedure_room_as_well_as_a_practitioner(madrid, physician, now):
    room = RoomFactory(clinic=madrid, kind="procedure", name="Procedure room")
    add_hours(madrid, ((0, 5), "09:00", "12:00"), room=room)
    practitioner(madrid, title="Physician", hours=((0, 5), "09:00", "13:00"))
    session = AppointmentTypeFactory(
        clinic=madrid, room_kind="procedure", requires_step="consultation", name="Tx"
    )
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    first, second = PatientFactory(clinic=madrid), PatientFactory(clinic=madrid)
    services.appointment_book(
        actor=coordinator, patient=first, appointment_type=session, start=at("2027-03-02", "10:00"), now=now
    )
    slots = selectors.slots_search(user=coordinator, type_id=session.pk, start=TUESDAY, end=TUESDAY, now=now)
    # Two physicians are free at 10:00 but the one room is not; the room closes at 12:00.
    assert sorted(set(_local_starts(slots))) == ["09:00", "11:00"]
    with pytest.raises(Conflict):
        services.appointment_book(
            actor=coordinator,
            patient=second,
            appointment_type=session,
            start=at("2027-03-02", "10:00"),
            now=now,
        )


def test_a_hold_blocks_others_until_it_expires(madrid, physician, consultation, booker, now):
    patient, user = booker
    hold = services.appointment_hold(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    assert hold.status == AppointmentStatus.HELD
    rival_user = UserFactory()
    rival = PatientFactory(clinic=madrid, user=rival_user)
    with pytest.raises(Conflict):
        services.appointment_book(
            actor=rival_user,
            patient=rival,
            appointment_type=consultation,
            start=at("2027-03-02", "10:00"),
            now=now,
        )
    later = now + dt.timedelta(minutes=11)
    taken, _ = services.appointment_book(
        actor=rival_user,
        patient=rival,
        appointment_type=consultation,
        start=at("2027-03-02", "10:00"),
        now=later,
    )
    hold.refresh_from_db()
    assert hold.status == AppointmentStatus.EXPIRED and taken.status == AppointmentStatus.CONFIRMED
    with pytest.raises(Conflict) as refused:
        services.appointment_confirm_hold(
            actor=user, appointment=hold, answers=services.BookingAnswers(), now=later
        )
    assert refused.value.code in ("hold_expired", "invalid_transition")


def test_confirming_a_live_hold_keeps_the_answers(madrid, physician, consultation, booker, now):
    patient, user = booker
    hold = services.appointment_hold(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    answers = services.BookingAnswers(
        mobility_needs="Power wheelchair, needs a hoist", caregiver_attending=True
    )
    booked = services.appointment_confirm_hold(actor=user, appointment=hold, answers=answers, now=now)
    again = services.appointment_confirm_hold(actor=user, appointment=hold, answers=answers, now=now)
    assert booked.status == AppointmentStatus.CONFIRMED and again.pk == booked.pk
    assert booked.mobility_needs == "Power wheelchair, needs a hoist" and booked.caregiver_attending


def test_check_in_is_refused_unless_confirmed_and_no_show_only_after_the_start(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    with pytest.raises(Conflict):
        services.appointment_mark_no_show(actor=coordinator, appointment=appointment, now=now)
    with pytest.raises(Conflict):
        services.appointment_complete(actor=coordinator, appointment=appointment, now=now)
    services.appointment_check_in(actor=coordinator, appointment=appointment, now=now)
    with pytest.raises(Conflict):
        services.appointment_check_in(actor=coordinator, appointment=appointment, now=now)
    with pytest.raises(Conflict):
        services.appointment_cancel(actor=coordinator, appointment=appointment, now=now)


def test_a_patient_cannot_check_themselves_in(madrid, physician, consultation, booker, now):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    with pytest.raises(NotFound):
        services.appointment_check_in(actor=user, appointment=appointment, now=now)


def test_completed_consultation_marks_the_consultation_step_done(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    assert patient_timeline(patient).current.step == Step.CONSULTATION
    services.appointment_check_in(actor=coordinator, appointment=appointment, now=now)
    services.appointment_complete(actor=coordinator, appointment=appointment, now=now)
    timeline = patient_timeline(patient)
    consultation_step = next(s for s in timeline.steps if s.step == Step.CONSULTATION)
    assert consultation_step.when == appointment.end
    assert timeline.current.step == Step.PLAN_CONSENT


def test_a_treatment_session_is_refused_before_the_timeline_reaches_treatment(madrid, physician, booker, now):
    patient, user = booker
    session = AppointmentTypeFactory(clinic=madrid, requires_step="treatment", name="Treatment session")
    with pytest.raises(InvalidInput) as refused:
        services.appointment_book(
            actor=user, patient=patient, appointment_type=session, start=at("2027-03-02", "10:00"), now=now
        )
    assert refused.value.code == "step_not_reached"


def test_patient_cancels_before_the_cutoff_but_not_after_and_staff_cancel_late_is_recorded(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    early, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-03", "10:00"), now=now
    )
    cancelled = services.appointment_cancel(actor=user, appointment=early, reason="Feeling fine", now=now)
    assert cancelled.status == AppointmentStatus.CANCELLED and not cancelled.late_cancellation

    soon, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-01", "16:00"), now=now
    )
    with pytest.raises(PermissionDenied):
        services.appointment_cancel(actor=user, appointment=soon, now=now)
    late = services.appointment_cancel(actor=coordinator, appointment=soon, reason="Patient phoned", now=now)
    assert late.late_cancellation and late.cancelled_by == coordinator


def test_the_too_late_refusal_is_in_the_readers_language(madrid, physician, consultation, booker, now):
    from django.utils import translation

    patient, user = booker
    soon, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-01", "16:00"), now=now
    )
    with translation.override("es"), pytest.raises(PermissionDenied) as refused:
        services.appointment_cancel(actor=user, appointment=soon, now=now)
    assert refused.value.code == "past_cutoff"
    assert "demasiado tarde para cancelar en línea" in str(refused.value.message)
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.appointment_cancel(actor=user, appointment=soon, now=now)
    assert "too late to cancel online" in str(refused.value.message)


def test_reschedule_keeps_the_uid_raises_the_sequence_and_frees_the_old_time(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    uid = appointment.uid
    moved = services.appointment_reschedule(
        actor=user, appointment=appointment, start=at("2027-03-02", "11:00"), now=now
    )
    assert moved.pk == appointment.pk and moved.uid == uid and moved.sequence == 1
    assert moved.start == at("2027-03-02", "11:00")
    slots = selectors.slots_search(user=user, type_id=consultation.pk, start=TUESDAY, end=TUESDAY, now=now)
    assert "10:00" in _local_starts(slots) and "11:00" not in _local_starts(slots)


def test_rescheduling_into_the_appointments_own_buffer_is_allowed(madrid, physician, booker, now):
    patient, user = booker
    buffered = AppointmentTypeFactory(
        clinic=madrid, buffer_after_minutes=30, step_minutes=30, name="Buffered"
    )
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=buffered, start=at("2027-03-02", "10:00"), now=now
    )
    moved = services.appointment_reschedule(
        actor=user, appointment=appointment, start=at("2027-03-02", "10:30"), now=now
    )
    assert moved.start == at("2027-03-02", "10:30")


def test_another_patient_cannot_see_or_cancel_an_appointment(madrid, physician, consultation, booker, now):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    stranger = UserFactory()
    PatientFactory(clinic=madrid, user=stranger)
    with pytest.raises(NotFound):
        selectors.appointment_get(user=stranger, appointment_id=appointment.pk)
    with pytest.raises(NotFound):
        services.appointment_cancel(actor=stranger, appointment=appointment, now=now)
    other_clinic_staff = StaffFactory(role=Role.COORDINATOR)
    with pytest.raises(NotFound):
        selectors.appointment_get(user=other_clinic_staff, appointment_id=appointment.pk)


def test_staff_reading_an_appointment_is_audited(madrid, physician, consultation, booker, now):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    selectors.appointment_get(user=coordinator, appointment_id=appointment.pk)
    assert AuditEvent.objects.filter(action="appointment.view", actor=coordinator).count() == 1
    selectors.appointment_get(user=user, appointment_id=appointment.pk)
    assert AuditEvent.objects.filter(action="appointment.view").count() == 1


def test_appointments_for_patient_lists_them_for_the_patient_and_hides_them_from_others(
    madrid, physician, consultation, booker, now
):
    patient, user = booker
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-02", "10:00"), now=now
    )
    assert [a.pk for a in selectors.appointments_for_patient(user=user, patient_id=patient.pk)] == [
        appointment.pk
    ]
    with pytest.raises(NotFound):
        selectors.appointments_for_patient(user=UserFactory(), patient_id=patient.pk)


def test_a_booking_mail_delivered_after_a_cancel_still_says_booked_at_the_booked_time(
    madrid, physician, consultation, booker, now, mailoutbox
):
    """The confirmation is rendered by the outbox delivery (off the request); if the worker reaches it only
    after the patient cancelled, it still says what was booked, and the cancel mail follows it."""
    from exoclinic.core.models import OutboxMessage, OutboxStatus
    from exoclinic.core.outbox import drain_outbox

    patient, user = booker
    # No commit in this test's transaction, so nothing is handed to the queue: the drain delivers later.
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=consultation, start=at("2027-03-03", "10:00"), now=now
    )
    services.appointment_cancel(actor=user, appointment=appointment, now=now)
    assert mailoutbox == []
    assert drain_outbox(now=now + dt.timedelta(minutes=1)) == 2
    booked, cancelled = sorted(mailoutbox, key=lambda m: "ancel" in m.subject)
    assert "confirmed" in booked.subject.lower() and "cancel" in cancelled.subject.lower()
    booked_ics = booked.attachments[0].get_payload(decode=True).decode()
    assert "METHOD:REQUEST" in booked_ics and "SEQUENCE:0" in booked_ics.replace("\r\n", "\n")
    assert "DTSTART;TZID=Europe/Madrid:20270303T100000" in booked_ics
    assert "METHOD:CANCEL" in cancelled.attachments[0].get_payload(decode=True).decode()
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists()
