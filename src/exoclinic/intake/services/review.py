"""What the clinic's reviewers do with an application: review, assign, note, ask, message, decide.

Transitions: submitted -> in review -> more information requested -> (applicant replies) -> in review ->
accepted or declined. The flags inform the reviewer; nothing here decides on them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from exoclinic.core import services as core_services
from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput
from exoclinic.core.models import Patient
from exoclinic.core.policy import is_staff_of, require_staff

from ..models import (
    ApplicationMessage,
    ApplicationNote,
    ApplicationStatus,
    Decision,
    MessageDirection,
    TreatmentApplication,
)
from .applicant import _email, _link_url, _now, _transition, link_issue

REVIEWER_ROLES = ("coordinator", "clinician", "admin")


def _locked(actor, application: TreatmentApplication) -> TreatmentApplication:
    require_staff(actor, application.clinic_id, REVIEWER_ROLES)
    return TreatmentApplication.objects.select_for_update().select_related("clinic").get(pk=application.pk)


def _need_text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


def application_start_review(
    *, actor, application: TreatmentApplication, now: dt.datetime | None = None
) -> TreatmentApplication:
    now = _now(now)
    with transaction.atomic():
        locked = _locked(actor, application)
        before = _transition(locked, {ApplicationStatus.SUBMITTED}, ApplicationStatus.IN_REVIEW, now)
        if locked.assigned_to_id is None:
            locked.assigned_to = actor
        locked.save()
        audit_record(
            actor=actor,
            action="application.start_review",
            target=locked,
            detail={"from": before, "to": locked.status},
        )
    return locked


def application_assign(*, actor, application: TreatmentApplication, reviewer) -> TreatmentApplication:
    with transaction.atomic():
        locked = _locked(actor, application)
        if reviewer is not None and not is_staff_of(reviewer, locked.clinic_id, REVIEWER_ROLES):
            raise InvalidInput(
                _("Choose a coordinator, clinician or admin of this clinic."), field="reviewer"
            )
        locked.assigned_to = reviewer
        locked.save(update_fields=["assigned_to", "updated_at"])
        audit_record(
            actor=actor,
            action="application.assign",
            target=locked,
            detail={"reviewer": reviewer.email if reviewer else None},
        )
    return locked


def application_note_add(*, actor, application: TreatmentApplication, body: str) -> ApplicationNote:
    body = _need_text(body, "body", _("Write the note."))
    with transaction.atomic():
        locked = _locked(actor, application)
        note = ApplicationNote.objects.create(application=locked, author=actor, body=body)
        audit_record(actor=actor, action="application.note", target=locked, detail={"note": note.pk})
    return note


def _message(
    actor, locked: TreatmentApplication, body: str, now: dt.datetime, *, asks: bool
) -> ApplicationMessage:
    message = ApplicationMessage.objects.create(
        application=locked, direction=MessageDirection.TO_APPLICANT, author=actor, body=body, created_at=now
    )
    raw = link_issue(application=locked, now=now)
    _email(locked, "message", message=message, link=_link_url(raw), asks=asks)
    return message


def application_message_send(
    *, actor, application: TreatmentApplication, body: str, now: dt.datetime | None = None
) -> ApplicationMessage:
    """A message to the applicant (e-mail, and the portal once they have an account); no status change."""
    now = _now(now)
    body = _need_text(body, "body", _("Write the message."))
    with transaction.atomic():
        locked = _locked(actor, application)
        if locked.status == ApplicationStatus.DRAFT:
            raise InvalidInput(_("This application has not been submitted."), field="body")
        message = _message(actor, locked, body, now, asks=False)
        audit_record(actor=actor, action="application.message", target=locked, detail={"message": message.pk})
    return message


def application_request_info(
    *, actor, application: TreatmentApplication, body: str, now: dt.datetime | None = None
) -> TreatmentApplication:
    """Ask the applicant for more: the question goes out, and the application waits for the reply."""
    now = _now(now)
    body = _need_text(body, "body", _("Write what you need from the applicant."))
    with transaction.atomic():
        locked = _locked(actor, application)
        before = _transition(locked, {ApplicationStatus.IN_REVIEW}, ApplicationStatus.INFO_REQUESTED, now)
        locked.save()
        message = _message(actor, locked, body, now, asks=True)
        audit_record(
            actor=actor,
            action="application.request_info",
            target=locked,
            detail={"from": before, "to": locked.status, "message": message.pk},
        )
    return locked


NEW_PATIENT = "new"


def _patient_for(
    actor, application: TreatmentApplication, *, patient_choice: str | None, caregiver=None
) -> tuple[Patient, bool, dict]:
    """The record the accepted application goes to: the existing one staff chose, or a new one.

    A possible match (same e-mail, or same name and birth date) is never linked on its own: staff see the
    evidence and choose ``patient_choice`` = a matching record's id or ``"new"``.
    """
    from ..selectors import possible_patient_matches

    matches = {m.patient.pk: m for m in possible_patient_matches(application)}
    choice = (patient_choice or "").strip()
    if choice and choice != NEW_PATIENT:
        chosen = matches.get(int(choice)) if choice.isdigit() else None
        if chosen is None:
            raise InvalidInput(_("Choose one of the records shown, or a new record."), field="patient")
        return chosen.patient, False, {"linked": chosen.patient.pk, "evidence": list(chosen.evidence)}
    if matches and choice != NEW_PATIENT:
        raise Conflict(
            _(
                "This applicant may already be a patient here. Compare the records shown and choose: "
                "link to one of them, or create a new record."
            ),
            field="patient",
            code="possible_match",
            extra={
                "matches": [
                    {
                        "patient_id": m.patient.pk,
                        "record_number": m.patient.record_number,
                        "name": f"{m.patient.first_name} {m.patient.last_name}",
                        "date_of_birth": m.patient.date_of_birth.isoformat(),
                        "evidence": list(m.evidence),
                    }
                    for m in matches.values()
                ]
            },
        )
    match_detail = {"created_despite": sorted(matches)} if matches else {}
    patient = core_services.patient_create(
        actor=actor,
        clinic=application.clinic,
        first_name=application.first_name,
        last_name=application.last_name,
        date_of_birth=application.date_of_birth,
        sex=application.sex,
        email=application.email,
        phone=application.phone,
        preferred_contact_method=application.preferred_contact_method,
        preferred_language=application.preferred_language,
        time_zone=application.time_zone,
        primary_condition=application.condition,
        condition_description=application.condition_description,
        sci_date_of_injury=application.date_of_injury,
        sci_neurological_level=application.neurological_level,
        sci_ais_grade=application.ais_grade,
        sci_cause=application.injury_cause,
        research_consent=application.research_consent,
        caregiver=caregiver,
    )
    return patient, True, match_detail


def _account_for(actor, application: TreatmentApplication):
    """The applicant's account: the one with their e-mail, or a new one without a usable password."""
    User = get_user_model()
    email = User.objects.normalize_email(application.contact_email)
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        name = application.patient_name if application.for_self else application.filler_name
        user = User.objects.create_user(email, full_name=name)
        audit_record(
            actor=actor,
            action="user.create",
            target=user,
            clinic=application.clinic,
            detail={"application": application.pk},
        )
    return user


def application_decide(
    *,
    actor,
    application: TreatmentApplication,
    decision: str,
    reason: str,
    patient_choice: str | None = None,
    now: dt.datetime | None = None,
) -> TreatmentApplication:
    """Accept or decline with a reason. Accepting creates the patient record and an account, or links the
    existing record staff chose (``patient_choice``: its id, or ``"new"``) when there is a possible match."""
    now = _now(now)
    if decision not in Decision.values:
        raise InvalidInput(_("Choose accept or decline."), field="decision")
    reason = _need_text(reason, "reason", _("Give the reason for the decision."))
    with transaction.atomic():
        locked = _locked(actor, application)
        target = ApplicationStatus.ACCEPTED if decision == Decision.ACCEPT else ApplicationStatus.DECLINED
        before = _transition(locked, {ApplicationStatus.IN_REVIEW}, target, now)
        locked.decided_at, locked.decided_by, locked.decision_reason = now, actor, reason
        detail = {"from": before, "to": locked.status}
        invite = None
        if target == ApplicationStatus.ACCEPTED:
            user = _account_for(actor, locked)
            # Someone who applied for the patient becomes the new record's caregiver in the portal.
            caregiver = None if locked.for_self else user
            patient, created, match = _patient_for(
                actor, locked, patient_choice=patient_choice, caregiver=caregiver
            )
            if locked.for_self and user is not None and patient.user_id is None:
                core_services.patient_link_user(actor=actor, patient=patient, user=user)
            locked.patient = patient
            detail.update(patient=patient.pk, patient_created=created, **match)
            if user is not None and not user.has_usable_password():
                uid = urlsafe_base64_encode(force_bytes(user.pk))
                invite = reverse("intake:welcome", args=[uid, default_token_generator.make_token(user)])
        locked.save()
        audit_record(
            actor=actor,
            action=f"application.{decision}",
            target=locked,
            patient=locked.patient,
            detail=detail,
        )
        _email(
            locked,
            "accepted" if target == ApplicationStatus.ACCEPTED else "declined",
            invite=invite,
            login=reverse("login"),
        )
    return locked


def applicant_password_set(*, user) -> None:
    """Audit an invited applicant's first password (the form has saved it)."""
    audit_record(actor=user, action="user.set_password", target=user, detail={"via": "invitation"})
