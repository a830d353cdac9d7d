"""Pages: the portal symptom report, the anonymous self-check on /emergency/, and the staff triage pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.accounts.models import User
from exoclinic.core.errors import InvalidTransition
from exoclinic.core.policy import PATIENT_READER_ROLES, staff_clinics
from exoclinic.core.views import domain_errors_as_http, request_acting_patient
from exoclinic.portal.selectors import portal_patients
from exoclinic.staff.views import staff_required

from . import conf, selectors, services
from .engine import TriageInput, TriageInputError, evaluate
from .forms import SelfCheckForm, SymptomChecklistForm
from .models import ALERT_LEVELS
from .ruleset import validate_ruleset


def _acting_patient(request):
    return request_acting_patient(request)


def _outcome_context(outcome, clinic, *, alerted: bool, stored: bool) -> dict:
    return {
        "outcome": outcome,
        "level": outcome.level.code,
        "outcome_clinic": clinic,
        "alerted": alerted,
        "stored": stored,
        "ad_first_aid": "autonomic_dysreflexia" in {str(c) for c in outcome.codes},
        # A routine report alerts too when it carries a note in the patient's own words.
        "ack_minutes": int(conf.escalate_after_minutes(outcome.level.code))
        if alerted or outcome.level.code in ALERT_LEVELS
        else None,
    }


@login_required
@domain_errors_as_http
def symptoms(request):
    patient = _acting_patient(request)
    form = SymptomChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.symptom_report_submit(
                actor=request.user,
                patient=patient,
                answers=form.symptom_answers(),
                vitals=form.vitals(),
                submission_key=form.cleaned_data.get("submission_key"),
                note=form.note(),
            )
        except TriageInputError as exc:
            form.add_engine_error(exc)
        else:
            return redirect("triage:symptom_result", report_id=report.pk)
    return render(
        request,
        "triage/symptoms.html",
        {
            "form": form,
            "patient": patient,
            "patients": portal_patients(user=request.user),
            "action": request.get_full_path(),
        },
    )


@login_required
@domain_errors_as_http
def symptom_result(request, report_id: int):
    report = selectors.report_for_portal(user=request.user, report_id=report_id)
    outcome = selectors.outcome_for_reader(report)
    context = _outcome_context(outcome, report.clinic, alerted=hasattr(report, "alert"), stored=True)
    return render(request, "triage/result.html", {"report": report, "patient": report.patient, **context})


def self_check(request):
    """Anonymous: the answers are evaluated and shown, and nothing is stored."""
    form = SelfCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inputs = TriageInput(
                context=form.patient_context(),
                answers=form.symptom_answers(),
                vitals=form.vitals(),
                note=form.note(),
            )
            outcome = evaluate(inputs, validate_ruleset(services.ruleset_ensure_active().data), translate=_)
        except TriageInputError as exc:
            form.add_engine_error(exc)
        else:
            context = _outcome_context(outcome, None, alerted=False, stored=False)
            return render(request, "triage/self_check_result.html", context)
    return render(request, "triage/self_check.html", {"form": form})


# ------------------------------------------------------------------------------------------------ staff


def _staff_clinic(request):
    clinics = staff_clinics(request.user, PATIENT_READER_ROLES)
    wanted = request.GET.get("clinic")
    clinic = clinics.filter(pk=wanted).first() if wanted and str(wanted).isdigit() else clinics.first()
    if clinic is None:
        raise Http404
    return clinic, clinics


@staff_required
def alerts(request):
    open_alerts = selectors.audit_alert_reads(
        user=request.user, alerts=selectors.alerts_open(user=request.user), purpose="triage_alerts"
    )
    recent = selectors.audit_alert_reads(
        user=request.user,
        alerts=selectors.alerts_visible(user=request.user).filter(acknowledged_at__isnull=False)[:20],
        purpose="triage_alerts",
    )
    return render(request, "triage/staff_alerts.html", {"open_alerts": open_alerts, "recent": recent})


@staff_required
@require_POST
@domain_errors_as_http
def alert_acknowledge(request, alert_id: int):
    alert = selectors.alert_get(user=request.user, alert_id=alert_id)
    try:
        services.alert_acknowledge(actor=request.user, alert=alert)
    except InvalidTransition as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("Alert acknowledged. Contact the patient now."))
    target = request.POST.get("next") or ""
    return redirect(target if target.startswith("/staff/") else "triage:alerts")


@staff_required
@domain_errors_as_http
def report_explain(request, report_id: int):
    explanation = selectors.report_explain(user=request.user, report_id=report_id)
    return render(request, "triage/staff_explain.html", {"x": explanation, "report": explanation.report})


@staff_required
@domain_errors_as_http
def rota(request):
    clinic, clinics = _staff_clinic(request)
    shifts = selectors.rota(user=request.user, clinic=clinic, now=timezone.now())
    chain = services.escalation_chain(clinic, at=timezone.now())
    people = {u.pk: u for u in User.objects.filter(pk__in=chain)}
    return render(
        request,
        "triage/staff_rota.html",
        {
            "clinic": clinic,
            "clinics": clinics,
            "shifts": shifts,
            "chain_now": [people[pk] for pk in chain if pk in people],
            "minutes": {level: conf.escalate_after_minutes(level) for level in ALERT_LEVELS},
        },
    )


@staff_required
@domain_errors_as_http
def acknowledgement_report(request):
    clinic, clinics = _staff_clinic(request)
    rows = selectors.acknowledgement_report(user=request.user, clinic=clinic)
    return render(
        request, "triage/staff_ack_report.html", {"report_clinic": clinic, "clinics": clinics, "rows": rows}
    )
