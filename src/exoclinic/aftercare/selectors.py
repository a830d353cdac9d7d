"""Aftercare reads: what is in force now, check-ins, warnings; the AFTERCARE step of the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from exoclinic.core.errors import NotFound
from exoclinic.core.policy import scope_to_clinics, scope_to_patients
from exoclinic.core.timeline import Step, StepEvidence
from exoclinic.portal.selectors import portal_patients

from .models import AftercarePlan, CheckIn, MedicationWarning, Restriction

STAFF_READERS = ["clinician", "coordinator", "admin"]


@dataclass
class AftercareView:
    patient: object
    in_force: list[Restriction]
    ended: list[Restriction]
    check_ins_open: list[CheckIn]
    check_ins_later: list[CheckIn]
    check_ins_done: list[CheckIn]
    warnings: list[MedicationWarning]


def aftercare_for_patient(patient, *, now: dt.datetime | None = None) -> AftercareView:
    now = now or timezone.now()
    restrictions = list(Restriction.objects.filter(plan__patient=patient).order_by("ends_at", "id"))
    check_ins = list(CheckIn.objects.filter(plan__patient=patient).order_by("due_at", "id"))
    return AftercareView(
        patient=patient,
        in_force=[r for r in restrictions if r.in_force(now)],
        ended=[r for r in restrictions if r.ends_at <= now],
        check_ins_open=[
            c for c in check_ins if c.completed_at is None and c.due_at - now <= dt.timedelta(days=1)
        ],
        check_ins_later=[
            c for c in check_ins if c.completed_at is None and c.due_at - now > dt.timedelta(days=1)
        ],
        check_ins_done=[c for c in check_ins if c.completed_at is not None],
        warnings=list(
            MedicationWarning.objects.filter(patient=patient, restriction__ends_at__gt=now).select_related(
                "medication", "restriction"
            )
        ),
    )


def portal_check_in_get(*, user, check_in_id) -> CheckIn:
    try:
        pk = int(check_in_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    check_in = (
        CheckIn.objects.filter(pk=pk, plan__patient__in=portal_patients(user=user).values("pk"))
        .select_related("plan__patient__clinic")
        .first()
    )
    if check_in is None:
        raise NotFound()
    return check_in


def plans_visible(*, user) -> QuerySet[AftercarePlan]:
    return scope_to_patients(user, AftercarePlan.objects.all()).prefetch_related("restrictions", "check_ins")


def warnings_open(*, user) -> QuerySet[MedicationWarning]:
    """Unacknowledged anti-inflammatory warnings at the clinician's clinics."""
    return (
        scope_to_clinics(user, MedicationWarning.objects.all(), field="patient__clinic", roles=STAFF_READERS)
        .filter(acknowledged_at__isnull=True)
        .select_related("patient", "medication", "restriction")
    )


def warning_get(*, user, warning_id) -> MedicationWarning:
    try:
        pk = int(warning_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    warning = scope_to_patients(user, MedicationWarning.objects.all()).filter(pk=pk).first()
    if warning is None:
        raise NotFound()
    return warning


def timeline_evidence_for(patients, *, now: dt.datetime | None = None) -> dict[int, list[StepEvidence]]:
    """AFTERCARE of each aftercare plan: done once its last restriction has ended (many patients, two
    queries); the timeline keeps the plans of the current course."""
    now = now or timezone.now()
    plans = (
        AftercarePlan.objects.filter(patient_id__in=[p.pk for p in patients])
        .order_by("patient_id", "starts_at", "id")
        .prefetch_related("restrictions")
    )
    evidence: dict[int, list[StepEvidence]] = {}
    for plan in plans:
        last_end = max((r.ends_at for r in plan.restrictions.all()), default=plan.starts_at)
        done = last_end <= now
        # An open plan is dated by its start, so it belongs to the course it started in.
        when = last_end if done else None
        evidence.setdefault(plan.patient_id, []).append(StepEvidence(Step.AFTERCARE, done, when))
    return evidence


def timeline_evidence(patient, *, now: dt.datetime | None = None) -> list[StepEvidence]:
    return timeline_evidence_for([patient], now=now).get(patient.pk, [])
