import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.exams.models import IsncsciExam
from exoclinic.exams.services import isncsci_exam_correct, isncsci_exam_record
from exoclinic.outcomes.models import Assessment
from tests.exams.factories import complete_t6_exam, normal_exam, recorded_exam
from tests.factories import PatientFactory
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_recorded_exam_stores_its_classification_and_key_figures(patient, staff):
    clinician = staff(Role.CLINICIAN)

    record = recorded_exam(actor=clinician, patient=patient, exam=complete_t6_exam())

    record.refresh_from_db()
    assert record.result["classification"]["ASIAImpairmentScale"] == "A"
    assert (record.ais, record.nli, record.uems, record.lems) == ("A", "T6", "50", "0")
    assert (record.light_touch, record.pin_prick, record.version) == ("52", "52", 1)
    assert record.clinic == patient.clinic and record.examiner == clinician
    assert AuditEvent.objects.filter(action="isncsci_exam.record", record_id=str(record.pk)).exists()


def test_recorded_exam_shows_as_an_isncsci_assessment_for_the_progress_page(patient, staff):
    record = recorded_exam(actor=staff(Role.CLINICIAN), patient=patient)

    assessment = Assessment.objects.get(patient=patient, source_ref=str(record.pk))
    assert assessment.instrument == "isncsci"
    assert assessment.items["ais"] == "A" and assessment.items["nli"] == "T6"
    assert assessment.taken_on == record.examined_at.astimezone(patient.tz).date()


def test_untested_scores_are_stored_as_every_possible_result(patient, staff):
    exam = complete_t6_exam()
    exam["right"]["lightTouch"]["T7"] = "NT"
    exam["right"]["pinPrick"]["T7"] = "NT"

    record = recorded_exam(actor=staff(Role.CLINICIAN), patient=patient, exam=exam)

    assert record.light_touch == "ND"
    assert record.result["classification"]["neurologicalLevels"]["sensoryRight"] == "T6,T7"


def test_an_invalid_value_is_refused_naming_its_field_and_nothing_is_stored(patient, staff):
    exam = normal_exam()
    exam["left"]["motor"]["L3"] = "6"
    del exam["right"]["pinPrick"]["C4"]

    with pytest.raises(InvalidInput) as caught:
        isncsci_exam_record(
            actor=staff(Role.CLINICIAN), patient=patient, examined_at=timezone.now(), exam=exam
        )

    assert caught.value.field == "right.pinPrick.C4"
    assert caught.value.message == "right.pinPrick.C4: missing"
    fields = [e["field"] for e in caught.value.extra["errors"]]
    assert fields == ["right.pinPrick.C4", "left.motor.L3"]
    assert not IsncsciExam.objects.exists()


def test_an_exam_in_the_future_is_refused(patient, staff):
    with pytest.raises(InvalidInput) as caught:
        isncsci_exam_record(
            actor=staff(Role.CLINICIAN),
            patient=patient,
            examined_at=timezone.now() + dt.timedelta(days=1),
            exam=normal_exam(),
        )
    assert caught.value.field == "examined_at"


def test_the_same_submission_twice_stores_one_exam(patient, staff):
    clinician = staff(Role.CLINICIAN)
    kwargs = dict(actor=clinician, patient=patient, examined_at=timezone.now(), exam=normal_exam())

    first = isncsci_exam_record(submission_key="form-1", **kwargs)
    second = isncsci_exam_record(submission_key="form-1", **kwargs)

    assert first.pk == second.pk
    assert IsncsciExam.objects.count() == 1


def test_coordinators_read_exams_but_only_clinicians_record_them(patient, staff):
    with pytest.raises(PermissionDenied):
        recorded_exam(actor=staff(Role.COORDINATOR), patient=patient)


def test_a_clinician_of_another_clinic_cannot_record_an_exam(patient, staff, other_clinic):
    with pytest.raises(NotFound):
        recorded_exam(actor=staff(Role.CLINICIAN, at=other_clinic), patient=patient)


def test_correction_reclassifies_keeps_the_old_version_and_is_audited_with_reason(patient, staff):
    examiner, corrector = staff(Role.CLINICIAN), staff(Role.CLINICIAN)
    record = recorded_exam(actor=examiner, patient=patient, exam=complete_t6_exam())
    corrected = complete_t6_exam()
    corrected["deepAnalPressure"] = "Yes"  # sacral sparing: no longer complete

    isncsci_exam_correct(
        actor=corrector, exam_record=record, exam=corrected, reason="DAP was misread", expected_version=1
    )

    record.refresh_from_db()
    assert (record.version, record.ais) == (2, "B")
    old = record.versions.get()
    assert (old.version, old.ais, old.reason, old.replaced_by) == (1, "A", "DAP was misread", corrector)
    assert old.exam["deepAnalPressure"] == "No"
    event = AuditEvent.objects.get(action="isncsci_exam.correct", record_id=str(record.pk))
    assert event.actor == corrector
    assert event.detail["reason"] == "DAP was misread"
    assert event.detail["changed"] == ["deepAnalPressure"]
    assert event.detail["before"]["ais"] == "A" and event.detail["after"]["ais"] == "B"


def test_correction_replaces_the_assessment_instead_of_adding_one(patient, staff):
    clinician = staff(Role.CLINICIAN)
    record = recorded_exam(actor=clinician, patient=patient, exam=complete_t6_exam())

    isncsci_exam_correct(actor=clinician, exam_record=record, exam=normal_exam(), reason="wrong sheet")

    assessments = Assessment.objects.filter(patient=patient, instrument="isncsci")
    assert assessments.count() == 1
    assert assessments.get().items["ais"] == "E"


def test_correction_without_a_reason_is_refused_and_changes_nothing(patient, staff):
    clinician = staff(Role.CLINICIAN)
    record = recorded_exam(actor=clinician, patient=patient)

    with pytest.raises(InvalidInput) as caught:
        isncsci_exam_correct(actor=clinician, exam_record=record, exam=normal_exam(), reason="  ")

    assert caught.value.field == "reason"
    record.refresh_from_db()
    assert (record.version, record.ais) == (1, "A")
    assert not record.versions.exists()


def test_correction_of_a_version_someone_else_replaced_is_refused(patient, staff):
    clinician = staff(Role.CLINICIAN)
    record = recorded_exam(actor=clinician, patient=patient)
    isncsci_exam_correct(actor=clinician, exam_record=record, exam=normal_exam(), reason="first")

    with pytest.raises(Conflict):
        isncsci_exam_correct(
            actor=clinician, exam_record=record, exam=complete_t6_exam(), reason="late", expected_version=1
        )
    record.refresh_from_db()
    assert record.version == 2 and record.ais == "E"


def test_an_exam_belongs_to_the_visit_it_was_taken_at(patient, staff):
    visit = AppointmentFactory(
        patient=patient, start=timezone.now() - dt.timedelta(hours=1), status="checked_in"
    )

    record = isncsci_exam_record(
        actor=staff(Role.CLINICIAN),
        patient=patient,
        examined_at=timezone.now(),
        exam=normal_exam(),
        appointment=visit,
    )

    assert record.appointment == visit


@pytest.mark.parametrize("case", ["another_patient", "cancelled"])
def test_a_visit_of_another_patient_or_that_did_not_happen_is_refused(patient, staff, clinic, case):
    start = timezone.now() - dt.timedelta(hours=1)
    if case == "cancelled":
        visit = AppointmentFactory(patient=patient, start=start, status="cancelled")
    else:
        visit = AppointmentFactory(patient=PatientFactory(clinic=clinic), start=start, status="completed")

    with pytest.raises(InvalidInput) as caught:
        isncsci_exam_record(
            actor=staff(Role.CLINICIAN),
            patient=patient,
            examined_at=timezone.now(),
            exam=normal_exam(),
            appointment=visit,
        )

    assert caught.value.field == "appointment"
    assert not IsncsciExam.objects.exists()
