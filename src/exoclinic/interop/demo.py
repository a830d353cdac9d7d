"""Demo data for the FHIR server: one adverse event after the demo procedure and the treated patient's usual
systolic pressure, so every resource kind the server offers has an instance (the rest comes from the other
apps' demos)."""

from __future__ import annotations

import datetime as dt
import uuid

_EVENT_KEY = uuid.UUID("7e0a11c5-6d7f-4a57-9f0e-000000001401")


def seed(ctx) -> None:
    from exoclinic.core.services import patient_update
    from exoclinic.treatment.models import Procedure
    from exoclinic.treatment.services import adverse_event_record

    clinician = ctx.users.get("clinician")
    treated = Procedure.objects.filter(clinic=ctx.clinic).order_by("performed_at").first()
    if clinician is not None and treated is not None and treated.patient.baseline_systolic_mmhg is None:
        # A usual systolic of 104 mmHg, as SCI baselines often are (clinical-facts 4: 90-110).
        patient_update(actor=clinician, patient=treated.patient, data={"baseline_systolic_mmhg": 104})
    procedure = treated
    if procedure is None or clinician is None:
        return
    adverse_event_record(
        actor=clinician,
        patient=procedure.patient,
        submission_key=_EVENT_KEY,
        ctcae_grade=1,
        serious=False,
        relatedness="possible",
        outcome="recovering",
        onset_at=procedure.performed_at + dt.timedelta(hours=6),
        description="Mild headache the evening after the injection, eased lying down; no fever.",
        procedure=procedure,
    )
