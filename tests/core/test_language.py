"""Which language people see: the footer's choice, a patient's preferred language, e-mails in the
recipient's language."""

import datetime as dt

import pytest

from exoclinic.scheduling import services
from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.scheduling.conftest import NOW
from tests.scheduling.factories import AppointmentTypeFactory, practitioner


@pytest.fixture(autouse=True)
def _huey_in_memory():
    """Reminder tasks queue in memory for the test (never in the shared var/huey.sqlite3)."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture
def clinic(db):
    return ClinicFactory()


def test_the_footer_switches_every_page_to_spanish_and_back(client, clinic):
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english and "Emergency?" in english
    switched = client.post("/i18n/setlang/", {"language": "es", "next": "/emergency/"})
    assert switched.status_code == 302 and switched["Location"] == "/emergency/"
    spanish = client.get("/").content.decode()
    assert '<html lang="es">' in spanish
    assert "¿Emergencia?" in spanish and "Qué hacer en una emergencia" in spanish
    assert "no los promete" in spanish  # the footer's "measures, never promises" line
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Emergency?" in client.get("/").content.decode()


def test_a_spanish_speaking_patient_sees_the_portal_in_spanish_unless_they_choose_otherwise(client, clinic):
    user = UserFactory()
    PatientFactory(clinic=clinic, user=user, preferred_language="es")
    assert "Emergency?" in client.get("/").content.decode()  # before signing in: the browser's language
    client.force_login(user)
    portal = client.get("/portal/").content.decode()
    assert '<html lang="es">' in portal and "Mis citas" in portal
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert "My appointments" in client.get("/portal/").content.decode()


def test_an_english_speaking_patient_is_not_switched(client, clinic):
    user = UserFactory()
    PatientFactory(clinic=clinic, user=user, preferred_language="en")
    client.force_login(user)
    assert "My appointments" in client.get("/portal/", headers={"Accept-Language": "es"}).content.decode()


def test_the_booking_e_mail_goes_out_in_the_patients_language(
    clinic, mailoutbox, django_capture_on_commit_callbacks
):
    clinic.time_zone = "Europe/Madrid"
    clinic.save()
    practitioner(clinic, title="Physician", hours=((0, 5), "09:00", "13:00"))
    kind = AppointmentTypeFactory(clinic=clinic, name="Consulta")
    for language in ("es", "en"):
        user = UserFactory()
        patient = PatientFactory(clinic=clinic, user=user, preferred_language=language)
        with django_capture_on_commit_callbacks(execute=True):
            services.appointment_book(
                actor=user,
                patient=patient,
                appointment_type=kind,
                start=dt.datetime(2027, 3, 2, 9 if language == "es" else 10, tzinfo=dt.UTC),
                now=NOW,
            )
    subjects = [m.subject.split(":")[0] for m in mailoutbox]
    assert subjects == ["Cita confirmada", "Appointment confirmed"]
