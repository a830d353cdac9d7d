"""Portal: my appointments, one appointment (calendar file, reschedule, cancel), my waitlist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core.errors import Conflict, DomainError
from exoclinic.core.policy import acts_for, portal_patients
from exoclinic.core.views import domain_errors_as_http

from .. import selectors, services
from ..forms import CancelForm
from ..ics import appointment_ics, ics_filename
from ..models import UPCOMING_STATUSES, WaitlistEntry, WaitlistStatus
from .common import acting_patient, parse_start, week_slots


def _own_appointment(request, appointment_id: int):
    """An appointment of the user's own or cared-for patients (staff use the calendar instead)."""
    appointment = selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, purpose="portal"
    )
    if not acts_for(request.user, appointment.patient):
        raise Http404
    return appointment


def _may_change(appointment) -> bool:
    cutoff = appointment.start - appointment.appointment_type.cancellation_cutoff
    return appointment.status in UPCOMING_STATUSES and timezone.now() <= cutoff


@login_required
def my_appointments(request):
    rows = selectors.portal_appointments(user=request.user)
    now = timezone.now()
    upcoming = sorted((a for a in rows if a.end >= now and a.status != "held"), key=lambda a: a.start)
    past = [a for a in rows if a.end < now]
    patient = acting_patient(request)
    waitlist = (
        WaitlistEntry.objects.filter(
            patient=patient, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        ).select_related("appointment_type")
        if patient
        else []
    )
    return render(
        request,
        "scheduling/my_appointments.html",
        {"upcoming": upcoming, "past": past, "patient": patient, "waitlist": waitlist},
    )


@login_required
@domain_errors_as_http
def appointment_detail(request, appointment_id: int):
    appointment = _own_appointment(request, appointment_id)
    return render(
        request,
        "scheduling/appointment_detail.html",
        {
            "appointment": appointment,
            "tz": appointment.patient.tz,
            "may_change": _may_change(appointment),
            "cancel_form": CancelForm(),
        },
    )


@login_required
@require_POST
@domain_errors_as_http
def appointment_cancel(request, appointment_id: int):
    appointment = _own_appointment(request, appointment_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.appointment_cancel(actor=request.user, appointment=appointment, reason=reason)
    except DomainError as exc:
        if exc.code != "invalid_transition" or appointment.status != "cancelled":
            messages.error(request, exc.message)
    else:
        messages.success(request, _("Your appointment is cancelled. We have e-mailed you a confirmation."))
    return redirect("scheduling:appointment", appointment_id=appointment.pk)


@login_required
@domain_errors_as_http
def appointment_reschedule(request, appointment_id: int):
    appointment = _own_appointment(request, appointment_id)
    conflict = None
    if request.method == "POST":
        start = parse_start(request.POST.get("start", ""))
        practitioner = request.POST.get("practitioner", "")
        try:
            if start is None:
                raise Conflict(_("Choose one of the times shown."), field="start")
            services.appointment_reschedule(
                actor=request.user,
                appointment=appointment,
                start=start,
                practitioner_id=int(practitioner) if practitioner.isdigit() else None,
            )
        except Conflict as exc:
            conflict = exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("scheduling:appointment", appointment_id=appointment.pk)
        else:
            messages.success(request, _("Your appointment is moved. We have e-mailed you the new details."))
            return redirect("scheduling:appointment", appointment_id=appointment.pk)
    context = week_slots(
        request=request,
        user=request.user,
        type_id=appointment.appointment_type_id,
        tz=appointment.patient.tz,
        patient=appointment.patient,
        exclude_appointment_id=appointment.pk,
    )
    context.update(
        {
            "appointment": appointment,
            "appointment_type": appointment.appointment_type,
            "action": reverse("scheduling:reschedule", args=[appointment.pk]),
            "conflict": conflict,
            "rescheduling": True,
        }
    )
    return render(request, "scheduling/choose_slot.html", context, status=409 if conflict else 200)


@login_required
@domain_errors_as_http
def appointment_calendar_file(request, appointment_id: int):
    appointment = _own_appointment(request, appointment_id)
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(appointment)}"'
    return response


@login_required
@require_POST
@domain_errors_as_http
def waitlist_withdraw(request, entry_id: int):
    entry = (
        WaitlistEntry.objects.filter(pk=entry_id)
        .filter(patient__in=portal_patients(request.user).values("pk"))
        .select_related("patient")
        .first()
    )
    if entry is None:
        raise Http404
    services.waitlist_withdraw(actor=request.user, entry=entry)
    messages.success(request, _("You have left the waitlist."))
    return redirect("scheduling:my-appointments")
