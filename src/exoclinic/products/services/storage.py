"""Storage temperatures: readings entered or imported, excursions that hold the units until a corrective
action is recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition

from .. import conf
from ..models import (
    CustodyKind,
    ProductUnit,
    ReadingSource,
    StorageUnit,
    TemperatureExcursion,
    TemperatureReading,
    UnitStatus,
)
from ._common import require_lab
from .lots import custody_record


def _within(storage_unit: StorageUnit, celsius: Decimal) -> bool:
    return storage_unit.min_celsius <= celsius <= storage_unit.max_celsius


def _store_reading(*, actor, storage_unit, measured_at, celsius, source) -> tuple[TemperatureReading, bool]:
    """Stores one reading; returns it and whether it opened an excursion (holding the units)."""
    reading = TemperatureReading.objects.create(
        storage_unit=storage_unit,
        measured_at=measured_at,
        celsius=celsius,
        within_limits=_within(storage_unit, celsius),
        source=source,
        recorded_by=actor,
    )
    if reading.within_limits or storage_unit.excursions.filter(resolved_at__isnull=True).exists():
        return reading, False
    excursion = TemperatureExcursion.objects.create(storage_unit=storage_unit, first_reading=reading)
    units = list(
        ProductUnit.objects.select_for_update().filter(storage_unit=storage_unit, status=UnitStatus.AVAILABLE)
    )
    for unit in units:
        unit.status = UnitStatus.HELD
        unit.save(update_fields=["status", "updated_at"])
        custody_record(
            actor=actor,
            unit=unit,
            kind=CustodyKind.HELD,
            at=measured_at,
            storage_unit=storage_unit,
            note=_("%(c)s °C, outside %(low)s to %(high)s °C.")
            % {"c": celsius, "low": storage_unit.min_celsius, "high": storage_unit.max_celsius},
        )
    excursion.held_units.set(units)
    audit_record(
        actor=actor,
        action="storage.excursion",
        target=excursion,
        clinic=storage_unit.clinic,
        detail={"storage_unit": storage_unit.name, "celsius": str(celsius), "held_units": len(units)},
    )
    return reading, True


def _check_new(storage_unit: StorageUnit, measured_at: dt.datetime, now: dt.datetime) -> str | None:
    if measured_at > now + dt.timedelta(minutes=5):
        return _("The time is in the future.")
    if storage_unit.readings.filter(measured_at=measured_at).exists():
        return _("A reading at this time is already recorded.")
    return None


def temperature_reading_record(
    *,
    actor,
    storage_unit: StorageUnit,
    measured_at: dt.datetime,
    celsius: Decimal,
    now: dt.datetime | None = None,
) -> TemperatureReading:
    require_lab(actor, storage_unit.clinic_id)
    now = now or timezone.now()
    problem = _check_new(storage_unit, measured_at, now)
    if problem:
        raise InvalidInput(problem, field="measured_at")
    with transaction.atomic():
        reading, _ = _store_reading(
            actor=actor,
            storage_unit=storage_unit,
            measured_at=measured_at,
            celsius=celsius,
            source=ReadingSource.ENTERED,
        )
        audit_record(
            actor=actor,
            action="storage.reading",
            target=reading,
            clinic=storage_unit.clinic,
            detail={"storage_unit": storage_unit.name, "celsius": str(celsius)},
        )
    return reading


class _AmbiguousLocalTime(ValueError):
    """A local time that a clock change skips or repeats; the import says so in the reader's language."""


def _parse_time(text: str, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    if value.tzinfo is not None:
        return value
    # A local time without offset: refuse the hour that a clock change skips or repeats.
    early, late = value.replace(tzinfo=tz, fold=0), value.replace(tzinfo=tz, fold=1)
    if early.utcoffset() != late.utcoffset():
        raise _AmbiguousLocalTime(text)
    return early


class ReadingsImportError(InvalidInput):
    """The file was refused; ``errors`` names each bad line. Nothing was stored."""

    def __init__(self, errors: list[str]):
        super().__init__(
            _("Nothing was imported: %(n)d line(s) need correcting.") % {"n": len(errors)}
            + " "
            + " ".join(errors[:20]),
            field="file",
            extra={"errors": errors},
        )
        self.errors = errors


def temperature_readings_import(
    *, actor, storage_unit: StorageUnit, data: bytes, now: dt.datetime | None = None
) -> list[TemperatureReading]:
    """Imports a CSV with columns ``measured_at`` and ``celsius``: all rows or none. Times without an offset
    are in the clinic's zone. Raises ReadingsImportError naming each bad line by its number."""
    require_lab(actor, storage_unit.clinic_id)
    now = now or timezone.now()
    if len(data) > conf.get("READINGS_CSV_MAX_BYTES"):
        raise InvalidInput(_("The file is too large."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The file is not a UTF-8 text (CSV) file."), field="file") from None
    if "\x00" in text:
        raise InvalidInput(_("The file is not a CSV file."), field="file")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "measured_at" not in header or "celsius" not in header:
        raise InvalidInput(_("The first line must name the columns measured_at and celsius."), field="file")
    reader.fieldnames = header
    tz = storage_unit.clinic.tz
    rows: list[tuple[dt.datetime, Decimal]] = []
    errors: list[str] = []
    seen: dict[dt.datetime, int] = {}
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            measured_at = _parse_time(row.get("measured_at") or "", tz)
        except ValueError as exc:
            detail = (
                _("ambiguous or skipped by a clock change; add the UTC offset (e.g. +01:00)")
                if isinstance(exc, _AmbiguousLocalTime)
                else _("not a date and time like 2026-11-20 08:00")
            )
            errors.append(
                _("Line %(line)d: measured_at %(value)r is %(detail)s.")
                % {"line": line, "value": row.get("measured_at"), "detail": detail}
            )
            continue
        try:
            celsius = Decimal((row.get("celsius") or "").strip())
            if not celsius.is_finite() or abs(celsius) >= 1000:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                _("Line %(line)d: celsius %(value)r is not a temperature in °C.")
                % {"line": line, "value": row.get("celsius")}
            )
            continue
        measured_at = measured_at.astimezone(dt.UTC)
        if measured_at in seen:
            errors.append(
                _("Line %(line)d: the same time as line %(other)d.")
                % {"line": line, "other": seen[measured_at]}
            )
            continue
        seen[measured_at] = line
        problem = _check_new(storage_unit, measured_at, now)
        if problem:
            errors.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": problem})
            continue
        rows.append((measured_at, celsius.quantize(Decimal("0.01"))))
    if errors:
        raise ReadingsImportError(errors)
    if not rows:
        raise InvalidInput(_("The file has no readings."), field="file")
    readings, excursions = [], 0
    with transaction.atomic():
        for measured_at, celsius in sorted(rows):
            reading, opened = _store_reading(
                actor=actor,
                storage_unit=storage_unit,
                measured_at=measured_at,
                celsius=celsius,
                source=ReadingSource.IMPORTED,
            )
            readings.append(reading)
            excursions += opened
        audit_record(
            actor=actor,
            action="storage.readings_import",
            target=storage_unit,
            detail={"readings": len(readings), "excursions": excursions},
        )
    return readings


def excursion_resolve(
    *, actor, excursion: TemperatureExcursion, corrective_action: str, at: dt.datetime
) -> TemperatureExcursion:
    """Records the corrective action and lifts the hold on units no other open excursion holds."""
    require_lab(actor, excursion.storage_unit.clinic_id)
    action = corrective_action.strip()
    if not action:
        raise InvalidInput(_("Describe the corrective action taken."), field="corrective_action")
    with transaction.atomic():
        excursion = TemperatureExcursion.objects.select_for_update().get(pk=excursion.pk)
        if excursion.resolved_at:
            raise InvalidTransition(
                _("This excursion already has a corrective action."), field="corrective_action"
            )
        excursion.corrective_action, excursion.resolved_by, excursion.resolved_at = action, actor, at
        excursion.save(update_fields=["corrective_action", "resolved_by", "resolved_at", "updated_at"])
        lifted = 0
        for unit in excursion.held_units.select_for_update().filter(status=UnitStatus.HELD):
            if unit.excursions.filter(resolved_at__isnull=True).exists():
                continue
            unit.status = UnitStatus.AVAILABLE
            unit.save(update_fields=["status", "updated_at"])
            custody_record(
                actor=actor,
                unit=unit,
                kind=CustodyKind.HOLD_LIFTED,
                at=at,
                storage_unit=unit.storage_unit,
                note=action[:300],
            )
            lifted += 1
        audit_record(
            actor=actor,
            action="storage.excursion_resolve",
            target=excursion,
            clinic=excursion.storage_unit.clinic,
            detail={"corrective_action": action, "units_released": lifted},
        )
    return excursion
