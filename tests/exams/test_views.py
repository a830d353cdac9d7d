import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.exams.models import IsncsciExam
from exoclinic.exams.worksheet import values_from_exam
from tests.exams.factories import complete_t6_exam, normal_exam, recorded_exam
from tests.pdf import pdf_text
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def worksheet_post(exam: dict, **extra) -> dict:
    data = values_from_exam(exam)
    data["examined_at"] = (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data.update(extra)
    return data


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


def test_the_worksheet_lists_every_key_muscle_and_dermatome_per_side(client, patient, clinician):
    client.force_login(clinician)

    page = client.get(f"/staff/patients/{patient.pk}/isncsci/new/").content.decode()

    assert page.count('name="right.motor.') == 10 and page.count('name="left.motor.') == 10
    assert page.count('name="right.lightTouch.') == 28 and page.count('name="left.pinPrick.') == 28
    assert 'name="voluntaryAnalContraction"' in page and 'name="deepAnalPressure"' in page
    assert 'name="right.lowestNonKeyMuscleWithMotorFunction"' in page
    assert 'list="isncsci-motor-values"' in page and "worksheet.js" in page


def test_inputs_come_column_by_column_so_tab_moves_down_a_column(client, patient, clinician):
    client.force_login(clinician)
    page = client.get(f"/staff/patients/{patient.pk}/isncsci/new/").content.decode()

    order = [page.index(f'name="right.motor.{m}"') for m in ("C5", "C6", "T1", "L2", "S1")]
    assert order == sorted(order)
    assert page.index('name="right.motor.S1"') < page.index('name="right.lightTouch.C2"')
    assert page.index('name="right.lightTouch.S4_5"') < page.index('name="right.pinPrick.C2"')


def test_classify_without_javascript_shows_the_result_and_keeps_every_value(client, patient, clinician):
    client.force_login(clinician)
    data = worksheet_post(complete_t6_exam(), action="classify", comments="left hand cold")
    data["left.motor.C7"] = "4*"
    data["right.lightTouch.T8"] = ""  # not entered yet: previewed as NT

    response = client.post(f"/staff/patients/{patient.pk}/isncsci/new/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="classification.ASIAImpairmentScale">A<' in page
    assert 'value="4*"' in page and "left hand cold" in page
    assert "1 field not entered yet is counted as NT" in page
    assert not IsncsciExam.objects.exists()


def test_a_bad_value_is_named_and_nothing_entered_is_lost(client, patient, clinician):
    client.force_login(clinician)
    data = worksheet_post(normal_exam(), action="save", comments="keep me")
    data["right.motor.C6"] = "7"

    response = client.post(f"/staff/patients/{patient.pk}/isncsci/new/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Right motor C6: &quot;7&quot; is not a motor value" in page
    assert 'href="#f-right-motor-C6"' in page
    assert 'value="7"' in page and "keep me" in page
    assert not IsncsciExam.objects.exists()


def test_saving_with_a_blank_field_names_it(client, patient, clinician):
    client.force_login(clinician)
    data = worksheet_post(normal_exam(), action="save")
    data["left.pinPrick.S4_5"] = ""

    response = client.post(f"/staff/patients/{patient.pk}/isncsci/new/", data)

    assert response.status_code == 400
    assert "Left pin prick S4-5: enter a value, or NT if not tested." in response.content.decode()


def test_saving_stores_the_exam_once_even_if_the_form_is_sent_twice(client, patient, clinician):
    client.force_login(clinician)
    data = worksheet_post(complete_t6_exam(), action="save", submission_key="abc123")
    data["right.motor.C5"] = "nt"  # typed in lower case

    first = client.post(f"/staff/patients/{patient.pk}/isncsci/new/", data)
    second = client.post(f"/staff/patients/{patient.pk}/isncsci/new/", data)

    exam = IsncsciExam.objects.get()
    assert first["Location"] == second["Location"] == f"/staff/isncsci/{exam.pk}/"
    assert exam.exam["right"]["motor"]["C5"] == "NT"
    assert exam.uems == "ND"


def test_a_correction_needs_a_reason_and_then_shows_in_the_history(client, patient, clinician):
    exam = recorded_exam(actor=clinician, patient=patient)
    client.force_login(clinician)
    url = f"/staff/isncsci/{exam.pk}/correct/"
    data = worksheet_post(normal_exam(), action="save", expected_version="1")

    refused = client.post(url, data)
    data["reason"] = "Exam of another patient"
    done = client.post(url, data, follow=True)

    assert refused.status_code == 400 and "Say why the exam is corrected." in refused.content.decode()
    page = done.content.decode()
    assert "Exam of another patient" in page and "AIS A, NLI T6" in page
    exam.refresh_from_db()
    assert (exam.version, exam.ais) == (2, "E")


def test_the_patients_exam_list_shows_the_figures_over_time(client, patient, clinician):
    recorded_exam(
        actor=clinician,
        patient=patient,
        exam=complete_t6_exam(),
        examined_at=timezone.now() - dt.timedelta(days=90),
    )
    recorded_exam(actor=clinician, patient=patient, exam=normal_exam())
    client.force_login(clinician)

    page = client.get(f"/staff/patients/{patient.pk}/isncsci/").content.decode()

    assert page.index("<td>A</td><td>T6</td><td>50</td><td>0</td><td>52</td><td>52</td>") < page.index(
        "<td>E</td><td>INT</td><td>50</td><td>50</td><td>112</td><td>112</td>"
    )


def test_the_worksheet_pdf_shows_the_values_the_classification_and_the_comments(client, patient, clinician):
    exam = recorded_exam(actor=clinician, patient=patient, comments="Spasms during the exam")
    client.force_login(clinician)

    response = client.get(f"/staff/isncsci/{exam.pk}/worksheet.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, layout=True).split())
    assert patient.record_number in text
    assert "L2 Hip flexors 0 0 0 0 0 0" in text
    assert "ASIA Impairment Scale (AIS) A" in text and "Neurological level of injury (NLI) T6" in text
    assert "Light touch (right + left = total) 26 + 26 = 52" in text
    assert "Spasms during the exam" in text
    assert AuditEvent.objects.filter(action="isncsci_exam.view", detail__purpose="pdf").exists()


def test_coordinators_see_exams_but_not_the_new_exam_page(client, patient, staff, clinician):
    exam = recorded_exam(actor=clinician, patient=patient)
    client.force_login(staff(Role.COORDINATOR))

    assert client.get(f"/staff/isncsci/{exam.pk}/").status_code == 200
    assert client.get(f"/staff/patients/{patient.pk}/isncsci/new/").status_code == 404


@pytest.mark.parametrize("who", ["other_clinic", "lab"])
def test_outsiders_get_404_on_every_exam_page(client, patient, staff, other_clinic, clinician, who):
    exam = recorded_exam(actor=clinician, patient=patient)
    client.force_login(staff(Role.CLINICIAN, at=other_clinic) if who == "other_clinic" else staff(Role.LAB))

    for url in (
        f"/staff/patients/{patient.pk}/isncsci/",
        f"/staff/patients/{patient.pk}/isncsci/new/",
        f"/staff/isncsci/{exam.pk}/",
        f"/staff/isncsci/{exam.pk}/correct/",
        f"/staff/isncsci/{exam.pk}/worksheet.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_the_patient_sees_their_exams_in_the_portal_and_their_pdf(client, patient, patient_user, clinician):
    exam = recorded_exam(actor=clinician, patient=patient)
    client.force_login(patient_user)

    page = client.get("/portal/isncsci/").content.decode()

    assert "<td>A</td><td>T6</td>" in page
    assert client.get(f"/portal/isncsci/{exam.pk}/worksheet.pdf").status_code == 200
    assert client.get(f"/staff/isncsci/{exam.pk}/").status_code == 404


def test_the_staff_nav_links_to_the_exams_page(client, clinician):
    client.force_login(clinician)

    assert 'href="/staff/isncsci/"' in client.get("/staff/").content.decode()


def test_todays_visit_is_offered_first_and_the_saved_exam_belongs_to_it(client, patient, clinician):
    visit = AppointmentFactory(
        patient=patient, start=timezone.now() - dt.timedelta(minutes=30), status="checked_in"
    )
    later = AppointmentFactory(
        patient=patient, start=timezone.now() + dt.timedelta(days=20), status="confirmed"
    )
    client.force_login(clinician)
    url = f"/staff/patients/{patient.pk}/isncsci/new/"

    page = client.get(url).content.decode()
    client.post(url, worksheet_post(normal_exam(), action="save", appointment=str(visit.pk)))

    visits = page[page.index('<select id="f-appointment"') :].split("</select>")[0]
    assert f'<option value="{visit.pk}" selected>' in visits
    assert f'<option value="{later.pk}"' not in visits  # a visit still to come is not offered
    assert IsncsciExam.objects.get().appointment == visit
