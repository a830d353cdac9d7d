import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent, PatientMedication
from exoclinic.core.timeline import Step, StepState, patient_timeline
from exoclinic.treatment import selectors, services
from exoclinic.treatment.models import Consent, ConsentMethod, PlanStatus
from tests.treatment.factories import (
    PLAN_DEFAULTS,
    ConsentTextFactory,
    approved_plan_with_consent,
    consulted,
    plan_for,
)


def _state(patient, step):
    return next(s for s in patient_timeline(patient).steps if s.step == step)


def test_catalogue_has_exosome_and_stem_cell_with_three_routes_and_an_aftercare_template(clinic, staff):
    therapies = services.therapy_catalogue_ensure(actor=staff(Role.ADMIN), clinic=clinic)
    assert {t.code for t in therapies} == {"exosome", "stem_cell"}
    for therapy in therapies:
        assert set(therapy.routes) == {"local_injection", "intrathecal", "intravenous"}
        template = therapy.aftercare_template
        assert {r.kind for r in template.restrictions.all()} == {
            "no_anti_inflammatory",
            "no_strenuous_activity",
            "no_cardio_exercise",
        }
        assert [c.after_days for c in template.check_ins.all()] == [1, 2, 7, 28]
    again = services.therapy_catalogue_ensure(actor=None, clinic=clinic)
    assert [t.pk for t in again] == [t.pk for t in therapies]


def test_a_clinician_writes_a_draft_plan_and_the_creation_is_audited(patient, staff):
    clinician = staff(Role.CLINICIAN)
    plan = plan_for(patient, clinician=clinician)
    assert plan.status == PlanStatus.DRAFT
    assert plan.concurrent_labels() == ["Physiotherapy"]
    assert AuditEvent.objects.filter(action="treatment_plan.create", record_id=str(plan.pk)).exists()


def test_coordinator_and_lab_may_not_write_a_plan(patient, staff):
    for role in (Role.COORDINATOR, Role.LAB):
        with pytest.raises(PermissionDenied):
            plan_for(patient, clinician=staff(role))


def test_a_clinician_of_another_clinic_cannot_write_a_plan(patient, staff, other_clinic):
    with pytest.raises(NotFound):
        plan_for(patient, clinician=staff(Role.CLINICIAN, at=other_clinic))


def test_plan_with_a_route_the_therapy_does_not_offer_is_refused_naming_the_field(patient):
    with pytest.raises(InvalidInput) as exc:
        plan_for(patient, route="oral")
    assert exc.value.field == "route"


def test_several_sessions_need_an_interval(patient):
    with pytest.raises(InvalidInput) as exc:
        plan_for(patient, planned_sessions=3, session_interval_days=None)
    assert exc.value.field == "session_interval_days"


def test_consent_before_approval_is_refused(patient, staff):
    clinician = staff(Role.CLINICIAN)
    plan = plan_for(patient, clinician=clinician)
    ConsentTextFactory(clinic=patient.clinic)
    with pytest.raises(InvalidTransition):
        services.consent_record_in_clinic(actor=clinician, plan=plan, signer_name="A", witness_name="B")


def test_in_clinic_signature_needs_a_witness(patient, staff):
    clinician = staff(Role.CLINICIAN)
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    ConsentTextFactory(clinic=patient.clinic)
    with pytest.raises(InvalidInput) as exc:
        services.consent_record_in_clinic(actor=clinician, plan=plan, signer_name="Ana", witness_name=" ")
    assert exc.value.field == "witness_name"


def test_patient_accepts_consent_in_portal_with_version_and_time_once(patient, patient_user, staff):
    clinician = staff(Role.CLINICIAN)
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    ConsentTextFactory(clinic=patient.clinic, version="v7")
    consent = services.consent_accept_in_portal(actor=patient_user, plan=plan, version="v7", accepted=True)
    again = services.consent_accept_in_portal(actor=patient_user, plan=plan, version="v7", accepted=True)
    assert again.pk == consent.pk and Consent.objects.count() == 1
    assert consent.method == ConsentMethod.PORTAL and consent.consent_text.version == "v7"
    assert abs(consent.accepted_at - timezone.now()) < dt.timedelta(minutes=1)


def test_consent_to_an_outdated_text_version_is_refused(patient, patient_user, staff):
    clinician = staff(Role.CLINICIAN)
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    ConsentTextFactory(clinic=patient.clinic, version="v1")
    services.consent_text_publish(actor=clinician, clinic=patient.clinic, version="v2", title="T", body="B")
    with pytest.raises(Conflict):
        services.consent_accept_in_portal(actor=patient_user, plan=plan, version="v1", accepted=True)


def test_another_patient_cannot_accept_consent(patient, staff):
    from tests.factories import UserFactory

    clinician = staff(Role.CLINICIAN)
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    ConsentTextFactory(clinic=patient.clinic)
    with pytest.raises(NotFound):
        services.consent_accept_in_portal(actor=UserFactory(), plan=plan, version="2026-1", accepted=True)


def test_checklist_comes_from_medications_and_conditions(patient, staff):
    PatientMedication.objects.create(patient=patient, name="Apixaban", is_anticoagulant=True)
    PatientMedication.objects.create(patient=patient, name="Ibuprofen", is_anti_inflammatory=True)
    PatientMedication.objects.create(patient=patient, name="Baclofen")
    PatientMedication.objects.create(
        patient=patient, name="Warfarin", is_anticoagulant=True, stopped_on=dt.date(2020, 1, 1)
    )
    patient.sex = "female"
    patient.save()
    plan = plan_for(
        patient, active_infection="yes", pregnancy="unknown", first_session_on=dt.date(2030, 5, 10)
    )
    items = {i.rule: i for i in plan.checklist.all()}
    assert set(items) == {"anticoagulant", "anti_inflammatory", "active_infection", "pregnancy"}
    assert "Apixaban" in items["anticoagulant"].title
    assert "14 days" in items["anti_inflammatory"].instructions
    assert all(i.due_on == dt.date(2030, 5, 9) for i in items.values())
    assert plan.checklist.count() == 4  # the stopped warfarin and plain baclofen add nothing


def test_unknown_pregnancy_is_not_asked_of_a_male_patient(patient):
    patient.sex = "male"
    patient.save()
    plan = plan_for(patient, pregnancy="unknown", active_infection="unknown")
    assert [i.rule for i in plan.checklist.all()] == ["active_infection"]


def test_refreshing_the_checklist_keeps_confirmed_items_and_adds_new_ones(patient, staff):
    clinician = staff(Role.CLINICIAN)
    plan = plan_for(patient, clinician=clinician, active_infection="unknown")
    item = plan.checklist.get()
    services.checklist_item_confirm(actor=clinician, item=item, note="Afebrile, no signs")
    PatientMedication.objects.create(patient=patient, name="Rivaroxaban", is_anticoagulant=True)
    items = services.checklist_refresh(actor=clinician, plan=plan)
    assert len(items) == 2
    item.refresh_from_db()
    assert item.is_confirmed and item.confirmation_note == "Afebrile, no signs"


def test_timeline_plan_consent_done_at_the_later_of_approval_and_consent(patient, staff):
    clinician = staff(Role.CLINICIAN)
    consulted(patient, at=timezone.now() - dt.timedelta(days=5))
    plan = plan_for(patient, clinician=clinician, active_infection="unknown")
    approved = timezone.now() - dt.timedelta(days=3)
    services.plan_approve(actor=clinician, plan=plan, at=approved)
    assert _state(patient, Step.PLAN_CONSENT).state != StepState.DONE
    ConsentTextFactory(clinic=patient.clinic)
    signed = timezone.now() - dt.timedelta(days=1)
    services.consent_record_in_clinic(
        actor=clinician, plan=plan, signer_name="A", witness_name="W", at=signed
    )
    step = _state(patient, Step.PLAN_CONSENT)
    assert step.state == StepState.DONE and step.when == signed
    assert _state(patient, Step.PREPARATION).state != StepState.DONE
    assert _state(patient, Step.PREPARATION).notes == ["1 precaution to confirm"]
    services.checklist_item_confirm(actor=clinician, item=plan.checklist.get())
    assert _state(patient, Step.PREPARATION).state == StepState.DONE
    assert _state(patient, Step.TREATMENT).state != StepState.DONE


def test_preparation_is_done_with_consent_when_no_precaution_applies(patient):
    consulted(patient, at=timezone.now() - dt.timedelta(days=1))
    approved_plan_with_consent(patient)
    assert _state(patient, Step.PREPARATION).state == StepState.DONE


def test_concurrent_therapies_come_from_approved_plans(patient, staff):
    clinician = staff(Role.CLINICIAN)
    plan_for(patient, clinician=clinician, concurrent_therapies=["medications"])  # draft: not counted
    approved_plan_with_consent(
        patient,
        clinician=clinician,
        concurrent_therapies=["physiotherapy", "occupational_therapy"],
        concurrent_therapies_note="Baclofen 10 mg",
    )
    assert selectors.concurrent_therapies(patient) == [
        "Physiotherapy",
        "Occupational therapy",
        "Baclofen 10 mg",
    ]


def test_cohort_facts_are_empty_without_procedures(patient):
    assert selectors.cohort_treatment_facts([patient.pk]) == {
        patient.pk: {"therapies": set(), "lot_codes": set(), "first_procedure_at": None}
    }


def test_approving_twice_keeps_the_first_approval(patient, staff):
    first, second = staff(Role.CLINICIAN), staff(Role.CLINICIAN)
    plan = plan_for(patient, clinician=first)
    services.plan_approve(actor=first, plan=plan)
    again = services.plan_approve(actor=second, plan=plan)
    assert again.approved_by == first


def test_defaults_fill_the_anti_inflammatory_period_from_settings(patient, settings):
    settings.EXOCLINIC_TREATMENT = {"DEFAULT_ANTI_INFLAMMATORY_DAYS": 21}
    plan = plan_for(patient, anti_inflammatory_avoid_days=None)
    assert plan.anti_inflammatory_avoid_days == 21
    assert PLAN_DEFAULTS["anti_inflammatory_avoid_days"] == 14


def test_a_blood_thinner_added_after_approval_joins_the_checklist_and_holds_the_procedure(
    patient, patient_user, staff, django_capture_on_commit_callbacks
):
    from exoclinic.core import services as core_services

    clinician = staff(Role.CLINICIAN)
    plan = approved_plan_with_consent(patient, clinician=clinician)
    assert not plan.checklist.exists()
    with django_capture_on_commit_callbacks(execute=True):
        core_services.patient_medication_add(
            actor=patient_user, patient=patient, name="Rivaroxaban", is_anticoagulant=True
        )
    item = plan.checklist.get()
    assert item.rule == "anticoagulant" and not item.is_confirmed
    with pytest.raises(InvalidTransition) as exc:
        services.procedure_preconditions(plan)
    assert exc.value.field == "checklist"
