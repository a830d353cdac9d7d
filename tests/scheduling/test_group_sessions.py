"""Group sessions: a type with several places per session (group physiotherapy in the gym).

Patients of one session share its practitioner, room and time, each in a place of their own; a session
never takes more patients than its places, and nothing else overlaps it for its practitioner or room.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import Conflict
from exoclinic.scheduling import selectors, services
from exoclinic.scheduling.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentType,
    WaitlistEntry,
    WaitlistStatus,
)
from tests.factories import PatientFactory, StaffFactory, UserFactory

from .conftest import NOW, at
from .factories import AppointmentFactory, AppointmentTypeFactory, RoomFactory, add_hours, practitioner
from .race import race

TUESDAY = dt.date(2027, 3, 2)
TEN = "2027-03-02T10:00:00+01:00"


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def physio(madrid):
    return practitioner(
        madrid, title="Physiotherapist", hours=((0, 5), "09:00", "13:00"), full_name="Pau Pons"
    )


@pytest.fixture
def gym(madrid):
    room = RoomFactory(clinic=madrid, kind="gym", name="Gym")
    add_hours(madrid, ((0, 5), "09:00", "13:00"), room=room)
    return room


def _group_type(madrid, *, capacity=3, step=60, name="Group physiotherapy"):
    return AppointmentTypeFactory(
        clinic=madrid,
        name=name,
        kind=AppointmentKind.PHYSIOTHERAPY,
        duration_minutes=60,
        step_minutes=step,
        capacity=capacity,
        practitioner_title="physiotherapist",
        room_kind="gym",
    )


@pytest.fixture
def group(madrid, physio, gym):
    return _group_type(madrid)


def _patient(madrid):
    user = UserFactory()
    return PatientFactory(clinic=madrid, user=user), user


def _book(madrid, kind, hhmm="10:00", day="2027-03-02", **kwargs):
    patient, user = _patient(madrid)
    appointment, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=kind, start=at(day, hhmm), now=NOW, **kwargs
    )
    return appointment


def _places(user, kind, hhmm):
    """Places left per practitioner at a local time on Tuesday, as the patient's slot search shows them."""
    found = selectors.slots_search(
        user=user, type_id=kind.pk, start=TUESDAY, end=TUESDAY, now=NOW, as_own_patient=True
    )
    return {s.practitioner_name: s.places_left for s in found if s.start == at("2027-03-02", hhmm)}


def test_a_group_session_takes_as_many_patients_as_it_has_places_and_no_more(madrid, physio, gym, group):
    booked = [_book(madrid, group) for _ in range(3)]
    assert [a.seat for a in booked] == [1, 2, 3]
    assert {(a.practitioner_id, a.room_id, a.start) for a in booked} == {
        (physio.pk, gym.pk, at("2027-03-02", "10:00"))
    }
    with pytest.raises(Conflict) as refused:
        _book(madrid, group)
    assert refused.value.code == "slot_taken"
    suggested = refused.value.extra["next_slots"]
    assert suggested and all(s["start"] != at("2027-03-02", "10:00").isoformat() for s in suggested)
    assert suggested[0]["places_left"] == 3
    assert Appointment.objects.filter(status__in=ACTIVE_STATUSES).count() == 3


def test_slot_search_shows_the_places_left_and_drops_a_full_session(madrid, physio, gym, group):
    patient, user = _patient(madrid)
    assert _places(user, group, "10:00") == {"Pau Pons": 3}
    _book(madrid, group)
    _book(madrid, group)
    assert _places(user, group, "10:00") == {"Pau Pons": 1}
    assert _places(user, group, "11:00") == {"Pau Pons": 3}
    _book(madrid, group)
    assert _places(user, group, "10:00") == {}
    assert _places(user, group, "11:00") == {"Pau Pons": 3}


def test_a_patient_is_neither_offered_nor_given_a_second_place_in_their_own_session(
    madrid, physio, gym, group
):
    patient, user = _patient(madrid)
    services.appointment_book(
        actor=user, patient=patient, appointment_type=group, start=at("2027-03-02", "10:00"), now=NOW
    )
    assert _places(user, group, "10:00") == {}
    with pytest.raises(Conflict):
        services.appointment_book(
            actor=user, patient=patient, appointment_type=group, start=at("2027-03-02", "10:00"), now=NOW
        )
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_nothing_else_overlaps_a_session_of_the_same_practitioner_or_room(madrid, physio, gym):
    # Slots every 30 minutes: a session at 10:00 rules out one at 10:30 with the same physiotherapist.
    group = _group_type(madrid, step=30)
    second = practitioner(
        madrid, title="Physiotherapist", hours=((0, 5), "09:00", "13:00"), full_name="Quim Quer"
    )
    session = _book(madrid, group)
    patient, user = _patient(madrid)
    # The only gym holds Pau's session: Quim cannot open another at 10:00, and nobody at 10:30.
    assert _places(user, group, "10:00") == {"Pau Pons": 2}
    assert _places(user, group, "10:30") == {}
    for start, who in (("10:30", None), ("10:00", second.pk)):
        with pytest.raises(Conflict):
            services.appointment_book(
                actor=user,
                patient=patient,
                appointment_type=group,
                start=at("2027-03-02", start),
                practitioner_id=who,
                now=NOW,
            )
    # A one-patient physiotherapy visit cannot take Pau's time either, but Quim is free then.
    single = AppointmentTypeFactory(
        clinic=madrid, name="Physiotherapy", duration_minutes=60, practitioner_title="physiotherapist"
    )
    with pytest.raises(Conflict):
        services.appointment_book(
            actor=user,
            patient=patient,
            appointment_type=single,
            start=at("2027-03-02", "10:00"),
            practitioner_id=physio.pk,
            now=NOW,
        )
    visit, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=single, start=at("2027-03-02", "10:00"), now=NOW
    )
    assert visit.practitioner_id == second.pk
    assert session.practitioner_id == physio.pk


def test_a_one_patient_visit_keeps_a_group_session_out_of_its_time(madrid, physio, gym, group):
    single = AppointmentTypeFactory(
        clinic=madrid, name="Physiotherapy", duration_minutes=60, practitioner_title="physiotherapist"
    )
    _book(madrid, single)
    patient, user = _patient(madrid)
    assert _places(user, group, "10:00") == {}
    with pytest.raises(Conflict):
        services.appointment_book(
            actor=user, patient=patient, appointment_type=group, start=at("2027-03-02", "10:00"), now=NOW
        )


def test_a_cancelled_place_is_free_again_and_the_next_patient_takes_it(madrid, physio, gym, group):
    first, second, third = (_book(madrid, group) for _ in range(3))
    services.appointment_cancel(actor=second.patient.user, appointment=second, now=NOW)
    patient, user = _patient(madrid)
    assert _places(user, group, "10:00") == {"Pau Pons": 1}
    latecomer, _ = services.appointment_book(
        actor=user, patient=patient, appointment_type=group, start=at("2027-03-02", "10:00"), now=NOW
    )
    assert latecomer.seat == 2 and latecomer.session_key == first.session_key


def test_rescheduling_moves_a_patient_into_another_session_with_a_free_place(madrid, physio, gym, group):
    at_eleven = _book(madrid, group, "11:00")
    mover = _book(madrid, group, "10:00")
    staying = _book(madrid, group, "10:00")
    moved = services.appointment_reschedule(
        actor=mover.patient.user, appointment=mover, start=at("2027-03-02", "11:00"), now=NOW
    )
    assert moved.seat == 2 and moved.session_key == at_eleven.session_key and moved.sequence == 1
    patient, user = _patient(madrid)
    assert _places(user, group, "10:00") == {"Pau Pons": 2}
    assert _places(user, group, "11:00") == {"Pau Pons": 1}
    staying.refresh_from_db()
    assert staying.seat == 2  # the others keep their places


def test_an_expired_hold_does_not_keep_a_place(madrid, physio, gym):
    group = _group_type(madrid, capacity=2)
    _book(madrid, group)
    patient, user = _patient(madrid)
    hold = services.appointment_hold(
        actor=user, patient=patient, appointment_type=group, start=at("2027-03-02", "10:00"), now=NOW
    )
    assert hold.seat == 2
    later = NOW + dt.timedelta(hours=1)
    other, other_user = _patient(madrid)
    taken, _ = services.appointment_book(
        actor=other_user, patient=other, appointment_type=group, start=at("2027-03-02", "10:00"), now=later
    )
    assert taken.seat == 2
    hold.refresh_from_db()
    assert hold.status == AppointmentStatus.EXPIRED


def test_a_place_freed_in_a_full_session_is_offered_to_the_first_waiting_patient(
    madrid, physio, gym, django_capture_on_commit_callbacks
):
    group = _group_type(madrid, capacity=2)
    leaving = _book(madrid, group)
    _book(madrid, group)
    # Every other session of the day is full too, so the freed place is the only one.
    for hhmm in ("09:00", "11:00", "12:00"):
        _book(madrid, group, hhmm)
        _book(madrid, group, hhmm)
    waiting, waiting_user = _patient(madrid)
    services.waitlist_join(
        actor=waiting_user, patient=waiting, appointment_type=group, earliest=TUESDAY, latest=TUESDAY
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(actor=leaving.patient.user, appointment=leaving, now=NOW)
    offer = Appointment.objects.get(patient=waiting)
    assert offer.status == AppointmentStatus.HELD
    assert (offer.session_key, offer.seat) == (leaving.session_key, 1)
    assert WaitlistEntry.objects.get(patient=waiting).status == WaitlistStatus.OFFERED


def test_the_database_refuses_two_patients_in_one_place(madrid, physio, gym, group):
    first = AppointmentFactory(
        patient=PatientFactory(clinic=madrid), appointment_type=group, practitioner=physio, room=gym
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            patient=PatientFactory(clinic=madrid),
            appointment_type=group,
            practitioner=physio,
            room=gym,
            start=first.start,
        )
    AppointmentFactory(
        patient=PatientFactory(clinic=madrid),
        appointment_type=group,
        practitioner=physio,
        room=gym,
        start=first.start,
        seat=2,
    )
    first.status = AppointmentStatus.CANCELLED
    first.save()
    # A cancelled place can be taken again.
    AppointmentFactory(
        patient=PatientFactory(clinic=madrid),
        appointment_type=group,
        practitioner=physio,
        room=gym,
        start=first.start,
    )


def test_capacity_and_place_below_one_are_refused_by_the_database(madrid, physio, gym, group):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentType.objects.filter(pk=group.pk).update(capacity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            patient=PatientFactory(clinic=madrid), appointment_type=group, practitioner=physio, seat=0
        )


@pytest.mark.postgres
def test_postgresql_lets_places_of_one_session_overlap_but_not_two_sessions(madrid, physio, gym, group):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL; SQLite relies on the serialized services")
    start = dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)
    for seat in (1, 2):
        AppointmentFactory(
            patient=PatientFactory(clinic=madrid),
            appointment_type=group,
            practitioner=physio,
            room=gym,
            start=start,
            seat=seat,
        )
    # Another session half an hour later with the same physiotherapist, or in the same gym, in place 3.
    for practitioner_, room in ((physio, None), (UserFactory(), gym)):
        with pytest.raises(IntegrityError), transaction.atomic():
            AppointmentFactory(
                patient=PatientFactory(clinic=madrid),
                appointment_type=group,
                practitioner=practitioner_,
                room=room,
                start=start + dt.timedelta(minutes=30),
                seat=3,
            )


def test_api_gives_capacity_places_left_and_the_place(client, madrid, physio, gym, group):
    patient, user = _patient(madrid)
    auth = {"Authorization": f"Bearer {api_token_issue(user=user)[1]}"}
    types = client.get("/api/v1/appointment-types", headers=auth).json()
    assert [(t["name"], t["capacity"]) for t in types] == [("Group physiotherapy", 3)]
    _book(madrid, group)
    slots = client.get(
        f"/api/v1/slots?appointment_type={group.pk}&start=2027-03-02&end=2027-03-02", headers=auth
    ).json()
    assert {s["start"]: s["places_left"] for s in slots}["2027-03-02T09:00:00Z"] == 2
    made = client.post(
        "/api/v1/appointments",
        {"appointment_type": group.pk, "start": TEN},
        content_type="application/json",
        headers=auth,
    )
    assert made.status_code == 201 and made.json()["place"] == 2


def test_pages_show_the_group_size_the_places_left_and_each_place(client, madrid, physio, gym, group):
    booked = _book(madrid, group)
    patient, user = _patient(madrid)
    client.force_login(user)
    assert "group session, up to 3 patients" in client.get("/book/types/").content.decode()
    page = client.get(f"/book/types/{group.pk}/?week=2027-03-02").content.decode()
    assert "2 places left" in page and "3 places left" in page
    coordinator = StaffFactory(role=Role.COORDINATOR, clinic=madrid)
    client.force_login(coordinator)
    calendar = client.get("/staff/calendar/?date=2027-03-02&by=room").content.decode()
    assert "Group session: place 1 of 3" in calendar and booked.patient.full_name in calendar


# --- many patients ask for the places of one session at the same instant -------------------------------

THREADS = 50
PLACES = 6


def _assert_every_place_filled_once(results):
    codes = sorted(code for code, _ in results)
    assert len(results) == THREADS
    assert codes.count(201) == PLACES, codes
    assert sorted(body["place"] for code, body in results if code == 201) == list(range(1, PLACES + 1))
    refusals = [body for code, body in results if code == 409]
    assert len(refusals) == THREADS - PLACES
    assert {body["code"] for body in refusals} == {"slot_taken"}
    active = Appointment.objects.filter(status__in=ACTIVE_STATUSES)
    assert active.count() == PLACES and len({a.session_key for a in active}) == 1


@pytest.mark.race
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_fill_a_six_place_session_exactly_on_postgresql(madrid, physio, gym):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    _assert_every_place_filled_once(race(_group_type(madrid, capacity=PLACES), madrid, threads=THREADS))


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_fill_a_six_place_session_exactly_on_sqlite(madrid, physio, gym):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the race")
    if connection.is_in_memory_db():
        pytest.skip("needs a file database: make test-race runs it on one")
    _assert_every_place_filled_once(race(_group_type(madrid, capacity=PLACES), madrid, threads=THREADS))


def test_the_admin_form_refuses_a_capacity_below_one_with_a_message(rf, madrid, physio, gym, group):
    from django.contrib import admin
    from django.forms.models import model_to_dict

    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[AppointmentType].get_form(request, obj=group)
    form = form_class(data={**model_to_dict(group), "capacity": 0}, instance=group)
    assert not form.is_valid()
    assert "capacity" in form.errors
    assert form_class(data={**model_to_dict(group), "capacity": 6}, instance=group).is_valid()
