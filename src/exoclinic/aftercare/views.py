"""Portal pages under /portal/aftercare/: what is in force and until when, and the check-in tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from exoclinic.core.errors import DomainError
from exoclinic.core.views import domain_errors_as_http
from exoclinic.treatment.portal_views import acting_patient
from exoclinic.treatment.views import form_error

from . import selectors, services
from .forms import CheckInForm


@login_required
@domain_errors_as_http
def portal_aftercare(request):
    patient = acting_patient(request)
    return render(
        request,
        "aftercare/portal.html",
        {"patient": patient, "view": selectors.aftercare_for_patient(patient)},
    )


@login_required
@domain_errors_as_http
def portal_check_in(request, check_in_id: int):
    check_in = selectors.portal_check_in_get(user=request.user, check_in_id=check_in_id)
    patient = check_in.plan.patient
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_complete(actor=request.user, check_in=check_in, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Thank you: your check-in was sent to the clinic."))
            return redirect(f"{reverse('aftercare:portal')}?patient={patient.pk}")
    return render(
        request, "aftercare/check_in.html", {"check_in": check_in, "patient": patient, "form": form}
    )
