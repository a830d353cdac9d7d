"""JSON shapes of the exams API. Exams and results use the reference implementation's interchange format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from isncsci import DERMATOMES, MOTOR_LEVELS, MOTOR_VALUES, NON_KEY_MUSCLE_LEVELS, SENSORY_VALUES

_OBSERVATION = {"type": "string", "enum": ["Yes", "No", "NT"]}


def _table(keys, values) -> dict:
    return {
        "type": "object",
        "properties": {key: {"type": "string", "enum": list(values)} for key in keys},
        "required": list(keys),
        "additionalProperties": False,
    }


_SIDE = {
    "type": "object",
    "properties": {
        "motor": _table(MOTOR_LEVELS, MOTOR_VALUES),
        "lightTouch": _table(DERMATOMES, SENSORY_VALUES),
        "pinPrick": _table(DERMATOMES, SENSORY_VALUES),
        "lowestNonKeyMuscleWithMotorFunction": {
            "type": ["string", "null"],
            "enum": [*NON_KEY_MUSCLE_LEVELS, None],
            "description": "C5 to S1, thoracic levels and L1 included; null or absent for none.",
        },
    },
    "required": ["motor", "lightTouch", "pinPrick"],
}

EXAM_JSON_SCHEMA: dict = {
    "title": "IsncsciExam",
    "description": "An ISNCSCI exam in the interchange format of the npm package isncsci 2.0.6.",
    "type": "object",
    "properties": {
        "right": _SIDE,
        "left": _SIDE,
        "voluntaryAnalContraction": _OBSERVATION,
        "deepAnalPressure": _OBSERVATION,
    },
    "required": ["right", "left", "voluntaryAnalContraction", "deepAnalPressure"],
}

EXAM_CREATE_JSON_SCHEMA: dict = {
    "title": "IsncsciExamCreate",
    "type": "object",
    "properties": {
        "examined_at": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601; without an offset it is read in the patient's time zone.",
        },
        "exam": EXAM_JSON_SCHEMA,
        "comments": {"type": "string"},
        "submission_key": {
            "type": "string",
            "description": "Any unique text per exam: sending the same key again returns the first exam.",
        },
        "appointment_id": {
            "type": ["integer", "null"],
            "description": "The patient's visit (booking app) the exam was taken at.",
        },
    },
    "required": ["examined_at", "exam"],
}

EXAM_CORRECTION_JSON_SCHEMA: dict = {
    "title": "IsncsciExamCorrection",
    "type": "object",
    "properties": {
        "exam": EXAM_JSON_SCHEMA,
        "reason": {"type": "string", "description": "Why the exam is corrected (required)."},
        "comments": {"type": "string"},
        "examined_at": {"type": "string", "format": "date-time"},
        "expected_version": {
            "type": "integer",
            "description": "The version being corrected; refused with 409 if it is no longer current.",
        },
        "appointment_id": {
            "type": ["integer", "null"],
            "description": "Link to another visit, or null to unlink; leave out to keep the visit.",
        },
    },
    "required": ["exam", "reason"],
}


def json_body(schema: dict) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


class FieldProblemOut(Schema):
    field: str
    message: str


class ExamErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[FieldProblemOut] | None = None


class LevelsOut(Schema):
    sensoryRight: str
    sensoryLeft: str
    motorRight: str
    motorLeft: str


class ClassificationOut(Schema):
    neurologicalLevels: LevelsOut
    neurologicalLevelOfInjury: str
    injuryComplete: str
    ASIAImpairmentScale: str
    zoneOfPartialPreservations: LevelsOut


class SideTotalsOut(Schema):
    upperExtremity: str
    lowerExtremity: str
    lightTouch: str
    pinPrick: str
    motor: str


class TotalsOut(Schema):
    left: SideTotalsOut
    right: SideTotalsOut
    upperExtremity: str
    lowerExtremity: str
    lightTouch: str
    pinPrick: str


class ResultOut(Schema):
    classification: ClassificationOut
    totals: TotalsOut


class ExamOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    examined_at: dt.datetime
    examiner_id: int
    examiner: str
    appointment_id: int | None = None
    version: int
    exam: dict[str, Any]
    comments: str
    result: ResultOut
    ais: str
    nli: str
    uems: str
    lems: str
    light_touch: str
    pin_prick: str
    created_at: dt.datetime
    updated_at: dt.datetime
