"""A clinician enters an ISNCSCI exam with the keyboard, watches it classify, saves it and finds it listed.

Phone-sized screen (360 px, the shared fixture): the worksheet's six columns fit without the page
scrolling sideways.
"""

import pytest
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic
from exoclinic.exams.models import IsncsciExam
from isncsci import DERMATOMES
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.browser

ABOVE_T7 = DERMATOMES.index("T7")
SENSORY_COLUMN = ["2"] * ABOVE_T7 + ["0"] * (len(DERMATOMES) - ABOVE_T7)  # normal down to T6
MOTOR_COLUMN = ["5", "5", "5", "5", "5", "0", "0", "0", "0", "0"]  # arms normal, legs 0


def focused_label(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def type_down(page, values):
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Tab")


def test_clinician_types_an_exam_down_the_columns_sees_it_classified_saves_and_finds_it(
    page, login, transactional_db
):
    clinic = Clinic.objects.create(name="Test Clinic", slug="test", emergency_phone="+34 900 000 001")
    StaffFactory(email="doc@example.org", role=Role.CLINICIAN, clinic=clinic)
    PatientFactory(clinic=clinic, first_name="Rosa", last_name="Quintana")

    login(page, "doc@example.org")
    page.get_by_role("link", name="ISNCSCI exams").click()
    page.get_by_label("Name or record number").fill("quintana")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Quintana, Rosa").click()
    page.get_by_role("link", name="New exam").click()
    live = page.locator(".isncsci-live")

    page.get_by_label("Right motor C5", exact=True).focus()
    type_down(page, MOTOR_COLUMN)
    assert focused_label(page) == "Right light touch C2"  # Tab went down the motor column, then on
    expect(live.locator('[data-result="totals.upperExtremity"]')).to_have_text("ND")  # left arm not yet
    type_down(page, SENSORY_COLUMN)  # right light touch
    assert focused_label(page) == "Right pin prick C2"
    type_down(page, SENSORY_COLUMN)  # right pin prick
    type_down(page, SENSORY_COLUMN)  # left light touch
    type_down(page, SENSORY_COLUMN)  # left pin prick
    assert focused_label(page) == "Left motor C5"
    type_down(page, MOTOR_COLUMN[:-1])
    page.keyboard.type("0*")  # a starred value: S1 impaired by something other than the injury
    expect(live.locator('[data-result="totals.upperExtremity"]')).to_have_text("50")
    expect(live.locator('[data-result="totals.lowerExtremity"]')).to_have_text("0")
    expect(live.locator('[data-result="totals.lightTouch"]')).to_have_text("52")
    expect(live).to_contain_text("2 fields not entered yet are counted as NT")

    page.get_by_label("Voluntary anal contraction (VAC)").select_option("No")
    page.get_by_label("Deep anal pressure (DAP)").select_option("No")
    expect(live.locator('[data-result="classification.ASIAImpairmentScale"]')).to_have_text("A")
    expect(live.locator('[data-result="classification.neurologicalLevelOfInjury"]')).to_have_text("T6")
    expect(page.locator('#isncsci-result [data-result="classification.injuryComplete"]')).to_have_text("C")

    page.get_by_label("Right motor C6", exact=True).fill("9")
    expect(live.locator(".live-status")).to_contain_text("Right motor C6")
    expect(page.get_by_label("Right motor C6", exact=True)).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Right motor C6", exact=True).fill("5")
    expect(live.locator('[data-result="classification.ASIAImpairmentScale"]')).to_have_text("A")

    page.get_by_label("Comments").fill("Baseline before the first session")
    page.get_by_role("button", name="Save exam").click()

    expect(page.get_by_text("The exam was saved and classified.")).to_be_visible()
    exam = IsncsciExam.objects.get()
    assert (exam.ais, exam.nli, exam.exam["left"]["motor"]["S1"]) == ("A", "T6", "0*")
    page.get_by_role("link", name="ISNCSCI exams of Rosa Quintana").click()
    row = page.locator("table.isncsci-series tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("A")
    expect(row).to_contain_text("T6")
    assert [c.inner_text() for c in row.locator("td").all()][1:7] == ["A", "T6", "50", "0", "52", "52"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_values_typed_before_an_accidental_reload_can_be_restored_and_are_gone_once_saved(
    page, login, transactional_db
):
    clinic = Clinic.objects.create(name="Test Clinic", slug="test", emergency_phone="+34 900 000 001")
    StaffFactory(email="doc@example.org", role=Role.CLINICIAN, clinic=clinic)
    patient = PatientFactory(clinic=clinic, first_name="Rosa", last_name="Quintana")
    login(page, "doc@example.org")
    page.goto(f"/staff/patients/{patient.pk}/isncsci/new/")
    page.get_by_label("Right motor C5", exact=True).focus()
    type_down(page, MOTOR_COLUMN)

    page.reload()
    restore = page.get_by_role("button", name="Restore them")
    expect(restore).to_be_visible()
    restore.click()

    expect(page.get_by_label("Right motor C5", exact=True)).to_have_value("5")
    expect(page.get_by_label("Right motor S1", exact=True)).to_have_value("0")
    expect(page.locator('#isncsci-result [data-result="totals.right.upperExtremity"]')).to_have_text("25")

    for label in ("Right light touch", "Right pin prick", "Left light touch", "Left pin prick"):
        page.get_by_label(f"{label} C2", exact=True).focus()
        type_down(page, SENSORY_COLUMN)
    type_down(page, MOTOR_COLUMN)
    page.get_by_label("Voluntary anal contraction (VAC)").select_option("No")
    page.get_by_label("Deep anal pressure (DAP)").select_option("No")
    page.get_by_role("button", name="Save exam").click()
    expect(page.get_by_text("The exam was saved and classified.")).to_be_visible()
    assert IsncsciExam.objects.count() == 1

    page.goto(f"/staff/patients/{patient.pk}/isncsci/new/")
    expect(page.get_by_label("Right motor C5", exact=True)).to_have_value("")
    expect(page.get_by_role("button", name="Restore them")).to_be_hidden()
