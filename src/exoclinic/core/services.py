"""Writes on clinics' patient records. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import hooks
from .audit import audit_record
from .errors import InvalidInput, NotFound
from .models import Clinic, Patient, PatientMedication
from .outbox import after_commit
from .policy import PATIENT_READER_ROLES, acts_for, is_staff_of, may_edit_patient, require_staff

# What a patient (or their caregiver) may change themselves; staff may change the clinical fields too.
PATIENT_EDITABLE_FIELDS = frozenset(
    {
        "email",
        "phone",
        "address",
        "preferred_contact_method",
        "preferred_language",
        "time_zone",
        "emergency_contact_name",
        "emergency_contact_phone",
        "emergency_contact_relationship",
    }
)
STAFF_EDITABLE_FIELDS = PATIENT_EDITABLE_FIELDS | {
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "primary_condition",
    "condition_description",
    "sci_date_of_injury",
    "sci_neurological_level",
    "sci_ais_grade",
    "sci_cause",
    "baseline_systolic_mmhg",
    "baseline_heart_rate_bpm",
}


def _raise_first(exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        raise InvalidInput(" ".join(m for e in errors for m in e.messages), field=field) from exc
    raise InvalidInput(" ".join(exc.messages)) from exc


def _validated(patient: Patient) -> None:
    try:
        patient.full_clean(exclude=["clinic", "user", "caregiver"])
    except ValidationError as exc:
        _raise_first(exc)
    if patient.sci_date_of_injury and patient.sci_date_of_injury > timezone.localdate():
        raise InvalidInput(_("The date of injury cannot be in the future."), field="sci_date_of_injury")
    if patient.date_of_birth and patient.date_of_birth > timezone.localdate():
        raise InvalidInput(_("The date of birth cannot be in the future."), field="date_of_birth")


def next_record_number(clinic: Clinic) -> str:
    last = (
        Patient.objects.filter(clinic=clinic).order_by("-id").values_list("record_number", flat=True).first()
    )
    number = 1
    if last and last.rsplit("-", 1)[-1].isdigit():
        number = int(last.rsplit("-", 1)[-1]) + 1
    return f"{clinic.slug[:6].upper()}-{number:05d}"


def patient_create(
    *, actor, clinic: Clinic, first_name: str, last_name: str, date_of_birth: dt.date, **fields
) -> Patient:
    """Register a patient at a clinic (staff, or the intake workflow acting for the clinic)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        require_staff(actor, clinic, PATIENT_READER_ROLES)
    unknown = set(fields) - STAFF_EDITABLE_FIELDS - {"user", "caregiver", "research_consent", "record_number"}
    if unknown:
        raise InvalidInput(
            _("Unknown field %(field)s.") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    with transaction.atomic():
        patient = Patient(
            clinic=clinic, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, **fields
        )
        if not patient.record_number:
            patient.record_number = next_record_number(clinic)
        if patient.research_consent and not patient.research_consent_at:
            patient.research_consent_at = timezone.now()
        _validated(patient)
        patient.save()
        audit_record(actor=actor, action="patient.create", target=patient)
    return patient


def patient_research_consent_withdraw(*, actor, patient: Patient, at: dt.datetime | None = None) -> Patient:
    """The patient (or the caregiver who acts for them) withdraws consent to research use of their data:
    from now on they are left out of research exports (``outcomes.cohort.research_rows``)."""
    if not acts_for(actor, patient):
        raise NotFound()
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        if not locked.research_consent:
            return locked
        locked.research_consent = False
        locked.research_consent_at = at or timezone.now()  # now the time of the last change
        locked.save(update_fields=["research_consent", "research_consent_at", "updated_at"])
        audit_record(actor=actor, action="patient.research_consent_withdraw", target=locked)
    return locked


def patient_update(*, actor, patient: Patient, data: dict) -> Patient:
    """Change a patient's details. Patients and caregivers may change contact details; staff more."""
    if not may_edit_patient(actor, patient):
        raise NotFound()
    as_staff = is_staff_of(actor, patient.clinic_id, PATIENT_READER_ROLES) and not acts_for(actor, patient)
    allowed = STAFF_EDITABLE_FIELDS if as_staff else PATIENT_EDITABLE_FIELDS
    for key in data:
        if key not in allowed:
            raise InvalidInput(_("This field cannot be changed here."), field=key)
    data = dict(data)
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        new_email = (data.get("email") or "").strip()
        if not as_staff and "email" in data and new_email.lower() != locked.email.strip().lower():
            # A patient's new address counts only once they open the link sent to it: an address typed
            # here is no proof of whose it is (it must never make another person's application theirs).
            del data["email"]
            _email_change_request(actor=actor, patient=locked, new_email=new_email)
        changed = []
        for key, value in data.items():
            if getattr(locked, key) != value:
                setattr(locked, key, value)
                changed.append(key)
        if not changed:
            return locked
        _validated(locked)
        locked.save()
        # Field names only: the audit trail says what changed, the record says what it is now.
        audit_record(actor=actor, action="patient.update", target=locked, detail={"fields": sorted(changed)})
    return locked


EMAIL_CHANGE_SALT = "exoclinic.core.patient-email-change"
EMAIL_CHANGE_MAX_AGE = dt.timedelta(days=2)


def _email_change_request(*, actor, patient: Patient, new_email: str) -> None:
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.signing import TimestampSigner
    from django.core.validators import validate_email
    from django.urls import reverse

    from .notify import send_templated_email

    if not new_email:
        raise InvalidInput(_("Give an e-mail address; it cannot be removed here."), field="email")
    try:
        validate_email(new_email)
    except DjangoValidationError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), field="email") from exc
    patient.pending_email = new_email
    patient.save(update_fields=["pending_email", "updated_at"])
    token = TimestampSigner(salt=EMAIL_CHANGE_SALT).sign_object({"p": patient.pk, "e": new_email})
    send_templated_email(
        to=new_email,
        name="core/email/verify_email",
        context={"patient": patient, "path": reverse("portal:email-confirm", args=[token])},
        language=patient.preferred_language,
    )
    audit_record(actor=actor, action="patient.email_change_request", target=patient)


def patient_email_confirm(*, actor, token: str) -> Patient:
    """Make the new address count: the signed link from the mail, opened by the patient (or caregiver)."""
    from django.core.signing import BadSignature, TimestampSigner

    try:
        claim = TimestampSigner(salt=EMAIL_CHANGE_SALT).unsign_object(
            token, max_age=EMAIL_CHANGE_MAX_AGE.total_seconds()
        )
    except BadSignature as exc:  # also SignatureExpired
        raise InvalidInput(
            _("This link has expired or is not valid. Change the address again."), field="token"
        ) from exc
    with transaction.atomic():
        patient = Patient.objects.select_for_update().filter(pk=claim.get("p")).first()
        if patient is None or not may_edit_patient(actor, patient):
            raise NotFound()
        if not patient.pending_email or patient.pending_email.lower() != str(claim.get("e", "")).lower():
            raise InvalidInput(
                _("This link is for an address change that was replaced or done."), field="token"
            )
        patient.email, patient.pending_email = patient.pending_email, ""
        patient.save(update_fields=["email", "pending_email", "updated_at"])
        audit_record(
            actor=actor,
            action="patient.update",
            target=patient,
            detail={"fields": ["email"], "verified": True},
        )
    return patient


def patient_medication_add(*, actor, patient: Patient, name: str, **fields) -> PatientMedication:
    if not may_edit_patient(actor, patient):
        raise NotFound()
    if not name.strip():
        raise InvalidInput(_("Name the medication."), field="name")
    with transaction.atomic():
        medication = PatientMedication(patient=patient, name=name.strip(), **fields)
        try:
            medication.full_clean(exclude=["patient"])
        except ValidationError as exc:
            _raise_first(exc)
        medication.save()
        audit_record(actor=actor, action="medication.add", target=medication, patient=patient)
        for hook in hooks.medication_added:
            after_commit(lambda hook=hook: hook(medication), what=f"medication_added hook {hook.__name__}")
    return medication


def patient_link_user(*, actor, patient: Patient, user) -> Patient:
    """Link an account to a patient record (e.g. when an accepted applicant sets a password)."""
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        if locked.user_id and locked.user_id != user.pk:
            raise InvalidInput(_("This record already has an account."), field="user")
        locked.user = user
        locked.save(update_fields=["user", "updated_at"])
        audit_record(actor=actor, action="patient.link_user", target=locked, detail={"user": user.email})
    return locked


def ensure_clinic(clinic_id) -> Clinic:
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None:
        raise NotFound(_("No such clinic."), field="clinic")
    return clinic
