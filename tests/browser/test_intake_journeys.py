"""Applying for treatment and the clinic's review, clicked and typed as a person would, on a phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic
from exoclinic.intake.models import ApplicationStatus, TreatmentApplication
from tests.factories import StaffFactory
from tests.intake.factories import pdf_bytes, submitted

pytestmark = pytest.mark.browser


@pytest.fixture
def clinic(transactional_db, settings, tmp_path):
    from django.utils.functional import empty

    from exoclinic.intake.models import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield Clinic.objects.create(
        name="Alder Test Clinic", slug="alder", emergency_phone="+34 900 000 001", time_zone="Europe/Madrid"
    )
    private_storage._wrapped = empty


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _link_in_last_mail(to: str) -> str:
    body = [m for m in mail.outbox if to in m.to][-1].body
    return re.search(r"https?://\S+(/apply/link/\S+/)", body).group(1)


def fill_about(page, first="Nuria", email="nuria@example.org"):
    page.get_by_label("I am the patient").check()
    page.get_by_label("Patient's first name").fill(first)
    page.get_by_label("Patient's last name").fill("Sanz")
    page.get_by_label("Patient's date of birth").fill("1990-02-03")
    page.get_by_label("Patient's e-mail").fill(email)
    page.get_by_label("Patient's time zone").select_option("Europe/Madrid")


def fill_condition(page):
    page.get_by_label("Spinal cord injury").check()
    page.get_by_label("Date of injury").fill("2020-01-10")
    page.get_by_label("Level of injury").select_option("C6")


def fill_function(page):
    for question, value in (
        ("How well can you move", "2"),
        ("stiffness and spasms troubled", "7"),
        ("control have you had", "3"),
        ("How much feeling", "4"),
        ("average pain", "6"),
        ("How rested and strong", "5"),
    ):
        page.get_by_label(question).select_option(value)


def fill_health(page):
    for question in (
        "infection now",
        "pregnant",
        "cancer",
        "bleeding disorder",
        "blood thinners",
        "anti-inflammatory",
        "suppress the immune system",
        "stem cell or exosome treatment before",
    ):
        page.get_by_role("group", name=re.compile(question)).get_by_label("No", exact=True).check()
    page.get_by_label("Therapies you do now").fill("Physiotherapy twice a week")


def fill_goals(page):
    page.get_by_label("Most important goal").select_option("arms_hands")
    page.get_by_label("Second goal").select_option("bladder_bowel")
    page.get_by_label("Your goals in your own words").fill("Hold a cup on my own.")


def next_step(page):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def test_a_visitor_completes_an_application_with_a_report_on_a_phone(page, clinic, tmp_path):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Apply").click()
    page.get_by_role("link", name="Start the application").click()
    fill_about(page)
    next_step(page)
    expect(page.get_by_text("We e-mailed you a link")).to_be_visible()
    fill_condition(page)
    next_step(page)
    fill_function(page)
    next_step(page)
    fill_health(page)
    next_step(page)
    fill_goals(page)
    next_step(page)

    expect(page.get_by_role("heading", name="Documents", level=1)).to_be_visible()
    report = tmp_path / "mri-report.pdf"
    report.write_bytes(pdf_bytes())
    page.get_by_label("Kind of document").select_option("imaging_report")
    page.get_by_label(re.compile("^Document")).set_input_files(str(report))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="mri-report.pdf")).to_be_visible()
    assert _no_horizontal_scroll(page)
    page.get_by_role("button", name="Continue", exact=True).click()

    page.get_by_label("I agree that the clinic contacts me").check()
    page.get_by_label("I have read the privacy notice").check()
    next_step(page)
    assert page.get_by_role("heading", name="Check and submit").is_visible()
    expect(page.get_by_text("Hold a cup on my own.")).to_be_visible()
    page.get_by_role("button", name="Submit application").click()

    reference = page.get_by_test_id("reference").inner_text()
    application = TreatmentApplication.objects.get()
    assert reference == application.reference and application.status == ApplicationStatus.SUBMITTED
    assert application.uploads.get().original_name == "mri-report.pdf"
    assert [f["code"] for f in application.flags] == []
    assert any(reference in m.subject for m in mail.outbox)
    page.go_back()  # back to the form: it shows the same confirmation, not a second application
    assert page.get_by_test_id("reference").inner_text() == reference
    assert TreatmentApplication.objects.count() == 1
    assert _no_horizontal_scroll(page)


def test_a_draft_is_resumed_from_the_emailed_link(page, browser, live_server, clinic):
    page.goto("/apply/step/about/")
    fill_about(page, first="Ramón", email="ramon@example.org")
    next_step(page)
    fill_condition(page)
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_role("heading", name="Your application is saved")).to_be_visible()

    # Later, on another device: only the e-mailed link
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    later = context.new_page()
    later.goto(_link_in_last_mail("ramon@example.org"))
    expect(later.get_by_role("heading", name="Current function")).to_be_visible()
    later.get_by_role("navigation", name="Application steps").get_by_role("link", name="Condition").click()
    assert later.get_by_label("Date of injury").input_value() == "2020-01-10"
    assert later.get_by_label("Level of injury").input_value() == "C6"
    context.close()


def test_a_validation_error_keeps_the_data_and_names_the_field(page, clinic):
    page.goto("/apply/step/about/")
    fill_about(page)
    page.get_by_label("Patient's e-mail").fill("")
    page.get_by_label("Patient's phone").fill("+34 600 123 456")
    next_step(page)
    summary = page.get_by_role("alert")
    assert "Patient's e-mail" in summary.inner_text() and "Enter your e-mail address." in summary.inner_text()
    assert page.get_by_label("Patient's first name").input_value() == "Nuria"
    assert page.get_by_label("Patient's date of birth").input_value() == "1990-02-03"
    assert page.get_by_label("Patient's phone").input_value() == "+34 600 123 456"
    assert page.get_by_label("Patient's time zone").input_value() == "Europe/Madrid"
    summary.get_by_role("link", name="Patient's e-mail").click()
    page.get_by_label("Patient's e-mail").fill("nuria@example.org")
    next_step(page)
    expect(page.get_by_role("heading", name="Condition", level=1)).to_be_visible()


def test_a_review_with_a_question_an_answer_an_acceptance_and_the_first_login(
    page, browser, live_server, login, clinic
):
    StaffFactory(email="coord@example.org", role=Role.COORDINATOR, clinic=clinic, full_name="Carmen Coord")
    application = submitted(clinic, email="lola@example.org", first_name="Lola")

    login(page, "coord@example.org")
    page.get_by_role("link", name="Applications").first.click()
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("Message").first.wait_for()
    page.locator("#id_info-body").fill("Please tell us the date of your last MRI.")
    page.get_by_role("button", name="Send question").click()
    assert page.get_by_test_id("staff-application-status").inner_text() == "More information requested"

    applicant = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}
    ).new_page()
    applicant.goto(_link_in_last_mail("lola@example.org"))
    expect(applicant.get_by_text("Please tell us the date of your last MRI.")).to_be_visible()
    applicant.get_by_label("Message").fill("It was in March 2024.")
    applicant.get_by_role("button", name="Send to the clinic").click()
    assert applicant.get_by_test_id("application-status").inner_text() == "In review"

    page.reload()
    expect(page.get_by_text("It was in March 2024.")).to_be_visible()
    page.get_by_label("Accept").check()
    page.get_by_label("Reason").fill("Suitable for a consultation.")
    page.get_by_role("button", name="Record decision").click()
    assert page.get_by_test_id("staff-application-status").inner_text() == "Accepted"

    invite = re.search(
        r"https?://\S+(/welcome/\S+/)", [m for m in mail.outbox if "lola@example.org" in m.to][-1].body
    )
    applicant.goto(invite.group(1))
    applicant.get_by_label(re.compile(r"^New password(?! confirmation)")).fill("a-very-long-secret-2026")
    applicant.get_by_label("New password confirmation").fill("a-very-long-secret-2026")
    applicant.get_by_role("button", name="Set password").click()
    assert applicant.url.endswith("/portal/")
    assert applicant.get_by_test_id("current-step").inner_text() == "Consultation"
    assert applicant.get_by_test_id("portal-application-status").inner_text() == "Accepted"
    assert _no_horizontal_scroll(applicant)
