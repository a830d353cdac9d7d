"""Classification of a whole exam: the entry points that tie levels, grades, zones and totals together."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .exam import Exam, parse_exam
from .grading import asia_impairment_scale, injury_complete
from .levels import (
    SENSORY_STEP_UNTAGGED,
    Candidate,
    format_levels,
    motor_level,
    neurological_level_of_injury,
    sensory_level,
    sensory_steps,
)
from .result import Classification, NeurologicalLevels, Result, ZonesOfPartialPreservation
from .totals import exam_totals
from .values import CORD_INDEX, DESTARRED, MOTOR_LEVELS
from .zpp import motor_zpp, sensory_zpp

_MOTOR_POSITION = {name: position for position, name in enumerate(MOTOR_LEVELS)}
"""Key muscle level -> position in MOTOR_LEVELS. A non-key muscle level without a key muscle (T2-T12, L1)
is accepted but, as in the reference, never looked up: its rules compare the non-key muscle with the
key muscles only (docs/isncsci.md, "Non-key muscle")."""


def classify_exam(exam: Exam) -> Result:
    """Classify a validated exam (ISNCSCI 2019)."""
    right, left = exam.right, exam.left
    vac, dap = exam.voluntary_anal_contraction, exam.deep_anal_pressure
    right_steps = sensory_steps(right.light_touch, right.pin_prick)
    left_steps = sensory_steps(left.light_touch, left.pin_prick)
    motor_right = motor_level(right_steps, right.motor, vac)
    motor_left = motor_level(left_steps, left.motor, vac)
    nli = neurological_level_of_injury(right_steps, left_steps, right.motor, left.motor)
    sacral = (right.light_touch[-1], right.pin_prick[-1], left.light_touch[-1], left.pin_prick[-1])
    completeness = injury_complete(sacral, vac, dap)
    right_non_key = right.lowest_non_key_muscle_with_motor_function
    left_non_key = left.lowest_non_key_muscle_with_motor_function

    def untagged_nli() -> tuple[Sequence[str], Sequence[str], list[Candidate]]:
        values = (
            *right.motor,
            *right.light_touch,
            *right.pin_prick,
            *left.motor,
            *left.light_touch,
            *left.pin_prick,
        )
        if "*" not in "".join(values):
            return right.motor, left.motor, nli  # nothing tagged: the exam reads the same without tags
        plain_right = tuple([DESTARRED[v] for v in right.motor])
        plain_left = tuple([DESTARRED[v] for v in left.motor])
        return (
            plain_right,
            plain_left,
            neurological_level_of_injury(
                sensory_steps(right.light_touch, right.pin_prick, SENSORY_STEP_UNTAGGED),
                sensory_steps(left.light_touch, left.pin_prick, SENSORY_STEP_UNTAGGED),
                plain_right,
                plain_left,
            ),
        )

    ais = asia_impairment_scale(
        right_motor=right.motor,
        left_motor=left.motor,
        right_non_key=_MOTOR_POSITION.get(right_non_key),  # type: ignore[arg-type]
        left_non_key=_MOTOR_POSITION.get(left_non_key),  # type: ignore[arg-type]
        sacral=sacral,
        vac=vac,
        dap=dap,
        completeness=completeness,
        motor_right=motor_right,
        motor_left=motor_left,
        nli=nli,
        untagged_nli=untagged_nli,
    )
    zones = ZonesOfPartialPreservation(
        sensory_zpp(right.light_touch, right.pin_prick, dap),
        sensory_zpp(left.light_touch, left.pin_prick, dap),
        motor_zpp(
            right.light_touch, right.pin_prick, right.motor, _cord_index(right_non_key), vac, ais, motor_right
        ),
        motor_zpp(
            left.light_touch, left.pin_prick, left.motor, _cord_index(left_non_key), vac, ais, motor_left
        ),
    )
    levels = NeurologicalLevels(
        format_levels(sensory_level(right_steps)),
        format_levels(sensory_level(left_steps)),
        format_levels(motor_right),
        format_levels(motor_left),
    )
    classification = Classification(levels, format_levels(nli), completeness, ais, zones)
    totals = exam_totals(
        (right.motor, right.light_touch, right.pin_prick), (left.motor, left.light_touch, left.pin_prick)
    )
    return Result(classification, totals)


def classify(exam: Any) -> dict[str, Any]:
    """Classify an exam in the interchange format; returns the result in the interchange format.

    Raises ExamValidationError (a ValueError) naming the first bad field; `.errors` lists them all.
    """
    return classify_exam(parse_exam(exam)).to_dict()


def classify_json(line: str | bytes) -> str:
    """Classify one exam given as JSON text; returns the result as compact JSON text."""
    return classify_exam(parse_exam(json.loads(line))).to_json()


def _cord_index(muscle: str | None) -> int | None:
    return CORD_INDEX[muscle] if muscle in _MOTOR_POSITION else None
