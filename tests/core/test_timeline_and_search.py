import pytest
from django.urls import reverse

from exoclinic.accounts.models import Role
from exoclinic.core import selectors
from exoclinic.core.errors import InvalidInput
from exoclinic.core.models import AuditEvent, Patient
from exoclinic.core.timeline import Step, StepEvidence, build_timeline, patient_timeline
from tests.factories import PatientFactory


def test_a_new_patient_record_is_at_the_consultation_step(patient):
    timeline = patient_timeline(patient)
    assert [s.state for s in timeline.steps[:3]] == ["done", "done", "current"]
    assert timeline.current.step == Step.CONSULTATION


def test_current_step_is_the_first_step_not_done_and_a_later_record_does_not_skip_it():
    evidence = [StepEvidence(s, True) for s in (Step.APPLY, Step.REVIEW, Step.CONSULTATION, Step.TREATMENT)]
    timeline = build_timeline(evidence)
    assert timeline.current.step == Step.PLAN_CONSENT
    # A treatment record without a plan and consent before it does not make TREATMENT done.
    assert {s.step for s in timeline.steps if s.state == "done"} == {
        Step.APPLY,
        Step.REVIEW,
        Step.CONSULTATION,
    }


def test_every_step_done_leaves_no_current_step():
    assert build_timeline([StepEvidence(s, True) for s in Step]).current is None


def test_search_finds_by_name_dob_and_email_within_the_clinic_only(clinic, other_clinic, staff):
    import datetime as dt

    mine = PatientFactory(
        clinic=clinic,
        first_name="Ana",
        last_name="García",
        email="ana@example.org",
        date_of_birth=dt.date(1988, 4, 12),
    )
    PatientFactory(clinic=other_clinic, first_name="Ana", last_name="García", email="ana2@example.org")
    coordinator = staff(Role.COORDINATOR)
    assert selectors.patient_search(user=coordinator, name="garc") == [mine]
    assert selectors.patient_search(user=coordinator, date_of_birth="1988-04-12") == [mine]
    assert selectors.patient_search(user=coordinator, date_of_birth="12/04/1988") == [mine]
    assert selectors.patient_search(user=coordinator, email="ANA@") == [mine]
    assert selectors.patient_search(user=coordinator, name="ana", email="nobody") == []
    assert AuditEvent.objects.filter(action="patient.search", actor=coordinator).count() == 5


def test_search_with_a_bad_date_names_the_field(staff):
    with pytest.raises(InvalidInput) as err:
        selectors.patient_search(user=staff(Role.COORDINATOR), date_of_birth="31-31-1990")
    assert err.value.field == "date_of_birth"


def test_staff_search_page_shows_results_and_a_bad_date_message(client, patient, staff):
    client.force_login(staff(Role.COORDINATOR))
    page = client.get(reverse("staff:home"), {"name": patient.last_name})
    assert reverse("staff:patient", args=[patient.pk]) in page.content.decode()
    bad = client.get(reverse("staff:home"), {"date_of_birth": "yesterday"})
    assert bad.status_code == 200
    assert "YYYY-MM-DD" in bad.content.decode()


def test_portal_shows_the_timeline_with_the_current_step(client, patient, patient_user):
    client.force_login(patient_user)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'aria-current="step"' in html
    assert "Consultation" in html


def test_portal_profile_keeps_values_and_names_the_field_on_error(client, patient, patient_user):
    client.force_login(patient_user)
    response = client.post(
        reverse("portal:profile"),
        {
            "patient": patient.pk,
            "email": "new@example.org",
            "phone": "+34 1 2 3",
            "preferred_contact_method": "phone",
            "preferred_language": "en",
            "time_zone": "Atlantis/Capital",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Atlantis/Capital" in html and "+34 1 2 3" in html
    assert "not an IANA time zone" in html
    patient.refresh_from_db()
    assert patient.email != "new@example.org"


def test_portal_profile_saves_contact_details(client, patient, patient_user):
    client.force_login(patient_user)
    response = client.post(
        reverse("portal:profile"),
        {
            "patient": patient.pk,
            "email": "new@example.org",
            "phone": "+34 600 1",
            "preferred_contact_method": "phone",
            "preferred_language": "es",
            "time_zone": "Europe/Madrid",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.pending_email, patient.preferred_language, patient.time_zone) == (
        "new@example.org",  # the new address counts once confirmed (tests/intake/test_patient_matching.py)
        "es",
        "Europe/Madrid",
    )


def test_chart_shows_time_since_injury(client, patient, staff):
    import datetime as dt

    from django.utils import timezone

    patient.sci_date_of_injury = timezone.localdate() - dt.timedelta(days=800)
    patient.save()
    client.force_login(staff(Role.CLINICIAN))
    html = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert "2\xa0years" in html and "ago" in html


def test_chart_links_to_the_patients_treatment_progress_and_exams(client, patient, staff):
    client.force_login(staff(Role.CLINICIAN))
    html = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    for name in ("treatment:staff-patient", "outcomes:staff-progress", "exams:patient-exams"):
        url = reverse(name, args=[patient.pk])
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200


def test_a_clinician_records_the_usual_systolic_pressure_and_bad_values_are_refused(client, patient, staff):
    from exoclinic.core.models import AuditEvent

    url = reverse("staff:baseline-bp", args=[patient.pk])
    client.force_login(staff(Role.CLINICIAN))
    client.post(url, {"baseline_systolic_mmhg": "105"})
    patient.refresh_from_db()
    assert patient.baseline_systolic_mmhg == 105
    assert AuditEvent.objects.get(action="patient.update").detail == {"fields": ["baseline_systolic_mmhg"]}
    html = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert "105 mmHg" in html

    page = client.post(url, {"baseline_systolic_mmhg": "300"}, follow=True).content.decode()
    assert "Usual systolic pressure" in page and "200" in page
    page = client.post(url, {"baseline_systolic_mmhg": "high"}, follow=True).content.decode()
    assert "whole number of mmHg" in page
    patient.refresh_from_db()
    assert patient.baseline_systolic_mmhg == 105


def test_only_clinicians_record_the_usual_systolic_pressure(client, patient, staff):
    client.force_login(staff(Role.COORDINATOR))
    response = client.post(reverse("staff:baseline-bp", args=[patient.pk]), {"baseline_systolic_mmhg": "105"})
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.baseline_systolic_mmhg is None


def test_timelines_of_many_patients_are_each_patients_own(db):
    """Every app answers for the whole list at once; nobody's evidence leaks into another's timeline."""
    from django.core.management import call_command

    from exoclinic.core.timeline import patient_timelines

    call_command("seed_demo", quiet=True)
    patients = list(Patient.objects.order_by("pk"))
    together = patient_timelines(patients)

    def summary(timeline):
        return [(s.step, s.state, s.when, s.notes) for s in timeline.steps]

    for patient in patients:
        assert summary(together[patient.pk]) == summary(patient_timeline(patient)), patient
    # The demo's patients are at different points, so a mix-up would show.
    assert len({repr(summary(t)) for t in together.values()}) >= 3


def test_the_staff_patient_list_costs_the_same_queries_for_5_or_25_patients(client, clinic, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exoclinic.accounts.services import api_token_issue

    token = api_token_issue(user=staff(Role.COORDINATOR))[1]
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})  # the token's first use is noted
    counts = []
    for total in (5, 25):
        while Patient.objects.filter(clinic=clinic).count() < total:
            PatientFactory(clinic=clinic)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and len(response.json()) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
