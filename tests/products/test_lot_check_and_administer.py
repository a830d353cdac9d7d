"""The contract the treatment app relies on: the usability check of a typed lot code, and administration."""

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.products import codes, services
from exoclinic.products.models import CustodyKind, LotStatus, UnitStatus
from tests.factories import PatientFactory

from .factories import ProductLotFactory, StorageUnitFactory, make_units, released_lot

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def refusal(clinic, code, on=NOW) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        services.lot_check_usable(clinic=clinic, code=code, on=on)
    assert caught.value.field == "lot_code"
    return caught.value


def test_released_lot_typed_in_lower_case_without_dashes_is_accepted(clinic):
    lot = released_lot(clinic=clinic, expires_on=dt.date(2027, 1, 1))
    typed = codes.normalise(lot.code).lower()
    assert services.lot_check_usable(clinic=clinic, code=typed, on=NOW) == lot


def test_a_mistyped_character_is_caught_by_the_check_character(clinic):
    lot = released_lot(clinic=clinic)
    body, check = lot.code[:-1], lot.code[-1]
    wrong_digit = "1" if body[-2] != "1" else "2"
    mistyped = body[:-2] + wrong_digit + "-" + check
    assert "check character" in refusal(clinic, mistyped).message


def test_swapped_adjacent_digits_are_caught_by_the_check_character(clinic):
    lot = ProductLotFactory(
        clinic=clinic, code=codes.make_code("TST", 120034, year=2026), status=LotStatus.RELEASED
    )
    swapped = lot.code.replace("120034", "120043")
    assert "check character" in refusal(clinic, swapped).message


def test_unknown_lot_and_lot_of_another_clinic_get_the_same_answer(clinic, other_clinic):
    theirs = released_lot(clinic=other_clinic)
    unknown = codes.make_code("TST", 999_999, year=2026)
    assert refusal(clinic, theirs.code).message == f"No lot {theirs.code} is registered at this clinic."
    assert refusal(clinic, unknown).message == f"No lot {unknown} is registered at this clinic."


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (LotStatus.QUARANTINE, "quarantine"),
        (LotStatus.REJECTED, "rejected"),
        (LotStatus.RECALLED, "recalled"),
        (LotStatus.EXPIRED, "expired"),
    ],
)
def test_lot_that_is_not_released_is_refused_with_its_reason(clinic, status, words):
    lot = ProductLotFactory(clinic=clinic, status=status)
    make_units(lot, 2)
    assert words in refusal(clinic, lot.code).message


def test_lot_is_usable_through_its_expiry_day_in_the_clinics_zone(clinic):
    # clinic in Europe/Madrid: 2026-11-20 23:30 UTC is already 21 November there
    lot = released_lot(clinic=clinic, expires_on=dt.date(2026, 11, 20))
    late_evening_madrid = dt.datetime(2026, 11, 20, 22, 30, tzinfo=dt.UTC)
    after_midnight_madrid = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)
    assert services.lot_check_usable(clinic=clinic, code=lot.code, on=late_evening_madrid) == lot
    assert "expired on 2026-11-20" in refusal(clinic, lot.code, on=after_midnight_madrid).message


def test_lot_with_every_unit_given_or_held_is_refused(clinic):
    used_up = released_lot(clinic=clinic, units=1)
    used_up.units.update(status=UnitStatus.ADMINISTERED)
    assert "no unit left" in refusal(clinic, used_up.code).message
    freezer = StorageUnitFactory(clinic=clinic, name="Freezer B")
    held = released_lot(clinic=clinic, units=1, storage_unit=freezer)
    held.units.update(status=UnitStatus.HELD)
    message = refusal(clinic, held.code).message
    assert "temperature excursion in Freezer B" in message


def test_administering_takes_one_unit_and_records_dispensed_and_administered_for_the_patient(clinic, staff):
    clinician = staff(Role.CLINICIAN)
    patient = PatientFactory(clinic=clinic)
    lot = released_lot(clinic=clinic, units=2)

    unit = services.unit_administer(actor=clinician, lot=lot, patient=patient, at=NOW, note="T10 level")

    assert unit.status == UnitStatus.ADMINISTERED
    assert unit.sequence == 1
    kinds = list(unit.custody_events.order_by("id").values_list("kind", "patient_id", "actor_id"))
    assert kinds[-2:] == [
        (CustodyKind.DISPENSED, None, clinician.pk),
        (CustodyKind.ADMINISTERED, patient.pk, clinician.pk),
    ]
    assert lot.units.filter(status=UnitStatus.AVAILABLE).count() == 1
    audit = AuditEvent.objects.get(action="product_unit.administer")
    assert (audit.patient_id, audit.actor_id, audit.detail["unit"]) == (patient.pk, clinician.pk, unit.code)


def test_administering_the_last_unit_then_refuses_the_next(clinic, staff):
    clinician = staff(Role.CLINICIAN)
    lot = released_lot(clinic=clinic, units=1)
    services.unit_administer(actor=clinician, lot=lot, patient=PatientFactory(clinic=clinic), at=NOW)
    with pytest.raises(InvalidInput, match="no unit left"):
        services.unit_administer(actor=clinician, lot=lot, patient=PatientFactory(clinic=clinic), at=NOW)


def test_administering_an_unreleased_lot_is_refused_and_changes_nothing(clinic, staff):
    lot = ProductLotFactory(clinic=clinic, status=LotStatus.QUARANTINE)
    make_units(lot, 1)
    with pytest.raises(InvalidInput, match="quarantine"):
        services.unit_administer(
            actor=staff(Role.CLINICIAN), lot=lot, patient=PatientFactory(clinic=clinic), at=NOW
        )
    assert lot.units.get().status == UnitStatus.AVAILABLE
    assert not AuditEvent.objects.filter(action="product_unit.administer").exists()


def test_administering_to_a_patient_of_another_clinic_is_refused(clinic, other_clinic, staff):
    lot = released_lot(clinic=clinic)
    with pytest.raises(InvalidInput) as caught:
        services.unit_administer(
            actor=staff(Role.CLINICIAN), lot=lot, patient=PatientFactory(clinic=other_clinic), at=NOW
        )
    assert caught.value.field == "patient"


def test_only_clinical_and_lab_staff_of_the_lots_clinic_may_administer(clinic, other_clinic, staff):
    lot = released_lot(clinic=clinic)
    patient = PatientFactory(clinic=clinic)
    with pytest.raises(NotFound):
        services.unit_administer(
            actor=staff(Role.CLINICIAN, at=other_clinic), lot=lot, patient=patient, at=NOW
        )
    with pytest.raises(PermissionDenied):
        services.unit_administer(actor=staff(Role.COORDINATOR), lot=lot, patient=patient, at=NOW)


def test_a_units_code_is_its_lots_code_and_sequence(clinic):
    lot = released_lot(clinic=clinic, units=1)
    assert lot.units.get().code == f"{lot.code}/001"


def test_now_is_a_real_time_for_the_check(clinic):
    lot = released_lot(clinic=clinic)
    assert services.lot_check_usable(clinic=clinic, code=lot.code, on=timezone.now()) == lot
