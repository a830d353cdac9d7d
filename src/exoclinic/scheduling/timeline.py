"""Timeline evidence from bookings: a completed consultation (in person or remote) marks CONSULTATION done."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Min
from django.utils.translation import gettext as _

from exoclinic.core.timeline import Step, StepEvidence

from .models import CONSULTATION_KINDS, Appointment, AppointmentStatus


def consultation_provider(patients: Sequence) -> dict[int, list[StepEvidence]]:
    """For each patient, the end of their first completed consultation (one query for all patients)."""
    firsts = (
        Appointment.objects.filter(
            patient_id__in=[p.pk for p in patients],
            status=AppointmentStatus.COMPLETED,
            appointment_type__kind__in=[k.value for k in CONSULTATION_KINDS],
        )
        .values("patient_id")
        .annotate(first=Min("end"))
    )
    return {
        row["patient_id"]: [StepEvidence(Step.CONSULTATION, True, row["first"], _("Consultation completed"))]
        for row in firsts
    }
