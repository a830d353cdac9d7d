"""Motor and sensory totals. A total over any untested value is "ND" (not determinable).

The typed totals (`SideTotals`, `Totals`) and `exam_totals` live in result.py with the other result types;
this module has no typing import, so the CLI starts without it."""

from __future__ import annotations

from collections.abc import Sequence

from .values import NOT_TESTED, POINTS

NOT_DETERMINABLE = "ND"


# Sums are ints, negative when not determinable: an untested grade weighs so much that any sum holding
# one is negative, and adding two sums keeps the mark.
_WEIGHT = {value: -1000 if value in NOT_TESTED else points for value, points in POINTS.items()}
_TEXT = (*(str(n) for n in range(2 * 112 + 1)), *([NOT_DETERMINABLE] * 2 * 1000 * 10))
"""Sum -> its text, for every sum from 0 to 224; any negative sum (an untested value) gives "ND"."""


_MOTOR_SUMS: dict[tuple[str, ...], tuple[int, int, int]] = {}
_CACHE_LIMIT = 100_000


def _motor_sums(motor: Sequence[str]) -> tuple[int, int, int]:
    """(upper limb, lower limb, both) of one side's motor table, remembered per table (bounded)."""
    key = tuple(motor)
    found = _MOTOR_SUMS.get(key)
    if found is None:
        w = _WEIGHT
        upper = w[key[0]] + w[key[1]] + w[key[2]] + w[key[3]] + w[key[4]]
        lower = w[key[5]] + w[key[6]] + w[key[7]] + w[key[8]] + w[key[9]]
        if len(_MOTOR_SUMS) >= _CACHE_LIMIT:
            _MOTOR_SUMS.clear()
        found = _MOTOR_SUMS[key] = (upper, lower, upper + lower)
    return found


def totals_values(
    right_motor: Sequence[str],
    right_light_touch: Sequence[str],
    right_pin_prick: Sequence[str],
    left_motor: Sequence[str],
    left_light_touch: Sequence[str],
    left_pin_prick: Sequence[str],
) -> tuple[str, ...]:
    """The 14 totals as text, in the order of the interchange format: the left side's upper extremity,
    lower extremity, light touch, pin prick and motor, the same for the right side, then both sides'
    upper extremity, lower extremity, light touch and pin prick."""
    r_upper, r_lower, r_motor = _motor_sums(right_motor)
    l_upper, l_lower, l_motor = _motor_sums(left_motor)
    # Each sensory score holds one digit (0-2) and tags only add stars; an untested score holds an "N".
    joined = "".join(right_light_touch)
    r_lt = -1000 if "N" in joined else joined.count("1") + 2 * joined.count("2")
    joined = "".join(right_pin_prick)
    r_pp = -1000 if "N" in joined else joined.count("1") + 2 * joined.count("2")
    joined = "".join(left_light_touch)
    l_lt = -1000 if "N" in joined else joined.count("1") + 2 * joined.count("2")
    joined = "".join(left_pin_prick)
    l_pp = -1000 if "N" in joined else joined.count("1") + 2 * joined.count("2")
    text = _TEXT
    return (
        text[l_upper],
        text[l_lower],
        text[l_lt],
        text[l_pp],
        text[l_motor],
        text[r_upper],
        text[r_lower],
        text[r_lt],
        text[r_pp],
        text[r_motor],
        text[r_upper + l_upper],
        text[r_lower + l_lower],
        text[r_lt + l_lt],
        text[r_pp + l_pp],
    )
