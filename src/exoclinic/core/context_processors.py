"""Template context shared by every page."""

from __future__ import annotations

from .policy import portal_patients


def acting_for(request) -> dict:
    """Whom a portal page acts for, when the person may act for more than one record or not for their own:
    base.html then names the patient and offers the switch (``core.views.request_acting_patient``)."""
    patient = getattr(request, "acting_patient", None)
    if patient is None:
        return {}
    choices = list(portal_patients(request.user))
    if len(choices) < 2 and patient.user_id == request.user.pk:
        return {}
    return {
        "acting_for": patient,
        "acting_for_self": patient.user_id == request.user.pk,
        "acting_choices": choices,
    }
