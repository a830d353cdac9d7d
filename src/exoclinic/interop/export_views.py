"""Bulk Data endpoints: kick-off (Patient/$export, Group/{clinic}/$export), status polling, NDJSON files."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record

from . import export as exports
from .fhir.common import FhirError
from .fhir_views import fhir_endpoint, fhir_response, outcome_response
from .models import ExportStatus


def _kickoff(request, user, clinic_id):
    if "respond-async" not in request.META.get("HTTP_PREFER", ""):
        raise FhirError(
            400,
            "invalid",
            _("Send the header 'Prefer: respond-async' to start a bulk export."),
            expression="Prefer",
        )
    query = [(name, value) for name in request.GET for value in request.GET.getlist(name)]
    base = request.build_absolute_uri(reverse("fhir:metadata"))[: -len("metadata")]
    export = exports.export_kickoff(
        actor=user, clinic_id=clinic_id, query=query, request_url=request.build_absolute_uri(), base_url=base
    )
    response = fhir_response(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "information", "code": "informational", "diagnostics": "Export started."}],
        },
        status=202,
    )
    response["Content-Location"] = request.build_absolute_uri(reverse("fhir:export-status", args=[export.pk]))
    return response


@fhir_endpoint()
def kickoff_patients(request, user):
    return _kickoff(request, user, None)


@fhir_endpoint()
def kickoff_group(request, user, group_id):
    return _kickoff(request, user, group_id)


@fhir_endpoint(methods=("GET", "DELETE"))
def status(request, user, export_id):
    if request.method == "DELETE":
        exports.export_cancel(user=user, export_id=export_id)
        return fhir_response(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "information", "code": "informational", "diagnostics": "Cancelled."}],
            },
            status=202,
        )
    export = exports.export_for(user=user, export_id=export_id)
    if export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        response = fhir_response({}, status=202)
        done = f"{export.patients_done} of {export.patients_total} patients"
        response["X-Progress"] = f"{export.status}: {done}" if export.patients_total else str(export.status)
        response["Retry-After"] = "2"
        return response
    if export.status == ExportStatus.COMPLETED:
        body = exports.manifest(
            export,
            lambda kind: request.build_absolute_uri(reverse("fhir:export-file", args=[export.pk, kind])),
        )
        return fhir_response(body, content_type="application/json")
    if export.status == ExportStatus.CANCELLED:
        raise FhirError(404, "not-found", _("This export was cancelled."))
    return outcome_response(500, "exception", f"The export failed: {export.error}")


@fhir_endpoint()
def file(request, user, export_id, kind):
    export = exports.export_for(user=user, export_id=export_id)
    path = exports.export_file(export, kind)
    if export.status != ExportStatus.COMPLETED or kind not in export.types or not path.exists():
        raise FhirError(404, "not-found", _("This export has no %(kind)s file.") % {"kind": kind})
    audit_record(
        actor=user, action="fhir.export.download", target=export, clinic=export.clinic, detail={"type": kind}
    )
    return FileResponse(path.open("rb"), content_type="application/fhir+ndjson")
