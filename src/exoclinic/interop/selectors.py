"""FHIR reads: search (one query per source and page), read by id, $everything, and rows for bulk export.

Every read goes through the sources' scoped querysets (core.policy), and the patients whose records were
returned are audited in one bulk insert (``core.audit.audit_patient_reads``) per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_patient_reads
from exoclinic.core.models import Patient
from exoclinic.core.policy import is_any_staff

from .fhir.common import FhirError, MapContext
from .fhir.search import date_lookups, parse_count, parse_date, parse_offset, parse_reference, parse_tokens
from .sources import SOURCES, Source

# Search parameters per resource type: name -> how it filters. Listed as is in the CapabilityStatement.
COMMON = {"_id": "id", "_lastUpdated": "updated"}
SEARCH_PARAMS: dict[str, dict[str, str]] = {
    "Patient": {"identifier": "identifier", "name": "name", "birthdate": "birthdate"},
    "Condition": {
        "patient": "patient",
        "subject": "patient",
        "code": "code",
        "onset-date": "date",
        "clinical-status": "status",
    },
    "Observation": {
        "patient": "patient",
        "subject": "patient",
        "code": "code",
        "date": "date",
        "status": "status",
        "category": "category",
    },
    "Procedure": {"patient": "patient", "subject": "patient", "date": "date", "status": "status"},
    "BiologicallyDerivedProduct": {"identifier": "identifier"},
    "AdverseEvent": {"subject": "patient", "patient": "patient", "date": "date", "seriousness": "code"},
    "Appointment": {"patient": "patient", "date": "date", "status": "status"},
    "Consent": {"patient": "patient", "date": "date", "status": "status"},
    "CarePlan": {"patient": "patient", "subject": "patient", "date": "date", "status": "status"},
    "QuestionnaireResponse": {
        "patient": "patient",
        "subject": "patient",
        "authored": "date",
        "status": "status",
    },
    "DocumentReference": {"patient": "patient", "subject": "patient", "type": "code", "status": "status"},
}
PARAM_TYPES = {
    "id": "token",
    "updated": "date",
    "identifier": "token",
    "name": "string",
    "birthdate": "date",
    "patient": "reference",
    "code": "token",
    "date": "date",
    "status": "token",
    "category": "token",
}
CONTROL = {"_count", "_offset", "_format", "_pretty", "_total"}  # _total: the total is always exact
NOTHING = Q(pk__in=[])


def conf(name: str):
    defaults = {"DEFAULT_COUNT": 50, "MAX_COUNT": 500, "EXPORT_EXPIRES_HOURS": 24, "EXPORT_CHUNK": 500}
    return (getattr(settings, "EXOCLINIC_FHIR", {}) or {}).get(name, defaults[name])


@dataclass
class Page:
    kind: str
    resources: list[dict]
    total: int
    offset: int
    count: int


def _any_of(matches: list[Q]) -> Q:
    """OR of the matches: NOTHING for none, every row when one of them is the empty Q (``EVERY``)."""
    if not matches:
        return NOTHING
    if any(not m for m in matches):  # Q() | x is x in Django, so "every row" must be kept apart
        return Q()
    q = matches[0]
    for match in matches[1:]:
        q |= match
    return q


def _token_q(name: str, mapping: dict, raw: str) -> Q:
    return _any_of(
        [
            match
            for token in parse_tokens(name, raw)
            for (system, code), match in mapping.items()
            if code == token.code and (token.system is None or token.system == system)
        ]
    )


def _status_q(name: str, mapping: dict, raw: str) -> Q:
    matches = [mapping.get(token.code) for token in parse_tokens(name, raw)]
    return _any_of([m() if callable(m) else m for m in matches if m is not None])


def _source_filter(source: Source, params: list[tuple[str, str]]) -> tuple[Q, Q]:
    """(include, exclude) for one source; NOTHING when a parameter rules the whole source out."""
    include, exclude = Q(), Q()
    allowed = {**COMMON, **SEARCH_PARAMS[source.kind]}
    for name, raw in params:
        what = allowed[name]
        if what == "id":
            pks = [v[len(source.prefix) :] for v in raw.split(",") if v.startswith(source.prefix)]
            pks = [int(p) for p in pks if p.isdigit()]
            include &= Q(**{f"{source.pk_field}__in": pks})
        elif what == "patient":
            include &= Q(**{f"{source.patient_field}__in": parse_reference(name, raw)})
        elif what in ("date", "updated", "birthdate"):
            field = {"updated": source.updated_field, "birthdate": "date_of_birth"}.get(
                what, source.date_field
            )
            if field is None:
                return NOTHING, exclude
            inc, exc = date_lookups(
                field,
                parse_date(name, raw),
                is_date=(what == "birthdate") or (what == "date" and source.date_is_date),
            )
            include &= Q(**inc)
            if exc:
                exclude |= Q(**exc)
        elif what == "code":
            include &= _token_q(name, source.codes, raw)
        elif what == "category":
            include &= _status_q(name, source.categories, raw)
        elif what == "status":
            include &= _status_q(name, source.statuses, raw)
        elif what == "identifier":
            include &= _any_of([source.identifiers(t.system, t.code) for t in parse_tokens(name, raw)])
        elif what == "name":
            include &= Q(first_name__icontains=raw) | Q(last_name__icontains=raw)
    return include, exclude


def parse_params(kind: str, query: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], int, int]:
    """(filters, count, offset); 400 for a parameter the server does not support for this type."""
    allowed = {**COMMON, **SEARCH_PARAMS[kind]}
    filters, count, offset = [], conf("DEFAULT_COUNT"), 0
    for name, raw in query:
        if name == "_count":
            count = parse_count(raw, maximum=conf("MAX_COUNT"))
        elif name == "_offset":
            offset = parse_offset(raw)
        elif name in CONTROL:
            if name == "_format" and raw not in ("json", "application/json", "application/fhir+json"):
                raise FhirError(
                    400, "not-supported", _("_format: only JSON is supported"), expression="_format"
                )
        elif name not in allowed:
            supported = ", ".join(sorted(allowed) + ["_count"])
            raise FhirError(
                400,
                "not-supported",
                _("Unknown search parameter %(name)s for %(kind)s; supported: %(supported)s")
                % {"name": repr(name), "kind": kind, "supported": supported},
                expression=name,
            )
        elif raw == "":
            raise FhirError(400, "invalid", _("%(name)s: empty value") % {"name": name}, expression=name)
        else:
            filters.append((name, raw))
    return filters, count, offset


def reads_as_staff_member(user) -> bool:
    """Whether the reader is staff anywhere, asked once per user object (a request, an export run)."""
    flag = getattr(user, "_fhir_is_staff", None)
    if flag is None:
        flag = is_any_staff(user)
        user._fhir_is_staff = flag
    return flag


def _sources_for(kind: str, user) -> list[Source]:
    staff = reads_as_staff_member(user)
    return [s for s in SOURCES[kind] if s.staff_only is None or s.staff_only == staff]


def _filtered(source: Source, user, filters) -> QuerySet:
    include, exclude = _source_filter(source, filters)
    rows = source.rows(user).filter(include)
    if exclude:
        rows = rows.exclude(exclude)
    return rows.order_by(*source.order)


def context_for(user, rows_by_source: list[tuple[Source, list]]) -> MapContext:
    """Bulk lookups the mappers need (ISNCSCI exams behind exam assessments): one query for the page."""
    ctx = MapContext(as_staff=reads_as_staff_member(user))
    exam_ids = [
        int(row.source_ref)
        for source, rows in rows_by_source
        if source.prefix == "a-"
        for row in rows
        if row.instrument == "isncsci" and row.source == "exam" and row.source_ref.isdigit()
    ]
    if exam_ids:
        from exoclinic.exams.models import IsncsciExam

        ctx.exams = {str(e.pk): e for e in IsncsciExam.objects.filter(pk__in=exam_ids).only("pk", "result")}
    return ctx


def audit_reads(*, user, patient_ids: set[int], purpose: str) -> None:
    if patient_ids:
        patients = list(Patient.objects.filter(pk__in=patient_ids).only("pk", "clinic_id"))
        audit_patient_reads(actor=user, patients=patients, purpose=purpose)


def search(*, user, kind: str, query: Iterable[tuple[str, str]]) -> Page:
    filters, count, offset = parse_params(kind, query)
    querysets = [(s, _filtered(s, user, filters)) for s in _sources_for(kind, user)]
    totals = [qs.count() for _, qs in querysets]
    chosen: list[tuple[Source, list]] = []
    start, remaining = offset, count
    for (source, qs), total in zip(querysets, totals, strict=True):
        if remaining <= 0:
            break
        if start >= total:
            start -= total
            continue
        rows = list(qs[start : start + remaining])
        chosen.append((source, rows))
        remaining -= len(rows)
        start = 0
    ctx = context_for(user, chosen)
    resources = [source.mapper(row, ctx) for source, rows in chosen for row in rows]
    audit_reads(
        user=user,
        patient_ids={source.patient_of(row) for source, rows in chosen for row in rows},
        purpose=f"fhir.{kind}",
    )
    return Page(kind, resources, sum(totals), offset, count)


def read(*, user, kind: str, resource_id: str) -> dict:
    """One resource by id, or FhirError 404 (also for a record the user may not see)."""
    for source in sorted(_sources_for(kind, user), key=lambda s: -len(s.prefix)):
        if not resource_id.startswith(source.prefix):
            continue
        pk = resource_id[len(source.prefix) :]
        if not pk.isdigit():
            continue
        row = source.rows(user).filter(**{source.pk_field: int(pk)}).first()
        if row is None:
            break
        ctx = context_for(user, [(source, [row])])
        audit_reads(user=user, patient_ids={source.patient_of(row)}, purpose=f"fhir.{kind}")
        return source.mapper(row, ctx)
    raise FhirError(
        404, "not-found", _("%(reference)s is not known") % {"reference": f"{kind}/{resource_id}"}
    )


def patient_resources(
    *, user, patient_ids: list[int], kinds: Iterable[str] | None = None, since=None
) -> Iterator[dict]:
    """Every resource of these patients, kind by kind, a fixed number of queries for the whole list.

    ``since``: only resources changed at or after that time (bulk export's ``_since``)."""
    for kind in kinds or SOURCES:
        for source in _sources_for(kind, user):
            rows = source.rows(user).filter(**{f"{source.patient_field}__in": patient_ids})
            if since is not None:
                rows = rows.filter(**{f"{source.updated_field}__gte": since})
            rows = list(rows.order_by(*source.order))
            ctx = context_for(user, [(source, rows)])
            for row in rows:
                yield source.mapper(row, ctx)


def everything(*, user, patient_id: str) -> list[dict]:
    """Patient/$everything: NotFound (404) unless the user may see the patient; audited once."""
    if not str(patient_id).isdigit():
        raise FhirError(
            404, "not-found", _("%(reference)s is not known") % {"reference": f"Patient/{patient_id}"}
        )
    from exoclinic.core.policy import visible_patients

    patient = visible_patients(user).filter(pk=int(patient_id)).first()
    if patient is None:
        raise FhirError(
            404, "not-found", _("%(reference)s is not known") % {"reference": f"Patient/{patient_id}"}
        )
    resources = list(patient_resources(user=user, patient_ids=[patient.pk]))
    audit_patient_reads(actor=user, patients=[patient], purpose="fhir.Patient.$everything")
    return resources


def visible_patients_for_export(user) -> QuerySet[Patient]:
    """Patients a bulk export of this user may hold: those of the clinics where they read charts."""
    from exoclinic.core.policy import PATIENT_READER_ROLES, staff_clinics

    return Patient.objects.filter(clinic__in=staff_clinics(user, PATIENT_READER_ROLES).values("pk"))
