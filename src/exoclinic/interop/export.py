"""Bulk Data export: kick-off, the streaming NDJSON writer (a Huey task runs it), status and files.

Patients are read in keyset chunks of ``EXPORT_CHUNK`` and each resource is written as one line as soon as
it is made, so memory depends on the chunk size, not on the number of patients. Each chunk's patients are
audited as read (``patient.view``, purpose ``fhir.$export``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.accounts.models import User
from exoclinic.core.audit import audit_patient_reads, audit_record
from exoclinic.core.models import Clinic, Patient
from exoclinic.core.policy import PATIENT_READER_ROLES, require_staff, staff_clinics

from . import selectors
from .fhir.common import FhirError
from .fhir.search import parse_date
from .models import BulkExport, ExportStatus
from .sources import KINDS

NDJSON_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
# Resource kinds an export may hold: those tied to patients (every kind the server serves).
EXPORT_KINDS = tuple(KINDS)


def export_dir(export: BulkExport) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "fhir-export" / str(export.id)


def export_file(export: BulkExport, kind: str) -> Path:
    return export_dir(export) / f"{kind}.ndjson"


def parse_kickoff(query: list[tuple[str, str]]) -> tuple[list[str], dt.datetime | None]:
    types, since = list(EXPORT_KINDS), None
    for name, raw in query:
        if name == "_type":
            wanted = [t.strip() for t in raw.split(",") if t.strip()]
            unknown = [t for t in wanted if t not in EXPORT_KINDS]
            if unknown or not wanted:
                raise FhirError(
                    400,
                    "not-supported",
                    _("_type: %(types)s cannot be exported; supported: %(supported)s")
                    % {"types": ", ".join(unknown) or repr(raw), "supported": ", ".join(EXPORT_KINDS)},
                    expression="_type",
                )
            types = wanted
        elif name == "_since":
            since = parse_date("_since", raw).low
        elif name == "_outputFormat":
            if raw not in NDJSON_FORMATS:
                raise FhirError(
                    400,
                    "not-supported",
                    _("_outputFormat: only application/fhir+ndjson is supported"),
                    expression="_outputFormat",
                )
        else:
            raise FhirError(
                400,
                "not-supported",
                _("Unknown $export parameter %(name)s; supported: _type, _since, _outputFormat")
                % {"name": repr(name)},
                expression=name,
            )
    return types, since


def export_kickoff(
    *, actor: User, clinic_id: str | None, query, request_url: str, base_url: str
) -> BulkExport:
    """Check who asks and for what, store the export and queue the writer after commit."""
    types, since = parse_kickoff(query)
    clinic = None
    if clinic_id is not None:
        clinic = Clinic.objects.filter(pk=int(clinic_id)).first() if str(clinic_id).isdigit() else None
        if clinic is None:
            raise FhirError(
                404, "not-found", _("%(reference)s is not known") % {"reference": f"Group/{clinic_id}"}
            )
        require_staff(actor, clinic, PATIENT_READER_ROLES)  # NotFound for other clinics, 403 for lab staff
    elif not staff_clinics(actor, PATIENT_READER_ROLES).exists():
        raise FhirError(
            403, "forbidden", _("Bulk export is for clinic staff; a patient reads Patient/{id}/$everything.")
        )
    with transaction.atomic():
        export = BulkExport.objects.create(
            requested_by=actor,
            clinic=clinic,
            types=types,
            since=since,
            request_url=request_url,
            base_url=base_url,
        )
        audit_record(
            actor=actor,
            action="fhir.export.start",
            target=export,
            clinic=clinic,
            detail={"types": types, "since": since.isoformat() if since else None},
        )
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id) -> None:
    from .tasks import run_export

    run_export(str(export_id))


def _patient_ids(export: BulkExport):
    """Patient ids of the export in keyset chunks (never the whole list in memory)."""
    user = export.requested_by
    patients = selectors.visible_patients_for_export(user)
    if export.clinic_id:
        patients = patients.filter(clinic_id=export.clinic_id)
    size, last = selectors.conf("EXPORT_CHUNK"), 0
    while True:
        chunk = list(patients.filter(pk__gt=last).order_by("pk").values_list("pk", "clinic_id")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


def export_run(*, export_id: str) -> BulkExport:
    export = BulkExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return export
    user = export.requested_by
    patients = selectors.visible_patients_for_export(user)
    if export.clinic_id:
        patients = patients.filter(clinic_id=export.clinic_id)
    export.status, export.patients_total = ExportStatus.RUNNING, patients.count()
    export.save(update_fields=["status", "patients_total"])
    folder = export_dir(export)
    folder.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(export.types, 0)
    files = {kind: export_file(export, kind).open("w", encoding="utf-8") for kind in export.types}
    try:
        for chunk in _patient_ids(export):
            ids = [pk for pk, _clinic in chunk]
            for resource in selectors.patient_resources(
                user=user, patient_ids=ids, kinds=export.types, since=export.since
            ):
                files[resource["resourceType"]].write(json.dumps(resource, separators=(",", ":")) + "\n")
                counts[resource["resourceType"]] += 1
            audit_patient_reads(
                actor=user, patients=[Patient(pk=pk, clinic_id=c) for pk, c in chunk], purpose="fhir.$export"
            )
            export.patients_done += len(chunk)
            if BulkExport.objects.filter(pk=export.pk, status=ExportStatus.CANCELLED).exists():
                return export
            BulkExport.objects.filter(pk=export.pk).update(patients_done=export.patients_done)
    except Exception as exc:  # the requester sees the failure when polling; nothing half-served
        export.status, export.error = ExportStatus.FAILED, str(exc)[:2000]
        export.save(update_fields=["status", "error"])
        raise
    finally:
        for handle in files.values():
            handle.close()
    now = timezone.now()
    export.status, export.completed_at = ExportStatus.COMPLETED, now
    export.expires_at = now + dt.timedelta(hours=selectors.conf("EXPORT_EXPIRES_HOURS"))
    export.output = [{"type": kind, "count": counts[kind]} for kind in export.types if counts[kind]]
    export.save(update_fields=["status", "completed_at", "expires_at", "output", "patients_done"])
    return export


def export_for(*, user, export_id: str) -> BulkExport:
    """The user's own export; FhirError 404 for anyone else's, 410 once its files have expired."""
    export = (
        BulkExport.objects.filter(pk=export_id, requested_by=user).first() if _is_uuid(export_id) else None
    )
    if export is None:
        raise FhirError(404, "not-found", _("No such export."))
    clinics = staff_clinics(user, PATIENT_READER_ROLES)
    still_staff = clinics.filter(pk=export.clinic_id).exists() if export.clinic_id else clinics.exists()
    if not still_staff:  # a former member of staff no longer reaches the files
        raise FhirError(404, "not-found", _("No such export."))
    if export.is_expired:
        raise FhirError(410, "expired", _("This export has expired; start a new one."))
    return export


def export_cancel(*, user, export_id: str) -> None:
    export = export_for(user=user, export_id=export_id)
    BulkExport.objects.filter(pk=export.pk).update(status=ExportStatus.CANCELLED)
    shutil.rmtree(export_dir(export), ignore_errors=True)


def manifest(export: BulkExport, file_url) -> dict:
    return {
        "transactionTime": export.created_at.isoformat().replace("+00:00", "Z"),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": o["type"], "url": file_url(o["type"]), "count": o["count"]} for o in export.output
        ],
        "error": [],
    }


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired exports (the rows stay, answering 410)."""
    now = now or timezone.now()
    expired = list(BulkExport.objects.filter(expires_at__lte=now).exclude(output=[]))
    for export in expired:
        shutil.rmtree(export_dir(export), ignore_errors=True)
        BulkExport.objects.filter(pk=export.pk).update(output=[])
    return len(expired)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
