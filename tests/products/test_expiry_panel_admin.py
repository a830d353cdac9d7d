"""Lots expire by the clinic's calendar; the lab's home box; QC specifications validated in the admin."""

import datetime as dt
from decimal import Decimal

from exoclinic.accounts.models import Role
from exoclinic.products import services, tasks
from exoclinic.products.admin import QcSpecificationForm
from exoclinic.products.models import LotStatus

from .factories import ProductLotFactory, StorageUnitFactory, released_lot


def test_released_lots_past_expiry_in_the_clinics_zone_become_expired(clinic):
    due = released_lot(clinic=clinic, expires_on=dt.date(2026, 11, 20))
    still_good = released_lot(clinic=clinic, expires_on=dt.date(2026, 11, 21))
    # 23:30 UTC on the 20th is already the 21st in Madrid
    assert services.lots_expire(on=dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)) == 1
    due.refresh_from_db()
    still_good.refresh_from_db()
    assert (due.status, still_good.status) == (LotStatus.EXPIRED, LotStatus.RELEASED)


def test_the_hourly_task_expires_lots(clinic):
    lot = ProductLotFactory(
        clinic=clinic,
        status=LotStatus.RELEASED,
        manufactured_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2021, 1, 1),
    )
    tasks.expire_lots.call_local()
    lot.refresh_from_db()
    assert lot.status == LotStatus.EXPIRED


def test_lab_home_shows_an_open_excursion_and_lots_in_quarantine(client, clinic, staff):
    lab = staff(Role.LAB)
    freezer = StorageUnitFactory(clinic=clinic, name="Freezer Z")
    released_lot(clinic=clinic, storage_unit=freezer)
    ProductLotFactory(clinic=clinic)
    services.temperature_reading_record(
        actor=lab,
        storage_unit=freezer,
        measured_at=dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC),
        celsius=Decimal("-20"),
        now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
    )
    client.force_login(lab)
    page = client.get("/staff/").content.decode()
    assert "Temperature excursion in Freezer Z" in page
    assert "1 lot in quarantine" in page
    client.force_login(staff(Role.CLINICIAN))
    assert "Temperature excursion in Freezer Z" not in client.get("/staff/").content.decode()


def test_admin_refuses_a_specification_without_the_limit_its_kind_needs():
    base = {
        "order": 0,
        "code": "endotoxin",
        "name": "Endotoxin",
        "method": "LAL",
        "unit": "EU/mL",
        "accepted": "",
        "required": True,
        "active": True,
    }
    form = QcSpecificationForm(data={**base, "kind": "lt"})
    assert not form.is_valid()
    assert "needs 'limit'" in form.errors["limit"][0]
    assert QcSpecificationForm(data={**base, "kind": "lt", "limit": "0.5"}).is_valid()
