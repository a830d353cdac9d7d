"""Classification of a whole exam: the entry points that tie levels, grades, zones and totals together."""

from __future__ import annotations

from collections.abc import Sequence

from .fast import read_exam_line
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
from .template import JSON_TEMPLATE
from .totals import totals_values
from .values import CORD_INDEX, DESTARRED, MOTOR_LEVELS, OBSERVATION_TEXT
from .zpp import motor_zpp, sensory_zpp

TYPE_CHECKING = False  # typing is not imported: the CLI starts without it
if TYPE_CHECKING:
    from typing import Any

    from .exam import Exam
    from .result import Result

_MOTOR_POSITION = {name: position for position, name in enumerate(MOTOR_LEVELS)}
"""Key muscle level -> position in MOTOR_LEVELS. A non-key muscle level without a key muscle (T2-T12, L1)
is accepted but, as in the reference, never looked up: its rules compare the non-key muscle with the
key muscles only (docs/isncsci.md, "Non-key muscle")."""
_MOTOR_CORD_INDEX = {name: CORD_INDEX[name] for name in MOTOR_LEVELS}


def classify_values(
    right_motor: Sequence[str],
    right_light_touch: Sequence[str],
    right_pin_prick: Sequence[str],
    right_non_key: str | None,
    left_motor: Sequence[str],
    left_light_touch: Sequence[str],
    left_pin_prick: Sequence[str],
    left_non_key: str | None,
    vac: str,
    dap: str,
    tagged: bool | None = None,
    right_steps: list[int] | None = None,
    left_steps: list[int] | None = None,
) -> tuple[str, ...]:
    """Classify validated values (tuples in the order of MOTOR_LEVELS and DERMATOMES, VAC and DAP as plain
    strings); returns the 25 result strings in the order of the interchange format (template.py).

    `tagged` may tell whether any value holds a star; None has it worked out when needed. Each side's
    `sensory_steps` may be given when they are known."""
    if right_steps is None or left_steps is None:
        right_steps = sensory_steps(right_light_touch, right_pin_prick)
        left_steps = sensory_steps(left_light_touch, left_pin_prick)
    motor_right = motor_level(right_steps, right_motor, vac)
    motor_left = motor_level(left_steps, left_motor, vac)
    nli = neurological_level_of_injury(right_steps, left_steps, right_motor, left_motor)
    sacral = (right_light_touch[-1], right_pin_prick[-1], left_light_touch[-1], left_pin_prick[-1])
    completeness = injury_complete(sacral, vac, dap)

    def untagged_nli() -> tuple[Sequence[str], Sequence[str], list[Candidate]]:
        if tagged is False or (
            tagged is None
            and "*"
            not in "".join(
                (
                    *right_motor,
                    *right_light_touch,
                    *right_pin_prick,
                    *left_motor,
                    *left_light_touch,
                    *left_pin_prick,
                )
            )
        ):
            return right_motor, left_motor, nli  # nothing tagged: the exam reads the same without tags
        plain_right = tuple([DESTARRED[v] for v in right_motor])
        plain_left = tuple([DESTARRED[v] for v in left_motor])
        return (
            plain_right,
            plain_left,
            neurological_level_of_injury(
                sensory_steps(right_light_touch, right_pin_prick, SENSORY_STEP_UNTAGGED),
                sensory_steps(left_light_touch, left_pin_prick, SENSORY_STEP_UNTAGGED),
                plain_right,
                plain_left,
            ),
        )

    ais = asia_impairment_scale(
        right_motor=right_motor,
        left_motor=left_motor,
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
    return (
        format_levels(sensory_level(right_steps)),
        format_levels(sensory_level(left_steps)),
        format_levels(motor_right),
        format_levels(motor_left),
        format_levels(nli),
        completeness,
        ais,
        sensory_zpp(right_light_touch, right_pin_prick, dap),
        sensory_zpp(left_light_touch, left_pin_prick, dap),
        motor_zpp(
            right_light_touch,
            right_pin_prick,
            right_motor,
            _MOTOR_CORD_INDEX.get(right_non_key),  # type: ignore[arg-type]
            vac,
            ais,
            motor_right,
        ),
        motor_zpp(
            left_light_touch,
            left_pin_prick,
            left_motor,
            _MOTOR_CORD_INDEX.get(left_non_key),  # type: ignore[arg-type]
            vac,
            ais,
            motor_left,
        ),
        *totals_values(
            right_motor, right_light_touch, right_pin_prick, left_motor, left_light_touch, left_pin_prick
        ),
    )


def _exam_values(exam: Exam) -> tuple[str, ...]:
    right, left = exam.right, exam.left
    return classify_values(
        right.motor,
        right.light_touch,
        right.pin_prick,
        right.lowest_non_key_muscle_with_motor_function,
        left.motor,
        left.light_touch,
        left.pin_prick,
        left.lowest_non_key_muscle_with_motor_function,
        OBSERVATION_TEXT[exam.voluntary_anal_contraction],
        OBSERVATION_TEXT[exam.deep_anal_pressure],
    )


def classify_exam(exam: Exam) -> Result:
    """Classify a validated exam (ISNCSCI 2019)."""
    from .result import result_from_values

    return result_from_values(_exam_values(exam))


def classify(exam: Any) -> dict[str, Any]:
    """Classify an exam in the interchange format; returns the result in the interchange format.

    Raises ExamValidationError (a ValueError) naming the first bad field; `.errors` lists them all.
    """
    from .exam import parse_exam

    return classify_exam(parse_exam(exam)).to_dict()


def classify_json(line: str | bytes) -> str:
    """Classify one exam given as JSON text; returns the result as compact JSON text."""
    values = read_exam_line(line)
    if values is not None:
        return JSON_TEMPLATE % classify_values(*values)
    import json

    from .exam import parse_exam

    return JSON_TEMPLATE % _exam_values(parse_exam(json.loads(line)))
