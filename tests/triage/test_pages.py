"""Patient pages (portal report, anonymous self-check) and staff pages (alerts, explain, rota, report)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from exoclinic.accounts.models import Role
from exoclinic.triage import services
from exoclinic.triage.models import SymptomReport, TriageAlert
from exoclinic.triage.ruleset import DEFAULT_RULESET, SYMPTOMS, ruleset_with
from tests.factories import PatientFactory, UserFactory
from tests.triage.factories import AD_HEADACHE, OnCallShiftFactory, S, answers, form_data

SYMPTOMS_URL = "/portal/symptoms/"


def test_the_checklist_asks_every_question_in_a_fieldset_with_yes_no_and_dont_know(
    client, patient_user, patient
):
    client.force_login(patient_user)
    html = client.get(SYMPTOMS_URL).content.decode()
    assert html.count('<fieldset class="question') == len(SYMPTOMS) + 1  # + measurements
    for s in SYMPTOMS:
        assert f"<legend>{s.question}</legend>" in html.replace("&#x27;", "'")
        for value in ("yes", "no", "unknown"):
            assert f'id="id_answer_{s.code}_{["yes", "no", "unknown"].index(value)}"' in html
    assert "Don&#x27;t know" in html


def test_a_blank_answer_counts_as_dont_know_and_the_report_is_answered_at_once(client, patient_user, patient):
    client.force_login(patient_user)
    data = form_data()
    del data[f"answer_{S.CHEST_PAIN}"]
    data["temperature_c"] = "37.2"
    response = client.post(SYMPTOMS_URL, data)
    assert response.status_code == 302
    report = SymptomReport.objects.get()
    assert S.CHEST_PAIN.value not in {a["code"] for a in report.inputs["answers"]}  # left out: don't know
    assert report.level != "self_care"  # an open red flag is never "no warning signs"


def test_a_yes_without_severity_or_onset_is_answered_with_them_unknown(client, patient_user, patient):
    client.force_login(patient_user)
    response = client.post(SYMPTOMS_URL, form_data({S.NAUSEA: "yes"}))
    assert response.status_code == 302
    nausea = next(a for a in SymptomReport.objects.get().inputs["answers"] if a["code"] == "nausea")
    assert (nausea["severity"], nausea["onset_hours_ago"]) == (None, None)


def test_the_note_in_the_patients_own_words_is_stored_and_alerts_staff(client, patient_user, patient, staff):
    client.force_login(patient_user)
    response = client.post(SYMPTOMS_URL, {**form_data(), "note": "My left foot went cold and blue"})
    report = SymptomReport.objects.get()
    assert response.status_code == 302 and report.inputs["note"] == "My left foot went cold and blue"
    assert report.level == "routine" and report.alert.level == "routine"
    result = client.get(reverse("triage:symptom_result", args=[report.pk])).content.decode()
    assert "asked to respond within 120 minutes" in result
    clinician = staff(Role.CLINICIAN)
    client.force_login(clinician)
    html = client.get(reverse("triage:alerts")).content.decode()
    assert "My left foot went cold and blue" in html


def test_blank_headache_follow_ups_count_as_no_under_a_no_and_as_dont_know_otherwise(
    client, patient_user, patient
):
    client.force_login(patient_user)
    data = form_data()
    for code in (S.POUNDING_HEADACHE, S.HEADACHE_WORSE_UPRIGHT, S.HEADACHE_NOT_EASING_LYING):
        del data[f"answer_{code}"]
    assert client.post(SYMPTOMS_URL, data).status_code == 302
    data[f"answer_{S.HEADACHE}"] = "unknown"
    assert client.post(SYMPTOMS_URL, data).status_code == 302
    first, second = SymptomReport.objects.order_by("pk")
    assert first.level == "self_care" and second.level != "self_care"


def test_a_t4_patient_with_pounding_headache_and_sweating_sees_call_buttons_and_what_to_do(
    client, patient_user, patient, clinic
):
    client.force_login(patient_user)
    response = client.post(SYMPTOMS_URL, form_data(AD_HEADACHE), follow=True)
    html = response.content.decode()
    report = SymptomReport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("triage:symptom_result", args=[report.pk])
    assert report.level == "emergency" and TriageAlert.objects.filter(report=report).exists()
    assert 'href="tel:112"' in html and "Call emergency services" in html
    assert f'href="tel:{clinic.emergency_phone.replace(" ", "")}"' in html
    for step in ("Sit upright now", "Loosen tight clothing", "Check the bladder"):
        assert step in html
    assert "on-call team was alerted" in html


def test_the_same_submission_twice_stores_one_report(client, patient_user, patient):
    client.force_login(patient_user)
    data = form_data(AD_HEADACHE)
    data["submission_key"] = "3f1e0c3a-5b1f-4e55-9a6e-0000000000aa"
    client.post(SYMPTOMS_URL, data)
    client.post(SYMPTOMS_URL, data)
    assert SymptomReport.objects.count() == 1


def test_a_caregiver_reports_for_the_patient_and_others_cannot_read_the_result(client, patient, patient_user):
    caregiver = UserFactory()
    patient.caregiver = caregiver
    patient.save()
    client.force_login(caregiver)
    response = client.post(f"{SYMPTOMS_URL}?patient={patient.pk}", form_data())
    report = SymptomReport.objects.get()
    assert response.status_code == 302 and report.patient == patient and report.submitted_by == caregiver
    client.force_login(UserFactory())
    assert client.get(reverse("triage:symptom_result", args=[report.pk])).status_code == 404
    assert client.get(f"{SYMPTOMS_URL}?patient={patient.pk}").status_code == 404


def test_the_anonymous_self_check_gives_advice_and_stores_nothing(client, clinic):
    data = {**form_data(AD_HEADACHE), "at_or_above_t6": "yes", "days_since_injection": "1"}
    response = client.post(reverse("triage:self_check"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Emergency: call now" in html and "Sit upright now" in html
    assert "nothing is saved" in html
    assert not SymptomReport.objects.exists() and not TriageAlert.objects.exists()


PARTIAL_AD = {  # issue 17: at or above T6, headache and pounding headache, 190/110, nothing else answered
    "at_or_above_t6": "yes",
    f"answer_{S.HEADACHE}": "yes",
    f"answer_{S.POUNDING_HEADACHE}": "yes",
    "systolic_mmhg": "190",
    "diastolic_mmhg": "110",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_partial_ad_report_gets_the_emergency_answer_first_in_one_post_without_script(
    client, clinic, language
):
    response = client.post(reverse("triage:self_check"), PARTIAL_AD, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    outcome = html.index('data-testid="triage-outcome"')
    assert 'class="triage-outcome level-emergency"' in html
    assert 'href="tel:112"' in html[outcome : outcome + 1500]  # the call button opens the outcome
    assert 'name="answer_' not in html  # the answer comes before (instead of) any further question
    assert "<script>" not in html  # no inline script: it works server-side


def test_the_portal_partial_ad_report_is_an_emergency_in_one_post(client, patient_user, patient):
    client.force_login(patient_user)
    data = {k: v for k, v in PARTIAL_AD.items() if k != "at_or_above_t6"}
    response = client.post(SYMPTOMS_URL, data, follow=True)
    assert SymptomReport.objects.get().level == "emergency"
    assert 'class="triage-outcome level-emergency"' in response.content.decode()


def test_the_emergency_page_offers_the_self_check(client, clinic):
    html = client.get("/emergency/").content.decode()
    assert f'action="{reverse("triage:self_check")}"' in html
    assert html.index("self-check-title") < html.index("Warning signs after an injection")


# ---------------------------------------------------------------------------------------------- staff


@pytest.fixture
def alert(patient, patient_user):
    report = services.symptom_report_submit(actor=patient_user, patient=patient, answers=answers(AD_HEADACHE))
    return TriageAlert.objects.get(report=report)


def test_staff_home_shows_open_alerts_of_their_clinic_only(client, staff, alert, other_clinic, patient):
    client.force_login(staff(Role.COORDINATOR))
    html = client.get("/staff/").content.decode()
    assert 'data-testid="alerts-panel"' in html and patient.full_name in html
    assert html.index("alerts-panel") < html.index("Find a patient")
    client.force_login(staff(Role.CLINICIAN, at=other_clinic))
    assert patient.full_name not in client.get("/staff/").content.decode()


def test_acknowledging_from_the_alerts_page_records_who(client, staff, alert):
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(reverse("triage:alert_acknowledge", args=[alert.pk]), follow=True)
    assert "Alert acknowledged" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by == coordinator and alert.acknowledged_at is not None


def test_staff_of_another_clinic_get_404_for_alerts_and_explanations(client, staff, alert, other_clinic):
    client.force_login(staff(Role.CLINICIAN, at=other_clinic))
    assert client.post(reverse("triage:alert_acknowledge", args=[alert.pk])).status_code == 404
    assert client.get(reverse("triage:report_explain", args=[alert.report_id])).status_code == 404
    client.force_login(staff(Role.LAB))
    assert client.get(reverse("triage:report_explain", args=[alert.report_id])).status_code in (403, 404)


def test_the_explain_page_replays_the_stored_version_after_the_rules_change(client, staff, alert):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    services.ruleset_publish(
        actor=director,
        data=ruleset_with(DEFAULT_RULESET, version="2026.9", expected_effect_days=1).to_dict(),
        change_note="test",
    )
    client.force_login(director)
    html = client.get(reverse("triage:report_explain", args=[alert.report_id])).content.decode()
    assert f"Re-run now with rules version {DEFAULT_RULESET.version}" in html
    assert "the active version is now 2026.9" in html
    assert "autonomic_dysreflexia" in html
    row = html[html.index("Is it a pounding headache?") :]
    assert row.index("<td>yes</td>") < row.index("</tr>")


def test_rota_page_lists_who_an_alert_goes_to_now(client, staff, clinic):
    first = staff(Role.COORDINATOR)
    director = staff(Role.CLINICIAN, is_medical_director=True)
    now = dt.datetime.now(dt.UTC)
    OnCallShiftFactory(
        clinic=clinic, user=first, starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=8)
    )
    client.force_login(first)
    html = client.get(reverse("triage:rota")).content.decode()
    chain = html[html.index('data-testid="chain-now"') :]
    assert chain.index(first.email) < chain.index(director.email)


def test_acknowledgement_report_page_shows_counts_and_times(client, staff, alert):
    coordinator = staff(Role.COORDINATOR)
    services.alert_acknowledge(actor=coordinator, alert=alert, now=alert.raised_at + dt.timedelta(minutes=7))
    client.force_login(coordinator)
    response = client.get(reverse("triage:ack_report"))
    row = response.context["rows"][0]
    assert (row.level, row.raised, row.acknowledged, row.median, row.p90) == ("emergency", 1, 1, 7.0, 7.0)


def test_another_patients_portal_cannot_submit_for_this_patient(client, patient):
    other = PatientFactory(user=UserFactory())
    client.force_login(other.user)
    assert client.post(f"{SYMPTOMS_URL}?patient={patient.pk}", form_data()).status_code == 404


def test_the_self_check_include_renders_anywhere_without_context(db):
    from django.template.loader import render_to_string

    html = render_to_string("triage/_self_check.html")
    assert f'action="{reverse("triage:self_check")}"' in html
    assert html.count('<fieldset class="question') == len(SYMPTOMS) + 2  # + injury level + measurements


def test_the_portal_home_invites_a_patient_to_report_symptoms(client, patient_user, patient):
    client.force_login(patient_user)
    html = client.get("/portal/").content.decode()
    assert f'href="{SYMPTOMS_URL}"' in html


def test_the_booking_gate_offers_the_self_check_that_runs_the_engine(client, clinic):
    html = client.get("/book/").content.decode()
    assert f'action="{reverse("triage:self_check")}"' in html
    data = {**form_data(AD_HEADACHE), "at_or_above_t6": "yes", "days_since_injection": "1"}
    assert "Emergency: call now" in client.post(reverse("triage:self_check"), data).content.decode()


def test_a_spanish_speaking_patient_reads_the_reasons_in_spanish_while_the_stored_decision_stays_english(
    client, patient_user, patient, clinic, staff
):
    from exoclinic.triage import selectors

    patient.preferred_language = "es"
    patient.save()
    client.force_login(patient_user)
    html = client.post(SYMPTOMS_URL, form_data(AD_HEADACHE), follow=True).content.decode()
    assert "Disreflexia autonómica: la lesión está en T6 o por encima" in html
    assert "Signos encontrados:" in html and "Found:" not in html
    assert "Autonomic dysreflexia" not in html
    report = SymptomReport.objects.get()
    stored = [f["reason"] for f in report.outcome["findings"]]
    assert stored[0].startswith("Autonomic dysreflexia: the injury is at or above T6")
    # Staff replay the English decision exactly, whatever language the patient read it in.
    assert selectors.report_explain(user=staff(Role.CLINICIAN), report_id=report.pk).matches


def test_the_anonymous_self_check_answers_in_the_chosen_language(client, clinic):
    client.post("/i18n/setlang/", {"language": "es", "next": "/emergency/"})
    data = {**form_data(AD_HEADACHE), "at_or_above_t6": "yes", "days_since_injection": "1"}
    html = client.post(reverse("triage:self_check"), data).content.decode()
    assert "Disreflexia autonómica" in html and "Siéntese ahora" in html
    assert "Autonomic dysreflexia" not in html and "Sit upright now" not in html
