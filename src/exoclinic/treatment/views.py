"""Staff pages under /staff/treatment/: plans, consent, checklist, procedures, adverse events."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.accounts.models import Role
from exoclinic.aftercare import selectors as aftercare_selectors
from exoclinic.aftercare import services as aftercare_services
from exoclinic.core import selectors as core_selectors
from exoclinic.core.errors import DomainError, InvalidInput, PermissionDenied
from exoclinic.core.policy import PATIENT_READER_ROLES, is_staff_of, patient_get, staff_clinics
from exoclinic.core.read_audit import audit_staff_reads
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from . import forms, selectors, services
from .models import AdverseEventStatus, PlanStatus


def form_error(form, exc: DomainError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _is_clinician(user, clinic_id) -> bool:
    return is_staff_of(user, clinic_id, ["clinician"])


@staff_required
@domain_errors_as_http
def staff_home(request):
    query = request.GET.get("name", "")
    results, error = [], None
    if query.strip() and staff_clinics(request.user, PATIENT_READER_ROLES).exists():
        try:
            results = core_selectors.patient_search(user=request.user, name=query)
        except InvalidInput as exc:
            error = exc
    plans = list(selectors.plans_visible(user=request.user).exclude(status=PlanStatus.CANCELLED)[:50])
    clocks = list(selectors.serious_clocks_open(user=request.user)[:50])
    reviews = list(selectors.patient_reports_to_review(user=request.user)[:50])
    audit_staff_reads(user=request.user, rows=[*results, *plans, *clocks, *reviews], purpose="treatment_list")
    return render(
        request,
        "treatment/staff_home.html",
        {
            "query": query,
            "results": results,
            "error": error,
            "plans": plans,
            "clocks": [(e, e.days_left()) for e in clocks],
            "reviews": reviews,
        },
    )


@staff_required
@domain_errors_as_http
def staff_patient(request, patient_id: int):
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="treatment")
    return render(
        request,
        "treatment/staff_patient.html",
        {
            "patient": patient,
            "plans": selectors.plans_visible(user=request.user).filter(patient=patient),
            "procedures": selectors.procedures_visible(user=request.user).filter(patient=patient),
            "events": selectors.adverse_events_visible(user=request.user).filter(patient=patient),
            "aftercare": aftercare_selectors.aftercare_for_patient(patient),
            "warnings": aftercare_selectors.warnings_open(user=request.user).filter(patient=patient),
            "is_clinician": _is_clinician(request.user, patient.clinic_id),
        },
    )


def _plan_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("therapy")
    data["target_level"] = data.get("target_level") or ""
    return data


@staff_required
@domain_errors_as_http
def plan_new(request, patient_id: int):
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="treatment_plan_new")
    therapies = list(selectors.therapies_for(clinic=patient.clinic))
    if not therapies:
        therapies = services.therapy_catalogue_ensure(actor=request.user, clinic=patient.clinic)
    initial = {"target_level": patient.sci_neurological_level, "planned_sessions": 1}
    form = forms.PlanForm(request.POST or None, therapies=therapies, initial=initial)
    if request.method == "POST" and form.is_valid():
        therapy = next(t for t in therapies if str(t.pk) == form.cleaned_data["therapy"])
        try:
            plan = services.plan_create(
                actor=request.user, patient=patient, therapy=therapy, **_plan_data(form)
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The plan was saved as a draft. A physician approves it next."))
            return redirect("treatment:plan", plan.pk)
    return render(request, "treatment/plan_form.html", {"form": form, "patient": patient})


@staff_required
@domain_errors_as_http
def plan_edit(request, plan_id: int):
    """Change a draft plan; an approved plan is cancelled and written again instead."""
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    initial = {name: getattr(plan, name) for name in forms.PlanForm.base_fields if hasattr(plan, name)}
    initial["therapy"] = str(plan.therapy_id)
    form = forms.PlanForm(request.POST or None, therapies=[plan.therapy], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **_plan_data(form))
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The draft plan was saved."))
            return redirect("treatment:plan", plan.pk)
    return render(request, "treatment/plan_form.html", {"form": form, "patient": plan.patient, "plan": plan})


@staff_required
@domain_errors_as_http
def plan_detail(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    clinic_tz = plan.clinic.tz
    with timezone.override(clinic_tz):
        consent_form = forms.ConsentInClinicForm(
            request.POST if request.POST.get("action") in ("consent", "renew") else None,
            initial={"signer_name": plan.patient.full_name, "accepted_at": forms.local_now(clinic_tz)},
        )
        consent_valid = request.method == "POST" and consent_form.is_valid()
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.plan_approve(actor=request.user, plan=plan)
                messages.success(request, _("Plan approved."))
            elif action == "cancel":
                services.plan_cancel(actor=request.user, plan=plan, reason=request.POST.get("reason", ""))
                messages.success(request, _("Plan cancelled."))
            elif action == "refresh":
                services.checklist_refresh(actor=request.user, plan=plan)
                messages.success(request, _("The checklist was brought up to date."))
            elif action == "confirm":
                item = selectors.checklist_item_get(user=request.user, item_id=request.POST.get("item"))
                if item.plan_id != plan.pk:
                    raise InvalidInput(_("This item belongs to another plan."), field="item")
                services.checklist_item_confirm(
                    actor=request.user, item=item, note=request.POST.get("note", "")
                )
                messages.success(request, _("Confirmed: %(title)s") % {"title": item.title})
            elif action == "consent" and consent_valid:
                data = consent_form.cleaned_data
                services.consent_record_in_clinic(
                    actor=request.user,
                    plan=plan,
                    signer_name=data["signer_name"],
                    witness_name=data["witness_name"],
                    at=data["accepted_at"],
                )
                messages.success(request, _("The signed consent was recorded."))
            elif action == "renew" and consent_valid:
                data = consent_form.cleaned_data
                services.consent_renew_in_clinic(
                    actor=request.user,
                    consent=plan.consent,
                    signer_name=data["signer_name"],
                    witness_name=data["witness_name"],
                    at=data["accepted_at"],
                )
                messages.success(request, _("The signature on the new consent text was recorded."))
            elif action not in ("consent", "renew"):
                raise InvalidInput(_("Unknown action."))
        except DomainError as exc:
            if action in ("consent", "renew"):
                form_error(consent_form, exc)
            else:
                error = exc
        else:
            if action not in ("consent", "renew") or consent_valid:
                return redirect("treatment:plan", plan.pk)
    plan.refresh_from_db()
    consent = getattr(plan, "consent", None) if hasattr(plan, "consent") else None
    if consent is not None:
        consent = next(c for c in selectors.consent_versions(plan.patient) if c.pk == consent.pk)
    blocked = None
    try:
        services.procedure_preconditions(plan)
    except DomainError as exc:
        blocked = exc.message
    return render(
        request,
        "treatment/plan_detail.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "consent": consent,
            "consent_text": services.consent_text_current(plan.clinic),
            "consent_form": consent_form,
            "checklist": plan.checklist.select_related("confirmed_by"),
            "procedures": plan.procedures.select_related("practitioner"),
            "is_clinician": _is_clinician(request.user, plan.clinic_id),
            "error": error,
            "blocked": blocked,
        },
    )


def _treatment_appointments(plan):
    from exoclinic.scheduling.models import VISIT_STATUSES, Appointment, AppointmentKind

    now = timezone.now()
    rows = Appointment.objects.filter(
        patient=plan.patient,
        appointment_type__kind=AppointmentKind.TREATMENT,
        status__in=VISIT_STATUSES,
        start__gte=now - dt.timedelta(days=2),
        start__lte=now + dt.timedelta(days=1),
    ).order_by("start")
    tz = plan.clinic.tz
    return {str(a.pk): a for a in rows}, [
        (str(a.pk), a.start.astimezone(tz).strftime("%Y-%m-%d %H:%M")) for a in rows
    ]


@staff_required
@domain_errors_as_http
def procedure_new(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    clinic_tz = plan.clinic.tz
    appointments, appointment_choices = _treatment_appointments(plan)
    initial = {
        "performed_at": forms.local_now(clinic_tz),
        "dose": plan.dose,
        "route": plan.route,
        "site": plan.target_site,
        "level": plan.target_level,
    }
    with timezone.override(clinic_tz):
        form = forms.ProcedureForm(
            request.POST or None,
            initial=initial,
            routes=plan.therapy.route_choices(),
            appointments=appointment_choices,
        )
        valid = request.method == "POST" and form.is_valid()
    blocked = None
    try:
        services.procedure_preconditions(plan)
    except DomainError as exc:
        blocked = exc
    if valid:
        data = form.cleaned_data
        try:
            procedure = services.procedure_record(
                actor=request.user,
                plan=plan,
                performed_at=data["performed_at"],
                identity_full_name=data["identity_full_name"],
                identity_date_of_birth=data["identity_date_of_birth"],
                lot_code=data["lot_code"],
                dose=data["dose"],
                route=data["route"],
                site=data["site"],
                level=data.get("level") or "",
                vitals_before=form.vitals("before"),
                vitals_after=form.vitals("after"),
                immediate_reactions=data.get("immediate_reactions", ""),
                notes=data.get("notes", ""),
                appointment=appointments.get(data.get("appointment") or ""),
                submission_key=data["submission_key"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Procedure recorded; the aftercare plan has started."))
            return redirect("treatment:procedure", procedure.pk)
    return render(
        request,
        "treatment/procedure_form.html",
        {"form": form, "plan": plan, "patient": plan.patient, "blocked": blocked},
    )


@staff_required
@domain_errors_as_http
def procedure_detail(request, procedure_id: int):
    procedure = selectors.procedure_get(user=request.user, procedure_id=procedure_id)
    aftercare = getattr(procedure, "aftercare_plan", None)
    return render(
        request,
        "treatment/procedure_detail.html",
        {"procedure": procedure, "patient": procedure.patient, "aftercare": aftercare},
    )


def _filtered_events(request):
    form = forms.AdverseEventFilterForm(request.GET or None)
    since = until = None
    lot = ""
    if form.is_valid():
        lot = form.cleaned_data["lot"] or ""
        clinic = staff_clinics(request.user).first()
        tz = clinic.tz if clinic else dt.UTC
        if form.cleaned_data["since"]:
            since = dt.datetime.combine(form.cleaned_data["since"], dt.time(), tzinfo=tz)
        if form.cleaned_data["until"]:
            until = dt.datetime.combine(
                form.cleaned_data["until"] + dt.timedelta(days=1), dt.time(), tzinfo=tz
            )
    events = selectors.adverse_events_for_report(user=request.user, lot_code=lot, since=since, until=until)
    return form, events


@staff_required
@domain_errors_as_http
def ae_list(request):
    form, events = _filtered_events(request)
    events = list(events[:500])
    audit_staff_reads(user=request.user, rows=events, purpose="adverse_event_list")
    return render(
        request,
        "treatment/ae_list.html",
        {"form": form, "events": events, "query": request.GET.urlencode()},
    )


@staff_required
@domain_errors_as_http
def ae_export(request):
    """CSV of adverse events for one lot and/or period; the export itself is audited."""
    from exoclinic.core.audit import audit_record

    form, events = _filtered_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="adverse-events.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "event_id", "clinic", "patient_record", "lot", "procedure_at", "onset_at", "ctcae_grade",
            "serious", "relatedness", "outcome", "status", "source", "report_due_at", "regulator_reported_at",
            "regulator_reference", "description", "seriousness_criteria", "received_at",
        ]
    )  # fmt: skip
    rows = list(events)
    for e in rows:
        writer.writerow(
            [
                e.pk, e.clinic.slug, e.patient.record_number, e.lot_code,
                e.procedure.performed_at.isoformat() if e.procedure else "", e.onset_at.isoformat(),
                e.ctcae_grade or "", "yes" if e.serious else "no", e.relatedness, e.outcome, e.status,
                e.source,
                e.report_due_at.isoformat() if e.report_due_at else "",
                e.regulator_reported_at.isoformat() if e.regulator_reported_at else "",
                e.regulator_reference, _csv_safe(e.description),
                " ".join(c.value for c in e.seriousness_criteria),
                e.received_at.isoformat() if e.received_at else "",
            ]
        )  # fmt: skip
    audit_record(
        actor=request.user,
        action="adverse_event.export",
        record_type="treatment.adverseevent",
        detail={"filter": request.GET.dict(), "rows": len(rows)},
    )
    # And one row per patient in the file, so the export shows in each patient's access log.
    audit_staff_reads(user=request.user, rows=rows, purpose="adverse_event_export")
    return response


def _csv_safe(text: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@staff_required
@domain_errors_as_http
def ae_new(request, patient_id: int):
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="adverse_event_new")
    with timezone.override(patient.clinic.tz):
        form = forms.AdverseEventForm(
            request.POST or None,
            initial={"onset_at": forms.local_now(patient.clinic.tz), "outcome": "unknown"},
        )
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = dict(form.cleaned_data)
        try:
            event = services.adverse_event_record(
                actor=request.user,
                patient=patient,
                submission_key=data.pop("submission_key"),
                lot_code=data.pop("lot_code") or "",
                **data,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Adverse event recorded."))
            return redirect("treatment:ae-detail", event.pk)
    return render(request, "treatment/ae_form.html", {"form": form, "patient": patient})


def _lot_deviations(user, lot) -> list:
    """Product deviations recorded for the event's lot (products app), so staff see them side by side."""
    if lot is None:
        return []
    from exoclinic.products.selectors import deviations_visible

    return list(deviations_visible(user=user, lot=lot))


@staff_required
@domain_errors_as_http
def ae_detail(request, event_id: int):
    event = selectors.adverse_event_get(user=request.user, event_id=event_id)
    tz = event.clinic.tz
    action = request.POST.get("action")
    initial = {
        "description": event.description,
        "onset_at": event.onset_at.astimezone(tz).strftime(forms.LOCAL_INPUT),
        "ctcae_grade": event.ctcae_grade,
        "seriousness_criteria": [c.value for c in event.seriousness_criteria],
        "no_seriousness_criteria": event.status == AdverseEventStatus.RECORDED and not event.serious,
        "relatedness": event.relatedness,
        "outcome": event.outcome,
        "lot_code": event.lot_code,
    }
    with timezone.override(tz):
        form = forms.AdverseEventForm(request.POST if action == "assess" else None, initial=initial)
        valid = action == "assess" and form.is_valid()
    report_form = forms.RegulatorReportForm(request.POST if action == "reported" else None)
    if valid:
        data = dict(form.cleaned_data)
        data.pop("submission_key")
        try:
            services.adverse_event_assess(
                actor=request.user, event=event, lot_code=data.pop("lot_code") or "", **data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Adverse event saved."))
            return redirect("treatment:ae-detail", event.pk)
    if action == "reported" and report_form.is_valid():
        try:
            services.adverse_event_mark_reported(
                actor=request.user, event=event, reference=report_form.cleaned_data["regulator_reference"]
            )
        except DomainError as exc:
            form_error(report_form, exc)
        else:
            messages.success(request, _("The regulator report is recorded; the clock has stopped."))
            return redirect("treatment:ae-detail", event.pk)
    return render(
        request,
        "treatment/ae_detail.html",
        {
            "event": event,
            "patient": event.patient,
            "form": form,
            "report_form": report_form,
            "days_left": event.days_left(),
            "lot_deviations": _lot_deviations(request.user, event.lot),
            "needs_review": event.status == AdverseEventStatus.NEEDS_REVIEW,
            "is_clinician": _is_clinician(request.user, event.clinic_id),
        },
    )


@staff_required
@require_POST
@domain_errors_as_http
def warning_acknowledge(request, warning_id: int):
    warning = aftercare_selectors.warning_get(user=request.user, warning_id=warning_id)
    try:
        aftercare_services.medication_warning_acknowledge(
            actor=request.user, warning=warning, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Warning acknowledged."))
    return redirect("treatment:staff-patient", warning.patient_id)


@staff_required
@domain_errors_as_http
def consent_texts(request):
    """The clinic's consent text versions; admins and clinicians publish a new one (it becomes current)."""
    clinics = list(staff_clinics(request.user, [Role.ADMIN, Role.CLINICIAN]))
    if not clinics:
        raise PermissionDenied(_("Only clinicians and clinic admins publish consent texts."))
    clinic = clinics[0]
    form = forms.ConsentTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = services.consent_text_publish(actor=request.user, clinic=clinic, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("Version %(v)s is now the consent text patients sign.") % {"v": text.version}
            )
            return redirect("treatment:consent-texts")
    return render(
        request,
        "treatment/consent_texts.html",
        {
            "clinic": clinic,
            "texts": selectors.consent_texts_of(clinic=clinic),
            "renewals_due": selectors.renewals_due_count(clinic=clinic),
            "form": form,
        },
    )
