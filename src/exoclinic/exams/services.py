"""Writes on ISNCSCI exams: record and correct, each classified, audited and fed to the outcomes app."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput
from exoclinic.core.models import Patient
from exoclinic.core.policy import require_staff
from exoclinic.scheduling.models import visit_took_place

from .classification import classify_or_refuse, key_figures
from .models import IsncsciExam, IsncsciExamVersion

# Recording an exam is clinical work: clinicians of the patient's clinic (the outcomes app records the
# assessment under the same rule).
EXAMINER_ROLES = ("clinician",)
# A clock a little ahead of the server's must not refuse an exam taken just now.
_CLOCK_SLACK = dt.timedelta(minutes=5)


def _check_examined_at(examined_at, patient: Patient) -> dt.datetime:
    if not isinstance(examined_at, dt.datetime):
        raise InvalidInput(_("Enter the date and time of the exam."), field="examined_at")
    if timezone.is_naive(examined_at):
        examined_at = timezone.make_aware(examined_at, patient.tz)
    if examined_at > timezone.now() + _CLOCK_SLACK:
        raise InvalidInput(_("The exam cannot be in the future."), field="examined_at")
    if examined_at.astimezone(patient.tz).date() < patient.date_of_birth:
        raise InvalidInput(_("The exam is dated before the patient's date of birth."), field="examined_at")
    injury = patient.sci_date_of_injury
    if injury is not None and examined_at.astimezone(patient.tz).date() < injury:
        raise InvalidInput(
            _("The exam date is before the date of injury %(injury)s.") % {"injury": injury.isoformat()},
            field="examined_at",
        )
    return examined_at


_UNCHANGED = object()


def _check_appointment(appointment, patient: Patient):
    """The visit must be this patient's and one that took place (or is taking place)."""
    if appointment is None:
        return None
    if appointment.patient_id != patient.pk:
        raise InvalidInput(_("That visit is another patient's."), field="appointment")
    if not visit_took_place(appointment):
        raise InvalidInput(_("That visit did not take place; choose another or none."), field="appointment")
    return appointment


def _record_assessment(*, actor, exam_record: IsncsciExam) -> None:
    """The exam's summary as an outcomes assessment, so it shows on the progress page.

    The exam's id is the source reference: a correction replaces the earlier assessment.
    """
    from exoclinic.outcomes.instruments.isncsci_summary import items_from_classifier_result
    from exoclinic.outcomes.models import AssessmentSource
    from exoclinic.outcomes.services import assessment_record

    assessment_record(
        actor=actor,
        patient=exam_record.patient,
        instrument="isncsci",
        items=items_from_classifier_result(exam_record.result),
        taken_on=exam_record.examined_at.astimezone(exam_record.patient.tz).date(),
        source=AssessmentSource.EXAM,
        source_ref=str(exam_record.pk),
    )


def isncsci_exam_record(
    *,
    actor,
    patient: Patient,
    examined_at: dt.datetime,
    exam: dict,
    comments: str = "",
    submission_key: str | None = None,
    appointment=None,
) -> IsncsciExam:
    """Check, classify and store an exam. The same ``submission_key`` twice gives back the first exam.

    ``appointment`` (a ``scheduling.Appointment`` of this patient, optional) is the visit it was taken at.
    """
    require_staff(actor, patient.clinic_id, EXAMINER_ROLES)
    examined_at = _check_examined_at(examined_at, patient)
    appointment = _check_appointment(appointment, patient)
    result = classify_or_refuse(exam)
    submission_key = (submission_key or "").strip()[:64] or None
    if submission_key:
        earlier = IsncsciExam.objects.filter(patient=patient, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            record = IsncsciExam.objects.create(
                clinic=patient.clinic,
                patient=patient,
                examined_at=examined_at,
                examiner=actor,
                appointment=appointment,
                exam=exam,
                comments=(comments or "").strip(),
                result=result,
                submission_key=submission_key,
                **key_figures(result),
            )
            audit_record(
                actor=actor,
                action="isncsci_exam.record",
                target=record,
                patient=patient,
                detail={"version": 1, "ais": record.ais, "nli": record.nli},
            )
            _record_assessment(actor=actor, exam_record=record)
    except IntegrityError:
        # The same form sent twice at once: the other request stored it.
        earlier = IsncsciExam.objects.filter(patient=patient, submission_key=submission_key).first()
        if submission_key and earlier is not None:
            return earlier
        raise
    return record


def _changed_paths(before: dict, after: dict, prefix: str = "") -> list[str]:
    paths = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        path = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            paths += _changed_paths(a, b, path + ".")
        elif a != b:
            paths.append(path)
    return paths


def isncsci_exam_correct(
    *,
    actor,
    exam_record: IsncsciExam,
    exam: dict,
    reason: str,
    comments: str | None = None,
    examined_at: dt.datetime | None = None,
    expected_version: int | None = None,
    appointment=_UNCHANGED,
) -> IsncsciExam:
    """Replace an exam's values, reclassify, keep the replaced state as a version and audit who, when, why.

    ``expected_version`` is the version the clinician corrected; if someone else corrected it meanwhile
    the correction is refused (Conflict) rather than silently overwriting theirs.
    """
    require_staff(actor, exam_record.clinic_id, EXAMINER_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the exam is corrected."), field="reason")
    patient = exam_record.patient
    new_examined_at = _check_examined_at(examined_at or exam_record.examined_at, patient)
    if appointment is not _UNCHANGED:
        appointment = _check_appointment(appointment, patient)
    result = classify_or_refuse(exam)
    with transaction.atomic():
        current = IsncsciExam.objects.select_for_update().get(pk=exam_record.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict(
                _(
                    "Someone corrected this exam while you were editing it; "
                    "open it again to see their version."
                ),
                field="version",
            )
        now = timezone.now()
        IsncsciExamVersion.objects.create(
            exam_record=current,
            version=current.version,
            examined_at=current.examined_at,
            examiner=current.examiner,
            exam=current.exam,
            comments=current.comments,
            result=current.result,
            ais=current.ais,
            nli=current.nli,
            replaced_at=now,
            replaced_by=actor,
            reason=reason,
        )
        changed = _changed_paths(current.exam, exam)
        before = {"ais": current.ais, "nli": current.nli}
        if current.examined_at != new_examined_at:
            changed.append("examined_at")
        new_comments = current.comments if comments is None else comments.strip()
        if new_comments != current.comments:
            changed.append("comments")
        if appointment is not _UNCHANGED and getattr(appointment, "pk", None) != current.appointment_id:
            changed.append("appointment")
            current.appointment = appointment
        current.exam = exam
        current.result = result
        current.examined_at = new_examined_at
        current.comments = new_comments
        current.version += 1
        for name, value in key_figures(result).items():
            setattr(current, name, value)
        current.save()
        audit_record(
            actor=actor,
            action="isncsci_exam.correct",
            target=current,
            patient=patient,
            detail={
                "reason": reason,
                "from_version": current.version - 1,
                "to_version": current.version,
                "changed": changed,
                "before": before,
                "after": {"ais": current.ais, "nli": current.nli},
            },
        )
        _record_assessment(actor=actor, exam_record=current)
    return current
