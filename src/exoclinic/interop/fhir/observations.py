"""Observations: every instrument result, the six-indicator diary, vital signs and the baseline systolic.

Codes: LOINC where a code for the same measure exists (pain NRS 72514-3, vital signs); otherwise the
project's instrument CodeSystem (``CS_INSTRUMENT``), whose codes are the instrument codes ("scim3") and their
measures ("scim3.self_care"). See docs/interop.md.
"""

from __future__ import annotations

import datetime as dt

from exoclinic.outcomes.instruments import INSTRUMENTS

from .common import (
    CS_AIS,
    CS_DIARY,
    CS_INSTRUMENT,
    CS_LEVEL,
    CS_VITALS,
    LOINC,
    OBS_CATEGORY,
    MapContext,
    clean,
    coding,
    concept,
    date_text,
    instant,
    meta,
    number,
    quantity,
    ref,
)

# LOINC codes for an instrument's main measure, only where the LOINC term is the same measure.
INSTRUMENT_LOINC = {"pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")}
EXAM_INSTRUMENTS = {"isncsci", "grip"}

VITAL_SIGNS = {  # procedure vitals key -> (LOINC, display, UCUM code, unit label)
    "systolic": ("8480-6", "Systolic blood pressure", "mm[Hg]", "mmHg"),
    "diastolic": ("8462-4", "Diastolic blood pressure", "mm[Hg]", "mmHg"),
    "heart_rate": ("8867-4", "Heart rate", "/min", "beats/minute"),
    "temperature_c": ("8310-5", "Body temperature", "Cel", "C"),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "%"),
}
VITALS_PANEL = ("85353-1", "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel")

DIARY_LABELS = {
    "movement": "Movement",
    "muscle_relaxation": "Muscle stiffness and spasms",
    "bowel_bladder": "Bowel and bladder control",
    "sensation": "Sensation",
    "pain": "Pain",
    "rest_strength": "Sleep and strength",
}
ZPP_LABELS = {
    "sensoryRight": "Right sensory zone of partial preservation",
    "sensoryLeft": "Left sensory zone of partial preservation",
    "motorRight": "Right motor zone of partial preservation",
    "motorLeft": "Left motor zone of partial preservation",
}


def category(code: str, display: str) -> list[dict]:
    return [concept(OBS_CATEGORY, code, display)]


def _measure_names(instrument: str) -> dict[str, tuple[str, str, str]]:
    definition = INSTRUMENTS[instrument]
    return {m.key: (m.name, m.unit, str(m.kind)) for m in definition.measures}


def _component(instrument: str, key: str, value, names) -> dict | None:
    if value is None or value == "":
        return None
    name, unit, kind = names.get(key, (key.replace("_", " ").capitalize(), "point", "score"))
    item = {"code": concept(CS_INSTRUMENT, f"{instrument}.{key}", name)}
    if key == "ais":
        item["valueCodeableConcept"] = concept(CS_AIS, str(value), f"AIS {value}")
    elif kind == "level" or key == "nli":
        item["valueCodeableConcept"] = concept(CS_LEVEL, str(value), str(value))
    else:
        q = quantity(value, unit)
        if q is not None:
            item["valueQuantity"] = q
        else:
            item["valueString"] = str(value)  # "ND" and other non-numeric results stay as given
    return item


def assessment_observation_id(assessment) -> str:
    return f"a-{assessment.pk}"


def assessment_observation(assessment, ctx: MapContext) -> dict:
    definition = INSTRUMENTS[assessment.instrument]
    names = _measure_names(assessment.instrument)
    values = dict(assessment.values or {})
    codings = [coding(CS_INSTRUMENT, assessment.instrument, definition.name)]
    if assessment.instrument in INSTRUMENT_LOINC:
        codings.insert(0, coding(LOINC, *INSTRUMENT_LOINC[assessment.instrument]))
    components = [_component(assessment.instrument, key, value, names) for key, value in values.items()]
    exam = ctx.exams.get(assessment.source_ref) if assessment.source == "exam" else None
    if assessment.instrument == "isncsci" and exam is not None:
        classification = (exam.result or {}).get("classification", {})
        for side, label in ZPP_LABELS.items():
            zpp = (classification.get("zoneOfPartialPreservations") or {}).get(side)
            if zpp:
                components.append(
                    {"code": concept(CS_INSTRUMENT, f"isncsci.zpp_{side}", label), "valueString": str(zpp)}
                )
        if classification.get("injuryComplete"):
            components.append(
                {
                    "code": concept(
                        CS_INSTRUMENT, "isncsci.injury_complete", "Complete (C) or incomplete (I)"
                    ),
                    "valueString": str(classification["injuryComplete"]),
                }
            )
    main_key = next((m.key for m in definition.measures), None)
    main = quantity(values.get(main_key), names.get(main_key, ("", "point", ""))[1]) if main_key else None
    is_exam = assessment.instrument in EXAM_INSTRUMENTS
    notes = [{"text": f"Band: {assessment.band}"}] if assessment.band else []
    if assessment.follow_up_months is not None:
        point = "baseline" if assessment.follow_up_months == 0 else f"{assessment.follow_up_months} months"
        notes.append({"text": f"Follow-up point: {point}"})
    return clean(
        {
            "resourceType": "Observation",
            "id": assessment_observation_id(assessment),
            "meta": meta(assessment.updated_at, source=f"exoclinic:{assessment.source}"),
            "status": "final",
            "category": category("exam", "Exam") if is_exam else category("survey", "Survey"),
            "code": {"coding": codings, "text": definition.name},
            "subject": ref("Patient", assessment.patient_id),
            "effectiveDateTime": date_text(assessment.taken_on),
            "issued": instant(assessment.created_at),
            "valueQuantity": main if assessment.instrument not in ("isncsci", "mas") else None,
            "component": components,
            "note": notes,
            "derivedFrom": [{"display": f"ISNCSCI exam {exam.pk}"}] if exam is not None else [],
        }
    )


def diary_observation_id(entry) -> str:
    return f"d-{entry.pk}"


def diary_observation(entry, ctx: MapContext) -> dict:
    components = [
        {
            "code": concept(CS_DIARY, name, label),
            "valueQuantity": {
                "value": getattr(entry, name),
                "unit": "score",
                "system": "http://unitsofmeasure.org",
                "code": "{score}",
            },
        }
        for name, label in DIARY_LABELS.items()
    ]
    return clean(
        {
            "resourceType": "Observation",
            "id": diary_observation_id(entry),
            "meta": meta(entry.updated_at),
            "status": "final",
            "category": category("survey", "Survey"),
            "code": concept(CS_DIARY, "weekly-diary", "Weekly self-rating of the six indicators (0-10)"),
            "subject": ref("Patient", entry.patient_id),
            "effectivePeriod": {
                "start": date_text(entry.week_start),
                "end": date_text(entry.week_start + dt.timedelta(days=6)),
            },
            "performer": [ref("Patient", entry.patient_id)],
            "component": components,
            "note": [{"text": entry.note}] if entry.note else [],
        }
    )


def vitals_observation_id(procedure, when: str) -> str:
    return f"vitals-{when}-{procedure.pk}"


def vitals_observation(procedure, when: str, ctx: MapContext) -> dict:
    """Vital signs taken before or after a procedure, as one panel with a component per sign."""
    values = procedure.vitals_before if when == "before" else procedure.vitals_after
    components = []
    for key, (code, display, ucum, unit) in VITAL_SIGNS.items():
        numeric = number((values or {}).get(key))
        if numeric is None:
            continue
        components.append(
            {
                "code": concept(LOINC, code, display),
                "valueQuantity": {
                    "value": numeric,
                    "unit": unit,
                    "system": "http://unitsofmeasure.org",
                    "code": ucum,
                },
            }
        )
    return clean(
        {
            "resourceType": "Observation",
            "id": vitals_observation_id(procedure, when),
            "meta": meta(procedure.updated_at),
            "status": "final",
            "category": category("vital-signs", "Vital Signs"),
            "code": {
                "coding": [coding(LOINC, *VITALS_PANEL), coding(CS_VITALS, f"procedure-{when}")],
                "text": f"Vital signs {when} the procedure",
            },
            "subject": ref("Patient", procedure.patient_id),
            "effectiveDateTime": instant(procedure.performed_at),
            "partOf": [ref("Procedure", procedure.pk)],
            "component": components,
        }
    )


def baseline_observation_id(patient) -> str:
    return f"baseline-systolic-{patient.pk}"


def baseline_observation(patient, ctx: MapContext) -> dict:
    """The person's usual systolic pressure (SCI baselines are often 90-110): triage compares with it."""
    return clean(
        {
            "resourceType": "Observation",
            "id": baseline_observation_id(patient),
            "meta": meta(patient.updated_at),
            "status": "final",
            "category": category("vital-signs", "Vital Signs"),
            "code": {
                "coding": [
                    coding(CS_VITALS, "baseline-systolic", "Usual (baseline) systolic blood pressure")
                ],
                "text": "Usual systolic blood pressure",
            },
            "subject": ref("Patient", patient.pk),
            "effectiveDateTime": instant(patient.updated_at),
            "valueQuantity": {
                "value": patient.baseline_systolic_mmhg,
                "unit": "mmHg",
                "system": "http://unitsofmeasure.org",
                "code": "mm[Hg]",
            },
        }
    )
