"""Consent that can be withdrawn and renewed, and recall notices that reach the patient: the patient's side on
a phone, the staff side on a desktop screen, each journey checked against its audit rows afterwards."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent, Clinic
from exoclinic.outcomes import services as outcomes_services
from exoclinic.outcomes.cohort import research_id
from exoclinic.products import services as product_services
from exoclinic.products.models import LotStatus, RecallNotification, UnitStatus
from exoclinic.treatment.models import Consent, ConsentRenewal, ConsentText, Procedure
from tests.factories import PatientFactory, StaffFactory, UserFactory
from tests.products.factories import released_lot
from tests.treatment.factories import approved_plan_with_consent

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def clinic(transactional_db):
    return Clinic.objects.create(
        name="Test Clinic", slug="test", time_zone="Europe/Madrid", emergency_phone="+34 900 000 001"
    )


@pytest.fixture
def desktop(browser, live_server):
    """A second person at a desktop screen (staff), next to the patient's phone (``page``)."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(15_000)
    desk = context.new_page()
    yield desk
    context.close()


def test_patient_withdraws_treatment_consent_staff_see_it_and_the_procedure_is_refused(
    page, desktop, login, clinic
):
    clinician = StaffFactory(email="dr@example.org", role=Role.CLINICIAN, clinic=clinic)
    user = UserFactory(email="rosa@example.org")
    patient = PatientFactory(
        clinic=clinic, user=user, first_name="Rosa", last_name="Quintana", date_of_birth=dt.date(1980, 2, 3)
    )
    plan = approved_plan_with_consent(patient, clinician=clinician)
    lot = released_lot(clinic=clinic, units=1)

    login(page, "rosa@example.org")
    page.goto("/portal/treatment/")
    page.locator("summary", has_text="Withdraw my consent").click()
    page.get_by_label("Reason (optional)").fill("I want to wait for my new job to start")
    page.get_by_label("I withdraw my consent to this treatment").check()
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.get_by_test_id("consent-withdrawn")).to_contain_text("Consent withdrawn on")
    assert _no_horizontal_scroll(page)

    login(desktop, "dr@example.org")
    desktop.goto(f"/staff/patients/{patient.pk}/")
    alert = desktop.get_by_test_id("chart-consent-withdrawn")
    expect(alert).to_contain_text("no procedure may be given under that plan")
    alert.get_by_role("link", name="Open the plan").click()
    expect(desktop.get_by_test_id("consent-withdrawn")).to_contain_text("I want to wait for my new job")
    expect(desktop.get_by_role("link", name="Record a procedure")).to_have_count(0)

    # A form left open in another tab is refused by the service, not only hidden.
    desktop.goto(f"/staff/treatment/plans/{plan.pk}/procedure/")
    desktop.get_by_label("Patient's full name, as the patient states it").fill("Rosa Quintana")
    desktop.get_by_label("Patient's date of birth, as the patient states it").fill("1980-02-03")
    desktop.get_by_label("Lot code (scan or type)").fill(lot.code)
    for when in ("Before", "After"):
        desktop.get_by_label(f"{when}: systolic pressure (mmHg)").fill("112")
        desktop.get_by_label(f"{when}: diastolic pressure (mmHg)").fill("72")
        desktop.get_by_label(f"{when}: heart rate (/min)").fill("70")
    desktop.get_by_role("button", name="Record procedure").click()
    refusal = desktop.locator(".error-summary").filter(has_text="The procedure was not recorded")
    expect(refusal).to_contain_text("The patient withdrew consent to this plan")

    assert not Procedure.objects.exists() and lot.units.get().status == UnitStatus.AVAILABLE
    consent = Consent.objects.get(plan=plan)
    withdrawal = AuditEvent.objects.get(action="consent.withdraw")
    assert withdrawal.actor == user and withdrawal.patient == patient
    assert withdrawal.record_id == str(consent.pk)
    assert withdrawal.detail["reason"] == "I want to wait for my new job to start"
    assert AuditEvent.objects.filter(
        action="patient.view", actor=clinician, patient=patient, detail__purpose="chart"
    ).exists()
    assert not AuditEvent.objects.filter(action="procedure.record").exists()


def test_caregiver_withdraws_research_consent_and_a_later_research_export_leaves_the_patient_out(
    page, desktop, login, clinic
):
    director = StaffFactory(
        email="director@example.org", role=Role.CLINICIAN, clinic=clinic, is_medical_director=True
    )
    carer = UserFactory(email="carer@example.org", full_name="Marta Ruiz")
    pablo = PatientFactory(
        clinic=clinic,
        user=UserFactory(),
        caregiver=carer,
        first_name="Pablo",
        research_consent=True,
        research_consent_at=timezone.now() - dt.timedelta(days=30),
    )
    lucia = PatientFactory(
        clinic=clinic, first_name="Lucía", research_consent=True, research_consent_at=timezone.now()
    )
    for patient in (pablo, lucia):
        outcomes_services.assessment_record(
            actor=director,
            patient=patient,
            instrument="pain",
            items={"average": 5},
            taken_on=timezone.localdate() - dt.timedelta(days=7),
        )

    def exported_ids() -> set[str]:
        desktop.goto("/staff/outcomes/cohort/")
        with desktop.expect_download() as download:
            desktop.get_by_role("link", name="Research export (CSV, consenting patients only").click()
        with open(download.value.path(), encoding="utf-8") as handle:
            return {row["research_id"] for row in csv.DictReader(io.StringIO(handle.read()))}

    login(desktop, "director@example.org")
    assert {research_id(pablo.pk), research_id(lucia.pk)} <= exported_ids()

    login(page, "carer@example.org")
    page.goto(f"/portal/profile/?patient={pablo.pk}")
    expect(page.get_by_test_id("research-consent")).to_contain_text("may be used for research")
    page.get_by_role("button", name="Withdraw consent to research use").click()
    expect(page.get_by_test_id("research-consent")).to_have_text("Your data is not used for research.")
    assert _no_horizontal_scroll(page)

    later = exported_ids()
    assert research_id(pablo.pk) not in later and research_id(lucia.pk) in later
    desktop.goto(f"/staff/patients/{pablo.pk}/")
    expect(desktop.get_by_test_id("chart-research-consent")).to_contain_text("left out of research")

    withdrawal = AuditEvent.objects.get(action="patient.research_consent_withdraw")
    assert withdrawal.actor == carer and withdrawal.patient == pablo
    assert AuditEvent.objects.filter(action="research_export.download", actor=director).count() == 2
    reads = AuditEvent.objects.filter(action="patient.view", detail__purpose="research_export")
    assert reads.filter(patient=pablo).count() == 1, "only the export made before the withdrawal"
    assert reads.filter(patient=lucia).count() == 2


def test_staff_publish_a_new_consent_text_and_the_patient_consents_to_it_in_the_portal(
    page, desktop, login, clinic
):
    clinician = StaffFactory(email="dr@example.org", role=Role.CLINICIAN, clinic=clinic)
    user = UserFactory(email="ines@example.org")
    patient = PatientFactory(clinic=clinic, user=user, first_name="Inés", last_name="Vidal")
    plan = approved_plan_with_consent(patient, clinician=clinician)

    login(desktop, "dr@example.org")
    desktop.goto("/staff/treatment/")
    desktop.get_by_role("link", name="Consent texts").click()
    desktop.get_by_label("Version", exact=True).fill("2027-01")
    desktop.get_by_label("Title (English)", exact=True).fill("Consent to exosome therapy")
    desktop.get_by_label("Text the patient reads and signs (English)").fill(
        "New in this version: how the clinic stores your samples."
    )
    desktop.get_by_label("Title (Spanish)", exact=True).fill("Consentimiento para la terapia con exosomas")
    desktop.get_by_label("Text the patient reads and signs (Spanish)").fill(
        "Novedad de esta versión: cómo guarda la clínica sus muestras."
    )
    desktop.get_by_role("button", name="Publish").click()
    expect(desktop.get_by_test_id("consent-text").first).to_contain_text("2027-01")
    expect(desktop.get_by_test_id("consent-text").first).to_contain_text("current")
    expect(desktop.get_by_test_id("renewals-due")).to_contain_text("1 patient's consent waits")
    desktop.goto(f"/staff/patients/{patient.pk}/")
    expect(desktop.get_by_test_id("chart-reconsent-pending")).to_contain_text("version 2027-01")
    desktop.goto(f"/staff/treatment/plans/{plan.pk}/")
    expect(desktop.get_by_test_id("consent-renewal-due")).to_be_visible()
    expect(desktop.get_by_text("the patient must consent to it before the next procedure")).to_be_visible()

    login(page, "ines@example.org")
    panel = page.get_by_test_id("consent-renew-panel")
    expect(panel).to_contain_text("read the new version and give your consent")
    panel.get_by_role("link").click()
    expect(page.get_by_test_id("consent-renew-summary")).to_contain_text("version 2026-1")
    expect(page.get_by_test_id("consent-renew-text")).to_contain_text("how the clinic stores your samples")
    assert _no_horizontal_scroll(page)
    page.get_by_role("button", name="Consent to the new version").click()  # box not ticked
    expect(page.locator(".error-summary")).to_be_visible()
    assert not ConsentRenewal.objects.exists()
    page.get_by_label("I have read the new version of the text").check()
    page.get_by_role("button", name="Consent to the new version").click()
    expect(page.get_by_text("your consent to the new version is recorded")).to_be_visible()
    expect(page.get_by_test_id("consent-renew-prompt")).to_have_count(0)
    page.goto("/portal/")
    expect(page.get_by_test_id("consent-renew-panel")).to_have_count(0)

    desktop.goto(f"/staff/patients/{patient.pk}/")
    expect(desktop.get_by_test_id("chart-consent-version")).to_contain_text("consent text version 2027-01")
    expect(desktop.get_by_test_id("chart-reconsent-pending")).to_have_count(0)
    desktop.goto(f"/staff/treatment/plans/{plan.pk}/")
    expect(desktop.get_by_test_id("consent-renewal")).to_contain_text("version 2027-01")
    expect(desktop.get_by_role("link", name="Record a procedure")).to_be_visible()

    text = ConsentText.objects.get(clinic=clinic, is_current=True)
    assert text.version == "2027-01"
    published = AuditEvent.objects.get(action="consent_text.publish", record_id=str(text.pk))
    assert published.actor == clinician
    renewal = ConsentRenewal.objects.get()
    renewed = AuditEvent.objects.get(action="consent.renew")
    assert renewed.actor == user and renewed.patient == patient and renewed.record_id == str(renewal.pk)
    assert renewed.detail["version"] == "2027-01" and renewed.detail["previous_version"] == "2026-1"


def test_a_recall_reaches_a_spanish_speaking_patient_and_staff_record_a_call_to_the_one_who_did_not_read(
    page, desktop, login, clinic, mailoutbox
):
    lab = StaffFactory(email="lab@example.org", role=Role.LAB, clinic=clinic)
    clinician = StaffFactory(role=Role.CLINICIAN, clinic=clinic)
    lot = released_lot(clinic=clinic, units=2)
    pablo_user = UserFactory(email="pablo@example.org")
    pablo = PatientFactory(
        clinic=clinic,
        user=pablo_user,
        first_name="Pablo",
        last_name="Serrano",
        email="pablo@example.org",
        preferred_language="es",
    )
    luis = PatientFactory(
        clinic=clinic, first_name="Luis", last_name="Ruiz", phone="+34 600 333 444", preferred_language="en"
    )
    for patient in (pablo, luis):
        product_services.unit_administer(
            actor=clinician, lot=lot, patient=patient, at=timezone.now() - dt.timedelta(days=10)
        )

    login(desktop, "lab@example.org")
    desktop.goto(f"/staff/products/lots/{lot.pk}/recall/")
    desktop.get_by_label("Class I: may cause serious harm or death").check()
    desktop.get_by_label("Reason").fill("Sterility failure on the retained sample")
    desktop.get_by_role("button", name="Start recall").click()
    expect(desktop.get_by_test_id("recall-summary")).to_contain_text("Told: 2 · read the notice: 0")
    cards = desktop.get_by_test_id("recipient")
    language = {n: cards.filter(has_text=n).get_by_test_id("notice-language") for n in ("Pablo", "Luis")}
    expect(language["Pablo"]).to_have_text("in Español")
    expect(language["Luis"]).to_have_text("in English")

    # The e-mail goes out in each patient's language. Its Spanish wording is already in the products
    # catalogue (the subject, the greeting and "Recall class" here).
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {"pablo@example.org", luis.email}
    spanish, english = mails["pablo@example.org"], mails[luis.email]
    assert lot.code in spanish.subject and "retirado" in spanish.subject
    assert "Hola Pablo" in spanish.body and "Clase de retirada" in spanish.body
    assert "Sterility failure on the retained sample" in spanish.body
    assert "Recall class" in english.body and "Clase de retirada" not in english.body

    login(page, "pablo@example.org")
    page.goto("/portal/")
    assert page.locator("html").get_attribute("lang") == "es"  # the portal speaks Pablo's language
    panel = page.get_by_test_id("recall-notice-panel")
    expect(panel).to_contain_text(lot.code)
    panel.get_by_role("link").click()
    expect(page.get_by_test_id("recall-notice-text")).to_contain_text(lot.code)
    expect(page.get_by_text("Sterility failure on the retained sample")).to_be_visible()
    assert _no_horizontal_scroll(page)
    page.goto("/portal/")
    expect(page.get_by_test_id("recall-notice-panel")).to_have_count(0)

    desktop.reload()
    expect(desktop.get_by_test_id("recall-summary")).to_contain_text("read the notice: 1 · not read yet: 1")
    pablo_card = cards.filter(has_text="Pablo Serrano")
    luis_card = cards.filter(has_text="Luis Ruiz")
    expect(pablo_card.get_by_test_id("notice-status")).to_contain_text("read 2")
    expect(pablo_card.get_by_test_id("notice-status")).to_contain_text("e-mailed to pablo@example.org")
    expect(luis_card.get_by_test_id("notice-status")).to_contain_text("not read yet")
    luis_card.get_by_label("How").select_option("phone")
    luis_card.get_by_label("Note").fill("Called, he will come in on Monday")
    luis_card.get_by_role("button", name="Record notification of Luis Ruiz").click()
    status = cards.filter(has_text="Luis Ruiz").get_by_test_id("notification-status")
    expect(status).to_contain_text("Notified")
    expect(status).to_contain_text("Phone call")
    expect(status).to_contain_text("Called, he will come in on Monday")
    expect(desktop.get_by_test_id("recall-summary")).not_to_contain_text("neither read the notice")

    lot.refresh_from_db()
    assert lot.status == LotStatus.RECALLED
    recall_event = AuditEvent.objects.get(action="lot.recall")
    assert recall_event.actor == lab and recall_event.detail["recipients"] == 2
    sent = AuditEvent.objects.filter(action="recall.notice_send")
    assert {e.patient_id for e in sent} == {pablo.pk, luis.pk}
    read = AuditEvent.objects.get(action="recall.notice_read")
    assert read.actor == pablo_user and read.patient == pablo
    called = AuditEvent.objects.get(action="recall.notify")
    assert called.actor == lab and called.patient == luis and called.detail["method"] == "phone"
    notices = {n.patient_id: n for n in RecallNotification.objects.all()}
    assert notices[pablo.pk].notice_read_at is not None and notices[luis.pk].notice_read_at is None
    assert notices[luis.pk].method == "phone" and notices[luis.pk].note == "Called, he will come in on Monday"
