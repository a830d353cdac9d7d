"""Cohort outcomes: counts, intervals, lost to follow-up counted as missing, research export with consent."""

import csv
import datetime as dt
import io

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent, Clinic
from exoclinic.outcomes import services
from exoclinic.outcomes.cohort import CohortFilters, cohort_summary, research_id
from tests.factories import PASSWORD, PatientFactory
from tests.outcomes.factories import isncsci_items, scim_items

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _treated(clinic, clinician, days_ago, **patient_fields):
    patient = PatientFactory(clinic=clinic, **patient_fields)
    first = TODAY - dt.timedelta(days=days_ago)
    services.follow_up_schedule_sync(actor=clinician, patient=patient, first_procedure=first)
    return patient, first


def _scim(clinician, patient, day, total_change=0):
    # mobility_indoors is 2 in the base items; raising it (up to 8) changes the total by the same amount
    items = (
        scim_items(mobility_indoors=2 + total_change)
        if total_change <= 6
        else scim_items(mobility_indoors=8, mobility_moderate=2 + total_change - 6)
    )
    return services.assessment_record(
        actor=clinician, patient=patient, instrument="scim3", items=items, taken_on=day
    )


@pytest.fixture
def cohort(clinic, staff):
    clinician = staff(Role.CLINICIAN)
    twelve = dt.timedelta(days=365)
    p1, first = _treated(
        clinic, clinician, 420, research_consent=True, research_consent_at=dt.datetime.now(dt.UTC)
    )
    _scim(clinician, p1, first - dt.timedelta(days=3))
    _scim(clinician, p1, first + twelve, total_change=12)
    services.assessment_record(
        actor=clinician, patient=p1, instrument="isncsci", items=isncsci_items(), taken_on=first
    )
    services.assessment_record(
        actor=clinician,
        patient=p1,
        instrument="isncsci",
        items=isncsci_items(ais="B"),
        taken_on=first + twelve,
    )
    p2, first = _treated(clinic, clinician, 450, sci_ais_grade="B", sci_neurological_level="C5")
    _scim(clinician, p2, first)
    _scim(clinician, p2, first + twelve, total_change=2)
    p3, first = _treated(clinic, clinician, 500, sci_ais_grade="C")
    _scim(clinician, p3, first - dt.timedelta(days=1))  # lost to follow-up: no 12-month measurement
    p4, first = _treated(clinic, clinician, 100, sci_ais_grade="D")
    _scim(clinician, p4, first)  # 12-month point still ahead
    return {"clinician": clinician, "patients": [p1, p2, p3, p4]}


def test_summary_counts_measured_missing_and_not_yet_due(clinic, cohort):
    summary = cohort_summary(clinics=Clinic.objects.filter(pk=clinic.pk), filters=CohortFilters(point=12))
    scim = next(m for m in summary.measures if m.code == "scim3.total")
    assert (scim.with_baseline, scim.measured, scim.missing, scim.not_yet_due) == (4, 2, 1, 1)
    assert scim.mean_change.n == 2 and scim.mean_change.mean == pytest.approx(7.0)
    assert scim.mean_change.lower < 7 < scim.mean_change.upper
    assert (scim.reaching.successes, scim.reaching.n) == (1, 2)
    assert 0 < scim.reaching.lower < 0.5 < scim.reaching.upper < 1
    assert scim.source and "Scivoletto" in scim.source


def test_ais_table_counts_lost_patients_in_the_missing_column(clinic, cohort):
    summary = cohort_summary(clinics=Clinic.objects.filter(pk=clinic.pk), filters=CohortFilters(point=12))
    table = summary.ais_table
    assert table.count("A", "B") == 1
    assert table.count("B", "missing") == 1 and table.count("C", "missing") == 1
    assert table.n == 3 and table.lost_to_follow_up == 2  # the patient whose point is ahead is not counted


def test_filters_by_baseline_ais_and_level_group(clinic, cohort):
    clinics = Clinic.objects.filter(pk=clinic.pk)
    only_a = cohort_summary(clinics=clinics, filters=CohortFilters(point=12, ais="A"))
    assert only_a.patients == 1
    cervical = cohort_summary(clinics=clinics, filters=CohortFilters(point=12, level_group="cervical"))
    assert cervical.patients == 2  # the C6 exam and the C5 record


def test_director_sees_the_cohort_page_and_others_do_not(client, clinic, cohort, staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    client.login(email=director.email, password=PASSWORD)
    page = client.get("/staff/outcomes/cohort/?point=12").content.decode()
    assert "Reaching meaningful change" in page and "SCIM III total" in page
    assert AuditEvent.objects.filter(action="cohort.view", actor=director).exists()
    client.login(email=cohort["clinician"].email, password=PASSWORD)
    assert client.get("/staff/outcomes/cohort/").status_code == 403
    admin = staff(Role.ADMIN)
    client.login(email=admin.email, password=PASSWORD)
    assert client.get("/staff/outcomes/cohort/").status_code == 200


def test_unknown_point_is_refused_naming_the_filter(client, cohort, staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    client.login(email=director.email, password=PASSWORD)
    page = client.get("/staff/outcomes/cohort/?point=5").content.decode()
    assert "Choose a follow-up point" in page


def test_research_export_holds_only_consenting_patients_under_pseudonyms(client, cohort, staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    client.login(email=director.email, password=PASSWORD)
    response = client.get("/staff/outcomes/research-export.csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    consenting = cohort["patients"][0]
    assert rows and {row["research_id"] for row in rows} == {research_id(consenting.pk)}
    assert consenting.last_name not in body and consenting.record_number not in body
    scim_rows = [row for row in rows if row["measure"] == "scim3.total"]
    assert {row["follow_up_months"] for row in scim_rows} == {"0", "12"}
    assert AuditEvent.objects.filter(action="research_export.download").exists()
    dictionary = client.get("/staff/outcomes/data-dictionary.csv").content.decode()
    assert all(name in dictionary for name in rows[0])


def test_research_id_is_a_keyed_hmac(settings):
    settings.EXOCLINIC_OUTCOMES = {"RESEARCH_ID_SECRET": "one"}
    first = research_id(42)
    assert first == research_id(42) and first != research_id(43)
    settings.EXOCLINIC_OUTCOMES = {"RESEARCH_ID_SECRET": "two"}
    assert research_id(42) != first
