"""Triage API: the checklist, a patient's symptom report with its outcome, and staff alerts."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from exoclinic.core.errors import NotFound
from exoclinic.core.schemas import ErrorOut
from exoclinic.portal.selectors import portal_patients

from . import selectors, services
from .engine import SymptomAnswer, Vitals
from .models import ReportSource, SymptomReport, TriageAlert
from .ruleset import checklist
from .schemas import AlertOut, ReportIn, ReportOut, SymptomOut

router = Router(tags=["triage"])


def _report_out(report: SymptomReport) -> dict:
    outcome = report.outcome
    alert = getattr(report, "alert", None)  # the reverse one-to-one raises an AttributeError when absent
    return {
        "id": report.pk,
        "patient_id": report.patient_id,
        "submitted_at": report.submitted_at,
        "level": report.level,
        "ruleset_version": outcome["ruleset_version"],
        "findings": outcome["findings"],
        "advice": outcome["advice"],
        "alert_id": alert.pk if alert else None,
        "emergency_services_number": report.clinic.emergency_services_number,
        "clinic_emergency_phone": report.clinic.emergency_phone,
    }


def _alert_out(alert: TriageAlert) -> dict:
    patient = alert.report.patient
    return {
        "id": alert.pk,
        "clinic_id": alert.clinic_id,
        "report_id": alert.report_id,
        "patient_id": patient.pk,
        "patient_name": patient.full_name,
        "level": alert.level,
        "raised_at": alert.raised_at,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": alert.acknowledged_by.email if alert.acknowledged_by else None,
        "escalation_step": alert.escalation_step,
        "escalated_to": alert.escalated_to.email if alert.escalated_to else None,
    }


@router.get("/triage/checklist", response=list[SymptomOut])
def triage_checklist(request: HttpRequest):
    """The questions in form order. Every question is put so that "yes" is the worrying answer."""
    return checklist()


@router.post("/triage/reports", response={201: ReportOut, 400: ErrorOut, 404: ErrorOut})
def report_submit(request: HttpRequest, payload: ReportIn):
    """A patient (or caregiver) reports symptoms and gets the outcome; a missing answer means don't know."""
    patient = portal_patients(user=request.auth).filter(pk=payload.patient_id).first()
    if patient is None:
        raise NotFound()
    answers = tuple(SymptomAnswer(**a.model_dump()) for a in payload.answers)
    vitals = Vitals(**payload.vitals.model_dump()) if payload.vitals else Vitals()
    report = services.symptom_report_submit(
        actor=request.auth,
        patient=patient,
        answers=answers,
        vitals=vitals,
        source=ReportSource.API,
        note=payload.note,
        submission_key=payload.submission_key,
    )
    return Status(201, _report_out(report))


@router.get("/triage/reports/{report_id}", response={200: ReportOut, 404: ErrorOut})
def report_detail(request: HttpRequest, report_id: int):
    return _report_out(selectors.report_for_portal(user=request.auth, report_id=report_id))


@router.get("/triage/alerts", response=list[AlertOut])
def alert_list(request: HttpRequest, open_only: bool = True):
    """Alerts of the caller's clinics (staff who read charts); unacknowledged only unless open_only=false."""
    alerts = (
        selectors.alerts_open(user=request.auth) if open_only else selectors.alerts_visible(user=request.auth)
    )
    shown = selectors.audit_alert_reads(user=request.auth, alerts=alerts[:200], purpose="triage_alerts_api")
    return [_alert_out(a) for a in shown]


@router.post(
    "/triage/alerts/{alert_id}/acknowledge",
    response={200: AlertOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def alert_acknowledge(request: HttpRequest, alert_id: int):
    alert = selectors.alert_get(user=request.auth, alert_id=alert_id)
    return _alert_out(services.alert_acknowledge(actor=request.auth, alert=alert))
