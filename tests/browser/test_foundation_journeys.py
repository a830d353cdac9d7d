"""Foundation journeys, clicked and typed as a person would, on a phone-sized screen."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic, Patient
from tests.factories import PatientFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_visitor_reads_a_therapy_page_and_finds_the_emergency_number(page, transactional_db):
    call_command("seed_demo", quiet=True)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Therapies").click()
    page.get_by_role("link", name="Exosome therapy").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Exosome therapy"
    expect(page.get_by_role("heading", name="What the evidence says")).to_be_visible()
    expect(page.get_by_role("heading", name="Aftercare")).to_be_visible()
    assert _no_horizontal_scroll(page)

    banner = page.get_by_role("complementary", name="Emergency")
    assert banner.get_by_test_id("clinic-emergency-phone").inner_text() == "+34 910 555 010"
    banner.get_by_role("link", name="What to do in an emergency").click()
    expect(page.get_by_role("heading", name="Emergency help")).to_be_visible()
    assert page.get_by_role("link", name="Call emergency services 112").get_attribute("href") == "tel:112"
    expect(page.get_by_text("sit upright").first).to_be_visible()


def test_patient_logs_in_and_sees_the_timeline(page, login, transactional_db):
    user = UserFactory(email="ines@example.org")
    PatientFactory(user=user, first_name="Inés")
    login(page, "ines@example.org")
    assert page.url.endswith("/portal/")
    assert page.get_by_test_id("current-step").inner_text() == "Consultation"
    steps = page.get_by_role("list", name="Treatment steps").get_by_role("listitem")
    expect(steps).to_have_count(8)
    assert steps.nth(2).get_attribute("aria-current") == "step"
    assert "now" in steps.nth(2).inner_text().lower() and "done" in steps.nth(0).inner_text().lower()
    assert _no_horizontal_scroll(page)


def test_coordinator_finds_a_patient_opens_the_chart_and_the_access_log_shows_it(
    page, login, transactional_db
):
    clinic = Clinic.objects.create(name="Test Clinic", slug="test", emergency_phone="+34 900 000 001")
    StaffFactory(email="coord@example.org", role=Role.COORDINATOR, clinic=clinic)
    StaffFactory(email="boss@example.org", role=Role.ADMIN, clinic=clinic)
    target = PatientFactory(clinic=clinic, first_name="Rosa", last_name="Quintana")
    PatientFactory(first_name="Rosa", last_name="Quintana")  # another clinic's namesake stays hidden

    login(page, "coord@example.org")
    assert page.url.endswith("/staff/")
    page.get_by_label("Name or record number").fill("quintana")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("link", name="Quintana, Rosa")
    expect(results).to_have_count(1)
    results.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Rosa Quintana")
    expect(page.get_by_text(target.record_number).first).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    login(page, "boss@example.org")
    page.goto(f"/staff/patients/{target.pk}/")
    page.get_by_role("link", name="Access log").click()
    rows = page.locator("tr.audit-row")
    expect(rows.first).to_be_visible()
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("coord@example.org" in t and "patient.view" in t and "chart" in t for t in texts)
    assert Patient.objects.filter(pk=target.pk).exists()
