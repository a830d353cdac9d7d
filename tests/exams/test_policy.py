import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import NotFound
from exoclinic.core.models import AuditEvent
from exoclinic.exams.selectors import isncsci_exam_get, isncsci_exams_of_patient, isncsci_exams_recent
from tests.exams.factories import recorded_exam
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(patient, staff):
    return recorded_exam(actor=staff(Role.CLINICIAN), patient=patient)


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN])
def test_clinic_staff_who_read_charts_see_the_exams_and_the_read_is_audited(exam, patient, staff, role):
    reader = staff(role)

    _, exams = isncsci_exams_of_patient(user=reader, patient_id=patient.pk)
    got = isncsci_exam_get(user=reader, exam_id=exam.pk)

    assert exams == [exam] and got == exam
    assert AuditEvent.objects.filter(actor=reader, action="isncsci_exam.view").exists()
    assert AuditEvent.objects.filter(actor=reader, action="patient.view", patient=patient).exists()


def test_the_patient_sees_their_own_exams(exam, patient, patient_user):
    _, exams = isncsci_exams_of_patient(user=patient_user, patient_id=patient.pk)

    assert exams == [exam]
    assert isncsci_exam_get(user=patient_user, exam_id=exam.pk) == exam


def test_staff_of_another_clinic_get_not_found(exam, patient, staff, other_clinic):
    outsider = staff(Role.CLINICIAN, at=other_clinic)

    with pytest.raises(NotFound):
        isncsci_exams_of_patient(user=outsider, patient_id=patient.pk)
    with pytest.raises(NotFound):
        isncsci_exam_get(user=outsider, exam_id=exam.pk)
    assert isncsci_exams_recent(user=outsider) == []


def test_lab_staff_of_the_same_clinic_get_not_found(exam, patient, staff):
    lab = staff(Role.LAB)

    with pytest.raises(NotFound):
        isncsci_exams_of_patient(user=lab, patient_id=patient.pk)
    with pytest.raises(NotFound):
        isncsci_exam_get(user=lab, exam_id=exam.pk)
    assert isncsci_exams_recent(user=lab) == []


def test_another_patient_gets_not_found(exam, clinic):
    stranger = UserFactory()
    PatientFactory(clinic=clinic, user=stranger)

    with pytest.raises(NotFound):
        isncsci_exam_get(user=stranger, exam_id=exam.pk)
