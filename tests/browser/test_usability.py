"""What a patient would stumble on, found by looking at the journeys' screenshots, kept fixed."""

import pytest
from playwright.sync_api import expect

from exoclinic.core.models import Clinic

pytestmark = pytest.mark.browser


def test_a_patient_applying_for_themselves_is_not_asked_for_a_helpers_details(page, transactional_db):
    Clinic.objects.create(
        name="Alder", slug="alder", emergency_phone="+34 900 000 001", time_zone="Europe/Madrid"
    )
    page.goto("/apply/")
    page.get_by_role("link", name="Start the application").click()
    expect(page.get_by_label("I am the patient")).to_be_checked()
    expect(page.get_by_label("Your relationship to the patient")).to_be_hidden()
    expect(page.get_by_label("Patient's first name")).to_be_visible()

    page.get_by_label("I am filling it in for the patient").check()
    expect(page.get_by_label("Your relationship to the patient")).to_be_visible()
    expect(page.get_by_label("Your name")).to_be_visible()
