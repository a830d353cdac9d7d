"""Storage temperatures: an excursion holds the units until a corrective action; CSV import is all or none."""

import datetime as dt
from decimal import Decimal

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput
from exoclinic.products import services
from exoclinic.products.models import TemperatureReading, UnitStatus

from .factories import StorageUnitFactory, released_lot

AT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def lab(staff):
    return staff(Role.LAB)


@pytest.fixture
def freezer(clinic):
    return StorageUnitFactory(clinic=clinic, name="Freezer A", min_celsius=-90, max_celsius=-70)


def read(lab, freezer, celsius, at=AT):
    return services.temperature_reading_record(
        actor=lab, storage_unit=freezer, measured_at=at, celsius=Decimal(celsius), now=NOW
    )


def test_reading_within_limits_holds_nothing(lab, freezer, clinic):
    lot = released_lot(clinic=clinic, storage_unit=freezer)
    reading = read(lab, freezer, "-80")
    assert reading.within_limits
    assert not freezer.excursions.exists()
    assert set(lot.units.values_list("status", flat=True)) == {UnitStatus.AVAILABLE}


def test_excursion_holds_the_units_stored_there_until_a_corrective_action(lab, freezer, clinic):
    lot = released_lot(clinic=clinic, units=2, storage_unit=freezer)
    elsewhere = released_lot(clinic=clinic, units=1)

    read(lab, freezer, "-60")

    excursion = freezer.excursions.get()
    assert set(lot.units.values_list("status", flat=True)) == {UnitStatus.HELD}
    assert elsewhere.units.get().status == UnitStatus.AVAILABLE
    with pytest.raises(InvalidInput, match="held after a temperature excursion in Freezer A"):
        services.lot_check_usable(clinic=clinic, code=lot.code, on=NOW)

    services.excursion_resolve(
        actor=lab,
        excursion=excursion,
        corrective_action="Door left ajar 10 min; product assessed, kept.",
        at=NOW,
    )

    assert set(lot.units.values_list("status", flat=True)) == {UnitStatus.AVAILABLE}
    path = list(lot.units.first().custody_events.order_by("id").values_list("kind", flat=True))
    assert path[-2:] == ["held", "hold_lifted"]
    assert services.lot_check_usable(clinic=clinic, code=lot.code, on=NOW) == lot


def test_a_corrective_action_must_be_described(lab, freezer, clinic):
    released_lot(clinic=clinic, storage_unit=freezer)
    read(lab, freezer, "-50")
    with pytest.raises(InvalidInput) as caught:
        services.excursion_resolve(
            actor=lab, excursion=freezer.excursions.get(), corrective_action="  ", at=NOW
        )
    assert caught.value.field == "corrective_action"


def test_further_readings_out_of_range_belong_to_the_open_excursion(lab, freezer, clinic):
    read(lab, freezer, "-60")
    read(lab, freezer, "-55", at=AT + dt.timedelta(minutes=15))
    assert freezer.excursions.count() == 1


def test_csv_import_stores_every_reading_and_flags_an_excursion(lab, freezer, clinic):
    lot = released_lot(clinic=clinic, units=1, storage_unit=freezer)
    data = (
        b"measured_at,celsius\n"
        b"2026-11-20T08:00:00+00:00,-80.5\n"
        b"2026-11-20 09:00,-65\n"  # a Madrid time without offset: 08:00 UTC, the same moment as line 2
    )
    with pytest.raises(InvalidInput) as caught:
        services.temperature_readings_import(actor=lab, storage_unit=freezer, data=data, now=NOW)
    assert "Line 3: the same time as line 2." in caught.value.extra["errors"]

    data = b"measured_at,celsius\n2026-11-20T08:00:00Z,-80.5\n2026-11-20 10:00,-65\n"
    readings = services.temperature_readings_import(actor=lab, storage_unit=freezer, data=data, now=NOW)
    assert [(r.measured_at, r.within_limits) for r in readings] == [
        (AT, True),
        (dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), False),
    ]
    assert lot.units.get().status == UnitStatus.HELD


def test_csv_import_with_bad_rows_names_each_line_and_stores_nothing(lab, freezer):
    data = (
        b"measured_at,celsius\n"
        b"2026-11-20T08:00:00Z,-80\n"
        b"yesterday,-80\n"
        b"2026-11-20T09:00:00Z,cold\n"
        b"2026-10-25 02:30,-80\n"  # Madrid repeats 02:00-03:00 that night
        b"2027-01-01T00:00:00Z,-80\n"
    )
    with pytest.raises(InvalidInput) as caught:
        services.temperature_readings_import(actor=lab, storage_unit=freezer, data=data, now=NOW)
    errors = caught.value.extra["errors"]
    assert [e.split(":")[0] for e in errors] == ["Line 3", "Line 4", "Line 5", "Line 6"]
    assert "clock change" in errors[2]
    assert "in the future" in errors[3]
    assert caught.value.field == "file"
    assert not TemperatureReading.objects.exists()


def test_csv_without_the_expected_columns_or_not_text_is_refused(lab, freezer):
    with pytest.raises(InvalidInput, match="measured_at and celsius"):
        services.temperature_readings_import(
            actor=lab, storage_unit=freezer, data=b"time,temp\n1,2\n", now=NOW
        )
    with pytest.raises(InvalidInput, match="not a UTF-8"):
        services.temperature_readings_import(actor=lab, storage_unit=freezer, data=b"\xff\xfe\x00", now=NOW)


def test_a_reading_at_an_already_recorded_time_is_refused(lab, freezer):
    read(lab, freezer, "-80")
    with pytest.raises(InvalidInput, match="already recorded"):
        read(lab, freezer, "-81")


def test_a_unit_moved_into_a_storage_unit_with_an_open_excursion_is_held_too(lab, freezer, clinic):
    read(lab, freezer, "-50")
    other = StorageUnitFactory(clinic=clinic, name="Freezer B")
    lot = released_lot(clinic=clinic, units=1, storage_unit=other)
    unit = services.unit_move(actor=lab, unit=lot.units.get(), storage_unit=freezer, at=NOW)
    assert unit.status == UnitStatus.HELD
    services.excursion_resolve(
        actor=lab, excursion=freezer.excursions.get(), corrective_action="Fixed.", at=NOW
    )
    unit.refresh_from_db()
    assert unit.status == UnitStatus.AVAILABLE
