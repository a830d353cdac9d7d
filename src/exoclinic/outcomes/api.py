"""JSON API for assessments, diary entries, progress, instruments and cohort summaries."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from exoclinic.core.policy import patient_get
from exoclinic.core.schemas import ErrorOut

from . import cohort as cohort_module
from . import conf, selectors, services
from .instruments import INSTRUMENTS
from .models import AssessmentSource
from .schemas import (
    AssessmentIn,
    AssessmentOut,
    CohortOut,
    DiaryEntryIn,
    DiaryEntryOut,
    InstrumentOut,
    OutcomeErrorOut,
    ProgressOut,
)

router = Router(tags=["outcomes"])


def _assessment_out(a) -> dict:
    return {
        "id": a.pk,
        "patient_id": a.patient_id,
        "instrument": a.instrument,
        "taken_on": a.taken_on,
        "items": a.items,
        "values": a.values,
        "band": a.band,
        "source": a.source,
        "source_ref": a.source_ref,
        "follow_up_months": a.follow_up_months,
    }


def _diary_out(e) -> dict:
    return {
        "id": e.pk,
        "patient_id": e.patient_id,
        "week_start": e.week_start,
        "ratings": e.ratings,
        "note": e.note,
    }


@router.get("/outcomes/instruments", response=list[InstrumentOut])
def instrument_list(request: HttpRequest):
    out = []
    for d in INSTRUMENTS.values():
        out.append(
            {
                "code": d.code,
                "name": d.name,
                "indicator": str(d.indicator),
                "source": d.source,
                "items": [
                    {
                        "key": i.key,
                        "label": i.label,
                        "required": i.required,
                        "choices": [
                            {"value": c.value, "label": c.label, "points": c.points} for c in i.choices
                        ],
                        "minimum": i.minimum,
                        "maximum": i.maximum,
                        "unit": i.unit,
                    }
                    for i in d.items
                ],
                "measures": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "unit": m.unit,
                        "indicator": str(d.indicator_of(m)),
                        "higher_is_better": m.higher_is_better,
                        "minimum": m.minimum,
                        "maximum": m.maximum,
                        "rules": [
                            {
                                "code": r.code,
                                "kind": str(r.kind),
                                "points": r.points,
                                "percent": r.percent,
                                "description": r.description,
                                "source": r.source,
                                "confirmed": r.confirmed,
                            }
                            for r in m.rules
                        ],
                    }
                    for m in d.measures
                ],
            }
        )
    return out


@router.get("/patients/{patient_id}/assessments", response={200: list[AssessmentOut], 404: ErrorOut})
def assessment_list(request: HttpRequest, patient_id: int, instrument: str | None = None):
    _, rows = selectors.assessment_list(user=request.auth, patient_id=patient_id, instrument=instrument)
    return [_assessment_out(a) for a in rows]


@router.post(
    "/patients/{patient_id}/assessments",
    response={201: AssessmentOut, 400: OutcomeErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def assessment_create(request: HttpRequest, patient_id: int, payload: AssessmentIn):
    patient = patient_get(user=request.auth, patient_id=patient_id, purpose="api_assessment")
    assessment = services.assessment_record(
        actor=request.auth,
        patient=patient,
        instrument=payload.instrument,
        items=payload.items,
        taken_on=payload.taken_on,
        source=AssessmentSource.API,
        source_ref=payload.source_ref,
    )
    return Status(201, _assessment_out(assessment))


@router.get("/patients/{patient_id}/diary", response={200: list[DiaryEntryOut], 404: ErrorOut})
def diary_list(request: HttpRequest, patient_id: int):
    _, rows = selectors.diary_list(user=request.auth, patient_id=patient_id)
    return [_diary_out(e) for e in rows]


@router.post("/patients/{patient_id}/diary", response={201: DiaryEntryOut, 400: ErrorOut, 404: ErrorOut})
def diary_create(request: HttpRequest, patient_id: int, payload: DiaryEntryIn):
    patient = patient_get(user=request.auth, patient_id=patient_id, purpose="api_diary")
    entry = services.diary_entry_record(
        actor=request.auth, patient=patient, ratings=payload.ratings, on=payload.on, note=payload.note
    )
    return Status(201, _diary_out(entry))


def _reading(r) -> dict | None:
    return None if r is None else {"on": r.on, "value": r.value, "label": r.label, "shown": r.shown}


def _series_out(s) -> dict:
    change = s.change
    return {
        "measure": s.measure.code,
        "name": s.measure.name,
        "instrument": s.instrument_name,
        "unit": s.measure.unit,
        "baseline": _reading(s.baseline),
        "latest": _reading(s.latest),
        "readings": [_reading(r) for r in s.readings],
        "recovery_caveat": str(s.recovery_caveat) if s.recovery_caveat else None,
        "recovery_note": s.recovery_note,
        "change": None
        if change is None
        else {
            "change": change.change,
            "percent_change": change.percent_change,
            "direction": str(change.direction) if change.direction else None,
            "category": str(change.category),
            "plain_words": change.plain_words,
            "source": change.source,
            "threshold": change.threshold,
            "threshold_confirmed": change.threshold_confirmed,
        },
    }


@router.get("/patients/{patient_id}/progress", response={200: ProgressOut, 404: ErrorOut})
def progress_detail(request: HttpRequest, patient_id: int):
    p = selectors.patient_progress(user=request.auth, patient_id=patient_id)
    return {
        "patient_id": p.patient.pk,
        "date_of_injury": p.date_of_injury,
        "months_since_injury": p.months_since_injury,
        "first_procedure_on": p.first_procedure_on,
        "baseline_on": p.baseline_on,
        "natural_recovery_note": p.natural_recovery_note,
        "concurrent_therapies": p.concurrent_therapies,
        "concurrent_therapy_note": p.concurrent_therapy_note,
        "neurology": [_series_out(s) for s in p.neurology],
        "indicators": [
            {
                "indicator": str(block.indicator),
                "label": block.label,
                "diary": {
                    "code": block.diary.code,
                    "label": block.diary.label,
                    "plain_words": block.diary.plain_words,
                    "readings": [_reading(r) for r in block.diary.readings],
                },
                "series": [_series_out(s) for s in block.series],
            }
            for block in p.indicators
        ],
    }


class CohortQuery(Schema):
    point: int | None = None
    therapy: str = ""
    lot: str = ""
    ais: str = ""
    level_group: str = ""
    injury_months_min: int | None = None
    injury_months_max: int | None = None


@router.get("/outcomes/cohort", response={200: CohortOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def cohort_detail(request: HttpRequest, filters: Query[CohortQuery]):
    clinics = selectors.require_medical_director(request.auth)
    data = filters.model_dump()
    point = data.pop("point") or max(conf.follow_up_months())
    data["ais"] = data["ais"].upper()
    summary = cohort_module.cohort_summary(
        clinics=clinics, filters=cohort_module.CohortFilters(point=point, **data)
    )
    return {
        "point_months": summary.filters.point,
        "patients": summary.patients,
        "reached_point": summary.reached_point,
        "measures": [
            {
                "measure": m.code,
                "name": m.name,
                "indicator": str(m.indicator),
                "unit": m.unit,
                "with_baseline": m.with_baseline,
                "measured": m.measured,
                "missing": m.missing,
                "not_yet_due": m.not_yet_due,
                "mean_change": {
                    "n": m.mean_change.n,
                    "estimate": m.mean_change.mean,
                    "lower": m.mean_change.lower,
                    "upper": m.mean_change.upper,
                    "reason": m.mean_change.reason,
                },
                "reaching_meaningful_change": None
                if m.reaching is None
                else {
                    "successes": m.reaching.successes,
                    "n": m.reaching.n,
                    "proportion": m.reaching.proportion,
                    "lower": m.reaching.lower,
                    "upper": m.reaching.upper,
                },
                "threshold_source": m.source,
            }
            for m in summary.measures
        ],
        "ais_conversion": summary.ais_table.as_rows(),
        "ais_lost_to_follow_up": summary.ais_table.lost_to_follow_up,
        "notes": summary.notes,
    }
