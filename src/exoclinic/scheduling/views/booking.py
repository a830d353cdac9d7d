"""The patient's booking flow: emergency gate -> type -> slot (held) -> booking questions -> confirmed."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core.errors import Conflict, DomainError
from exoclinic.core.views import domain_errors_as_http

from .. import selectors, services
from ..forms import BookingQuestionsForm, WaitlistForm
from ..models import UPCOMING_STATUSES, AppointmentStatus
from .common import acting_patient, parse_start, week_slots


def book(request):
    """The first screen of /book/: is it urgent? "Yes" shows emergency help instead of a booking form.

    The triage app plugs its rules in here (one view, one template: scheduling/emergency_gate.html)."""
    answer = request.POST.get("urgent") if request.method == "POST" else None
    if answer == "no":
        return redirect("scheduling:choose-type")
    return render(
        request,
        "scheduling/emergency_gate.html",
        {"urgent": answer == "yes", "unanswered": request.method == "POST" and answer not in ("yes", "no")},
    )


def _patient_or_none(request):
    patient = acting_patient(request)
    if patient is None:
        return None, render(request, "scheduling/no_record.html", status=200)
    return patient, None


@login_required
@domain_errors_as_http
def choose_type(request):
    patient, page = _patient_or_none(request)
    if page:
        return page
    return render(
        request,
        "scheduling/choose_type.html",
        {"patient": patient, "choices": selectors.type_choices_for_patient(patient)},
    )


@login_required
@domain_errors_as_http
def choose_slot(request, type_id: int, conflict: DomainError | None = None):
    patient, page = _patient_or_none(request)
    if page:
        return page
    appointment_type = selectors.appointment_type_get(user=request.user, type_id=type_id)
    if appointment_type.clinic_id != patient.clinic_id or not appointment_type.patient_bookable:
        raise Http404
    practitioner = request.GET.get("practitioner")
    practitioner_id = int(practitioner) if practitioner and practitioner.isdigit() else None
    context = week_slots(
        request=request,
        user=request.user,
        type_id=type_id,
        tz=patient.tz,
        patient=patient,
        practitioner_id=practitioner_id,
    )
    context.update(
        {
            "patient": patient,
            "appointment_type": appointment_type,
            "practitioners": selectors.practitioners_of(appointment_type),
            "practitioner_id": practitioner_id,
            "action": reverse("scheduling:hold-create", args=[type_id]),
            "idempotency_key": uuid.uuid4().hex,
            "conflict": conflict,
        }
    )
    return render(request, "scheduling/choose_slot.html", context, status=409 if conflict else 200)


@login_required
@require_POST
@domain_errors_as_http
def hold_create(request, type_id: int):
    patient, page = _patient_or_none(request)
    if page:
        return page
    appointment_type = selectors.appointment_type_get(user=request.user, type_id=type_id)
    start = parse_start(request.POST.get("start", ""))
    practitioner = request.POST.get("practitioner", "")
    if start is None:
        messages.error(request, _("Choose one of the times shown."))
        return redirect("scheduling:choose-slot", type_id=type_id)
    try:
        hold = services.appointment_hold(
            actor=request.user,
            patient=patient,
            appointment_type=appointment_type,
            start=start,
            practitioner_id=int(practitioner) if practitioner.isdigit() else None,
            idempotency_key=request.POST.get("idempotency_key") or None,
        )
    except Conflict as exc:
        return choose_slot(request, type_id, conflict=exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("scheduling:choose-slot", type_id=type_id)
    return redirect("scheduling:hold", appointment_id=hold.pk)


@login_required
@domain_errors_as_http
def hold_detail(request, appointment_id: int):
    """The held slot and the booking questions; confirming books it, "choose another time" releases it."""
    appointment = selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, purpose="booking"
    )
    if appointment.status in UPCOMING_STATUSES:
        return redirect("scheduling:appointment", appointment_id=appointment.pk)
    if appointment.status != AppointmentStatus.HELD:
        messages.error(request, _("This time is no longer held for you. Please choose another."))
        return redirect("scheduling:choose-slot", type_id=appointment.appointment_type_id)
    form = BookingQuestionsForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "release":
        services.appointment_release_hold(actor=request.user, appointment=appointment)
        return redirect("scheduling:choose-slot", type_id=appointment.appointment_type_id)
    if request.method == "POST" and form.is_valid():
        try:
            booked = services.appointment_confirm_hold(
                actor=request.user,
                appointment=appointment,
                answers=services.BookingAnswers(**form.cleaned_data),
            )
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("scheduling:choose-slot", type_id=appointment.appointment_type_id)
        if booked.status == AppointmentStatus.REQUESTED:
            messages.success(request, _("Your request is sent. The clinic will confirm it by e-mail."))
        else:
            messages.success(request, _("Your appointment is booked. We have e-mailed you the details."))
        return redirect("scheduling:appointment", appointment_id=booked.pk)
    remaining = max(0, int((appointment.hold_expires_at - timezone.now()).total_seconds() // 60))
    return render(
        request,
        "scheduling/hold.html",
        {"appointment": appointment, "form": form, "minutes_left": remaining, "tz": appointment.patient.tz},
    )


@login_required
@domain_errors_as_http
def waitlist_join(request, type_id: int):
    patient, page = _patient_or_none(request)
    if page:
        return page
    appointment_type = selectors.appointment_type_get(user=request.user, type_id=type_id)
    form = WaitlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.waitlist_join(
                actor=request.user,
                patient=patient,
                appointment_type=appointment_type,
                earliest=form.cleaned_data["earliest"],
                latest=form.cleaned_data["latest"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("You are on the waitlist. We will e-mail you when a time frees up."))
            return redirect("scheduling:my-appointments")
    return render(
        request, "scheduling/waitlist_join.html", {"form": form, "appointment_type": appointment_type}
    )
