"""What outcomes takes from intake and treatment: first diary entry, therapies, procedures, filters."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic
from exoclinic.outcomes import integrations, services, tasks
from exoclinic.outcomes.cohort import CohortFilters, cohort_summary
from exoclinic.outcomes.models import FollowUpSchedule
from tests.factories import PASSWORD, PatientFactory
from tests.outcomes.factories import RATINGS, scim_items

pytestmark = pytest.mark.django_db


def test_application_self_ratings_are_the_first_diary_entry(client, patient, patient_user, monkeypatch):
    submitted = dt.datetime(2025, 1, 3, 10, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(
        integrations, "application_self_ratings", lambda p: (submitted, {**RATINGS, "pain": 8})
    )
    services.diary_entry_record(actor=patient_user, patient=patient, ratings={**RATINGS, "pain": 5})
    client.login(email=patient_user.email, password=PASSWORD)
    page = client.get("/portal/progress/").content.decode()
    assert "2025-01-03 (application)" in page
    assert "went down from 8 to 5 (better)" in page


def test_concurrent_therapies_are_listed_without_a_causal_claim(client, patient, patient_user, monkeypatch):
    monkeypatch.setattr(integrations, "concurrent_therapies", lambda p: ["Physiotherapy", "Hydrotherapy"])
    client.login(email=patient_user.email, password=PASSWORD)
    page = client.get("/portal/progress/").content.decode()
    therapies = page.split('data-testid="concurrent-therapies"')[1].split("</dd>")[0]
    assert "Physiotherapy" in therapies and "Hydrotherapy" in therapies
    assert "physiotherapy is itself a cause of gains" in page
    assert "they do not show what caused the change" in page


def test_daily_sync_creates_schedules_from_first_procedures(patient, monkeypatch):
    untreated = PatientFactory(clinic=patient.clinic)
    first = dt.datetime(2025, 2, 1, 23, 30, tzinfo=dt.UTC)  # already 2 February in Madrid
    monkeypatch.setattr(
        integrations,
        "cohort_treatment_facts",
        lambda ids: {
            pk: {
                "therapies": set(),
                "lot_codes": set(),
                "first_procedure_at": first if pk == patient.pk else None,
            }
            for pk in ids
        },
    )
    assert tasks.sync_schedules() == 1
    schedule = FollowUpSchedule.objects.get(patient=patient)
    assert schedule.first_procedure_on == dt.date(2025, 2, 2)
    assert not FollowUpSchedule.objects.filter(patient=untreated).exists()


def test_cohort_filters_by_therapy_and_lot(clinic, staff, monkeypatch):
    clinician = staff(Role.CLINICIAN)
    today = dt.date.today()
    patients = []
    for therapy, lot in (("exosome", "LOT-1"), ("stem_cell", "LOT-2")):
        patient = PatientFactory(clinic=clinic)
        first = today - dt.timedelta(days=420)
        services.follow_up_schedule_sync(actor=clinician, patient=patient, first_procedure=first)
        services.assessment_record(
            actor=clinician, patient=patient, instrument="scim3", items=scim_items(), taken_on=first
        )
        patients.append((patient.pk, therapy, lot))
    facts = {
        pk: {"therapies": {therapy}, "lot_codes": {lot}, "first_procedure_at": None}
        for pk, therapy, lot in patients
    }
    monkeypatch.setattr(
        integrations, "cohort_treatment_facts", lambda ids: {pk: facts[pk] for pk in ids if pk in facts}
    )
    clinics = Clinic.objects.filter(pk=clinic.pk)
    assert cohort_summary(clinics=clinics, filters=CohortFilters(therapy="exosome")).patients == 1
    assert cohort_summary(clinics=clinics, filters=CohortFilters(lot="LOT-2")).patients == 1
    assert cohort_summary(clinics=clinics, filters=CohortFilters()).patients == 2
