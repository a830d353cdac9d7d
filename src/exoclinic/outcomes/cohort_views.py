"""Cohort outcomes page and the research export, for the medical director and clinic admins."""

from __future__ import annotations

import csv

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from . import conf
from .cohort import EXPORT_COLUMNS, LEVEL_GROUPS, CohortFilters, cohort_summary, research_rows
from .selectors import require_medical_director


def filters_from(params) -> CohortFilters:
    def whole(name):
        text = (params.get(name) or "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise InvalidInput(_("Enter a whole number of months."), field=name)
        return int(text)

    point = whole("point")
    return CohortFilters(
        point=point if point is not None else max(conf.follow_up_months()),
        therapy=(params.get("therapy") or "").strip(),
        lot=(params.get("lot") or "").strip(),
        ais=(params.get("ais") or "").strip().upper(),
        level_group=(params.get("level_group") or "").strip(),
        injury_months_min=whole("injury_months_min"),
        injury_months_max=whole("injury_months_max"),
    )


@staff_required
@domain_errors_as_http
def cohort(request):
    clinics = require_medical_director(request.user)
    summary, error = None, None
    try:
        filters = filters_from(request.GET)
        summary = cohort_summary(clinics=clinics, filters=filters)
    except InvalidInput as exc:
        error = exc
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="cohort.view",
            record_type="outcomes.cohort",
            clinic=clinics.first(),
            detail={key: value for key, value in request.GET.items() if key != "csrfmiddlewaretoken"},
        )
    return render(
        request,
        "outcomes/cohort.html",
        {
            "summary": summary,
            "error": error,
            "params": request.GET,
            "points": conf.follow_up_months(),
            "level_groups": list(LEVEL_GROUPS),
            "grades": "ABCDE",
        },
    )


class _Echo:
    def write(self, value):
        return value


@staff_required
@domain_errors_as_http
def research_export(request):
    from exoclinic.core.models import Patient
    from exoclinic.core.read_audit import audit_staff_reads

    clinics = require_medical_director(request.user)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="research_export.download",
            record_type="outcomes.research_export",
            clinic=clinics.first(),
            detail={"clinics": list(clinics.values_list("pk", flat=True))},
        )
        # One row per patient the export covers (research consent), for each patient's access log.
        audit_staff_reads(
            user=request.user,
            rows=Patient.objects.filter(clinic__in=clinics, research_consent=True),
            purpose="research_export",
        )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([name for name, _ in EXPORT_COLUMNS])
        for row in research_rows(clinics=clinics):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exoclinic-outcomes-research.csv"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@domain_errors_as_http
def data_dictionary(request):
    require_medical_director(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exoclinic-outcomes-data-dictionary.csv"'
    writer = csv.writer(response)
    writer.writerow(["column", "description"])
    writer.writerows(EXPORT_COLUMNS)
    return response
