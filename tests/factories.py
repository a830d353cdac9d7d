"""Factories for the foundation's records: clinics, users, staff memberships, patients."""

from __future__ import annotations

import datetime as dt

import factory

from exoclinic.accounts.models import Role, StaffMembership, User
from exoclinic.core.models import Clinic, Patient

PASSWORD = "a-long-test-password"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    time_zone = "Europe/Madrid"
    emergency_phone = factory.Sequence(lambda n: f"+34 910 000 {n:03d}")
    emergency_services_number = "112"
    phone = "+34 910 555 000"
    email = "care@clinic.example.org"
    address = "Calle de Prueba 1, Madrid"
    languages = factory.LazyFunction(lambda: ["en", "es"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    """A user with a membership: StaffFactory(role=Role.CLINICIAN, clinic=clinic)."""

    @classmethod
    def _create(
        cls, model_class, *args, role=Role.COORDINATOR, clinic=None, is_medical_director=False, **kwargs
    ):
        user = super()._create(model_class, *args, **kwargs)
        StaffMembership.objects.create(
            user=user, clinic=clinic or ClinicFactory(), role=role, is_medical_director=is_medical_director
        )
        return user


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    record_number = factory.Sequence(lambda n: f"REC-{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = dt.date(1985, 6, 15)
    email = factory.Sequence(lambda n: f"patient{n}@example.org")
    sci_date_of_injury = dt.date(2022, 3, 1)
    sci_neurological_level = "T4"
    sci_ais_grade = "B"
