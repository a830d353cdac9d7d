"""Parsing FHIR search parameters (dates with prefixes, tokens, references) into plain values.

Each bad value raises ``FhirError`` 400 naming the parameter, so a client never gets a silent empty result
for a typo.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .common import FhirError

DATE_PREFIXES = ("eq", "ne", "lt", "le", "gt", "ge", "sa", "eb")
_DATE = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True)
class DateRange:
    """A date parameter: ``op`` and the half-open UTC interval [low, high) its value denotes."""

    op: str
    low: dt.datetime
    high: dt.datetime


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def parse_date(name: str, raw: str) -> DateRange:
    op = "eq"
    if raw[:2] in DATE_PREFIXES:
        op, raw = raw[:2], raw[2:]
    if op in ("sa", "eb"):
        op = "gt" if op == "sa" else "lt"
    match = _DATE.match(raw)
    if not match:
        raise FhirError(
            400,
            "invalid",
            _("%(name)s: %(value)s is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime)")
            % {"name": name, "value": repr(raw)},
            expression=name,
        )
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        if hour is not None:
            tz = dt.UTC if zone in (None, "Z") else dt.datetime.strptime(zone.replace(":", ""), "%z").tzinfo
            low = dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz
            )
            high = low + dt.timedelta(seconds=1)
        elif day is not None:
            start = dt.date(int(year), int(month), int(day))
            low, high = _midnight(start), _midnight(start + dt.timedelta(days=1))
        elif month is not None:
            start = dt.date(int(year), int(month), 1)
            low, high = _midnight(start), _midnight(_add_months(start, 1))
        else:
            low, high = _midnight(dt.date(int(year), 1, 1)), _midnight(dt.date(int(year) + 1, 1, 1))
    except ValueError:
        raise FhirError(
            400,
            "invalid",
            _("%(name)s: %(value)s is not a valid date") % {"name": name, "value": repr(raw)},
            expression=name,
        ) from None
    return DateRange(op, low.astimezone(dt.UTC), high.astimezone(dt.UTC))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def date_lookups(field: str, value: DateRange, *, is_date: bool) -> tuple[dict, dict]:
    """(filter kwargs, exclude kwargs) for one date parameter on a DateField or DateTimeField."""
    low = value.low.date() if is_date else value.low
    high = value.high.date() if is_date else value.high
    if value.op == "eq":
        return {f"{field}__gte": low, f"{field}__lt": high}, {}
    if value.op == "ne":
        return {f"{field}__isnull": False}, {f"{field}__gte": low, f"{field}__lt": high}
    if value.op == "lt":
        return {f"{field}__lt": low}, {}
    if value.op == "le":
        return {f"{field}__lt": high}, {}
    if value.op == "gt":
        return {f"{field}__gte": high}, {}
    return {f"{field}__gte": low}, {}  # ge


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system
    code: str


def parse_tokens(name: str, raw: str) -> list[Token]:
    out = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            raise FhirError(400, "invalid", _("%(name)s: empty value") % {"name": name}, expression=name)
        if "|" in part:
            system, code = part.split("|", 1)
            out.append(Token(system or None, code))
        else:
            out.append(Token(None, part))
    return out


def parse_reference(name: str, raw: str, kind: str = "Patient") -> list[int]:
    ids = []
    for part in raw.split(","):
        value = part.strip()
        for prefix in (f"{kind}/",):
            if value.startswith(prefix):
                value = value[len(prefix) :]
        if "/" in value:
            value = value.rsplit(f"/{kind}/", 1)[-1]
        if not value.isdigit():
            raise FhirError(
                400,
                "invalid",
                _("%(name)s: %(value)s is not a reference to a %(kind)s")
                % {"name": name, "value": repr(part), "kind": kind},
                expression=name,
            )
        ids.append(int(value))
    return ids


def parse_count(raw: str, *, maximum: int) -> int:
    if not raw.isdigit():
        raise FhirError(
            400,
            "invalid",
            _("%(name)s: %(value)s is not a whole number") % {"name": "_count", "value": repr(raw)},
            expression="_count",
        )
    return max(0, min(int(raw), maximum))


def parse_offset(raw: str) -> int:
    if not raw.isdigit():
        raise FhirError(
            400,
            "invalid",
            _("%(name)s: %(value)s is not a whole number") % {"name": "_offset", "value": repr(raw)},
            expression="_offset",
        )
    return int(raw)


def now() -> dt.datetime:
    return timezone.now()
