"""Portal pages: "Download my record" (the FHIR Bundle and a PDF summary), for the patient or a caregiver."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render

from exoclinic.portal.selectors import portal_patients

from . import record
from .fhir.common import CONTENT_TYPE
from .fhir_views import base_url


def _acting_patient(request):
    patients = portal_patients(user=request.user)
    wanted = request.GET.get("patient")
    if wanted:
        patient = patients.filter(pk=wanted).first() if str(wanted).isdigit() else None
    else:
        patient = patients.first()
    if patient is None:
        raise Http404
    return patient


@login_required
def my_record(request):
    patients = list(portal_patients(user=request.user))
    rows = [{"patient": p, "is_self": p.user_id == request.user.pk} for p in patients]
    return render(request, "interop/my_record.html", {"rows": rows})


@login_required
def my_record_json(request):
    patient = _acting_patient(request)
    with transaction.atomic():
        bundle = record.record_bundle(user=request.user, patient=patient, base=base_url(request))
    response = HttpResponse(json.dumps(bundle, indent=1), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="record-{patient.record_number}.json"'
    return response


@login_required
def my_record_pdf(request):
    patient = _acting_patient(request)
    with transaction.atomic():
        pdf = record.record_pdf(user=request.user, patient=patient)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="record-{patient.record_number}.pdf"'
    return response
