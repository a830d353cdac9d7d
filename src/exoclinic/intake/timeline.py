"""Evidence for the treatment timeline: the application and the clinic's decision, with their dates."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from exoclinic.core.timeline import Step, StepEvidence

from .models import ApplicationStatus, TreatmentApplication


def intake_provider(patients: Sequence) -> dict[int, list[StepEvidence]]:
    """Each accepted application opens a treatment course: APPLY when it was sent, REVIEW when the clinic
    accepted it (one query for all patients; the timeline keeps the latest course)."""
    evidence: dict[int, list[StepEvidence]] = {}
    accepted = TreatmentApplication.objects.filter(
        patient_id__in=[p.pk for p in patients], status=ApplicationStatus.ACCEPTED
    ).order_by("patient_id", "submitted_at", "id")
    for application in accepted:
        evidence.setdefault(application.patient_id, []).extend(
            [
                StepEvidence(
                    Step.APPLY,
                    True,
                    application.submitted_at,
                    _("Application %(ref)s") % {"ref": application.reference},
                    starts_course=True,
                ),
                StepEvidence(Step.REVIEW, True, application.decided_at, _("Accepted")),
            ]
        )
    return evidence
