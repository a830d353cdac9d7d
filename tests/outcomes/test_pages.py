"""Pages: recording an instrument, the weekly diary, progress (portal and staff), follow-ups, reports."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.outcomes import services
from exoclinic.outcomes.models import Assessment, DiaryEntry
from tests.factories import PASSWORD, PatientFactory, UserFactory
from tests.outcomes.factories import RATINGS, AssessmentFactory, DiaryEntryFactory, isncsci_items, scim_items

pytestmark = pytest.mark.django_db


def _scim_post(taken_on="2025-01-10", submission="s1", **changes):
    data = {f"item_{key}": value for key, value in scim_items(**changes).items()}
    return {**data, "taken_on": taken_on, "submission": submission}


def _login(client, user):
    client.login(email=user.email, password=PASSWORD)


def test_clinician_records_scim_and_sees_change_against_threshold(client, patient, staff):
    clinician = staff(Role.CLINICIAN)
    _login(client, clinician)
    url = f"/staff/patients/{patient.pk}/assessments/scim3/new/"
    assert client.get(url).status_code == 200
    client.post(url, _scim_post("2025-01-10", "a"))
    response = client.post(
        url, _scim_post("2025-07-10", "b", mobility_indoors=8, mobility_moderate=6), follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert Assessment.objects.count() == 2
    assert "improved beyond threshold" in page
    assert "Total SCIM III score went up by 10 points" in page or "10 points" in page
    assert "Scivoletto 2013" in page


def test_rejected_instrument_form_keeps_values_and_names_the_item(client, patient, staff):
    _login(client, staff(Role.CLINICIAN))
    url = f"/staff/patients/{patient.pk}/assessments/grip/new/"
    response = client.post(url, {"item_right_kg": "150", "item_left_kg": "22.5", "taken_on": "2025-01-10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Grip strength, right hand takes a number from 0 to 100 kg" in page
        and 'value="22.5"' in page
        and 'value="150"' in page
    )
    assert not Assessment.objects.exists()


def test_double_submit_of_the_same_form_creates_one_assessment(client, patient, staff):
    _login(client, staff(Role.CLINICIAN))
    url = f"/staff/patients/{patient.pk}/assessments/scim3/new/"
    client.post(url, _scim_post(submission="same"))
    client.post(url, _scim_post(submission="same"))
    assert Assessment.objects.count() == 1


def test_coordinator_sees_progress_but_cannot_open_an_instrument_form(client, patient, staff):
    _login(client, staff(Role.COORDINATOR))
    assert client.get(f"/staff/patients/{patient.pk}/progress/").status_code == 200
    assert client.get(f"/staff/patients/{patient.pk}/assessments/scim3/new/").status_code == 404
    assert AuditEvent.objects.filter(
        action="patient.view", patient=patient, detail__purpose="progress"
    ).exists()


def test_other_clinics_staff_get_404_on_progress(client, patient, staff, other_clinic):
    _login(client, staff(Role.CLINICIAN, at=other_clinic))
    assert client.get(f"/staff/patients/{patient.pk}/progress/").status_code == 404


def test_patient_fills_in_the_diary_and_sees_a_chart(client, patient, patient_user):
    _login(client, patient_user)
    assert "Weekly diary" in client.get("/portal/diary/").content.decode()
    response = client.post("/portal/diary/", RATINGS, follow=True)
    page = response.content.decode()
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    response = client.post("/portal/diary/", {**RATINGS, "pain": "12"})
    assert "outside 0 to 10" in response.content.decode()
    assert DiaryEntry.objects.get().pain == RATINGS["pain"]


def test_progress_shows_time_since_injury_and_the_natural_recovery_note(client, clinic, staff):
    user = UserFactory()
    patient = PatientFactory(clinic=clinic, user=user, sci_date_of_injury=dt.date(2024, 11, 1))
    AssessmentFactory(patient=patient, taken_on=dt.date(2025, 2, 1))
    _login(client, user)
    page = client.get("/portal/progress/").content.decode()
    assert "Time since injury" in page
    assert "natural-recovery-note" in page and "cannot be credited to a therapy" in page


def test_no_natural_recovery_note_for_a_chronic_baseline(client, clinic):
    user = UserFactory()
    patient = PatientFactory(clinic=clinic, user=user, sci_date_of_injury=dt.date(2020, 1, 1))
    AssessmentFactory(patient=patient, taken_on=dt.date(2025, 2, 1))
    _login(client, user)
    assert "natural-recovery-note" not in client.get("/portal/progress/").content.decode()


def test_ais_grade_change_is_highlighted(client, patient, staff):
    clinician = staff(Role.CLINICIAN)
    services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="isncsci",
        items=isncsci_items(),
        taken_on=dt.date(2025, 1, 5),
    )
    services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="isncsci",
        items=isncsci_items(ais="B"),
        taken_on=dt.date(2025, 7, 5),
    )
    _login(client, clinician)
    page = client.get(f"/staff/patients/{patient.pk}/progress/").content.decode()
    assert 'data-testid="neuro-changed"' in page
    assert "AIS" in page


def test_progress_page_queries_stay_bounded_with_ten_years_of_diary(
    client, patient, patient_user, django_assert_max_num_queries
):
    start = dt.date(2015, 1, 5)
    DiaryEntry.objects.bulk_create(
        DiaryEntryFactory.build(patient=patient, week_start=start + dt.timedelta(weeks=i), pain=i % 11)
        for i in range(520)
    )
    Assessment.objects.bulk_create(
        AssessmentFactory.build(
            patient=patient,
            taken_on=start + dt.timedelta(days=90 * i),
            values={"average": i % 10},
            items={"average": i % 10},
            follow_up_months=0 if i == 0 else None,
        )
        for i in range(40)
    )
    _login(client, patient_user)
    with django_assert_max_num_queries(20):
        response = client.get("/portal/progress/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>20") >= 520


def test_follow_up_list_shows_overdue_points(client, patient, staff):
    services.follow_up_schedule_sync(
        actor=None, patient=patient, first_procedure=dt.date.today() - dt.timedelta(days=200)
    )
    _login(client, staff(Role.COORDINATOR))
    page = client.get("/staff/follow-ups/").content.decode()
    assert patient.last_name in page
    overdue = page.split('data-testid="follow-ups-overdue"')[1].split("</table>")[0]
    assert "1 month<" in overdue and "3 months" in overdue
    home = client.get("/staff/").content.decode()
    assert "overdue" in home


def test_reports_are_pdfs(client, patient, patient_user, staff):
    clinician = staff(Role.CLINICIAN)
    services.assessment_record(
        actor=clinician, patient=patient, instrument="scim3", items=scim_items(), taken_on=dt.date(2025, 1, 5)
    )
    services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="scim3",
        items=scim_items(stairs=3),
        taken_on=dt.date(2025, 4, 5),
    )
    services.diary_entry_record(actor=patient_user, patient=patient, ratings=RATINGS)
    _login(client, patient_user)
    mine = client.get("/portal/progress/report.pdf")
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    _login(client, clinician)
    clinical = client.get(f"/staff/patients/{patient.pk}/progress/report.pdf")
    assert clinical.status_code == 200 and clinical.content.startswith(b"%PDF")
    assert len(clinical.content) > 2000


def test_progress_page_opens_with_a_summary_naming_only_the_measures_that_changed(
    client, patient, patient_user, staff
):
    _login(client, staff(Role.CLINICIAN))
    url = f"/staff/patients/{patient.pk}/assessments/scim3/new/"
    client.post(url, _scim_post("2025-01-10", "a"))
    client.post(url, _scim_post("2025-07-10", "b", mobility_indoors=8, mobility_moderate=6))
    _login(client, patient_user)
    page = client.get("/portal/progress/").content.decode()
    summary = page[
        page.index('data-testid="progress-summary"') : page.index("</nav>", page.index("progress-summary"))
    ]
    assert page.index("progress-summary") < page.index('id="context-h"')  # before the long sections
    assert 'href="#ind-movement"' in summary and 'id="ind-movement"' in page
    assert "SCIM III total" in summary and "improved beyond threshold" in summary
    assert "self-care" not in summary  # unchanged measures stay in their sections
