"""Writing to the append-only audit trail. Call inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .middleware import current_request_meta
from .models import AuditEvent, Clinic, Patient


def audit_patient_reads(*, actor, patients: list[Patient], purpose: str) -> None:
    """One ``patient.view`` row per patient a staff member received in a list (API lists, exports)."""
    meta = current_request_meta.get()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_email=actor.email,
            action="patient.view",
            record_type="core.patient",
            record_id=str(p.pk),
            clinic_id=p.clinic_id,
            patient=p,
            ip_address=meta.ip_address if meta else None,
            user_agent=meta.user_agent if meta else "",
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
    if clinic is None and patient is not None:
        clinic = patient.clinic
    if clinic is None and target is not None and isinstance(getattr(target, "clinic", None), Clinic):
        clinic = target.clinic
    meta = current_request_meta.get()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_email=actor.email if is_user else "",
        action=action,
        record_type=record_type or "",
        record_id="" if record_id is None else str(record_id),
        clinic=clinic,
        patient=patient,
        ip_address=meta.ip_address if meta else None,
        user_agent=meta.user_agent if meta else "",
        detail=detail or {},
    )
