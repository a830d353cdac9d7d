"""Reads on treatment applications, through the access policy. Staff reads are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import Patient
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
            raise InvalidInput(_("Unknown status."), field="status")
        qs = qs.filter(status=status)
    if flag == "none":
        qs = qs.filter(flag_level="")
    elif flag:
        qs = qs.filter(flag_codes__contains=f",{flag},")  # a severity or a flag code
    if older_than_days is not None:
        if older_than_days < 0:
            raise InvalidInput(_("Enter a number of days from 0."), field="older_than_days")
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


# What makes an existing record a possible match, with the words staff read beside it.
MATCH_EVIDENCE = {
    "email": _("same e-mail address"),
    "name_and_birth_date": _("same name and date of birth"),
    "birth_date": _("same date of birth"),
    "phone": _("same phone number"),
}


@dataclass(frozen=True)
class PatientMatch:
    patient: Patient
    evidence: tuple[str, ...]  # MATCH_EVIDENCE codes

    @property
    def evidence_text(self) -> list[str]:
        return [str(MATCH_EVIDENCE[code]) for code in self.evidence]


def possible_patient_matches(application: TreatmentApplication) -> list[PatientMatch]:
    """The clinic's records that may be this applicant (same e-mail, or same name and birth date).

    Shown to staff with the evidence; staff decide whether to link or to create a new record. Never used to
    link on its own: an e-mail on a record is what its patient typed, not proof of who applied.
    """
    same_person = Q(
        first_name__iexact=application.first_name.strip(),
        last_name__iexact=application.last_name.strip(),
        date_of_birth=application.date_of_birth,
    )
    if application.email:
        same_person |= Q(email__iexact=application.email.strip())
    candidates = Patient.objects.filter(same_person, clinic_id=application.clinic_id).order_by("pk")
    matches = []
    for patient in candidates:
        evidence = []
        if application.email and patient.email.strip().lower() == application.email.strip().lower():
            evidence.append("email")
        if (
            patient.first_name.strip().lower() == application.first_name.strip().lower()
            and patient.last_name.strip().lower() == application.last_name.strip().lower()
            and patient.date_of_birth == application.date_of_birth
        ):
            evidence.append("name_and_birth_date")
        elif patient.date_of_birth == application.date_of_birth:
            evidence.append("birth_date")
        if application.phone and patient.phone and patient.phone == application.phone:
            evidence.append("phone")
        matches.append(PatientMatch(patient=patient, evidence=tuple(evidence)))
    return matches
