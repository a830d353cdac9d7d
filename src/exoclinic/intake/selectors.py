"""Reads on treatment applications, through the access policy. Staff reads are audited."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.policy import is_staff_of, scope_to_clinics

from .models import ApplicationStatus, ApplicationUpload, TreatmentApplication

REVIEWER_ROLES = ("coordinator", "clinician", "admin")


def application_queue(
    *,
    user,
    status: str = "",
    flag: str = "",
    older_than_days: int | None = None,
    assigned_to_me: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[TreatmentApplication]:
    """Submitted applications of the user's clinics, oldest waiting first.

    ``status`` "open" means submitted, in review or waiting for information; ``flag`` is a severity
    (needs_attention, to_confirm, information), a flag code, or "none".
    """
    qs = scope_to_clinics(user, TreatmentApplication.objects.all(), roles=REVIEWER_ROLES)
    qs = qs.exclude(status=ApplicationStatus.DRAFT).select_related("clinic", "assigned_to")
    if status == "open":
        qs = qs.filter(
            status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.IN_REVIEW,
                ApplicationStatus.INFO_REQUESTED,
            ]
        )
    elif status:
        if status not in ApplicationStatus.values:
            raise InvalidInput("Unknown status.", field="status")
        qs = qs.filter(status=status)
    if flag == "none":
        qs = qs.filter(flag_level="")
    elif flag:
        qs = qs.filter(flag_codes__contains=f",{flag},")  # a severity or a flag code
    if older_than_days is not None:
        if older_than_days < 0:
            raise InvalidInput("Enter a number of days from 0.", field="older_than_days")
        qs = qs.filter(submitted_at__lte=(now or timezone.now()) - dt.timedelta(days=older_than_days))
    if assigned_to_me:
        qs = qs.filter(assigned_to=user)
    return qs.order_by("submitted_at", "id")


def application_get(*, user, application_id, purpose: str = "view") -> TreatmentApplication:
    """One application for the clinic's reviewers (404 for anyone else); the read is audited."""
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    application = (
        TreatmentApplication.objects.select_related("clinic", "assigned_to", "decided_by", "patient")
        .exclude(status=ApplicationStatus.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if application is None or not is_staff_of(user, application.clinic_id, REVIEWER_ROLES):
        raise NotFound()
    audit_record(
        actor=user,
        action="application.view",
        target=application,
        patient=application.patient,
        detail={"purpose": purpose},
    )
    return application


def applications_of_user(user) -> QuerySet[TreatmentApplication]:
    """Submitted applications a logged-in person made: same e-mail as the applicant, or their record."""
    if not getattr(user, "is_authenticated", False):
        return TreatmentApplication.objects.none()
    email = user.email
    return (
        TreatmentApplication.objects.exclude(status=ApplicationStatus.DRAFT)
        .filter(
            Q(patient__user=user)
            | Q(for_self=True, email__iexact=email)
            | Q(for_self=False, filler_email__iexact=email)
        )
        .select_related("clinic")
        .order_by("-submitted_at", "-id")
    )


def applicant_may_open(user, application: TreatmentApplication, granted_ids) -> bool:
    """The applicant reaches an application through a link (granted in the session) or their account."""
    if application.pk in set(granted_ids or ()):
        return True
    return applications_of_user(user).filter(pk=application.pk).exists()


def upload_get(*, user, upload_id, granted_ids=()) -> ApplicationUpload:
    """A document for its applicant or the clinic's reviewers; each staff read is audited by the caller."""
    upload = ApplicationUpload.objects.select_related("application__clinic").filter(pk=upload_id).first()
    if upload is None:
        raise NotFound()
    application = upload.application
    as_staff = is_staff_of(user, application.clinic_id, REVIEWER_ROLES) and application.status != "draft"
    if not as_staff and not applicant_may_open(user, application, granted_ids):
        raise NotFound()
    audit_record(
        actor=user,
        action="application_upload.download",
        target=upload,
        clinic=application.clinic,
        patient=application.patient,
        detail={"application": application.pk, "as": "staff" if as_staff else "applicant"},
    )
    return upload


def application_self_ratings(patient) -> tuple[dt.datetime, dict[str, int]] | None:
    """The six self-ratings of the patient's accepted application, with when they were submitted.

    For the outcomes app: they are the first entry of the progress diary.
    """
    application = (
        TreatmentApplication.objects.filter(patient=patient, status=ApplicationStatus.ACCEPTED)
        .exclude(self_ratings={})
        .order_by("submitted_at", "id")
        .first()
    )
    if application is None or not application.self_ratings:
        return None
    return application.submitted_at, {k: int(v) for k, v in application.self_ratings.items()}
