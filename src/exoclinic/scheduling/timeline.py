"""Timeline evidence from bookings: a completed consultation (in person or remote) marks CONSULTATION done."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from exoclinic.core.timeline import Step, StepEvidence

from .models import CONSULTATION_KINDS, Appointment, AppointmentStatus


def consultation_provider(patients: Sequence) -> dict[int, list[StepEvidence]]:
    """Each completed consultation, at its end (one query for all patients): the timeline takes the first one
    of the current course."""
    evidence: dict[int, list[StepEvidence]] = {}
    ends = Appointment.objects.filter(
        patient_id__in=[p.pk for p in patients],
        status=AppointmentStatus.COMPLETED,
        appointment_type__kind__in=[k.value for k in CONSULTATION_KINDS],
    ).values_list("patient_id", "end")
    for patient_id, end in ends:
        evidence.setdefault(patient_id, []).append(
            StepEvidence(Step.CONSULTATION, True, end, _("Consultation completed"))
        )
    return evidence
