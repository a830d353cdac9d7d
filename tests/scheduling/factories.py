"""Factories for booking: appointment types, rooms, practitioners with hours, appointments."""

from __future__ import annotations

import datetime as dt

import factory

from exoclinic.accounts.models import Role, StaffMembership
from exoclinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentType,
    Room,
    WeeklyHours,
)
from tests.factories import ClinicFactory, PatientFactory, UserFactory


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Consultation {n}")
    kind = AppointmentKind.CONSULTATION
    duration_minutes = 60
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    min_notice_hours = 0
    horizon_days = 365
    cancellation_cutoff_hours = 24
    practitioner_title = "physician"
    requires_step = "consultation"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    kind = "procedure"


def practitioner(clinic, *, title="Physician", hours=((0, 5), "09:00", "13:00"), **user_kwargs):
    """A clinician with weekly hours: ``hours=((first_weekday, last_weekday + 1), start, end)``."""
    user = UserFactory(**user_kwargs)
    StaffMembership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN, title=title)
    if hours:
        add_hours(clinic, hours, practitioner=user)
    return user


def add_hours(clinic, hours, *, practitioner=None, room=None):
    (first, last), start, end = hours
    for weekday in range(first, last):
        WeeklyHours.objects.create(
            clinic=clinic,
            practitioner=practitioner,
            room=room,
            weekday=weekday,
            start=dt.time.fromisoformat(start),
            end=dt.time.fromisoformat(end),
        )


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A confirmed appointment written directly (no service): for setting the scene."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    appointment_type = factory.SubFactory(AppointmentTypeFactory, clinic=factory.SelfAttribute("..clinic"))
    practitioner = factory.SubFactory(UserFactory)
    start = dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=o.appointment_type.duration_minutes))
    blocked_start = factory.LazyAttribute(lambda o: o.start)
    blocked_end = factory.LazyAttribute(lambda o: o.end)
    status = AppointmentStatus.CONFIRMED
