"""The PDFs a patient or a physician reads: rendered by poppler, every judgement word whole, names outside
Latin-1 printed as written, the clinic's name and contact on every page."""

import datetime as dt
import re

import pytest
from django.core.management import call_command

from exoclinic.core.models import Patient
from exoclinic.outcomes import demo, reports, selectors, services
from tests.exams.factories import recorded_exam
from tests.factories import StaffFactory
from tests.pdf import pdf_pages_rendered, pdf_text

NAME = ("Łukasz", "Dvořák")


@pytest.fixture
def lukasz(db):
    """The demo's first patient, renamed (a name outside Latin-1), given a year of follow-up after a first
    procedure (the demo itself has her untreated, so it gives her none)."""
    call_command("seed_demo", quiet=True)
    patient = Patient.objects.select_related("clinic").get(email="patient@example.org")
    patient.first_name, patient.last_name = NAME
    patient.save()
    clinician = StaffFactory(role="clinician", clinic=patient.clinic)
    first = dt.date.today() - dt.timedelta(days=400)
    services.follow_up_schedule_sync(actor=clinician, patient=patient, first_procedure=first)
    for gain, offset in enumerate((-5, 30, 91, 182, 365)):
        on = first + dt.timedelta(days=offset)
        for instrument, items in (
            ("scim3", demo._scim(2 * gain)),
            ("pain", {"average": 7 - gain, "interference_sleep": 5}),
            ("grip", {"right_kg": 18.0 + gain, "left_kg": 15.5}),
        ):
            services.assessment_record(
                actor=clinician, patient=patient, instrument=instrument, items=items, taken_on=on
            )
        if offset in (-5, 365):
            services.assessment_record(
                actor=clinician,
                patient=patient,
                instrument="isncsci",
                items=demo._isncsci(patient, 2 * gain),
                taken_on=on,
            )
    return patient


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w+-]+", text))


def _each_page(data: bytes) -> list[str]:
    pages = pdf_text(data).split("\f")
    return [p for p in pages if p.strip()]


@pytest.mark.parametrize("make", [reports.clinical_report, reports.patient_report])
def test_reports_render_with_the_name_as_written_and_the_clinic_on_every_page(lukasz, make):
    data = make(selectors.progress_for(lukasz))
    pages = pdf_pages_rendered(data)
    text = pdf_text(data)
    assert "Łukasz Dvořák" in text and "?ukasz" not in text
    # No reference to documents a reader does not have (the project's own fact sheet).
    assert "§" not in text and "clinical facts" not in text.lower()
    each = _each_page(data)
    assert len(each) == pages >= 1
    for page in each:
        assert lukasz.clinic.name in page
        assert lukasz.clinic.emergency_phone in page


def test_every_judgement_in_the_clinical_report_is_printed_whole(lukasz):
    progress = selectors.progress_for(lukasz)
    badges = {s.badge for block in progress.indicators for s in block.series if s.badge}
    badges |= {s.badge for s in progress.neurology if s.badge}
    assert len(badges) >= 2, "the demo patient has judged changes"
    words = _words(pdf_text(reports.clinical_report(progress)))
    for badge in badges:
        missing = _words(badge) - words
        assert not missing, f"{badge!r}: {missing} cut"


def test_the_exam_worksheet_prints_a_name_outside_latin1(client, patient, clinic):
    patient.first_name, patient.last_name = NAME
    patient.save()
    clinician = StaffFactory(role="clinician", clinic=clinic)
    exam = recorded_exam(actor=clinician, patient=patient)
    client.force_login(clinician)
    data = client.get(f"/staff/isncsci/{exam.pk}/worksheet.pdf").content
    assert pdf_pages_rendered(data) >= 1
    text = pdf_text(data)
    assert "Łukasz Dvořák" in text and clinic.name in text
