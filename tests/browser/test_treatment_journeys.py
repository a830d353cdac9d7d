"""Treatment journeys on a phone-sized screen: a clinician records a procedure (refused with an unreleased
lot, recorded with a released one); the patient reads the aftercare plan and its end dates."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.aftercare.models import Restriction
from exoclinic.products.models import LotStatus, UnitStatus
from exoclinic.treatment.models import Procedure
from tests.factories import PatientFactory, StaffFactory, UserFactory
from tests.products.factories import ProductLotFactory, make_units, released_lot
from tests.treatment.factories import approved_plan_with_consent
from tests.treatment.helpers import record

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_clinician_is_refused_an_unreleased_lot_then_records_the_procedure_with_a_released_one(
    page, login, transactional_db
):
    clinician = StaffFactory(email="dr@example.org", role=Role.CLINICIAN)
    clinic = clinician.memberships.get().clinic
    patient = PatientFactory(
        clinic=clinic, first_name="Rosa", last_name="Quintana", date_of_birth=dt.date(1980, 2, 3)
    )
    plan = approved_plan_with_consent(patient, clinician=clinician)
    quarantined = ProductLotFactory(clinic=clinic, status=LotStatus.QUARANTINE)
    make_units(quarantined, 1)
    lot = released_lot(clinic=clinic, units=2)

    login(page, "dr@example.org")
    page.goto(f"/staff/treatment/plans/{plan.pk}/")
    assert page.get_by_test_id("plan-status").inner_text() == "Approved"
    assert _no_horizontal_scroll(page)
    page.get_by_role("link", name="Record a procedure").click()
    page.get_by_label("Patient's full name, as the patient states it").fill("rosa quintana")
    page.get_by_label("Patient's date of birth, as the patient states it").fill("1980-02-03")
    page.get_by_label("Lot code (scan or type)").fill(quarantined.code)
    for when in ("Before", "After"):
        page.get_by_label(f"{when}: systolic pressure (mmHg)").fill("112")
        page.get_by_label(f"{when}: diastolic pressure (mmHg)").fill("72")
        page.get_by_label(f"{when}: heart rate (/min)").fill("70")
    page.get_by_role("button", name="Record procedure").click()

    alert = page.get_by_role("alert")
    assert "The procedure was not recorded" in alert.inner_text()
    assert "quarantine" in alert.inner_text()
    assert page.get_by_label("Patient's full name, as the patient states it").input_value() == "rosa quintana"
    assert page.get_by_label("Before: systolic pressure (mmHg)").input_value() == "112"
    assert not Procedure.objects.exists() and quarantined.units.get().status == UnitStatus.AVAILABLE
    assert _no_horizontal_scroll(page)

    page.get_by_label("Lot code (scan or type)").fill(lot.code)
    page.get_by_role("button", name="Record procedure").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Procedure"
    assert page.get_by_test_id("procedure-lot").inner_text() == lot.code
    expect(page.get_by_text("No cardiovascular exercise")).to_be_visible()
    assert Procedure.objects.get().unit.status == UnitStatus.ADMINISTERED
    assert _no_horizontal_scroll(page)


def test_patient_sees_the_aftercare_plan_and_its_end_dates_in_their_time_zone(page, login, transactional_db):
    clinician = StaffFactory(role=Role.CLINICIAN)
    clinic = clinician.memberships.get().clinic
    user = UserFactory(email="ines@example.org")
    patient = PatientFactory(clinic=clinic, user=user, first_name="Inés", time_zone="America/New_York")
    plan = approved_plan_with_consent(patient, clinician=clinician)
    record(plan, actor=clinician, lot=released_lot(clinic=clinic), at=timezone.now() - dt.timedelta(hours=5))
    cardio_end = Restriction.objects.get(kind="no_cardio_exercise").ends_at
    local_end = cardio_end.astimezone(zoneinfo.ZoneInfo("America/New_York"))

    login(page, "ines@example.org")
    panel = page.get_by_test_id("aftercare-panel")
    assert "No cardiovascular exercise" in panel.inner_text()
    panel.get_by_role("link", name="Your aftercare plan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your aftercare plan"
    items = page.get_by_role("list", name="Restrictions in force").get_by_role("listitem")
    expect(items).to_have_count(3)
    texts = [items.nth(i).inner_text() for i in range(3)]
    assert texts[0].startswith("No strenuous or stressful activity")
    cardio = next(t for t in texts if t.startswith("No cardiovascular exercise"))
    assert f"{local_end:%B} {local_end.year}, {local_end:%H:%M}" in cardio
    assert f" {local_end.day} " in cardio
    expect(page.get_by_text("Times in America/New_York.")).to_be_visible()
    expect(page.get_by_role("link", name="Check-in: day 1")).to_be_visible()
    assert _no_horizontal_scroll(page)
