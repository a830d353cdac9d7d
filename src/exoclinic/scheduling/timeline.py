"""Timeline evidence from bookings: a completed consultation (in person or remote) marks CONSULTATION done."""

from __future__ import annotations

from exoclinic.core.timeline import Step, StepEvidence

from .models import CONSULTATION_KINDS, Appointment, AppointmentStatus


def consultation_provider(patient) -> list[StepEvidence]:
    first = (
        Appointment.objects.filter(
            patient=patient,
            status=AppointmentStatus.COMPLETED,
            appointment_type__kind__in=[k.value for k in CONSULTATION_KINDS],
        )
        .order_by("end")
        .values_list("end", flat=True)
        .first()
    )
    return [StepEvidence(Step.CONSULTATION, True, first, "Consultation completed")] if first else []
