"""Recall notices reach the patient: a portal notice and an e-mail in their language, read receipts that
staff see on the recall page, and a phone call recorded for those who have not read it."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.products import services
from exoclinic.products.models import NotificationStatus, RecallNotification
from tests.factories import PatientFactory, UserFactory

from .factories import released_lot

AT = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def recalled(clinic, staff, mailoutbox, django_capture_on_commit_callbacks):
    """Lot given to Ana (English, with a login), Pablo (Spanish, with a login and a caregiver) and Rosa
    (no e-mail address); then recalled by the lab."""
    lot = released_lot(clinic=clinic, units=4)
    ana = PatientFactory(clinic=clinic, user=UserFactory(), first_name="Ana", preferred_language="en")
    carer = UserFactory()
    pablo = PatientFactory(
        clinic=clinic, user=UserFactory(), caregiver=carer, first_name="Pablo", preferred_language="es"
    )
    rosa = PatientFactory(clinic=clinic, first_name="Rosa", email="")
    for p in (ana, pablo, rosa):
        services.unit_administer(
            actor=staff(Role.CLINICIAN), lot=lot, patient=p, at=AT - dt.timedelta(days=3)
        )
    with django_capture_on_commit_callbacks(execute=True):
        recall = services.recall_start(
            actor=staff(Role.LAB), lot=lot, recall_class="II", reason="Endotoxin retest high", at=AT
        )
    return recall, ana, pablo, rosa, carer


def test_each_recipient_is_told_at_once_by_e_mail_in_their_language(recalled, mailoutbox):
    recall, ana, pablo, rosa, _ = recalled
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {ana.email, pablo.email}, "Rosa has no address: portal notice only"
    assert recall.lot.code in by_address[ana.email].subject
    assert "recalled" in by_address[ana.email].subject
    spanish = by_address[pablo.email]
    assert "retirado" in spanish.subject and "Hola Pablo" in spanish.body
    notices = {n.patient_id: n for n in RecallNotification.objects.filter(recall=recall)}
    assert all(n.notice_sent_at == AT for n in notices.values())
    assert notices[rosa.pk].notice_email == ""
    assert AuditEvent.objects.filter(action="recall.notice_send").count() == 3


def test_the_patient_reads_the_notice_in_the_portal_and_the_first_opening_is_kept(client, recalled):
    recall, ana, *_ = recalled
    client.force_login(ana.user)
    home = client.get("/portal/").content.decode()
    assert 'data-testid="recall-notice-panel"' in home and recall.lot.code in home
    notice = RecallNotification.objects.get(recall=recall, patient=ana)
    page = client.get(f"/portal/notices/{notice.pk}/")
    assert page.status_code == 200 and "Endotoxin retest high" in page.content.decode()
    notice.refresh_from_db()
    first = notice.notice_read_at
    assert first is not None
    client.get(f"/portal/notices/{notice.pk}/")
    notice.refresh_from_db()
    assert notice.notice_read_at == first
    assert AuditEvent.objects.filter(action="recall.notice_read", patient=ana).count() == 1
    assert 'data-testid="recall-notice-panel"' not in client.get("/portal/").content.decode()


def test_another_patient_cannot_open_the_notice_but_the_caregiver_can(client, recalled):
    recall, ana, pablo, _, carer = recalled
    pablos = RecallNotification.objects.get(recall=recall, patient=pablo)
    client.force_login(ana.user)
    assert client.get(f"/portal/notices/{pablos.pk}/").status_code == 404
    assert client.get("/portal/notices/", {"patient": pablo.pk}).status_code == 404
    client.force_login(carer)
    assert client.get(f"/portal/notices/{pablos.pk}/").status_code == 200
    pablos.refresh_from_db()
    assert pablos.notice_read_at is not None


def test_staff_see_who_was_told_who_read_it_and_record_a_call_for_the_others(client, recalled, staff, clinic):
    recall, ana, pablo, rosa, _ = recalled
    client.force_login(ana.user)
    client.get(f"/portal/notices/{RecallNotification.objects.get(recall=recall, patient=ana).pk}/")
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(f"/staff/products/lots/{recall.lot.pk}/recall/").content.decode()
    statuses = page.split('data-testid="notice-status"')[1:]
    assert len(statuses) == 3
    assert sum("not read yet" in s.split("</dd>")[0] for s in statuses) == 2
    assert sum(" read 2" in s.split("</dd>")[0] for s in statuses) == 1
    assert sum("no e-mail address" in s.split("</dd>")[0] for s in statuses) == 1
    rosas = RecallNotification.objects.get(recall=recall, patient=rosa)
    response = client.post(
        f"/staff/products/lots/{recall.lot.pk}/recall/",
        {
            "action": "notify",
            "notification": rosas.pk,
            "status": "notified",
            "method": "phone",
            "note": "Told",
        },
    )
    assert response.status_code == 302
    rosas.refresh_from_db()
    assert rosas.status == NotificationStatus.NOTIFIED and rosas.method == "phone"
    assert AuditEvent.objects.filter(action="recall.notify", patient=rosa).exists()


def test_the_recall_page_sums_up_who_read_it_and_shows_the_call_recorded(client, recalled, staff):
    recall, ana, pablo, rosa, _ = recalled
    client.force_login(ana.user)
    client.get(f"/portal/notices/{RecallNotification.objects.get(recall=recall, patient=ana).pk}/")
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    url = f"/staff/products/lots/{recall.lot.pk}/recall/"
    page = client.get(url).content.decode()
    summary = page.split('data-testid="recall-summary"')[1].split("</p>")[0]
    assert "Told: 3 · read the notice: 1 · not read yet: 2." in summary
    assert "2 patients have neither read the notice nor been reached" in summary
    languages = [s.split("</span>")[0] for s in page.split('data-testid="notice-language">')[1:]]
    assert sorted(languages) == ["in English", "in English", "in Español"]
    pablos = RecallNotification.objects.get(recall=recall, patient=pablo)
    client.post(
        url,
        {
            "action": "notify",
            "notification": pablos.pk,
            "status": "notified",
            "method": "phone",
            "note": "Spoke",
        },
    )
    page = client.get(url).content.decode()
    assert "1 patient has neither read the notice nor been reached" in page
    pablo_card = next(c for c in page.split('data-testid="recipient"')[1:] if pablo.full_name in c)
    status = pablo_card.split('data-testid="notification-status">')[1].split("</dd>")[0]
    assert status.startswith("Notified") and "Phone call" in status and "Spoke" in status
    assert f"recorded by {coordinator}" in status
    event = AuditEvent.objects.get(action="recall.notify", patient=pablo)
    assert event.actor == coordinator and event.detail["method"] == "phone"
