"""Symptom reports: triage with the active rule set, storage, audit, alert, e-mail and hook."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from exoclinic.accounts.models import Role
from exoclinic.core import hooks
from exoclinic.core.errors import Conflict, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.triage import services
from exoclinic.triage.context import patient_context
from exoclinic.triage.engine import ProcedureRoute, Vitals
from exoclinic.triage.models import SymptomReport, TriageAlert, TriageRuleSet
from exoclinic.triage.ruleset import DEFAULT_RULESET, RuleSetError, ruleset_with
from tests.factories import PatientFactory, UserFactory
from tests.triage.factories import AD_HEADACHE, OnCallShiftFactory, S, answers

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def rota(clinic, staff):
    first = staff(Role.COORDINATOR)
    second = staff(Role.CLINICIAN)
    director = staff(Role.CLINICIAN, is_medical_director=True)
    OnCallShiftFactory(clinic=clinic, user=first, position=1)
    OnCallShiftFactory(clinic=clinic, user=second, position=2)
    return first, second, director


def test_t4_pounding_headache_is_stored_as_emergency_with_its_version_and_alerts_the_first_on_call(
    patient, patient_user, rota, django_capture_on_commit_callbacks
):
    first, _second, _director = rota
    with django_capture_on_commit_callbacks(execute=True):
        report = services.symptom_report_submit(
            actor=patient_user, patient=patient, answers=answers(AD_HEADACHE), now=NOW
        )
    assert report.level == "emergency"
    assert report.ruleset.version == DEFAULT_RULESET.version and report.ruleset.is_active
    assert report.inputs["context"]["injury_level"] == "T4"
    assert "autonomic_dysreflexia" in [f["code"] for f in report.outcome["findings"]]
    alert = TriageAlert.objects.get(report=report)
    assert (alert.level, alert.escalation_step, alert.escalated_to) == ("emergency", 0, first)
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert "EMERGENCY" in mail.outbox[0].subject and patient.record_number in mail.outbox[0].subject
    actions = set(AuditEvent.objects.filter(patient=patient).values_list("action", flat=True))
    assert {"symptom_report.submit", "triage_alert.raise"} <= actions


def test_expected_mild_headache_on_day_one_is_self_care_and_raises_no_alert(
    patient, patient_user, rota, monkeypatch
):
    monkeypatch.setattr(
        "exoclinic.triage.services.patient_context",
        lambda p, now: patient_context(p, now=now).__class__(
            injury_level="T8", days_since_procedure=1, procedure_route=ProcedureRoute.LOCAL_INJECTION
        ),
    )
    report = services.symptom_report_submit(
        actor=patient_user,
        patient=patient,
        answers=answers({S.HEADACHE: {"answer": "yes", "severity": "mild", "onset_hours_ago": 5}}),
        now=NOW,
    )
    assert report.level == "self_care"
    assert not TriageAlert.objects.exists()
    assert mail.outbox == []


def test_caregiver_may_report_and_staff_or_strangers_may_not(patient, clinic, staff):
    caregiver = UserFactory()
    patient.caregiver = caregiver
    patient.save()
    report = services.symptom_report_submit(actor=caregiver, patient=patient, answers=answers(), now=NOW)
    assert report.submitted_by == caregiver
    for outsider in (staff(Role.CLINICIAN), UserFactory()):
        with pytest.raises(NotFound):
            services.symptom_report_submit(actor=outsider, patient=patient, answers=answers(), now=NOW)


def test_a_double_submit_stores_one_report(patient, patient_user):
    key = uuid.uuid4()
    first = services.symptom_report_submit(
        actor=patient_user, patient=patient, answers=answers(AD_HEADACHE), now=NOW, submission_key=key
    )
    again = services.symptom_report_submit(
        actor=patient_user, patient=patient, answers=answers(AD_HEADACHE), now=NOW, submission_key=key
    )
    assert again.pk == first.pk
    assert SymptomReport.objects.count() == 1 and TriageAlert.objects.count() == 1


def test_symptom_reported_hook_runs_after_commit(
    patient, patient_user, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    monkeypatch.setattr(hooks, "symptom_reported", [seen.append])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services.symptom_report_submit(
            actor=patient_user, patient=patient, answers=answers(), now=NOW
        )
        assert seen == []
    for callback in callbacks:
        callback()
    assert seen == [report]


def test_missing_answers_count_as_dont_know_and_never_give_self_care(patient, patient_user):
    report = services.symptom_report_submit(actor=patient_user, patient=patient, answers=(), now=NOW)
    # Rule set 2026.2: an open question alone is routine (the clinic checks), not an urgent alert (issue 19).
    assert report.level == "routine"
    assert not TriageAlert.objects.filter(report=report).exists()


def test_escalation_chain_is_the_rota_in_order_then_the_medical_director_once(clinic, rota, staff):
    first, second, director = rota
    OnCallShiftFactory(clinic=clinic, user=director, position=3)  # on the rota and director: listed once
    OnCallShiftFactory(
        clinic=clinic,
        user=staff(Role.CLINICIAN),
        starts_at=NOW + dt.timedelta(hours=1),
        ends_at=NOW + dt.timedelta(hours=9),
    )  # not on call yet
    assert services.escalation_chain(clinic, at=NOW) == [first.pk, second.pk, director.pk]


def test_with_nobody_on_the_rota_the_medical_director_gets_the_alert(
    patient, patient_user, staff, django_capture_on_commit_callbacks
):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.symptom_report_submit(
            actor=patient_user, patient=patient, answers=answers(AD_HEADACHE), now=NOW
        )
    assert TriageAlert.objects.get().escalated_to == director
    assert [m.to for m in mail.outbox] == [[director.email]]


def test_context_counts_days_since_the_latest_procedure_and_takes_its_route(patient):
    from tests.products.factories import released_lot
    from tests.treatment.factories import approved_plan_with_consent
    from tests.treatment.helpers import record

    assert patient_context(patient, now=NOW).procedure_route == ProcedureRoute.NONE
    first = NOW - dt.timedelta(days=30)
    plan = approved_plan_with_consent(
        patient, at=first - dt.timedelta(days=1), planned_sessions=2, session_interval_days=28
    )
    lot = released_lot(clinic=patient.clinic)
    record(plan, actor=plan.approved_by, lot=lot, at=first, route="local_injection")
    record(plan, actor=plan.approved_by, lot=lot, at=NOW - dt.timedelta(days=2), route="intrathecal")

    context = patient_context(patient, now=NOW)
    assert context.injury_level == "T4"
    assert context.days_since_procedure == pytest.approx(2)
    assert context.procedure_route == ProcedureRoute.INTRATHECAL


def test_vitals_are_stored_with_the_inputs(patient, patient_user):
    report = services.symptom_report_submit(
        actor=patient_user, patient=patient, answers=answers(), vitals=Vitals(systolic_mmhg=150), now=NOW
    )
    assert report.inputs["vitals"]["systolic_mmhg"] == 150
    assert report.level == "emergency"  # T4, 150 is 50 above the default baseline of 100


# ------------------------------------------------------------------------------------------- rule sets


def test_only_the_medical_director_publishes_a_rule_set(staff):
    clinician = staff(Role.CLINICIAN)
    draft = ruleset_with(DEFAULT_RULESET, version="2026.2", expected_effect_days=2).to_dict()
    with pytest.raises(PermissionDenied):
        services.ruleset_publish(actor=clinician, data=draft, change_note="shorter window")


def test_publishing_a_version_activates_it_and_keeps_the_old_one_unchanged(staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    old = services.ruleset_ensure_active()
    draft = ruleset_with(DEFAULT_RULESET, version="2026.2-local", expected_effect_days=2).to_dict()
    new = services.ruleset_publish(actor=director, data=draft, change_note="Two days, as agreed on 1 Nov.")
    old.refresh_from_db()
    assert new.is_active and not old.is_active
    assert old.data == DEFAULT_RULESET.to_dict()
    assert new.author == director and new.data["parameters"]["expected_effect_days"] == 2
    with pytest.raises(Conflict):
        services.ruleset_publish(actor=director, data=draft, change_note="again")
    services.ruleset_activate(actor=director, ruleset=old)
    assert TriageRuleSet.objects.get(is_active=True) == old


def test_an_invalid_rule_set_is_refused_naming_the_key(staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    draft = DEFAULT_RULESET.to_dict()
    draft["version"] = "bad"
    draft["rules"]["autonomic_dysreflexia"]["enabled"] = False
    with pytest.raises(RuleSetError) as error:
        services.ruleset_publish(actor=director, data=draft, change_note="try")
    assert error.value.field == "rules.autonomic_dysreflexia.enabled"


def test_the_database_refuses_two_active_rule_sets(db):
    services.ruleset_ensure_active()
    with pytest.raises(IntegrityError):
        TriageRuleSet.objects.create(version="x", data={}, change_note="x", is_active=True)


def test_reports_of_another_clinic_patient_do_not_alert_this_clinic(
    other_clinic, rota, django_capture_on_commit_callbacks
):
    other_user = UserFactory()
    other_patient = PatientFactory(clinic=other_clinic, user=other_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.symptom_report_submit(
            actor=other_user, patient=other_patient, answers=answers(AD_HEADACHE), now=NOW
        )
    alert = TriageAlert.objects.get()
    assert alert.clinic == other_clinic and alert.chain == []
    assert [m.to for m in mail.outbox] == [[other_clinic.email]]


def test_the_patients_usual_systolic_pressure_is_the_baseline_triage_compares_with(patient, patient_user):
    assert patient_context(patient, now=NOW).baseline_systolic_mmhg is None
    patient.baseline_systolic_mmhg = 130
    patient.save()
    assert patient_context(patient, now=NOW).baseline_systolic_mmhg == 130
    # 145 is 45 above the default baseline of 100 but only 15 above this patient's usual 130.
    report = services.symptom_report_submit(
        actor=patient_user, patient=patient, answers=answers(), vitals=Vitals(systolic_mmhg=145), now=NOW
    )
    assert report.level != "emergency"


def test_a_clinician_records_the_usual_resting_pulse_and_triage_compares_a_slow_pulse_with_it(
    client, patient, patient_user, staff
):
    client.force_login(staff(Role.CLINICIAN))
    client.post(reverse("staff:baseline-bp", args=[patient.pk]), {"baseline_heart_rate_bpm": "56"})
    patient.refresh_from_db()
    assert patient.baseline_heart_rate_bpm == 56
    assert patient_context(patient, now=NOW).baseline_heart_rate_bpm == 56
    # T4 (the factory's level): 47 is below the default 50 but within 10 of this patient's usual 56.
    report = services.symptom_report_submit(
        actor=patient_user, patient=patient, answers=answers(), vitals=Vitals(heart_rate_bpm=47), now=NOW
    )
    assert report.level == "self_care"
    report = services.symptom_report_submit(
        actor=patient_user, patient=patient, answers=answers(), vitals=Vitals(heart_rate_bpm=45), now=NOW
    )
    assert report.level == "emergency"
