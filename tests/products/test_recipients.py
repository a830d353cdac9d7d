"""The recall list: every recipient of a lot, with contact details, for the lot's clinic staff only."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import NotFound
from exoclinic.core.models import AuditEvent
from exoclinic.products import selectors, services
from tests.factories import PatientFactory, UserFactory

from .factories import released_lot

AT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def given(clinic, staff):
    clinician = staff(Role.CLINICIAN)
    lot = released_lot(clinic=clinic, units=3)
    ana = PatientFactory(clinic=clinic, first_name="Ana", last_name="García", phone="+34 600 000 001")
    luis = PatientFactory(clinic=clinic, first_name="Luis", last_name="Martín")
    services.unit_administer(actor=clinician, lot=lot, patient=ana, at=AT)
    services.unit_administer(actor=clinician, lot=lot, patient=luis, at=AT + dt.timedelta(days=1))
    return lot, ana, luis


@pytest.mark.parametrize("role", [Role.LAB, Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN])
def test_every_staff_role_of_the_clinic_sees_each_recipient_with_contact_and_date(given, staff, role):
    lot, ana, luis = given
    recipients = selectors.lot_recipients(user=staff(role), lot_id=lot.pk)
    assert [(r.name, r.administered_at) for r in recipients] == [
        ("Ana García", AT),
        ("Luis Martín", AT + dt.timedelta(days=1)),
    ]
    assert recipients[0].phone == "+34 600 000 001"
    assert recipients[0].email == ana.email
    assert recipients[0].unit_code == f"{lot.code}/001"


def test_reading_the_recall_list_is_audited_per_patient(given, staff):
    lot, ana, luis = given
    lab = staff(Role.LAB)
    selectors.lot_recipients(user=lab, lot_id=lot.pk)
    rows = AuditEvent.objects.filter(actor=lab, action="patient.view")
    assert {r.patient_id for r in rows} == {ana.pk, luis.pk}
    assert {r.detail["purpose"] for r in rows} == {"recall_list"}


def test_staff_of_another_clinic_and_patients_do_not_find_the_lot(given, staff, other_clinic):
    lot, ana, _ = given
    ana.user = UserFactory()
    ana.save()
    for outsider in (staff(Role.LAB, at=other_clinic), ana.user, UserFactory()):
        with pytest.raises(NotFound):
            selectors.lot_recipients(user=outsider, lot_id=lot.pk)
