"""HTML pages: recording assessments, the weekly diary, progress (portal and staff), follow-up lists."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from exoclinic.core.errors import DomainError, InvalidInput
from exoclinic.core.policy import is_staff_of, patient_get
from exoclinic.core.views import domain_errors_as_http, request_acting_patient
from exoclinic.staff.views import staff_required

from . import reports, selectors, services
from .forms import DiaryForm, InstrumentForm
from .instruments import INSTRUMENTS, ScoringError

# ---- portal --------------------------------------------------------------------------------------------


def _portal_patient(request):
    return request_acting_patient(request)


@login_required
def portal_progress(request):
    patient = _portal_patient(request)
    progress = selectors.progress_for(patient)
    return render(
        request,
        "outcomes/portal_progress.html",
        {"patient": patient, "progress": progress, "is_self": patient.user_id == request.user.pk},
    )


@login_required
def portal_diary(request):
    patient = _portal_patient(request)
    today = selectors.local_today(patient)
    monday = services.week_start(today)
    weeks = {"this": monday, "last": monday - dt.timedelta(days=7)}
    choices = [
        ("this", _("This week (from %(d)s)") % {"d": date_format(weeks["this"], "j F")}),
        ("last", _("Last week (from %(d)s)") % {"d": date_format(weeks["last"], "j F")}),
    ]
    this_week = selectors.diary_entry_for_week(patient=patient, week_start=monday)
    initial = dict(this_week.ratings, note=this_week.note) if this_week else None
    form = DiaryForm(request.POST or None, initial=initial, week_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_record(
                actor=request.user,
                patient=patient,
                ratings=form.ratings(),
                on=weeks.get(form.cleaned_data.get("week") or "this", monday),
                note=form.cleaned_data.get("note", ""),
            )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Thank you. Your diary is saved."))
            return redirect(f"{reverse('outcomes:portal-progress')}?patient={patient.pk}")
    return render(
        request,
        "outcomes/portal_diary.html",
        {"patient": patient, "form": form, "this_week": this_week, "week_start": monday},
    )


@login_required
def portal_report(request):
    patient = _portal_patient(request)
    progress = selectors.progress_for(patient)
    return _pdf(reports.patient_report(progress), f"progress-{patient.record_number}.pdf")


# ---- staff ---------------------------------------------------------------------------------------------


@staff_required
@domain_errors_as_http
def staff_progress(request, patient_id: int):
    progress = selectors.patient_progress(user=request.user, patient_id=patient_id)
    patient = progress.patient
    return render(
        request,
        "outcomes/staff_progress.html",
        {
            "patient": patient,
            "progress": progress,
            "may_record": is_staff_of(request.user, patient.clinic_id, services.RECORDER_ROLES),
            "instruments": INSTRUMENTS.values(),
        },
    )


@staff_required
@domain_errors_as_http
def staff_report(request, patient_id: int):
    progress = selectors.patient_progress(user=request.user, patient_id=patient_id)
    return _pdf(reports.clinical_report(progress), f"clinical-progress-{progress.patient.record_number}.pdf")


@staff_required
@domain_errors_as_http
def assessment_new(request, patient_id: int, instrument: str):
    definition = INSTRUMENTS.get(instrument)
    if definition is None:
        raise Http404
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="assessment_form")
    if not is_staff_of(request.user, patient.clinic_id, services.RECORDER_ROLES):
        raise Http404
    form = InstrumentForm(definition, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                actor=request.user,
                patient=patient,
                instrument=definition.code,
                items=form.items(),
                taken_on=form.cleaned_data["taken_on"],
                source_ref=f"form-{form.cleaned_data.get('submission') or ''}"[:100]
                if form.cleaned_data.get("submission")
                else "",
            )
        except ScoringError as exc:
            form.add_scoring_errors(exc.errors)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": definition.name})
            return redirect("outcomes:staff-progress", patient_id=patient.pk)
    return render(
        request,
        "outcomes/assessment_form.html",
        {"patient": patient, "form": form, "definition": definition},
    )


@staff_required
def follow_ups(request):
    lists = selectors.follow_up_lists(user=request.user)
    return render(request, "outcomes/follow_ups.html", {"lists": lists})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
