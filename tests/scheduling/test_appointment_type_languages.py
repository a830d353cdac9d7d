"""Appointment types read in the patient's language while booking, English when there is no Spanish; the
name is unique per clinic in each language, and staff write both in the admin."""

import pytest
from django.db import IntegrityError, transaction

from exoclinic.accounts.models import Role
from exoclinic.scheduling import services
from exoclinic.scheduling.models import AppointmentType
from tests.factories import PatientFactory, StaffFactory, UserFactory

from .conftest import NOW, at
from .factories import AppointmentTypeFactory


@pytest.fixture
def spanish_booker(madrid):
    user = UserFactory()
    return PatientFactory(clinic=madrid, user=user, preferred_language="es"), user


@pytest.fixture
def consultation_es(madrid):
    return AppointmentTypeFactory(
        clinic=madrid,
        name="Consultation in person",
        name_es="Consulta presencial",
        description="Meet a physician at the clinic.",
        description_es="Visita con un médico en la clínica.",
    )


def test_a_spanish_patient_books_with_the_spanish_names(
    client, frozen_clock, madrid, physician, consultation_es, spanish_booker
):
    patient, user = spanish_booker
    untranslated = AppointmentTypeFactory(clinic=madrid, name="Hydrotherapy", description="In the pool.")
    client.force_login(user)
    types = client.get("/book/types/").content.decode()
    assert "Consulta presencial" in types and "Visita con un médico en la clínica." in types
    assert "Consultation in person" not in types and "Meet a physician" not in types
    assert "Hydrotherapy" in types and "In the pool." in types  # no Spanish yet: the English
    slots = client.get(f"/book/types/{consultation_es.pk}/?week=2027-03-02").content.decode()
    assert "Consulta presencial" in slots and "Consultation in person" not in slots
    assert untranslated.name_es is None


def test_the_portal_list_names_the_appointment_in_the_patients_language(
    client, madrid, physician, consultation_es, spanish_booker
):
    patient, user = spanish_booker
    services.appointment_book(
        actor=user,
        patient=patient,
        appointment_type=consultation_es,
        start=at("2027-03-03", "10:00"),
        now=NOW,
    )
    client.force_login(user)
    listing = client.get("/portal/appointments/").content.decode()
    assert "Consulta presencial" in listing and "Consultation in person" not in listing
    client.cookies["django_language"] = "en"  # the footer's language switch
    english = client.get("/portal/appointments/").content.decode()
    assert "Consultation in person" in english and "Consulta presencial" not in english


def test_names_are_unique_per_clinic_in_each_language_and_missing_spanish_never_collides(madrid):
    AppointmentTypeFactory(clinic=madrid, name="Physiotherapy")
    AppointmentTypeFactory(clinic=madrid, name="Hydrotherapy")  # two types without Spanish: both NULL
    AppointmentTypeFactory(clinic=madrid, name="Group physiotherapy", name_es="Fisioterapia en grupo")
    with transaction.atomic(), pytest.raises(IntegrityError):
        AppointmentTypeFactory(clinic=madrid, name="Gym session", name_es="Fisioterapia en grupo")


def test_a_clinic_admin_writes_both_languages_in_the_admin(client, madrid):
    admin_user = StaffFactory(role=Role.ADMIN, clinic=madrid, is_staff=True)
    client.force_login(admin_user)
    form = client.get("/admin/scheduling/appointmenttype/add/").content.decode()
    assert 'name="name_en"' in form and 'name="name_es"' in form and 'name="description_es"' in form
    response = client.post(
        "/admin/scheduling/appointmenttype/add/",
        {
            "clinic": madrid.pk,
            "name_en": "Hydrotherapy",
            "name_es": "Hidroterapia",
            "description_en": "Exercises in the pool.",
            "description_es": "",
            "kind": "physiotherapy",
            "duration_minutes": 45,
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "min_notice_hours": 24,
            "horizon_days": 90,
            "cancellation_cutoff_hours": 24,
            "patient_bookable": "on",
            "requires_step": "consultation",
            "practitioner_title": "physiotherapist",
            "capacity": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = AppointmentType.objects.get(name_en="Hydrotherapy")
    assert saved.name_es == "Hidroterapia"
    assert saved.description_es in (None, "")  # empty: Spanish readers get the English description
