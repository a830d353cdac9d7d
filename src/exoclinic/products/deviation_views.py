"""Staff pages for product deviations: every open 45-day clock, and a lot's deviations with the forms."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.errors import DomainError
from exoclinic.core.policy import is_staff_of
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from . import forms, selectors, services
from .services.deviations import DEVIATION_ROLES


@staff_required
@domain_errors_as_http
def deviation_list(request):
    deviations = list(selectors.deviations_visible(user=request.user)[:200])
    return render(
        request,
        "products/deviation_list.html",
        {"rows": [(d, d.days_left()) for d in deviations]},
    )


@staff_required
@domain_errors_as_http
def lot_deviations(request, lot_id: int):
    lot = selectors.lot_get(user=request.user, lot_id=lot_id)
    may_record = is_staff_of(request.user, lot.clinic_id, DEVIATION_ROLES)
    action = request.POST.get("action") if request.method == "POST" else None
    with timezone.override(lot.clinic.tz):
        form = forms.DeviationForm(request.POST if action == "record" else None)
        reported = forms.DeviationReportedForm(request.POST if action == "reported" else None)
        try:
            if action == "record" and form.is_valid():
                services.product_deviation_record(
                    actor=request.user,
                    lot=lot,
                    description=form.cleaned_data["description"],
                    discovered_at=form.cleaned_data["discovered_at"],
                    submission_key=form.cleaned_data.get("submission_key"),
                )
                messages.success(
                    request, _("Deviation recorded; the 45-day report clock runs from its discovery.")
                )
                return redirect("products:lot-deviations", lot.pk)
            if action == "reported" and reported.is_valid():
                deviation = selectors.deviation_get(
                    user=request.user, deviation_id=reported.cleaned_data["deviation"]
                )
                services.product_deviation_mark_reported(
                    actor=request.user,
                    deviation=deviation,
                    reference=reported.cleaned_data["regulator_reference"],
                )
                messages.success(request, _("The deviation report is recorded; its clock has stopped."))
                return redirect("products:lot-deviations", lot.pk)
        except DomainError as exc:
            target = form if action == "record" else reported
            target.add_error(exc.field if exc.field in target.fields else None, exc.message)
        deviations = list(selectors.deviations_visible(user=request.user, lot=lot))
        return render(
            request,
            "products/lot_deviations.html",
            {
                "lot": lot,
                "rows": [(d, d.days_left()) for d in deviations],
                "form": form,
                "reported_form": reported,
                "may_record": may_record,
            },
        )
