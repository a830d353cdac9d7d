"""The booking and the symptom report done with the keyboard alone (Tab, Shift+Tab, Space, Enter, arrow
keys), as a person who cannot use a mouse does them: every control on the way shows where the focus is,
and the confirmation page passes axe at desktop and phone size."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from exoclinic.scheduling.models import Appointment, AppointmentStatus
from exoclinic.triage.models import SymptomReport
from tests.browser.a11y import PHONE, check_at_both_sizes, report
from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.scheduling.factories import AppointmentTypeFactory, practitioner

pytestmark = [pytest.mark.browser, pytest.mark.rendering]

MAX_TABS = 80

# What the focused element is, and whether the focus can be seen: an outline or a box shadow that differs
# from the element's look without the focus.
_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    text: (el.getAttribute('aria-label') || el.innerText || label || el.value || '').trim(),
    visible: outline || shadow,
    shown: el.getBoundingClientRect().width > 0,
  };
}
"""


def _focused(page) -> dict | None:
    return page.evaluate(_FOCUSED)


def _tab_to(page, matches, *, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; each element on the way shows focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = _focused(page)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus indicator on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"not reached with {MAX_TABS} presses of Tab")


def _enter_and_wait(page) -> None:
    """Press Enter on a link or a submit button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _text_is(text: str):
    return lambda f: f["text"].startswith(text)


def _keyboard_login(page, email: str) -> None:
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    _tab_to(page, lambda f: f["tag"] == "input" and f["type"] == "email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    _enter_and_wait(page)
    assert "/portal/" in page.url


def test_a_patient_books_a_visit_with_the_keyboard_alone(browser, live_server, transactional_db):
    clinic = ClinicFactory(time_zone="Europe/Madrid")
    practitioner(clinic, title="Physician", hours=((0, 7), "09:00", "13:00"), full_name="Dr. Ada Alba")
    AppointmentTypeFactory(clinic=clinic, name="Consultation in person", min_notice_hours=48, horizon_days=60)
    PatientFactory(clinic=clinic, user=UserFactory(email="kai@example.org"), email="kai@example.org")
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    _keyboard_login(page, "kai@example.org")

    _tab_to(page, _text_is("Book a visit"))
    _enter_and_wait(page)
    expect(page.get_by_text("Before you book: is this urgent?")).to_be_visible()
    # Past the answer that is wanted, and back to it: Shift+Tab works too.
    _tab_to(page, _text_is("No, none of these"))
    page.keyboard.press("Tab")
    _tab_to(page, _text_is("No, none of these"), backwards=True)
    _enter_and_wait(page)

    _tab_to(page, _text_is("Find a time for Consultation in person"))
    _enter_and_wait(page)
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    slot = _tab_to(page, lambda f: f["tag"] == "button" and "Dr. Ada Alba" in f["text"])
    _enter_and_wait(page)

    expect(page.get_by_role("heading", name="Confirm your appointment")).to_be_visible()
    _tab_to(page, lambda f: f["tag"] == "textarea" or f["type"] == "text")
    page.keyboard.type("Manual wheelchair")
    _tab_to(page, lambda f: f["type"] == "checkbox")
    page.keyboard.press("Space")
    _tab_to(page, _text_is("Confirm booking"))
    _enter_and_wait(page)

    expect(page.get_by_text("Your appointment is booked.")).to_be_visible()
    assert page.get_by_test_id("appointment-status").inner_text() == "Confirmed"
    hour = slot["text"].split(" ")[1].split("-")[0]
    assert hour in page.get_by_test_id("appointment-time").inner_text()
    violations = check_at_both_sizes(page, "keyboard-booking", "patient booked", "booked")
    context.close()
    assert not violations, report(violations)
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.CONFIRMED and appointment.caregiver_attending


def test_a_patient_reports_a_symptom_with_the_keyboard_alone(browser, live_server, transactional_db):
    clinic = ClinicFactory(emergency_phone="+34 910 555 010")
    PatientFactory(
        clinic=clinic,
        user=UserFactory(email="noa@example.org"),
        email="noa@example.org",
        sci_neurological_level="T4",
    )
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    _keyboard_login(page, "noa@example.org")
    page.goto("/portal/symptoms/")

    # The first question: Tab reaches its first answer; the arrow keys move within the group and choose.
    first = page.locator("fieldset.question").first
    legend = first.locator("legend").first.inner_text()
    _tab_to(page, lambda f: f["type"] == "radio")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    chosen = first.locator("input[type=radio]:checked")
    expect(chosen).to_have_count(1)
    assert chosen.get_attribute("value") == "yes", legend
    chosen_name = chosen.get_attribute("name")
    _tab_to(page, _text_is("Get my answer now"))
    _enter_and_wait(page)

    outcome = page.get_by_test_id("triage-outcome")
    expect(outcome).to_be_visible()
    violations = check_at_both_sizes(page, "keyboard-symptoms", "patient symptom outcome", "outcome")
    context.close()
    assert not violations, report(violations)
    name = chosen_name
    sent = SymptomReport.objects.get().inputs["answers"]
    assert {"code": name.removeprefix("answer_"), "answer": "yes"}.items() <= next(
        a for a in sent if a["code"] == name.removeprefix("answer_")
    ).items()
