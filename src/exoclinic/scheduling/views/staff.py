"""Staff calendar: day and week, by practitioner or by room; check-in, no-show, complete, quick reschedule."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from exoclinic.core.errors import Conflict, DomainError
from exoclinic.core.models import Patient
from exoclinic.core.policy import patient_get, staff_clinics
from exoclinic.core.read_audit import audit_staff_reads
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from .. import selectors, services
from ..rules import BOOKING_STAFF_ROLES
from .common import parse_start, week_slots

ACTIONS = {
    "check-in": (services.appointment_check_in, gettext_lazy("Checked in.")),
    "no-show": (services.appointment_mark_no_show, gettext_lazy("Marked as a no-show.")),
    "complete": (services.appointment_complete, gettext_lazy("Marked as completed.")),
    "confirm": (services.appointment_confirm, gettext_lazy("Confirmed.")),
}


def _clinic(request):
    clinics = staff_clinics(request.user, BOOKING_STAFF_ROLES)
    wanted = request.GET.get("clinic")
    clinic = clinics.filter(pk=wanted).first() if wanted and wanted.isdigit() else clinics.first()
    if clinic is None:
        raise Http404
    return clinic


@staff_required
@domain_errors_as_http
def calendar(request):
    clinic = _clinic(request)
    tz = clinic.tz
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.now().astimezone(tz).date()
    view = "week" if request.GET.get("view") == "week" else "day"
    by = "room" if request.GET.get("by") == "room" else "practitioner"
    first = day - timedelta(days=day.weekday()) if view == "week" else day
    days = 7 if view == "week" else 1
    step = timedelta(days=days)
    grid = selectors.calendar(user=request.user, clinic=clinic, first_day=first, days=days, by=by)
    audit_staff_reads(
        user=request.user,
        rows=[a for _day, columns in grid for column in columns for a in column.appointments],
        purpose="staff_calendar",
    )
    return render(
        request,
        "scheduling/staff_calendar.html",
        {
            "clinic": clinic,
            "calendar": grid,
            "view": view,
            "by": by,
            "day": day,
            "previous": first - step,
            "next": first + step,
            "today": timezone.now().astimezone(tz).date(),
            "tz": tz,
        },
    )


def _back(request, appointment):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    local = appointment.start.astimezone(appointment.clinic.tz).date()
    return redirect(f"{reverse('scheduling:calendar')}?date={local.isoformat()}")


@staff_required
@require_POST
@domain_errors_as_http
def appointment_action(request, appointment_id: int, action: str):
    if action not in ACTIONS and action != "cancel":
        raise Http404
    appointment = selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, purpose="calendar"
    )
    try:
        if action == "cancel":
            services.appointment_cancel(
                actor=request.user, appointment=appointment, reason=request.POST.get("reason", "")[:300]
            )
            done = _("Cancelled.")
        else:
            service, done = ACTIONS[action]
            service(actor=request.user, appointment=appointment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(patient)s: %(done)s") % {"patient": appointment.patient.full_name, "done": done}
        )
    return _back(request, appointment)


@staff_required
@domain_errors_as_http
def appointment_reschedule(request, appointment_id: int):
    appointment = selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, purpose="reschedule"
    )
    conflict = None
    if request.method == "POST":
        start = parse_start(request.POST.get("start", ""))
        practitioner = request.POST.get("practitioner", "")
        try:
            if start is None:
                raise Conflict(_("Choose one of the times shown."), field="start")
            moved = services.appointment_reschedule(
                actor=request.user,
                appointment=appointment,
                start=start,
                practitioner_id=int(practitioner) if practitioner.isdigit() else None,
            )
        except Conflict as exc:
            conflict = exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return _back(request, appointment)
        else:
            messages.success(request, _("%(name)s: moved.") % {"name": appointment.patient.full_name})
            return _back(request, moved)
    context = week_slots(
        request=request,
        user=request.user,
        type_id=appointment.appointment_type_id,
        tz=appointment.clinic.tz,
        patient=appointment.patient,
        exclude_appointment_id=appointment.pk,
    )
    context.update(
        {
            "appointment": appointment,
            "appointment_type": appointment.appointment_type,
            "action": reverse("scheduling:staff-reschedule", args=[appointment.pk]),
            "conflict": conflict,
            "rescheduling": True,
            "staff": True,
        }
    )
    return render(request, "scheduling/choose_slot.html", context, status=409 if conflict else 200)


@staff_required
@domain_errors_as_http
def appointment_new(request):
    """Staff book for a patient: find the patient by record number, choose a type, then a slot."""
    clinic = _clinic(request)
    record = (request.GET.get("record") or request.POST.get("record") or "").strip()
    patient = None
    if record:
        found = Patient.objects.filter(clinic=clinic, record_number__iexact=record).first()
        if found is not None:
            patient = patient_get(user=request.user, patient_id=found.pk, purpose="booking")
    type_id = request.GET.get("type") or request.POST.get("type")
    context = {"clinic": clinic, "record": record, "patient": patient, "staff": True}
    if patient is None or not (type_id and type_id.isdigit()):
        context["types"] = selectors.appointment_types_for(user=request.user).filter(clinic=clinic)
        context["not_found"] = bool(record) and patient is None
        return render(request, "scheduling/staff_new.html", context)
    appointment_type = selectors.appointment_type_get(user=request.user, type_id=type_id)
    conflict = None
    if request.method == "POST":
        start = parse_start(request.POST.get("start", ""))
        practitioner = request.POST.get("practitioner", "")
        try:
            if start is None:
                raise Conflict(_("Choose one of the times shown."), field="start")
            appointment, _created = services.appointment_book(
                actor=request.user,
                patient=patient,
                appointment_type=appointment_type,
                start=start,
                practitioner_id=int(practitioner) if practitioner.isdigit() else None,
                idempotency_key=request.POST.get("idempotency_key") or None,
            )
        except Conflict as exc:
            conflict = exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('scheduling:staff-new')}?{urlencode({'record': record})}")
        else:
            messages.success(request, _("%(name)s: booked.") % {"name": patient.full_name})
            return _back(request, appointment)
    context.update(
        week_slots(
            request=request, user=request.user, type_id=appointment_type.pk, tz=clinic.tz, patient=patient
        )
    )
    query = urlencode({"record": record, "type": appointment_type.pk})
    context.update(
        {
            "appointment_type": appointment_type,
            "action": f"{reverse('scheduling:staff-new')}?{query}",
            "idempotency_key": uuid.uuid4().hex,
            "conflict": conflict,
            "booking_for": patient,
            "nav_base": f"?{query}&",
        }
    )
    return render(request, "scheduling/choose_slot.html", context, status=409 if conflict else 200)
