"""Reads on ISNCSCI exams, under the one access policy.

Clinicians, coordinators and admins of the patient's clinic see a patient's exams; the patient (or the
caregiver they named) sees their own. Lab staff and other clinics get NotFound. Staff reads are audited.
"""

from __future__ import annotations

from django.db import transaction

from exoclinic.core.audit import audit_patient_reads, audit_record
from exoclinic.core.errors import NotFound
from exoclinic.core.models import Patient
from exoclinic.core.policy import (
    PATIENT_READER_ROLES,
    patient_get,
    reads_as_staff,
    scope_to_clinics,
    scope_to_patients,
)

from .models import IsncsciExam, IsncsciExamVersion


def isncsci_exams_of_patient(*, user, patient_id) -> tuple[Patient, list[IsncsciExam]]:
    """The patient and their exams, oldest first (a series over time)."""
    patient = patient_get(user=user, patient_id=patient_id, purpose="isncsci_exams")
    exams = list(
        IsncsciExam.objects.filter(patient=patient).select_related("examiner").order_by("examined_at", "id")
    )
    return patient, exams


def isncsci_exam_get(*, user, exam_id, purpose: str = "view") -> IsncsciExam:
    """One exam if the user may see it, else NotFound; a staff read goes to the audit trail."""
    try:
        pk = int(exam_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    related = ("patient__clinic", "examiner", "appointment__appointment_type")
    queryset = scope_to_patients(user, IsncsciExam.objects.select_related(*related))
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise NotFound()
    if reads_as_staff(user, record.patient):
        with transaction.atomic():
            audit_record(actor=user, action="isncsci_exam.view", target=record, detail={"purpose": purpose})
    return record


def isncsci_exam_versions(*, exam_record: IsncsciExam) -> list[IsncsciExamVersion]:
    """The states corrections replaced, newest first (read after ``isncsci_exam_get``)."""
    return list(exam_record.versions.select_related("examiner", "replaced_by"))


def isncsci_exams_recent(*, user, limit: int = 30) -> list[IsncsciExam]:
    """The latest exams in the staff member's clinics; each patient received this way is audited."""
    queryset = scope_to_clinics(user, IsncsciExam.objects.all(), roles=PATIENT_READER_ROLES)
    exams = list(queryset.select_related("patient", "examiner").order_by("-examined_at", "-id")[:limit])
    patients = list({e.patient_id: e.patient for e in exams}.values())
    if patients:
        with transaction.atomic():
            audit_patient_reads(actor=user, patients=patients, purpose="isncsci_exams_recent")
    return exams
