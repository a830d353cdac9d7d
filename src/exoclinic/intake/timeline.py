"""Evidence for the treatment timeline: the application and the clinic's decision, with their dates."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from exoclinic.core.timeline import Step, StepEvidence

from .models import ApplicationStatus, TreatmentApplication


def intake_provider(patient) -> Iterable[StepEvidence]:
    application = (
        TreatmentApplication.objects.filter(patient=patient, status=ApplicationStatus.ACCEPTED)
        .order_by("-decided_at")
        .first()
    )
    if application is None:
        return []
    return [
        StepEvidence(
            Step.APPLY,
            True,
            application.submitted_at,
            _("Application %(ref)s") % {"ref": application.reference},
        ),
        StepEvidence(Step.REVIEW, True, application.decided_at, _("Accepted")),
    ]
