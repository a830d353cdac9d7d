"""Lots and units: registration with a distinct code, the usability check, administration and custody."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition
from exoclinic.core.models import Clinic, Patient
from exoclinic.core.policy import require_staff

from .. import codes, conf
from ..models import (
    Collection,
    CustodyEvent,
    CustodyKind,
    LotCodeSequence,
    LotStatus,
    ProductLot,
    ProductType,
    ProductUnit,
    StorageUnit,
    UnitStatus,
)
from ._common import ADMINISTER_ROLES, require_lab

MAX_UNITS_PER_LOT = 999


def _local_date(clinic: Clinic, at: dt.datetime) -> dt.date:
    return timezone.localtime(at, clinic.tz).date()


def lot_code_next(*, clinic: Clinic, on: dt.datetime) -> str:
    """The next distinct lot code for the clinic; the sequence row is locked, so codes are never reused."""
    prefix, year = conf.lot_prefix(clinic), _local_date(clinic, on).year
    with transaction.atomic():
        LotCodeSequence.objects.get_or_create(prefix=prefix, year=year)
        sequence = LotCodeSequence.objects.select_for_update().get(prefix=prefix, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return codes.make_code(prefix, sequence.last, year=year)


def custody_record(
    *,
    actor,
    unit: ProductUnit,
    kind: CustodyKind,
    at: dt.datetime,
    storage_unit: StorageUnit | None = None,
    patient: Patient | None = None,
    note: str = "",
) -> CustodyEvent:
    return CustodyEvent.objects.create(
        unit=unit,
        kind=kind,
        occurred_at=at,
        actor=actor,
        storage_unit=storage_unit,
        patient=patient,
        note=note,
    )


def lot_register(
    *,
    actor,
    clinic: Clinic,
    product_type: ProductType,
    collection: Collection,
    manufactured_on: dt.date,
    expires_on: dt.date,
    volume_ml: Decimal,
    particles_per_ml: Decimal,
    unit_count: int,
    at: dt.datetime,
    protein_ug_per_ml: Decimal | None = None,
    storage_unit: StorageUnit | None = None,
    submission_key: uuid.UUID | None = None,
) -> ProductLot:
    """A new lot in quarantine with its units, each received (and stored, when a storage unit is named)."""
    require_lab(actor, clinic)
    if submission_key:
        existing = ProductLot.objects.filter(submission_key=submission_key, clinic=clinic).first()
        if existing:
            return existing
    if product_type.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a product type of this clinic."), field="product_type")
    if collection.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a collection of this clinic."), field="collection")
    if storage_unit is not None and storage_unit.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a storage unit of this clinic."), field="storage_unit")
    if expires_on < manufactured_on:
        raise InvalidInput(_("The expiry date is before the manufacturing date."), field="expires_on")
    if volume_ml is None or volume_ml <= 0:
        raise InvalidInput(_("The volume per unit must be more than 0 mL."), field="volume_ml")
    if particles_per_ml is None or particles_per_ml <= 0:
        raise InvalidInput(_("The particle concentration must be more than 0."), field="particles_per_ml")
    if protein_ug_per_ml is not None and protein_ug_per_ml <= 0:
        raise InvalidInput(_("The protein content must be more than 0 µg/mL."), field="protein_ug_per_ml")
    if not 1 <= unit_count <= MAX_UNITS_PER_LOT:
        raise InvalidInput(_("A lot has 1 to %(n)d units.") % {"n": MAX_UNITS_PER_LOT}, field="unit_count")
    with transaction.atomic():
        lot = ProductLot.objects.create(
            clinic=clinic,
            code=lot_code_next(clinic=clinic, on=at),
            product_type=product_type,
            collection=collection,
            manufactured_on=manufactured_on,
            expires_on=expires_on,
            volume_ml=volume_ml,
            particles_per_ml=particles_per_ml,
            protein_ug_per_ml=protein_ug_per_ml,
            created_by=actor,
            submission_key=submission_key,
        )
        units = ProductUnit.objects.bulk_create(
            ProductUnit(lot=lot, sequence=n, storage_unit=storage_unit) for n in range(1, unit_count + 1)
        )
        events = []
        for unit in ProductUnit.objects.filter(lot=lot):
            events.append(CustodyEvent(unit=unit, kind=CustodyKind.RECEIVED, occurred_at=at, actor=actor))
            if storage_unit is not None:
                events.append(
                    CustodyEvent(
                        unit=unit,
                        kind=CustodyKind.STORED,
                        occurred_at=at,
                        actor=actor,
                        storage_unit=storage_unit,
                    )
                )
        CustodyEvent.objects.bulk_create(events)
        audit_record(
            actor=actor,
            action="lot.register",
            target=lot,
            detail={"code": lot.code, "units": len(units), "collection": collection.reference},
        )
    return lot


def _usable_or_refuse(lot: ProductLot, on: dt.datetime) -> None:
    """Raises InvalidInput(field="lot_code") with the plain reason a lot may not be given."""
    names = {"code": lot.code, "date": f"{lot.expires_on:%Y-%m-%d}"}
    refuse = {
        LotStatus.RECALLED: _("Lot %(code)s has been recalled: do not use it."),
        LotStatus.REJECTED: _("Lot %(code)s failed its quality checks and was rejected: do not use it."),
        LotStatus.QUARANTINE: _("Lot %(code)s is in quarantine: the lab has not released it."),
        LotStatus.EXPIRED: _("Lot %(code)s expired on %(date)s."),
    }.get(lot.status)
    if refuse:
        raise InvalidInput(refuse % names, field="lot_code")
    if lot.expires_on < _local_date(lot.clinic, on):
        raise InvalidInput(_("Lot %(code)s expired on %(date)s.") % names, field="lot_code")
    if not lot.units.filter(status=UnitStatus.AVAILABLE).exists():
        held = lot.units.filter(status=UnitStatus.HELD).select_related("storage_unit").first()
        if held is not None:
            raise InvalidInput(
                _(
                    "The units of lot %(code)s are held after a temperature excursion in %(where)s: "
                    "the lab must record a corrective action first."
                )
                % {"code": lot.code, "where": held.storage_unit or _("storage")},
                field="lot_code",
            )
        raise InvalidInput(_("Lot %(code)s has no unit left to give.") % names, field="lot_code")


def lot_check_usable(*, clinic: Clinic, code: str, on: dt.datetime) -> ProductLot:
    """The lot with this typed or scanned code if a unit of it may be given at ``on``; else InvalidInput
    naming ``lot_code`` with the reason (unknown, not released, expired, recalled, held, none left)."""
    parsed = codes.parse(code or "", field="lot_code")
    lot = ProductLot.objects.select_related("clinic").filter(code=parsed.text, clinic=clinic).first()
    if lot is None:  # a lot of another clinic answers the same, so its existence is not revealed
        raise InvalidInput(
            _("No lot %(code)s is registered at this clinic.") % {"code": parsed.text}, field="lot_code"
        )
    _usable_or_refuse(lot, on)
    return lot


def unit_administer(
    *, actor, lot: ProductLot, patient: Patient, at: dt.datetime, note: str = ""
) -> ProductUnit:
    """Takes one available unit of the lot and records it dispensed and given to the patient.

    Runs inside the caller's transaction (the procedure record), so both are stored or neither.
    """
    require_staff(actor, lot.clinic_id, ADMINISTER_ROLES)
    if patient.clinic_id != lot.clinic_id:
        raise InvalidInput(_("This patient is not a patient of the lot's clinic."), field="patient")
    with transaction.atomic():
        lot = ProductLot.objects.select_for_update().select_related("clinic").get(pk=lot.pk)
        _usable_or_refuse(lot, at)
        unit = (
            ProductUnit.objects.select_for_update()
            .filter(lot=lot, status=UnitStatus.AVAILABLE)
            .order_by("sequence")
            .first()
        )
        if unit is None:  # taken by a parallel request since the check
            raise InvalidInput(
                _("Lot %(code)s has no unit left to give.") % {"code": lot.code}, field="lot_code"
            )
        unit.status = UnitStatus.ADMINISTERED
        unit.save(update_fields=["status", "updated_at"])
        custody_record(
            actor=actor, unit=unit, kind=CustodyKind.DISPENSED, at=at, storage_unit=unit.storage_unit
        )
        custody_record(
            actor=actor, unit=unit, kind=CustodyKind.ADMINISTERED, at=at, patient=patient, note=note
        )
        audit_record(
            actor=actor,
            action="product_unit.administer",
            target=unit,
            clinic=lot.clinic,
            patient=patient,
            detail={"lot": lot.code, "unit": unit.code},
        )
    return unit


def _unit_state(unit: ProductUnit) -> str:
    return _("Unit %(code)s is %(status)s.") % {
        "code": unit.code,
        "status": unit.get_status_display().lower(),
    }


def _unit_for_update(unit: ProductUnit) -> ProductUnit:
    return ProductUnit.objects.select_for_update().select_related("lot", "lot__clinic").get(pk=unit.pk)


def unit_move(
    *, actor, unit: ProductUnit, storage_unit: StorageUnit, at: dt.datetime, note: str = ""
) -> ProductUnit:
    require_lab(actor, unit.lot.clinic_id)
    if storage_unit.clinic_id != unit.lot.clinic_id:
        raise InvalidInput(_("Choose a storage unit of this clinic."), field="storage_unit")
    with transaction.atomic():
        unit = _unit_for_update(unit)
        if unit.status not in (UnitStatus.AVAILABLE, UnitStatus.HELD):
            raise InvalidTransition(_unit_state(unit), field="unit")
        if unit.storage_unit_id == storage_unit.pk:
            raise InvalidInput(
                _("Unit %(code)s is already in %(where)s.") % {"code": unit.code, "where": storage_unit},
                field="storage_unit",
            )
        kind = CustodyKind.MOVED if unit.storage_unit_id else CustodyKind.STORED
        unit.storage_unit = storage_unit
        unit.save(update_fields=["storage_unit", "updated_at"])
        custody_record(actor=actor, unit=unit, kind=kind, at=at, storage_unit=storage_unit, note=note)
        open_excursion = storage_unit.excursions.filter(resolved_at__isnull=True).first()
        if open_excursion is not None and unit.status == UnitStatus.AVAILABLE:
            # Put into a storage unit that is out of range: held like the units already there.
            unit.status = UnitStatus.HELD
            unit.save(update_fields=["status", "updated_at"])
            open_excursion.held_units.add(unit)
            custody_record(
                actor=actor,
                unit=unit,
                kind=CustodyKind.HELD,
                at=at,
                storage_unit=storage_unit,
                note=_("Moved into a storage unit with an open temperature excursion."),
            )
        audit_record(
            actor=actor,
            action="product_unit.move",
            target=unit,
            clinic=unit.lot.clinic,
            detail={"unit": unit.code, "to": storage_unit.name},
        )
    return unit


def unit_thaw(*, actor, unit: ProductUnit, at: dt.datetime, note: str = "") -> ProductUnit:
    require_lab(actor, unit.lot.clinic_id)
    with transaction.atomic():
        unit = _unit_for_update(unit)
        if unit.status != UnitStatus.AVAILABLE:
            raise InvalidTransition(_unit_state(unit), field="unit")
        if unit.custody_events.filter(kind=CustodyKind.THAWED).exists():
            raise InvalidTransition(
                _("Unit %(code)s was already thawed.") % {"code": unit.code}, field="unit"
            )
        custody_record(
            actor=actor, unit=unit, kind=CustodyKind.THAWED, at=at, storage_unit=unit.storage_unit, note=note
        )
        audit_record(
            actor=actor,
            action="product_unit.thaw",
            target=unit,
            clinic=unit.lot.clinic,
            detail={"unit": unit.code},
        )
    return unit


def unit_discard(*, actor, unit: ProductUnit, at: dt.datetime, reason: str) -> ProductUnit:
    require_lab(actor, unit.lot.clinic_id)
    if not reason.strip():
        raise InvalidInput(_("Say why the unit is discarded."), field="reason")
    with transaction.atomic():
        unit = _unit_for_update(unit)
        if unit.status not in (UnitStatus.AVAILABLE, UnitStatus.HELD):
            raise InvalidTransition(_unit_state(unit), field="unit")
        unit.status = UnitStatus.DISCARDED
        unit.save(update_fields=["status", "updated_at"])
        custody_record(
            actor=actor,
            unit=unit,
            kind=CustodyKind.DISCARDED,
            at=at,
            storage_unit=unit.storage_unit,
            note=reason.strip(),
        )
        audit_record(
            actor=actor,
            action="product_unit.discard",
            target=unit,
            clinic=unit.lot.clinic,
            detail={"unit": unit.code, "reason": reason.strip()},
        )
    return unit


def lot_reject(*, actor, lot: ProductLot, reason: str, at: dt.datetime) -> ProductLot:
    require_lab(actor, lot.clinic_id)
    if not reason.strip():
        raise InvalidInput(_("Say why the lot is rejected."), field="reason")
    with transaction.atomic():
        lot = ProductLot.objects.select_for_update().get(pk=lot.pk)
        if lot.status != LotStatus.QUARANTINE:
            raise InvalidTransition(
                _("Only a lot in quarantine can be rejected; this one is %(status)s.")
                % {"status": lot.get_status_display().lower()},
                field="status",
            )
        lot.status = LotStatus.REJECTED
        lot.status_note = reason.strip()
        lot.save(update_fields=["status", "status_note", "updated_at"])
        audit_record(
            actor=actor,
            action="lot.reject",
            target=lot,
            detail={"reason": lot.status_note, "at": at.isoformat()},
        )
    return lot


def lots_expire(*, on: dt.datetime) -> int:
    """Marks released lots past their expiry date EXPIRED (the usability check refuses them anyway)."""
    count = 0
    candidates = ProductLot.objects.select_related("clinic").filter(
        Q(status=LotStatus.RELEASED) | Q(status=LotStatus.QUARANTINE),
        expires_on__lt=on.date() + dt.timedelta(days=1),  # zones east of UTC
    )
    for lot in candidates:
        if lot.expires_on < _local_date(lot.clinic, on):
            with transaction.atomic():
                ProductLot.objects.filter(pk=lot.pk, status=lot.status).update(
                    status=LotStatus.EXPIRED, updated_at=on
                )
                audit_record(
                    actor=None, action="lot.expire", target=lot, detail={"expires_on": str(lot.expires_on)}
                )
            count += 1
    return count
