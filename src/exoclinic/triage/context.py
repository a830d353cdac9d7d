"""What the clinic knows about a patient, as the engine's ``PatientContext``.

The injury level comes from the patient record; the last procedure (its time and route) from the treatment
app's ``treatment.selectors.last_procedure(patient)``.
"""

from __future__ import annotations

import datetime as dt

from exoclinic.core.models import Patient

from .engine import PatientContext, ProcedureRoute, days_since


def _last_procedure(patient: Patient) -> tuple[dt.datetime | None, ProcedureRoute]:
    from exoclinic.treatment.selectors import last_procedure

    procedure = last_procedure(patient)
    if procedure is None:
        return None, ProcedureRoute.NONE
    try:
        route = ProcedureRoute(procedure.route)
    except ValueError:
        route = ProcedureRoute.UNKNOWN
    return procedure.performed_at, route


def patient_context(patient: Patient, *, now: dt.datetime) -> PatientContext:
    performed_at, route = _last_procedure(patient)
    days = None
    if performed_at is not None and performed_at <= now:
        days = round(days_since(performed_at, now), 4)
    elif route == ProcedureRoute.NONE:
        days = None
    else:
        route = ProcedureRoute.UNKNOWN  # a procedure with no date, or dated in the future: timing unknown
    return PatientContext(
        injury_level=patient.sci_neurological_level or None,
        at_or_above_t6=None,
        days_since_procedure=days,
        procedure_route=route,
        baseline_systolic_mmhg=float(patient.baseline_systolic_mmhg)
        if patient.baseline_systolic_mmhg
        else None,
        baseline_heart_rate_bpm=float(patient.baseline_heart_rate_bpm)
        if patient.baseline_heart_rate_bpm
        else None,
    )
