"""Motor and sensory totals. A total over any untested value is "ND" (not determinable)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .values import NOT_TESTED, POINTS

NOT_DETERMINABLE = "ND"


@dataclass(frozen=True, slots=True)
class SideTotals:
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str
    motor: str


@dataclass(frozen=True, slots=True)
class Totals:
    right: SideTotals
    left: SideTotals
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str


def score_total(values: Sequence[str]) -> str:
    """Sum of the scores, tags ignored; "ND" when any value is untested."""
    if NOT_TESTED.isdisjoint(values):
        return str(sum([POINTS[v] for v in values]))
    return NOT_DETERMINABLE


def add_totals(right: str, left: str) -> str:
    if right == NOT_DETERMINABLE or left == NOT_DETERMINABLE:
        return NOT_DETERMINABLE
    return str(int(right) + int(left))


def side_totals(motor: Sequence[str], light_touch: Sequence[str], pin_prick: Sequence[str]) -> SideTotals:
    """Totals of one side; `motor` follows MOTOR_LEVELS, the sensory tables DERMATOMES."""
    upper = score_total(motor[:5])
    lower = score_total(motor[5:])
    return SideTotals(
        upper_extremity=upper,
        lower_extremity=lower,
        light_touch=score_total(light_touch),
        pin_prick=score_total(pin_prick),
        motor=add_totals(upper, lower),
    )


def exam_totals(right: SideTotals, left: SideTotals) -> Totals:
    return Totals(
        right=right,
        left=left,
        upper_extremity=add_totals(right.upper_extremity, left.upper_extremity),
        lower_extremity=add_totals(right.lower_extremity, left.lower_extremity),
        light_touch=add_totals(right.light_touch, left.light_touch),
        pin_prick=add_totals(right.pin_prick, left.pin_prick),
    )
