"""What the clinic knows about a patient, as the engine's ``PatientContext``.

The injury level comes from the patient record. The last procedure comes from the treatment app's
``treatment.selectors.last_procedure(patient)`` (``performed_at``, ``route``) when it offers one; until then
from the treatment timeline step, whose date is the *first* procedure and whose route is unknown.
"""

from __future__ import annotations

import datetime as dt

from exoclinic.core.models import Patient
from exoclinic.core.timeline import Step, patient_timeline

from .engine import PatientContext, ProcedureRoute, days_since


def _last_procedure(patient: Patient) -> tuple[dt.datetime | None, ProcedureRoute]:
    try:
        from exoclinic.treatment import selectors as treatment_selectors
    except ImportError:  # pragma: no cover - the treatment app is always installed
        treatment_selectors = None
    last = getattr(treatment_selectors, "last_procedure", None)
    if last is not None:
        procedure = last(patient)
        if procedure is None:
            return None, ProcedureRoute.NONE
        try:
            route = ProcedureRoute(procedure.route)
        except ValueError:
            route = ProcedureRoute.UNKNOWN
        return procedure.performed_at, route
    step = next(s for s in patient_timeline(patient).steps if s.step == Step.TREATMENT)
    if step.state != "done":
        return None, ProcedureRoute.NONE
    return step.when, ProcedureRoute.UNKNOWN


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
        baseline_systolic_mmhg=None,
    )
