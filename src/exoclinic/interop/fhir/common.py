"""Shared pieces of the FHIR mappers: code system URLs, references, quantities, times, OperationOutcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"

# The project's own code systems and identifier systems: stable URLs, documented in docs/interop.md.
BASE = "https://exoclinic.org/fhir"
CS_INSTRUMENT = f"{BASE}/CodeSystem/instrument"  # instruments and their measures ("scim3", "scim3.total")
CS_DIARY = f"{BASE}/CodeSystem/diary"
CS_CONDITION = f"{BASE}/CodeSystem/condition"
CS_AIS = f"{BASE}/CodeSystem/ais-grade"
CS_LEVEL = f"{BASE}/CodeSystem/neurological-level"
CS_ROUTE = f"{BASE}/CodeSystem/route"
CS_THERAPY = f"{BASE}/CodeSystem/therapy"
CS_CTCAE = f"{BASE}/CodeSystem/ctcae-grade"
CS_RELATEDNESS = f"{BASE}/CodeSystem/relatedness"
CS_RESTRICTION = f"{BASE}/CodeSystem/restriction"
CS_APPOINTMENT_KIND = f"{BASE}/CodeSystem/appointment-kind"
CS_VITALS = f"{BASE}/CodeSystem/vital-sign"
CS_DOCUMENT = f"{BASE}/CodeSystem/document"
SID_RECORD_NUMBER = f"{BASE}/sid/record-number"  # + "/<clinic slug>"
SID_LOT = f"{BASE}/sid/lot-code"
SID_UNIT = f"{BASE}/sid/unit-code"
SID_SOURCE = f"{BASE}/sid/product-source"
SID_APPLICATION = f"{BASE}/sid/application-reference"
SID_IMPORT = f"{BASE}/sid/import-source"
EXT_ROUTE = f"{BASE}/StructureDefinition/route"
EXT_PRODUCT = f"{BASE}/StructureDefinition/administered-product"
EXT_CAUSE = f"{BASE}/StructureDefinition/injury-cause"
Q_APPLICATION = f"{BASE}/Questionnaire/treatment-application"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


@dataclass
class MapContext:
    """What a mapper may need beyond its row, loaded in bulk by the selector (never per row)."""

    as_staff: bool = True
    now: dt.datetime = field(default_factory=timezone.now)
    exams: dict = field(default_factory=dict)  # isncsci exam id (str) -> IsncsciExam


def ref(kind: str, pk, display: str | None = None) -> dict:
    out = {"reference": f"{kind}/{pk}"}
    if display:
        out["display"] = display
    return out


def coding(system: str, code: str, display: str | None = None) -> dict:
    out = {"system": system, "code": str(code)}
    if display:
        out["display"] = str(display)
    return out


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> dict:
    out = {"coding": [coding(system, code, display)]}
    if text or display:
        out["text"] = str(text or display)
    return out


def text_concept(text: str) -> dict:
    return {"text": str(text)}


def instant(value: dt.datetime | None) -> str | None:
    """An aware datetime as FHIR instant/dateTime text in UTC."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def date_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def meta(updated_at: dt.datetime | None, *, source: str | None = None) -> dict:
    out: dict = {}
    if updated_at is not None:
        out["lastUpdated"] = instant(updated_at)
    if source:
        out["source"] = source
    return out


def number(value) -> int | float | None:
    """A JSON number from an int, float, Decimal or numeric text; None for anything else ("ND", "C5")."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            return None
        return int(parsed) if parsed.is_integer() else parsed
    return None


UCUM_UNITS = {"point": ("{score}", "score"), "kg": ("kg", "kg"), "grade": ("{score}", "grade")}


def quantity(value, unit: str) -> dict | None:
    numeric = number(value)
    if numeric is None:
        return None
    code, label = UCUM_UNITS.get(unit, (unit, unit))
    return {"value": numeric, "unit": label, "system": UCUM, "code": code}


def clean(resource: dict) -> dict:
    """Drop keys whose value is None or empty: FHIR forbids empty elements."""
    out = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = clean(value)
        elif isinstance(value, list):
            value = [clean(v) if isinstance(v, dict) else v for v in value if v not in (None, "", {}, [])]
        if value in (None, "", {}, []):
            continue
        out[key] = value
    return out


class FhirError(Exception):
    """An error answered as an OperationOutcome with its HTTP status."""

    def __init__(self, status: int, code: str, diagnostics: str, *, expression: str | None = None):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics, self.expression = status, code, str(diagnostics), expression


def operation_outcome(code: str, diagnostics: str, *, severity: str = "error", expression=None) -> dict:
    issue = {"severity": severity, "code": code, "diagnostics": str(diagnostics)}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}
