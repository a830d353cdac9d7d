"""Building blocks for procedure tests: the bedside input a clinician types."""

from __future__ import annotations

from django.utils import timezone

from exoclinic.treatment import services

VITALS = {"systolic": 110, "diastolic": 70, "heart_rate": 72, "temperature_c": 36.6, "spo2": 98}


def record(plan, *, actor, lot, at=None, **overrides):
    patient = plan.patient
    data = {
        "performed_at": at or timezone.now(),
        "identity_full_name": f"{patient.first_name} {patient.last_name}",
        "identity_date_of_birth": patient.date_of_birth,
        "lot_code": lot if isinstance(lot, str) else lot.code,
        "dose": "1 mL",
        "route": "local_injection",
        "site": "Paraspinal, right",
        "level": "T4",
        "vitals_before": VITALS,
        "vitals_after": {**VITALS, "heart_rate": 76},
    }
    data.update(overrides)
    return services.procedure_record(actor=actor, plan=plan, **data)
