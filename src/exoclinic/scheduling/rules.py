"""Small booking rules shared by services, selectors and views."""

from __future__ import annotations

from exoclinic.accounts.models import Role
from exoclinic.core.timeline import Step, StepState, patient_timeline

# Staff who may book, move, cancel and check in appointments.
BOOKING_STAFF_ROLES = (Role.COORDINATOR, Role.CLINICIAN, Role.ADMIN)


def timeline_reached(patient, step: str | Step) -> bool:
    """True when the patient's timeline has reached ``step``: it is the current step or done."""
    wanted = Step(step)
    if list(Step).index(wanted) <= list(Step).index(Step.CONSULTATION):
        # The foundation marks APPLY and REVIEW done for every patient record (docs/contracts.md), so the
        # consultation step is always reached: no need to ask every app's timeline provider.
        return True
    state = next(item.state for item in patient_timeline(patient).steps if item.step == wanted)
    return state in (StepState.DONE, StepState.CURRENT)
