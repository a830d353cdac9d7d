"""The patient's side of a recall: the notice about a product lot they received, in the portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from exoclinic.core.views import domain_errors_as_http, request_acting_patient

from . import selectors, services


@login_required
@domain_errors_as_http
def portal_notices(request):
    patient = request_acting_patient(request)
    notices = selectors.recall_notices_for(user=request.user, patient=patient)
    return render(request, "products/portal/notices.html", {"patient": patient, "notices": notices})


@login_required
@domain_errors_as_http
def portal_notice(request, notice_id: int):
    notice = selectors.recall_notice_get(user=request.user, notice_id=notice_id)
    notice = services.recall_notice_read(actor=request.user, notification=notice, at=timezone.now())
    return render(
        request,
        "products/portal/notice.html",
        {"patient": notice.patient, "notice": notice, "recall": notice.recall, "lot": notice.recall.lot},
    )
