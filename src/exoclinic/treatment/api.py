"""JSON endpoints for plans, consent, procedures and adverse events, under the one access policy."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from exoclinic.core.errors import InvalidInput, InvalidTransition, NotFound
from exoclinic.core.policy import patient_get
from exoclinic.core.read_audit import audit_staff_reads
from exoclinic.core.schemas import ErrorOut

from . import selectors, services
from .models import AdverseEvent, Procedure, TreatmentPlan
from .schemas import (
    AdverseEventAssessIn,
    AdverseEventIn,
    AdverseEventOut,
    ConsentAcceptIn,
    ConsentInClinicIn,
    PlanIn,
    PlanOut,
    ProcedureIn,
    ProcedureOut,
)

router = Router(tags=["treatment"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _plan_out(plan: TreatmentPlan, states: dict | None = None) -> dict:
    consent = getattr(plan, "consent", None) if hasattr(plan, "consent") else None
    if consent is not None and states is None:
        states = selectors.consent_states([plan.pk])
    in_force, due = (states or {}).get(plan.pk, ("", False))
    return {
        **{name: getattr(plan, name) for name in PlanOut.model_fields if hasattr(plan, name)},
        "therapy": plan.therapy.code,
        "approved_by": str(plan.approved_by) if plan.approved_by else None,
        "consent": None
        if consent is None
        else {
            "version": consent.consent_text.version,
            "method": consent.method,
            "signer_name": consent.signer_name,
            "witness_name": consent.witness_name,
            "accepted_at": consent.accepted_at,
            "withdrawn_at": consent.withdrawn_at,
            "version_in_force": in_force or consent.consent_text.version,
            "renewal_due": due,
        },
        "checklist": [
            {
                "id": i.pk,
                "rule": i.rule,
                "title": i.title,
                "instructions": i.instructions,
                "due_on": i.due_on,
                "confirmed_at": i.confirmed_at,
            }
            for i in plan.checklist.all()
        ],
    }


def _procedure_out(p: Procedure) -> dict:
    return {
        **{name: getattr(p, name) for name in ProcedureOut.model_fields if hasattr(p, name)},
        "practitioner": str(p.practitioner),
        "unit_code": p.unit.code,
    }


def _event_out(e: AdverseEvent) -> dict:
    out = {name: getattr(e, name) for name in AdverseEventOut.model_fields if name != "seriousness_criteria"}
    return {**out, "seriousness_criteria": [c.value for c in e.seriousness_criteria]}


@router.get("/treatment/plans", response=list[PlanOut])
def plan_list(request: HttpRequest, patient_id: int | None = None):
    plans = selectors.plans_visible(user=request.auth)
    if patient_id is not None:
        patient_get(user=request.auth, patient_id=patient_id, purpose="api_treatment_plans")
        plans = plans.filter(patient_id=patient_id)
    plans = list(plans[:200])
    audit_staff_reads(user=request.auth, rows=plans, purpose="api_treatment_plans")
    states = selectors.consent_states([p.pk for p in plans])
    return [_plan_out(p, states) for p in plans]


@router.post("/treatment/plans", response={201: PlanOut, **ERRORS})
def plan_create(request: HttpRequest, payload: PlanIn):
    patient = patient_get(user=request.auth, patient_id=payload.patient_id, purpose="api_treatment_plan_new")
    therapy = selectors.therapies_for(clinic=patient.clinic).filter(code=payload.therapy).first()
    if therapy is None:
        raise InvalidInput(_("Choose a therapy this clinic offers."), field="therapy")
    data = payload.model_dump(exclude={"patient_id", "therapy"})
    plan = services.plan_create(actor=request.auth, patient=patient, therapy=therapy, **data)
    return Status(201, _plan_out(plan))


@router.get("/treatment/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut})
def plan_detail(request: HttpRequest, plan_id: int):
    return _plan_out(selectors.plan_get(user=request.auth, plan_id=plan_id))


@router.post("/treatment/plans/{plan_id}/approve", response={200: PlanOut, **ERRORS})
def plan_approve(request: HttpRequest, plan_id: int):
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return _plan_out(services.plan_approve(actor=request.auth, plan=plan))


@router.post("/treatment/plans/{plan_id}/consent", response={200: PlanOut, **ERRORS})
def consent_accept(request: HttpRequest, plan_id: int, payload: ConsentAcceptIn):
    """The patient (or caregiver) accepts the current consent text, naming its version."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    services.consent_accept_in_portal(
        actor=request.auth, plan=plan, version=payload.version, accepted=payload.accepted
    )
    return _plan_out(selectors.plan_get(user=request.auth, plan_id=plan_id))


@router.post("/treatment/plans/{plan_id}/consent/in-clinic", response={200: PlanOut, **ERRORS})
def consent_in_clinic(request: HttpRequest, plan_id: int, payload: ConsentInClinicIn):
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    services.consent_record_in_clinic(
        actor=request.auth,
        plan=plan,
        signer_name=payload.signer_name,
        witness_name=payload.witness_name,
        at=payload.accepted_at,
    )
    return _plan_out(selectors.plan_get(user=request.auth, plan_id=plan_id))


@router.get("/treatment/procedures", response=list[ProcedureOut])
def procedure_list(request: HttpRequest, patient_id: int | None = None):
    procedures = selectors.procedures_visible(user=request.auth).select_related("unit__lot")
    if patient_id is not None:
        patient_get(user=request.auth, patient_id=patient_id, purpose="api_procedures")
        procedures = procedures.filter(patient_id=patient_id)
    procedures = list(procedures[:200])
    audit_staff_reads(user=request.auth, rows=procedures, purpose="api_procedures")
    return [_procedure_out(p) for p in procedures]


@router.post("/treatment/procedures", response={201: ProcedureOut, **ERRORS})
def procedure_create(request: HttpRequest, payload: ProcedureIn):
    plan = selectors.plan_get(user=request.auth, plan_id=payload.plan_id)
    appointment = None
    if payload.appointment_id is not None:
        from exoclinic.scheduling.models import Appointment

        appointment = Appointment.objects.filter(pk=payload.appointment_id, patient=plan.patient).first()
        if appointment is None:
            raise InvalidInput(_("Choose an appointment of this patient."), field="appointment_id")
    procedure = services.procedure_record(
        actor=request.auth,
        plan=plan,
        performed_at=payload.performed_at,
        identity_full_name=payload.identity_full_name,
        identity_date_of_birth=payload.identity_date_of_birth,
        lot_code=payload.lot_code,
        dose=payload.dose,
        route=payload.route,
        site=payload.site,
        level=payload.level,
        vitals_before=payload.vitals_before.model_dump(),
        vitals_after=payload.vitals_after.model_dump(),
        immediate_reactions=payload.immediate_reactions,
        notes=payload.notes,
        appointment=appointment,
        submission_key=payload.submission_key,
    )
    return Status(201, _procedure_out(procedure))


@router.get("/treatment/procedures/{procedure_id}", response={200: ProcedureOut, 404: ErrorOut})
def procedure_detail(request: HttpRequest, procedure_id: int):
    return _procedure_out(selectors.procedure_get(user=request.auth, procedure_id=procedure_id))


@router.get("/treatment/adverse-events", response=list[AdverseEventOut])
def adverse_event_list(
    request: HttpRequest, lot: str = "", since: dt.datetime | None = None, until: dt.datetime | None = None
):
    """Adverse events of the caller's clinics for one lot and/or onset period (since ≤ onset < until)."""
    events = selectors.adverse_events_for_report(user=request.auth, lot_code=lot, since=since, until=until)
    events = list(events[:1000])
    audit_staff_reads(user=request.auth, rows=events, purpose="api_adverse_events")
    return [_event_out(e) for e in events]


@router.post("/treatment/adverse-events", response={201: AdverseEventOut, **ERRORS})
def adverse_event_create(request: HttpRequest, payload: AdverseEventIn):
    patient = patient_get(user=request.auth, patient_id=payload.patient_id, purpose="api_adverse_event_new")
    procedure = None
    if payload.procedure_id is not None:
        procedure = Procedure.objects.filter(pk=payload.procedure_id, patient=patient).first()
        if procedure is None:
            raise NotFound(_("No such procedure for this patient."), field="procedure_id")
    data = payload.model_dump(exclude={"patient_id", "procedure_id", "submission_key", "lot_code"})
    event = services.adverse_event_record(
        actor=request.auth,
        patient=patient,
        submission_key=payload.submission_key,
        lot_code=payload.lot_code,
        procedure=procedure,
        **data,
    )
    return Status(201, _event_out(event))


@router.get("/treatment/adverse-events/{event_id}", response={200: AdverseEventOut, 404: ErrorOut})
def adverse_event_detail(request: HttpRequest, event_id: int):
    return _event_out(selectors.adverse_event_get(user=request.auth, event_id=event_id))


@router.post("/treatment/adverse-events/{event_id}/assess", response={200: AdverseEventOut, **ERRORS})
def adverse_event_assess(request: HttpRequest, event_id: int, payload: AdverseEventAssessIn):
    event = selectors.adverse_event_get(user=request.auth, event_id=event_id)
    data = payload.model_dump(exclude_none=True)
    lot_code = data.pop("lot_code", None)
    return _event_out(
        services.adverse_event_assess(actor=request.auth, event=event, lot_code=lot_code, **data)
    )


@router.post("/treatment/plans/{plan_id}/consent/renew", response={200: PlanOut, **ERRORS})
def consent_renew(request: HttpRequest, plan_id: int, payload: ConsentAcceptIn):
    """The patient (or caregiver) consents to the clinic's new consent text, naming its version."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    consent = getattr(plan, "consent", None) if hasattr(plan, "consent") else None
    if consent is None:
        raise InvalidTransition(_("No consent to renew: sign the consent first."), field="consent")
    services.consent_renew_in_portal(
        actor=request.auth, consent=consent, version=payload.version, accepted=payload.accepted
    )
    return _plan_out(selectors.plan_get(user=request.auth, plan_id=plan_id))


@router.post("/treatment/plans/{plan_id}/consent/renew/in-clinic", response={200: PlanOut, **ERRORS})
def consent_renew_in_clinic(request: HttpRequest, plan_id: int, payload: ConsentInClinicIn):
    """A clinician records the patient's signature on the new text, made in the clinic before a witness."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    consent = getattr(plan, "consent", None) if hasattr(plan, "consent") else None
    if consent is None:
        raise InvalidTransition(_("No consent to renew: sign the consent first."), field="consent")
    services.consent_renew_in_clinic(
        actor=request.auth,
        consent=consent,
        signer_name=payload.signer_name,
        witness_name=payload.witness_name,
        at=payload.accepted_at,
    )
    return _plan_out(selectors.plan_get(user=request.auth, plan_id=plan_id))
