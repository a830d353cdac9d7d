"""Recall: the lot becomes RECALLED, each recipient is listed for notification, and tracking is audited."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.products import selectors, services
from exoclinic.products.models import LotStatus, NotificationStatus
from tests.factories import PatientFactory

from .factories import released_lot

AT = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def given(clinic, staff):
    lot = released_lot(clinic=clinic, units=3)
    patients = [PatientFactory(clinic=clinic) for _ in range(2)]
    for p in patients:
        services.unit_administer(
            actor=staff(Role.CLINICIAN), lot=lot, patient=p, at=AT - dt.timedelta(days=3)
        )
    return lot, patients


def test_starting_a_recall_marks_the_lot_and_lists_each_recipient_for_notification(given, staff, clinic):
    lot, patients = given
    lab = staff(Role.LAB)
    recall = services.recall_start(
        actor=lab, lot=lot, recall_class="II", reason="Endotoxin retest high", at=AT
    )
    lot.refresh_from_db()
    assert lot.status == LotStatus.RECALLED
    assert {n.patient_id for n in recall.notifications.all()} == {p.pk for p in patients}
    assert set(recall.notifications.values_list("status", flat=True)) == {NotificationStatus.PENDING}
    with pytest.raises(InvalidInput, match="recalled"):
        services.lot_check_usable(clinic=clinic, code=lot.code, on=AT)
    assert AuditEvent.objects.get(action="lot.recall").detail["recipients"] == 2


def test_recall_needs_a_class_and_a_reason(given, staff):
    lot, _ = given
    lab = staff(Role.LAB)
    with pytest.raises(InvalidInput) as caught:
        services.recall_start(actor=lab, lot=lot, recall_class="IV", reason="x", at=AT)
    assert caught.value.field == "recall_class"
    with pytest.raises(InvalidInput) as caught:
        services.recall_start(actor=lab, lot=lot, recall_class="I", reason=" ", at=AT)
    assert caught.value.field == "reason"


def test_a_lot_is_recalled_once(given, staff):
    lot, _ = given
    lab = staff(Role.LAB)
    services.recall_start(actor=lab, lot=lot, recall_class="I", reason="Sterility failure", at=AT)
    with pytest.raises(InvalidTransition):
        services.recall_start(actor=lab, lot=lot, recall_class="I", reason="again", at=AT)


def test_a_coordinator_records_that_a_patient_was_notified(given, staff):
    lot, patients = given
    services.recall_start(actor=staff(Role.LAB), lot=lot, recall_class="II", reason="Label error", at=AT)
    coordinator = staff(Role.COORDINATOR)
    recipient = selectors.lot_recipients(user=coordinator, lot_id=lot.pk)[0]
    notification = selectors.recall_notification_get(
        user=coordinator, notification_id=recipient.notification_id
    )

    services.recall_notification_update(
        actor=coordinator, notification=notification, status="notified", method="phone", at=AT
    )

    again = selectors.lot_recipients(user=coordinator, lot_id=lot.pk)[0]
    assert (again.notification_status, again.notified_at) == ("notified", AT)
    assert AuditEvent.objects.filter(action="recall.notify", patient_id=recipient.patient_id).exists()


def test_only_lab_and_admin_start_a_recall(given, staff):
    lot, _ = given
    with pytest.raises(PermissionDenied):
        services.recall_start(actor=staff(Role.CLINICIAN), lot=lot, recall_class="I", reason="x", at=AT)
