"""Writing to the append-only audit trail. Call inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .middleware import current_request_meta
from .models import AuditEvent, Clinic, Patient


def _event(*, actor, **fields) -> AuditEvent:
    """An unsaved row with who did it and from where (the request's IP and user agent)."""
    meta = current_request_meta.get()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_email=actor.email if is_user else "",
        ip_address=meta.ip_address if meta else None,
        user_agent=meta.user_agent if meta else "",
        **fields,
    )


def audit_patient_reads(*, actor, patients: list[Patient], purpose: str) -> None:
    """One ``patient.view`` row per patient a staff member received in a list (API lists, exports)."""
    AuditEvent.objects.bulk_create(
        _event(
            actor=actor,
            action="patient.view",
            record_type="core.patient",
            record_id=str(p.pk),
            clinic_id=p.clinic_id,
            patient=p,
            detail={"purpose": purpose},
        )
        for p in patients
    )


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    record_type: str | None = None,
    record_id: Any = None,
    clinic: Clinic | None = None,
    patient: Patient | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    if target is not None:
        record_type = record_type or target._meta.label_lower
        record_id = target.pk if record_id is None else record_id
        if patient is None and isinstance(target, Patient):
            patient = target
        if patient is None and isinstance(getattr(target, "patient", None), Patient):
            patient = target.patient
        if clinic is None and isinstance(target, Clinic):
            clinic = target
    clinic_id = clinic.pk if clinic is not None else None
    # Ids, not objects: naming the clinic must not cost a query per audit row.
    if clinic_id is None and patient is not None:
        clinic_id = patient.clinic_id
    if clinic_id is None and target is not None:
        clinic_id = getattr(target, "clinic_id", None)
    event = _event(
        actor=actor,
        action=action,
        record_type=record_type or "",
        record_id="" if record_id is None else str(record_id),
        clinic_id=clinic_id,
        patient=patient,
        detail=detail or {},
    )
    event.save()
    return event
