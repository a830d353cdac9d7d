"""Lab journeys on a phone-sized screen: QC entry and signed release; recall finding the recipient."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic
from exoclinic.products import services
from exoclinic.products.models import LotStatus, RecallNotification
from tests.factories import PASSWORD, PatientFactory, StaffFactory
from tests.products.factories import (
    PASSING_RESULTS,
    ProductLotFactory,
    make_units,
    released_lot,
    typical_specifications,
)

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def clinic(transactional_db):
    return Clinic.objects.create(
        name="Test Clinic", slug="test", time_zone="Europe/Madrid", emergency_phone="+34 900 000 001"
    )


def test_lab_enters_qc_results_and_releases_the_lot_with_their_password(page, login, clinic):
    lab = StaffFactory(email="lab@example.org", full_name="Lara Lab", role=Role.LAB, clinic=clinic)
    lot = ProductLotFactory(clinic=clinic)
    make_units(lot, 3)
    specs = {s.code: s for s in typical_specifications(lot.product_type)}
    for code, value in PASSING_RESULTS.items():
        if code not in ("endotoxin", "mycoplasma"):
            services.qc_result_record(
                actor=lab, lot=lot, specification=specs[code], value=value, tested_at=timezone.now()
            )

    login(page, "lab@example.org")
    page.get_by_role("link", name="Products").click()
    page.get_by_role("link", name=lot.code).click()
    assert page.get_by_test_id("lot-status").inner_text() == "Quarantine"
    assert "missing results: Endotoxin, Mycoplasma" in page.get_by_test_id("release-state").inner_text()

    def enter(test_label, value):
        page.get_by_label("Test", exact=True).select_option(label=test_label)
        page.get_by_label("Result", exact=True).fill(value)
        page.get_by_label("Tested at", exact=True).fill("2026-11-20T10:00")
        page.get_by_role("button", name="Save result").click()

    enter("Endotoxin (< 0.5 EU/mL)", "0.8")
    expect(page.get_by_text("Endotoxin: 0.8 EU/mL does not meet < 0.5 EU/mL.").first).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Release lot").click()
    assert "failed: Endotoxin: 0.8 EU/mL does not meet" in page.get_by_role("alert").inner_text()
    assert page.get_by_test_id("lot-status").inner_text() == "Quarantine"

    enter("Endotoxin (< 0.5 EU/mL)", "0.2")  # the repeated test replaces the failed one
    enter("Mycoplasma (negative or not detected)", "not detected")
    assert "may be released" in page.get_by_test_id("release-state").inner_text()

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Release lot").click()
    expect(page.get_by_text("The password is not correct: enter your own password")).to_be_visible()
    assert page.get_by_test_id("lot-status").inner_text() == "Quarantine"
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Release lot").click()

    assert page.get_by_test_id("lot-status").inner_text() == "Released"
    expect(page.get_by_text("Released by Lara Lab")).to_be_visible()
    assert _no_horizontal_scroll(page)
    lot.refresh_from_db()
    assert (lot.status, lot.released_by) == (LotStatus.RELEASED, lab)


def test_lab_recalls_the_lot_and_sees_the_patient_who_received_it(page, login, clinic):
    StaffFactory(email="lab@example.org", role=Role.LAB, clinic=clinic)
    clinician = StaffFactory(email="doc@example.org", role=Role.CLINICIAN, clinic=clinic)
    lot = released_lot(clinic=clinic, units=2)
    ana = PatientFactory(clinic=clinic, first_name="Ana", last_name="García", phone="+34 600 111 222")
    services.unit_administer(
        actor=clinician, lot=lot, patient=ana, at=dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    )

    login(page, "lab@example.org")
    page.goto(f"/staff/products/lots/{lot.pk}/")
    page.get_by_role("link", name="Recipients and recall").click()
    card = page.get_by_test_id("recipient")
    expect(card).to_have_count(1)
    assert "Ana García" in card.inner_text()
    assert "+34 600 111 222" in card.inner_text()
    assert "2026-11-02 10:30" in card.inner_text()  # shown in the clinic's zone (Madrid)

    page.get_by_label("Class II: may cause temporary or reversible harm").check()
    page.get_by_label("Reason").fill("Endotoxin above limit on retained sample")
    page.get_by_role("button", name="Start recall").click()

    assert "Recall class II started" in page.get_by_test_id("recall-state").inner_text()
    assert page.get_by_test_id("notification-status").inner_text() == "Not yet notified"
    page.get_by_label("How").select_option("phone")
    page.get_by_role("button", name="Record notification of Ana García").click()
    assert page.get_by_test_id("notification-status").inner_text().startswith("Notified")
    assert _no_horizontal_scroll(page)

    lot.refresh_from_db()
    assert lot.status == LotStatus.RECALLED
    assert RecallNotification.objects.get(patient=ana).status == "notified"


def test_a_recall_notice_reaches_the_patient_and_the_lab_sees_it_read(page, login, clinic, mailoutbox):
    from tests.factories import UserFactory

    StaffFactory(email="lab@example.org", role=Role.LAB, clinic=clinic)
    clinician = StaffFactory(email="doc@example.org", role=Role.CLINICIAN, clinic=clinic)
    lot = released_lot(clinic=clinic, units=2)
    ana = PatientFactory(
        clinic=clinic, user=UserFactory(email="ana@example.org"), first_name="Ana", last_name="García"
    )
    luis = PatientFactory(clinic=clinic, first_name="Luis", last_name="Ruiz", phone="+34 600 333 444")
    for patient in (ana, luis):
        services.unit_administer(
            actor=clinician, lot=lot, patient=patient, at=dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
        )

    login(page, "lab@example.org")
    page.goto(f"/staff/products/lots/{lot.pk}/recall/")
    page.get_by_label("Class I: may cause serious harm or death").check()
    page.get_by_label("Reason").fill("Sterility failure on the retained sample")
    page.get_by_role("button", name="Start recall").click()
    expect(page.get_by_test_id("notice-status")).to_have_count(2)
    expect(page.get_by_test_id("notice-status").first).to_contain_text("not read yet")
    assert {m.to[0] for m in mailoutbox} == {ana.email, luis.email}
    page.get_by_role("button", name="Log out").click()

    login(page, "ana@example.org")
    page.goto("/portal/")
    panel = page.get_by_test_id("recall-notice-panel")
    expect(panel).to_contain_text(lot.code)
    panel.get_by_role("link").click()
    expect(page.get_by_test_id("recall-notice-text")).to_contain_text("The clinic has recalled this lot")
    expect(page.get_by_text("Sterility failure on the retained sample")).to_be_visible()
    assert _no_horizontal_scroll(page)
    page.get_by_role("button", name="Log out").click()

    login(page, "lab@example.org")
    page.goto(f"/staff/products/lots/{lot.pk}/recall/")
    cards = page.get_by_test_id("recipient")
    ana_card = cards.filter(has_text="Ana García")
    luis_card = cards.filter(has_text="Luis Ruiz")
    expect(ana_card.get_by_test_id("notice-status")).to_contain_text("read 2")
    expect(luis_card.get_by_test_id("notice-status")).to_contain_text("not read yet")
    luis_card.get_by_label("How").select_option("phone")
    luis_card.get_by_role("button", name="Record notification of Luis Ruiz").click()
    expect(
        page.get_by_test_id("recipient").filter(has_text="Luis Ruiz").get_by_test_id("notification-status")
    ).to_contain_text("Notified")
    assert RecallNotification.objects.get(patient=luis).method == "phone"
