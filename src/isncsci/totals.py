"""Motor and sensory totals. A total over any untested value is "ND" (not determinable)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .values import NOT_TESTED, POINTS

NOT_DETERMINABLE = "ND"


class SideTotals(NamedTuple):
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str
    motor: str


class Totals(NamedTuple):
    right: SideTotals
    left: SideTotals
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str


# Sums are ints, negative when not determinable: an untested grade weighs so much that any sum holding
# one is negative, and adding two sums keeps the mark.
_grade_weight = {
    value: -1000 if value in NOT_TESTED else points for value, points in POINTS.items()
}.__getitem__
_TEXT = (*(str(n) for n in range(2 * 112 + 1)), NOT_DETERMINABLE)
"""Sum -> its text; index -1, the mark of an undeterminable sum, gives "ND"."""


def _sensory_sum(scores: Sequence[str]) -> int:
    # Each score holds one digit (0-2) and tags only add stars; an untested score holds an "N".
    joined = "".join(scores)
    return -1 if "N" in joined else joined.count("1") + 2 * joined.count("2")


def _add(a: int, b: int) -> int:
    return -1 if a < 0 or b < 0 else a + b


def _side_sums(motor: Sequence[str], light_touch: Sequence[str], pin_prick: Sequence[str]) -> list[int]:
    """[upper limb, lower limb, light touch, pin prick, motor] of one side."""
    upper, lower = sum(map(_grade_weight, motor[:5])), sum(map(_grade_weight, motor[5:]))
    return [upper, lower, _sensory_sum(light_touch), _sensory_sum(pin_prick), _add(upper, lower)]


def exam_totals(
    right: tuple[Sequence[str], Sequence[str], Sequence[str]],
    left: tuple[Sequence[str], Sequence[str], Sequence[str]],
) -> Totals:
    """Totals of both sides and of the exam, from each side's (motor, light touch, pin prick) values
    in the order of MOTOR_LEVELS and DERMATOMES."""
    r, m = _side_sums(*right), _side_sums(*left)
    text = _TEXT
    return Totals(
        SideTotals(*[text[t if t >= 0 else -1] for t in r]),
        SideTotals(*[text[t if t >= 0 else -1] for t in m]),
        text[_add(r[0], m[0])],
        text[_add(r[1], m[1])],
        text[_add(r[2], m[2])],
        text[_add(r[3], m[3])],
    )
