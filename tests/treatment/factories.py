"""Factories for therapies, plans and consents; `approved_plan_with_consent` for a patient ready to treat."""

from __future__ import annotations

import factory
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.treatment import services
from exoclinic.treatment.models import ConsentText, Therapy, TherapyKind, TreatmentPlan
from tests.factories import ClinicFactory, StaffFactory


class TherapyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Therapy
        django_get_or_create = ("clinic", "code")

    clinic = factory.SubFactory(ClinicFactory)
    code = TherapyKind.EXOSOME
    name = "Exosome therapy"
    routes = factory.LazyFunction(lambda: ["local_injection", "intrathecal", "intravenous"])


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText
        django_get_or_create = ("clinic", "version")

    clinic = factory.SubFactory(ClinicFactory)
    version = "2026-1"
    title = "Consent to exosome therapy"
    body = "I understand the therapy is investigational and that results are measured, not promised."


PLAN_DEFAULTS = {
    "route": "local_injection",
    "target_site": "Near the injury, paraspinal",
    "target_level": "T4",
    "planned_sessions": 1,
    "dose": "1 mL",
    "concurrent_therapies": ["physiotherapy"],
    "rationale": "Chronic incomplete injury; patient's goals are hand function and sitting balance.",
    "alternatives_discussed": "Stem cell therapy; physiotherapy alone.",
    "anti_inflammatory_avoid_days": 14,
    "active_infection": "no",
    "pregnancy": "no",
}


def plan_for(patient, *, clinician=None, **overrides) -> TreatmentPlan:
    """A draft plan written by a clinician of the patient's clinic (created through the service)."""
    clinician = clinician or StaffFactory(role=Role.CLINICIAN, clinic=patient.clinic)
    therapy = services.therapy_catalogue_ensure(actor=clinician, clinic=patient.clinic)[0]
    return services.plan_create(
        actor=clinician, patient=patient, therapy=therapy, **{**PLAN_DEFAULTS, **overrides}
    )


def approved_plan_with_consent(patient, *, clinician=None, at=None, **overrides) -> TreatmentPlan:
    clinician = clinician or StaffFactory(role=Role.CLINICIAN, clinic=patient.clinic)
    plan = plan_for(patient, clinician=clinician, **overrides)
    services.plan_approve(actor=clinician, plan=plan, at=at)
    ConsentTextFactory(clinic=patient.clinic)
    services.consent_record_in_clinic(
        actor=clinician,
        plan=plan,
        signer_name=patient.full_name,
        witness_name="Nurse Witness",
        at=at or timezone.now(),
    )
    for item in plan.checklist.all():
        services.checklist_item_confirm(actor=clinician, item=item)
    plan.refresh_from_db()
    return plan


def consulted(patient, *, at):
    """A completed in-person consultation ending at ``at``: the timeline's CONSULTATION step."""
    from exoclinic.scheduling.models import AppointmentKind, AppointmentStatus
    from tests.scheduling.factories import AppointmentFactory, AppointmentTypeFactory

    kind = AppointmentTypeFactory(
        clinic=patient.clinic, kind=AppointmentKind.CONSULTATION, name="Consultation"
    )
    return AppointmentFactory(
        patient=patient, appointment_type=kind, start=at - kind.duration, status=AppointmentStatus.COMPLETED
    )
