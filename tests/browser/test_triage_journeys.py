"""Triage journeys on a phone-sized screen: a patient's emergency report reaches staff; an alert escalates."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.triage import services
from exoclinic.triage.models import TriageAlert
from exoclinic.triage.ruleset import SYMPTOMS
from exoclinic.triage.tasks import escalate_alert
from tests.browser.conftest import PHONE
from tests.factories import ClinicFactory, PatientFactory, StaffFactory, UserFactory
from tests.triage.factories import AD_HEADACHE, OnCallShiftFactory, answers

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def huey_in_memory():
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture
def clinic_with_rota(transactional_db):
    clinic = ClinicFactory(emergency_phone="+34 910 555 010")
    first = StaffFactory(
        email="first@example.org", full_name="Fiona First", role=Role.COORDINATOR, clinic=clinic
    )
    second = StaffFactory(
        email="second@example.org", full_name="Sam Second", role=Role.CLINICIAN, clinic=clinic
    )
    StaffFactory(
        email="director@example.org",
        full_name="Dana Director",
        role=Role.CLINICIAN,
        clinic=clinic,
        is_medical_director=True,
    )
    OnCallShiftFactory(clinic=clinic, user=first, position=1)
    OnCallShiftFactory(clinic=clinic, user=second, position=2)
    patient = PatientFactory(
        clinic=clinic,
        user=UserFactory(email="luis@example.org"),
        first_name="Luis",
        last_name="Martín",
        sci_neurological_level="T4",
    )
    return clinic, patient


def _staff_page(browser, live_server, login, email):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    staff_page = context.new_page()
    login(staff_page, email)
    return context, staff_page


def _answer(page, question, choice):
    page.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True).check()


def test_t4_patient_reports_pounding_headache_and_sweating_gets_emergency_screen_and_staff_see_the_alert(
    page, browser, live_server, login, clinic_with_rota
):
    _clinic, patient = clinic_with_rota
    context, staff_page = _staff_page(browser, live_server, login, "first@example.org")
    staff_page.goto("/staff/")
    assert "Luis Martín" not in staff_page.get_by_test_id("alerts-panel").inner_text()

    login(page, "luis@example.org")
    page.goto("/portal/symptoms/")
    yes = {
        "Do you have a headache?",
        "Is it a pounding headache?",
        "Is your skin flushed (red) or sweating above the level of your injury?",
    }
    for s in SYMPTOMS:
        _answer(page, s.question, "Yes" if s.question in yes else "No")
    headache = page.get_by_role("group", name="Do you have a headache?", exact=True)
    headache.get_by_role("group", name="How bad is it? (if yes)").get_by_label("Severe: the worst").check()
    headache.get_by_label("When did it start? (if yes)").fill("1")
    assert not page.get_by_role("group", name="How bad is it? (if yes)").nth(1).is_visible()  # nausea: "no"
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Emergency: call now")).to_be_visible()
    assert page.get_by_role("link", name="Call emergency services 112").get_attribute("href") == "tel:112"
    clinic_call = page.get_by_role("link", name="Call the clinic's emergency line +34 910 555 010")
    assert clinic_call.get_attribute("href") == "tel:+34910555010"
    advice = page.locator("ol.advice").inner_text()
    assert (
        advice.index("Sit upright")
        < advice.index("Loosen tight clothing")
        < advice.index("Check the bladder")
    )
    assert page.get_by_test_id("next-steps").inner_text().startswith("The clinic's on-call team was alerted")
    box = page.get_by_role("link", name="Call emergency services 112").bounding_box()
    assert box["width"] >= 280 and box["height"] >= 44  # full width of the content on a 360 px screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    staff_page.reload()
    panel = staff_page.get_by_test_id("alerts-panel")
    assert "Luis Martín" in panel.inner_text() and "Emergency" in panel.inner_text()
    assert "notified: Fiona First" in panel.inner_text()
    context.close()
    assert TriageAlert.objects.get().report.patient == patient


def _partial_ad_report(page, *, self_check: bool) -> None:
    """Issue 17: at or above T6, headache and pounding headache, 190/110, nothing else; one press."""
    if self_check:
        page.locator("input[name=at_or_above_t6][value=yes]").check()
    page.locator("input[name=answer_headache][value=yes]").check()
    page.locator("input[name=answer_pounding_headache][value=yes]").check()
    page.locator("#id_systolic_mmhg").fill("190")
    page.locator("#id_diastolic_mmhg").fill("110")
    page.locator("button[name=answer_now]").click()


def _assert_emergency_on_the_first_screen(page) -> None:
    outcome = page.get_by_test_id("triage-outcome")
    expect(outcome).to_have_class("triage-outcome level-emergency")
    call = outcome.locator('a[href="tel:112"]')
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # on the first phone screen
    assert page.locator("input[name^=answer_]").count() == 0  # the answer, not more questions


@pytest.mark.parametrize("locale", ["en-GB", "es-ES"])
def test_the_partial_ad_report_gets_the_emergency_answer_in_one_press_on_the_self_check(
    browser, live_server, clinic_with_rota, locale
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=locale)
    page = context.new_page()
    page.goto("/emergency/self-check/")
    assert page.locator("html").get_attribute("lang") == locale[:2]
    _partial_ad_report(page, self_check=True)
    _assert_emergency_on_the_first_screen(page)
    context.close()


@pytest.mark.parametrize("locale", ["en-GB", "es-ES"])
def test_the_partial_ad_report_gets_the_emergency_answer_in_one_press_in_the_portal(
    browser, live_server, login, clinic_with_rota, locale
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, "luis@example.org")
    # The footer's language choice (a cookie), which wins over the patient's preference.
    context.add_cookies([{"name": "django_language", "value": locale[:2], "url": live_server.url}])
    page.goto("/portal/symptoms/")
    assert page.locator("html").get_attribute("lang") == locale[:2]
    _partial_ad_report(page, self_check=False)
    _assert_emergency_on_the_first_screen(page)
    context.close()
    assert TriageAlert.objects.get().level == "emergency"


def test_a_report_with_nothing_ticked_but_a_note_reaches_the_on_call_rota(
    page, browser, live_server, login, clinic_with_rota
):
    login(page, "luis@example.org")
    page.goto("/portal/symptoms/")
    page.get_by_label("Something else? Describe it in your own words").fill("My catheter bag looks cloudy")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_test_id("triage-outcome")).to_be_visible()

    context, staff_page = _staff_page(browser, live_server, login, "first@example.org")
    staff_page.goto("/staff/triage/alerts/")
    note = staff_page.get_by_test_id("patient-note")
    expect(note).to_contain_text("My catheter bag looks cloudy")
    assert "Luis Martín" in staff_page.locator("main").inner_text()
    context.close()
    alert = TriageAlert.objects.get()
    assert alert.level == "routine" and alert.escalated_to.email == "first@example.org"


def test_an_alert_left_unacknowledged_escalates_to_the_next_on_the_rota_then_is_acknowledged(
    browser, live_server, login, clinic_with_rota
):
    _clinic, patient = clinic_with_rota
    raised = timezone.now() - dt.timedelta(minutes=6)
    report = services.symptom_report_submit(
        actor=patient.user, patient=patient, answers=answers(AD_HEADACHE), now=raised
    )
    alert = TriageAlert.objects.get(report=report)

    assert escalate_alert.call_local(alert.pk, 0, timezone.now().isoformat()) is True

    context, staff_page = _staff_page(browser, live_server, login, "second@example.org")
    staff_page.goto("/staff/")
    row = staff_page.get_by_test_id(f"alert-{alert.pk}")
    assert row.get_by_test_id("escalated").inner_text() == "Escalated once"
    assert "notified: Sam Second" in row.inner_text()
    row.get_by_role("button", name="Acknowledge").click()
    expect(staff_page.get_by_text("Alert acknowledged")).to_be_visible()
    assert (
        "None: every alert has been acknowledged." in staff_page.get_by_test_id("alerts-panel").inner_text()
    )
    context.close()
    alert.refresh_from_db()
    assert alert.acknowledged_by.email == "second@example.org"
