"""Motor and sensory totals. A total over any untested value is "ND" (not determinable)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

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


def score_total(values: Sequence[str]) -> str:
    """Sum of the scores, tags ignored; "ND" when any value is untested."""
    return _show(_sum("".join(values)))


def _sum(joined: str) -> int:
    """Sum of scores written one after another: each value holds at most one digit, its score, and an
    untested value holds an "N" (tags add only stars), so counting characters gives the sum."""
    if "N" in joined:
        return -1
    return (
        joined.count("1")
        + 2 * joined.count("2")
        + 3 * joined.count("3")
        + 4 * joined.count("4")
        + 5 * joined.count("5")
    )


def _sensory_sum(joined: str) -> int:
    return -1 if "N" in joined else joined.count("1") + 2 * joined.count("2")


_TEXT = (*(str(n) for n in range(4 * 112 + 1)), NOT_DETERMINABLE)
"""Total -> its text; index -1, the mark of an undeterminable total, gives "ND"."""


def _show(total: int) -> str:
    return _TEXT[total]


def exam_totals(
    right: tuple[Sequence[str], Sequence[str], Sequence[str]],
    left: tuple[Sequence[str], Sequence[str], Sequence[str]],
) -> Totals:
    """Totals of both sides and of the exam, from each side's (motor, light touch, pin prick) values
    in the order of MOTOR_LEVELS and DERMATOMES."""
    r_motor, r_lt, r_pp = right
    l_motor, l_lt, l_pp = left
    r_upper, r_lower = _sum("".join(r_motor[:5])), _sum("".join(r_motor[5:]))
    l_upper, l_lower = _sum("".join(l_motor[:5])), _sum("".join(l_motor[5:]))
    r_light, r_pin = _sensory_sum("".join(r_lt)), _sensory_sum("".join(r_pp))
    l_light, l_pin = _sensory_sum("".join(l_lt)), _sensory_sum("".join(l_pp))
    text = _TEXT
    return Totals(
        SideTotals(text[r_upper], text[r_lower], text[r_light], text[r_pin], text[_add(r_upper, r_lower)]),
        SideTotals(text[l_upper], text[l_lower], text[l_light], text[l_pin], text[_add(l_upper, l_lower)]),
        text[_add(r_upper, l_upper)],
        text[_add(r_lower, l_lower)],
        text[_add(r_light, l_light)],
        text[_add(r_pin, l_pin)],
    )


def _add(a: int, b: int) -> int:
    return -1 if a < 0 or b < 0 else a + b
