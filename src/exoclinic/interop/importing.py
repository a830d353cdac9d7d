"""Import of a referral: a FHIR Bundle (Patient, Condition, Observations) from another system.

``referral_read`` checks the upload and lists every problem at once (nothing is stored when there is one);
``referral_upload`` keeps a valid Bundle for review; ``referral_confirm`` imports it into a new patient or a
patient the clinician chose from the possible matches (never a silent merge), all in one transaction, each
record marked with its source (assessments: source "fhir_import", ``source_ref`` naming the import).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import NEUROLOGICAL_LEVELS, Patient
from exoclinic.core.policy import require_staff

from .fhir.common import CS_AIS, CS_INSTRUMENT, CS_LEVEL, LOINC
from .fhir.observations import INSTRUMENT_LOINC
from .models import ImportStatus, ReferralImport

MAX_BYTES = 2 * 1024 * 1024
IMPORT_SOURCE = "fhir_import"
IMPORTER_ROLES = ("clinician",)  # assessments are recorded by clinicians (outcomes.services)
SEX = {"female": "female", "male": "male", "other": "other"}


@dataclass
class ObservationPlan:
    ref: str  # "entry[3] Observation/abc"
    instrument: str
    items: dict
    taken_on: dt.date


@dataclass
class Referral:
    """What a valid Bundle says, in the clinic's terms."""

    patient: dict
    condition: dict = field(default_factory=dict)
    observations: list[ObservationPlan] = field(default_factory=list)


class BundleProblems(InvalidInput):
    """The upload is not a Bundle we can import; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__(
            _("The file cannot be imported: %(n)s problem(s).") % {"n": len(problems)}, field="file"
        )
        self.problems = problems


def _model(kind: str):
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(kind)


def _validation_messages(exc) -> list[str]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return [
            f"{'.'.join(str(p) for p in e.get('loc', ())) or 'resource'}: {e.get('msg')}" for e in errors()
        ]
    return [str(exc)]


def referral_read(raw: bytes) -> Referral:
    """Parse and validate an uploaded Bundle; BundleProblems with every problem found."""
    if len(raw) > MAX_BYTES:
        raise BundleProblems([_("The file is larger than 2 MB.")])
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleProblems([_("The file is not JSON: %(error)s") % {"error": exc}]) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BundleProblems([_('The file is not a FHIR Bundle (resourceType must be "Bundle").')])
    problems: list[str] = []
    try:
        _model("Bundle").model_validate(data)
    except Exception as exc:  # pydantic's ValidationError, or a resource type it does not know
        problems += [
            _("%(field)s: %(problem)s") % {"field": "Bundle", "problem": m} for m in _validation_messages(exc)
        ]
    entries = [
        e for e in data.get("entry") or [] if isinstance(e, dict) and isinstance(e.get("resource"), dict)
    ]
    patients = [(i, e) for i, e in enumerate(entries) if e["resource"].get("resourceType") == "Patient"]
    if len(patients) != 1:
        problems.append(_("The Bundle must hold exactly one Patient; it holds %(n)s.") % {"n": len(patients)})
        raise BundleProblems(problems)
    index, patient_entry = patients[0]
    patient_refs = {f"Patient/{patient_entry['resource'].get('id')}", patient_entry.get("fullUrl")}
    referral = Referral(
        patient=_patient_fields(patient_entry["resource"], f"entry[{index}] Patient", problems)
    )
    for i, entry in enumerate(entries):
        resource = entry["resource"]
        kind = resource.get("resourceType")
        where = f"entry[{i}] {kind}/{resource.get('id', '?')}"
        if kind == "Patient":
            continue
        if kind not in ("Condition", "Observation"):
            problems.append(
                _("%(where)s: only Patient, Condition and Observation can be imported.") % {"where": where}
            )
            continue
        subject = (resource.get("subject") or {}).get("reference")
        if subject not in patient_refs:
            problems.append(_("%(where)s: its subject is not the Bundle's Patient.") % {"where": where})
            continue
        if kind == "Condition":
            referral.condition = _condition_fields(resource, where, problems)
        else:
            plan = _observation_plan(resource, where, problems)
            if plan is not None:
                referral.observations.append(plan)
    if problems:
        raise BundleProblems(problems)
    return referral


def _patient_fields(resource: dict, where: str, problems: list[str]) -> dict:
    name = (resource.get("name") or [{}])[0]
    given = " ".join(name.get("given") or [])
    family = name.get("family") or ""
    out = {"first_name": given, "last_name": family, "sex": SEX.get(resource.get("gender"), "")}
    if not given or not family:
        problems.append(_("%(where)s: a given and a family name are needed.") % {"where": where})
    try:
        out["date_of_birth"] = dt.date.fromisoformat(resource.get("birthDate") or "")
    except ValueError:
        problems.append(
            _("%(where)s: birthDate (YYYY-MM-DD) is needed to match the patient.") % {"where": where}
        )
    for telecom in resource.get("telecom") or []:
        if telecom.get("system") == "email" and telecom.get("value"):
            out["email"] = telecom["value"].strip().lower()
        if telecom.get("system") == "phone" and telecom.get("value"):
            out["phone"] = telecom["value"][:40]
    return out


def _code(concept: dict | None, system: str) -> str | None:
    for coding in (concept or {}).get("coding") or []:
        if coding.get("system") == system and coding.get("code"):
            return coding["code"]
    return None


def _condition_fields(resource: dict, where: str, problems: list[str]) -> dict:
    out: dict = {}
    for site in resource.get("bodySite") or []:
        level = _code(site, CS_LEVEL) or (site.get("text") or "").replace("Neurological level", "").strip()
        if level:
            if level not in NEUROLOGICAL_LEVELS:
                problems.append(
                    _("%(where)s: %(level)r is not a neurological level (C1 to S4-5).")
                    % {"where": where, "level": level}
                )
            else:
                out["sci_neurological_level"] = level
    for stage in resource.get("stage") or []:
        grade = _code(stage.get("summary"), CS_AIS)
        if grade:
            if grade not in "ABCDE" or len(grade) != 1:
                problems.append(
                    _("%(where)s: %(grade)r is not an AIS grade.") % {"where": where, "grade": grade}
                )
            else:
                out["sci_ais_grade"] = grade
    onset = resource.get("onsetDateTime")
    if onset:
        try:
            out["sci_date_of_injury"] = dt.date.fromisoformat(onset[:10])
        except ValueError:
            problems.append(_("%(where)s: onsetDateTime is not a date.") % {"where": where})
    notes = [n.get("text", "") for n in resource.get("note") or []]
    cause = next((n.split(":", 1)[1].strip() for n in notes if n.lower().startswith("cause of injury:")), "")
    if cause:
        out["sci_cause"] = cause[:200]
    return out


def _instrument_of(resource: dict) -> str | None:
    from exoclinic.outcomes.instruments import INSTRUMENTS

    code = _code(resource.get("code"), CS_INSTRUMENT)
    if code in INSTRUMENTS:
        return code
    loinc = _code(resource.get("code"), LOINC)
    return next((ours for ours, (number, _display) in INSTRUMENT_LOINC.items() if number == loinc), None)


def _observation_plan(resource: dict, where: str, problems: list[str]) -> ObservationPlan | None:
    from exoclinic.outcomes.instruments import INSTRUMENTS, ScoringError

    instrument = _instrument_of(resource)
    if instrument is None:
        problems.append(
            _(
                "%(where)s: the code is not an instrument this clinic records (use %(system)s or LOINC "
                "72514-3 for pain)."
            )
            % {"where": where, "system": CS_INSTRUMENT}
        )
        return None
    definition = INSTRUMENTS[instrument]
    item_keys = {item.key for item in definition.items}
    items: dict = {}
    main = definition.measures[0].key if definition.measures else None
    if main in item_keys and "valueQuantity" in resource:
        items[main] = resource["valueQuantity"].get("value")
    for component in resource.get("component") or []:
        key = (_code(component.get("code"), CS_INSTRUMENT) or "").removeprefix(f"{instrument}.")
        if key not in item_keys:
            continue  # derived values (subscales, ZPP) are recomputed, not imported
        value = component.get("valueQuantity", {}).get("value")
        if value is None:
            value = (
                component.get("valueString")
                or _code(component.get("valueCodeableConcept"), CS_AIS)
                or _code(component.get("valueCodeableConcept"), CS_LEVEL)
            )
        items[key] = value
    taken = resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get("start")
    try:
        taken_on = dt.date.fromisoformat((taken or "")[:10])
    except ValueError:
        problems.append(_("%(where)s: effectiveDateTime (the date taken) is needed.") % {"where": where})
        return None
    try:
        definition.score(items)
    except ScoringError as exc:
        problems += [
            _("%(field)s: %(problem)s") % {"field": where, "problem": e["message"]} for e in exc.errors
        ]
        return None
    return ObservationPlan(ref=where, instrument=instrument, items=items, taken_on=taken_on)


def referral_upload(*, actor, clinic, raw: bytes, file_name: str, source: str) -> ReferralImport:
    require_staff(actor, clinic, IMPORTER_ROLES)
    if not source.strip():
        raise InvalidInput(_("Say where the referral comes from (e.g. the hospital)."), field="source")
    referral_read(raw)
    with transaction.atomic():
        upload = ReferralImport.objects.create(
            clinic=clinic,
            uploaded_by=actor,
            file_name=file_name[:200],
            source=source.strip()[:200],
            bundle=json.loads(raw),
        )
        audit_record(actor=actor, action="referral.upload", target=upload, clinic=clinic)
    return upload


def possible_matches(upload: ReferralImport, referral: Referral) -> list[Patient]:
    """The clinic's patients who may be this person: same date of birth and same family name or e-mail."""
    fields = referral.patient
    same_person = Q(last_name__iexact=fields["last_name"])
    if fields.get("email"):
        same_person |= Q(email__iexact=fields["email"])
    return list(
        Patient.objects.filter(same_person, clinic=upload.clinic, date_of_birth=fields["date_of_birth"])
    )


def referral_get(*, user, import_id) -> ReferralImport:
    upload = (
        ReferralImport.objects.filter(pk=import_id, status=ImportStatus.PENDING)
        .select_related("clinic")
        .first()
    )
    if upload is None:
        raise NotFound()
    require_staff(user, upload.clinic, IMPORTER_ROLES)
    return upload


def referral_confirm(*, actor, upload: ReferralImport, match_id: int | None) -> Patient:
    """Import into the chosen patient (one of the possible matches) or a new one: all or nothing."""
    from exoclinic.core.services import patient_create, patient_update
    from exoclinic.outcomes.services import assessment_record

    require_staff(actor, upload.clinic, IMPORTER_ROLES)
    referral = referral_read(json.dumps(upload.bundle).encode())
    with transaction.atomic():
        locked = ReferralImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != ImportStatus.PENDING:
            raise InvalidInput(_("This referral was already handled."), field="match")
        if match_id is None:
            patient = patient_create(
                actor=actor, clinic=upload.clinic, **referral.patient, **referral.condition
            )
        else:
            patient = next((p for p in possible_matches(upload, referral) if p.pk == match_id), None)
            if patient is None:
                raise InvalidInput(_("Choose one of the possible matches or a new patient."), field="match")
            blanks = {k: v for k, v in referral.condition.items() if not getattr(patient, k)}
            if blanks:  # what the record already says is kept; only empty injury fields are filled
                patient_update(actor=actor, patient=patient, data=blanks)
        for plan in referral.observations:
            assessment_record(
                actor=actor,
                patient=patient,
                instrument=plan.instrument,
                items=plan.items,
                taken_on=plan.taken_on,
                source=IMPORT_SOURCE,
                source_ref=f"referral-{upload.pk}:{plan.ref}",
            )
        locked.status, locked.patient, locked.created_patient = (
            ImportStatus.CONFIRMED,
            patient,
            match_id is None,
        )
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "patient", "created_patient", "decided_at"])
        audit_record(
            actor=actor,
            action="referral.import",
            target=locked,
            patient=patient,
            detail={
                "source": upload.source,
                "observations": len(referral.observations),
                "new_patient": match_id is None,
            },
        )
    return patient


def referral_discard(*, actor, upload: ReferralImport) -> None:
    require_staff(actor, upload.clinic, IMPORTER_ROLES)
    with transaction.atomic():
        ReferralImport.objects.filter(pk=upload.pk).update(
            status=ImportStatus.DISCARDED, decided_at=timezone.now()
        )
        audit_record(actor=actor, action="referral.discard", target=upload, clinic=upload.clinic)
