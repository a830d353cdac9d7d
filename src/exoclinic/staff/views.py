from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core import panels, selectors, services
from exoclinic.core.errors import InvalidInput
from exoclinic.core.policy import (
    PATIENT_READER_ROLES,
    is_any_staff,
    is_staff_of,
    patient_get,
    require_staff,
    staff_clinics,
)
from exoclinic.core.timeline import patient_timeline
from exoclinic.core.views import domain_errors_as_http
from exoclinic.treatment.selectors import consent_versions, withdrawn_consents


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_any_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def home(request):
    query = {key: request.GET.get(key, "") for key in ("name", "date_of_birth", "email")}
    can_search = staff_clinics(request.user, PATIENT_READER_ROLES).exists()
    results, error, searched = [], None, any(v.strip() for v in query.values())
    if searched and can_search:
        try:
            results = selectors.patient_search(user=request.user, **query)
        except InvalidInput as exc:
            error = exc
    return render(
        request,
        "staff/home.html",
        {
            "query": query,
            "results": results,
            "error": error,
            "searched": searched,
            "can_search": can_search,
            "panels": panels.panels_for("staff", request),
        },
    )


@staff_required
@domain_errors_as_http
def patient_chart(request, patient_id: int):
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="chart")
    return render(
        request,
        "staff/patient_chart.html",
        {
            "patient": patient,
            "timeline": patient_timeline(patient),
            "medications": patient.medications.all(),
            "may_read_log": is_staff_of(request.user, patient.clinic_id, ["admin"]),
            "may_record_bp": is_staff_of(request.user, patient.clinic_id, ["clinician"]),
            "withdrawn_consents": withdrawn_consents(patient),
            "consents": consent_versions(patient),
        },
    )


@staff_required
@domain_errors_as_http
@require_POST
def patient_baseline_bp(request, patient_id: int):
    """A clinician records the patient's usual systolic pressure, which triage compares readings with."""
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="baseline_bp")
    require_staff(request.user, patient.clinic, roles=["clinician"])
    fields = (
        (
            "baseline_systolic_mmhg",
            _("Usual systolic pressure: enter a whole number of mmHg, e.g. 105."),
            _("Usual systolic pressure: %(msg)s"),
            _("Usual systolic pressure saved."),
        ),
        (
            "baseline_heart_rate_bpm",
            _("Usual resting pulse: enter a whole number of beats per minute, e.g. 56."),
            _("Usual resting pulse: %(msg)s"),
            _("Usual resting pulse saved."),
        ),
    )
    for name, not_a_number, refused, saved in fields:
        if name not in request.POST:
            continue  # a form that does not show the field leaves it as it is
        raw = request.POST.get(name, "").strip()
        try:
            value = int(raw) if raw else None
        except ValueError:
            messages.error(request, not_a_number)
            continue
        try:
            services.patient_update(actor=request.user, patient=patient, data={name: value})
        except InvalidInput as exc:
            messages.error(request, refused % {"msg": exc.message})
        else:
            messages.success(request, saved)
    return redirect("staff:patient", patient_id=patient.pk)


@staff_required
@domain_errors_as_http
def patient_access_log(request, patient_id: int):
    patient, events = selectors.patient_access_log(user=request.user, patient_id=patient_id)
    return render(request, "staff/access_log.html", {"patient": patient, "events": events})
