"""Reads on outcome records, always through the access policy (core.policy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.accounts.models import Role, StaffMembership
from exoclinic.core.errors import NotFound, PermissionDenied
from exoclinic.core.models import Clinic, Patient
from exoclinic.core.policy import PATIENT_READER_ROLES, patient_get, staff_clinics

from . import conf, integrations
from .models import Assessment, DiaryEntry, FollowUpPoint
from .progress import Progress, build_progress


def local_today(patient: Patient) -> dt.date:
    return timezone.localtime(timezone.now(), patient.tz).date()


def assessment_list(
    *, user, patient_id, instrument: str | None = None
) -> tuple[Patient, QuerySet[Assessment]]:
    patient = patient_get(user=user, patient_id=patient_id, purpose="assessments")
    rows = Assessment.objects.filter(patient=patient).order_by("taken_on", "id")
    if instrument:
        rows = rows.filter(instrument=instrument)
    return patient, rows


def diary_list(*, user, patient_id) -> tuple[Patient, QuerySet[DiaryEntry]]:
    patient = patient_get(user=user, patient_id=patient_id, purpose="diary")
    return patient, DiaryEntry.objects.filter(patient=patient).order_by("week_start")


def diary_entry_for_week(*, patient: Patient, week_start: dt.date) -> DiaryEntry | None:
    return DiaryEntry.objects.filter(patient=patient, week_start=week_start).first()


def progress_for(patient: Patient, *, today: dt.date | None = None) -> Progress:
    """The progress of a patient already reached through the policy. A fixed number of queries."""
    today = today or local_today(patient)
    schedule = getattr(patient, "follow_up_schedule", None) if _has_schedule(patient) else None
    points = list(schedule.points.all()) if schedule else []
    return build_progress(
        patient=patient,
        today=today,
        assessments=list(Assessment.objects.filter(patient=patient).order_by("taken_on", "id")),
        diary_entries=list(
            DiaryEntry.objects.filter(patient=patient)
            .order_by("week_start")
            .only("week_start", *[f for f in DiaryEntry.ratings_fields()])
        ),
        application_ratings=integrations.application_self_ratings(patient),
        first_procedure_on=schedule.first_procedure_on if schedule else None,
        points=points,
        concurrent_therapies=integrations.concurrent_therapies(patient),
    )


def _has_schedule(patient: Patient) -> bool:
    from .models import FollowUpSchedule

    try:
        patient.follow_up_schedule  # noqa: B018
    except FollowUpSchedule.DoesNotExist:
        return False
    return True


def patient_progress(*, user, patient_id, today: dt.date | None = None) -> Progress:
    patient = patient_get(user=user, patient_id=patient_id, purpose="progress")
    return progress_for(patient, today=today)


# ---- follow-up lists for staff -------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    point: FollowUpPoint
    patient: Patient
    status: str  # "overdue" or "due"

    @property
    def window_end(self) -> dt.date:
        return self.point.due_on + dt.timedelta(days=self.point.window_days)


def follow_up_lists(*, user, today: dt.date | None = None, limit: int = 200) -> dict[str, list[FollowUpRow]]:
    """Open follow-up points of the user's clinics: overdue (past the due date) and due soon."""
    today = today or timezone.now().date()
    clinics = staff_clinics(user, PATIENT_READER_ROLES)
    soon = today + dt.timedelta(days=int(conf.get("DUE_SOON_DAYS")))
    points = (
        FollowUpPoint.objects.filter(
            schedule__patient__clinic__in=clinics, completed_on__isnull=True, months__gt=0, due_on__lte=soon
        )
        .select_related("schedule__patient")
        .order_by("due_on", "id")[:limit]
    )
    out: dict[str, list[FollowUpRow]] = {"overdue": [], "due": []}
    for point in points:
        status = "overdue" if point.due_on < today else "due"
        out[status].append(FollowUpRow(point, point.schedule.patient, status))
    return out


# ---- medical director ----------------------------------------------------------------------------------


def directed_clinics(user) -> QuerySet[Clinic]:
    """Clinics where the user is medical director (clinician or admin flagged) or clinic admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Clinic.objects.none()
    ids = (
        StaffMembership.objects.filter(user=user)
        .filter(role__in=[Role.CLINICIAN, Role.ADMIN])
        .exclude(role=Role.CLINICIAN, is_medical_director=False)
        .values("clinic_id")
    )
    return Clinic.objects.filter(pk__in=ids)


def require_medical_director(user) -> QuerySet[Clinic]:
    clinics = directed_clinics(user)
    if not clinics.exists():
        if staff_clinics(user).exists():
            raise PermissionDenied(_("Cohort outcomes are for the medical director and clinic admins."))
        raise NotFound()
    return clinics
