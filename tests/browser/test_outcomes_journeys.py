"""Outcomes journeys on a phone-sized screen: the weekly diary and its chart, a follow-up SCIM III."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic
from exoclinic.outcomes import services
from exoclinic.outcomes.indicators import INDICATORS
from tests.factories import PatientFactory, StaffFactory, UserFactory
from tests.outcomes.factories import scim_items

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _fill_diary(page, week: str, ratings: dict):
    page.goto("/portal/diary/")
    page.get_by_label("Which week?").select_option(value=week)
    for indicator in INDICATORS:
        page.get_by_label(str(indicator.question)).fill(str(ratings[indicator.code]))
    page.get_by_role("button", name="Save this week's diary").click()
    page.wait_for_load_state()


def test_patient_enters_two_diary_entries_and_sees_the_chart(page, login, transactional_db):
    user = UserFactory(email="rosa@example.org")
    PatientFactory(user=user, first_name="Rosa")
    login(page, "rosa@example.org")
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Weekly diary").click()
    expect(page.get_by_role("heading", name="Weekly diary")).to_be_visible()
    assert _no_horizontal_scroll(page)

    first = {
        "movement": 3,
        "muscle_relaxation": 6,
        "bowel_bladder": 4,
        "sensation": 3,
        "pain": 7,
        "rest_strength": 4,
    }
    _fill_diary(page, "last", first)
    expect(page.get_by_text("Your diary is saved")).to_be_visible()
    _fill_diary(page, "this", {**first, "pain": 5})

    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    pain = page.get_by_test_id("diary-pain")
    chart = pain.get_by_role("img", name="Pain, your weekly rating (0-10)")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(1)
    assert "went down from 7 to 5 (better)" in pain.inner_text()
    page.get_by_text("2 weeks: data table").click()
    expect(page.get_by_role("cell", name="5", exact=True).first).to_be_visible()
    assert _no_horizontal_scroll(page)


def test_clinician_records_a_follow_up_scim_and_sees_the_change_marked(page, login, transactional_db):
    clinic = Clinic.objects.create(name="Test Clinic", slug="test", emergency_phone="+34 900 000 001")
    clinician = StaffFactory(email="doc@example.org", role=Role.CLINICIAN, clinic=clinic)
    patient = PatientFactory(clinic=clinic, first_name="Tomás", last_name="Vidal")
    services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="scim3",
        items=scim_items(),
        taken_on=dt.date.today() - dt.timedelta(days=120),
    )

    login(page, "doc@example.org")
    page.goto(f"/staff/patients/{patient.pk}/progress/")
    page.get_by_role("link", name="Spinal Cord Independence Measure III (SCIM III)").click()
    form_items = scim_items(mobility_indoors=6, mobility_moderate=4, stairs=1)  # 41 + 4 + 2 + 1 = 48
    for key, value in form_items.items():
        page.locator(f"#id_item_{key}").select_option(value=str(value))
    page.get_by_label("Date taken").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_load_state()

    total = page.get_by_test_id("measure-scim3.total")
    assert total.get_by_test_id("change-badge").inner_text() == "improved beyond threshold"
    words = total.get_by_test_id("change-words").inner_text()
    assert "from 41 to 48" in words and "Scivoletto 2013" in words
    expect(total.get_by_role("img").first).to_be_visible()
    assert _no_horizontal_scroll(page)
