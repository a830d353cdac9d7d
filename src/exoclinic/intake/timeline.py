"""Evidence for the treatment timeline: the application and the clinic's decision, with their dates."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from exoclinic.core.timeline import Step, StepEvidence

from .models import ApplicationStatus, TreatmentApplication


def intake_provider(patients: Sequence) -> dict[int, list[StepEvidence]]:
    """For each patient, their latest accepted application (one query for all patients)."""
    latest: dict[int, TreatmentApplication] = {}
    accepted = TreatmentApplication.objects.filter(
        patient_id__in=[p.pk for p in patients], status=ApplicationStatus.ACCEPTED
    ).order_by("patient_id", "-decided_at", "-id")
    for application in accepted:
        latest.setdefault(application.patient_id, application)
    return {
        pk: [
            StepEvidence(
                Step.APPLY,
                True,
                application.submitted_at,
                _("Application %(ref)s") % {"ref": application.reference},
            ),
            StepEvidence(Step.REVIEW, True, application.decided_at, _("Accepted")),
        ]
        for pk, application in latest.items()
    }
