"""Portal pages under /portal/treatment/: the plan, consent, and the preparation checklist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core.errors import DomainError
from exoclinic.core.views import domain_errors_as_http, request_acting_patient
from exoclinic.portal.selectors import portal_patients

from . import forms, selectors, services
from .models import PlanStatus, TreatmentPlan
from .views import form_error


def acting_patient(request):
    return request_acting_patient(request)


@login_required
@domain_errors_as_http
def portal_treatment(request):
    patient = acting_patient(request)
    plans = (
        TreatmentPlan.objects.filter(patient=patient)
        .exclude(status=PlanStatus.CANCELLED)
        .select_related("therapy", "approved_by")
        .prefetch_related("checklist")
    )
    return render(
        request,
        "treatment/portal_treatment.html",
        {
            "patient": patient,
            "plans": plans,
            "has_procedure": patient.procedures.exists(),
            "renewals_due": {c.plan_id for c in selectors.consents_to_renew(user=request.user)},
        },
    )


@login_required
@domain_errors_as_http
def portal_consent(request, plan_id: int):
    plan = (
        TreatmentPlan.objects.filter(pk=plan_id, patient__in=portal_patients(user=request.user).values("pk"))
        .select_related("patient__clinic", "therapy", "approved_by")
        .first()
    )
    if plan is None:
        raise Http404
    text = services.consent_text_current(plan.clinic)
    consent = getattr(plan, "consent", None) if hasattr(plan, "consent") else None
    form = forms.ConsentAcceptForm(request.POST or None, initial={"version": text.version if text else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_accept_in_portal(
                actor=request.user,
                plan=plan,
                version=form.cleaned_data["version"],
                accepted=form.cleaned_data["accepted"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Thank you: your consent is recorded."))
            return redirect(f"{request.path}?patient={plan.patient_id}")
    return render(
        request,
        "treatment/portal_consent.html",
        {"plan": plan, "patient": plan.patient, "text": text, "consent": consent, "form": form},
    )


@login_required
@domain_errors_as_http
def portal_report(request):
    """Side effects are reported through the triage symptom check, so red flags are never missed; a report
    after a procedure reaches staff as a patient-reported adverse event (services.on_symptom_reported)."""
    patient = acting_patient(request)
    return redirect(f"{reverse('triage:symptoms')}?patient={patient.pk}")


@login_required
@require_POST
@domain_errors_as_http
def portal_consent_withdraw(request, plan_id: int):
    plan = (
        TreatmentPlan.objects.filter(pk=plan_id, patient__in=portal_patients(user=request.user).values("pk"))
        .select_related("patient")
        .first()
    )
    consent = getattr(plan, "consent", None) if plan is not None and hasattr(plan, "consent") else None
    if consent is None:
        raise Http404
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you withdraw your consent."))
    else:
        services.consent_withdraw(actor=request.user, consent=consent, reason=request.POST.get("reason", ""))
        messages.success(request, _("Your consent is withdrawn. No treatment will be given under this plan."))
    return redirect(f"{reverse('treatment:portal')}?patient={plan.patient_id}")


@login_required
@domain_errors_as_http
def portal_consent_renew(request, plan_id: int):
    """The new consent text, for a patient whose consent stands on an older version; accepting it lets the
    treatment go on (``services.consent_renew_in_portal``)."""
    plan = (
        TreatmentPlan.objects.filter(pk=plan_id, patient__in=portal_patients(user=request.user).values("pk"))
        .select_related("patient__clinic", "therapy")
        .first()
    )
    consent = getattr(plan, "consent", None) if plan is not None and hasattr(plan, "consent") else None
    if consent is None:
        raise Http404
    text = services.consent_text_current(plan.clinic)
    due = selectors.consent_renewal_due(consent)
    form = forms.ConsentRenewForm(request.POST or None, initial={"version": text.version if text else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_renew_in_portal(
                actor=request.user,
                consent=consent,
                version=form.cleaned_data["version"],
                accepted=form.cleaned_data["accepted"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Thank you: your consent to the new version is recorded."))
            return redirect(f"{reverse('treatment:portal')}?patient={plan.patient_id}")
    return render(
        request,
        "treatment/portal_consent_renew.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "consent": consent,
            "text": text,
            "in_force": selectors.consent_text_in_force(consent),
            "due": due,
            "form": form,
        },
    )
