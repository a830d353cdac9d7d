"""Reading an exam line without the json module, for the common layout.

Most exam lines are written by a program in one layout: the keys in the order of the interchange format
(`right`, `left`, `voluntaryAnalContraction`, `deepAnalPressure`; per side `motor`, `lightTouch`,
`pinPrick`, then the optional non-key muscle), compact (`JSON.stringify`, `json.dumps` with
`separators=(",", ":")`) or with Python's default separators (`", "`, `": "`). One regular expression per
layout matches such a line exactly and captures its 136 values, which is several times faster than
`json.loads` building the nested dictionaries only to take them apart again.

The patterns admit only that exact text, each value being one of the values allowed in its field (so
every captured value is the string JSON would give, and a valid one). Anything else (another key order
or spacing, escapes, a missing or extra key, a bad value) gives None, and the caller reads the line with
`json.loads` and the full per-field check, which is the only path that writes error messages. The two
paths therefore give the same result for every line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .values import DERMATOMES, MOTOR_LEVELS, MOTOR_VALUES, NON_KEY_MUSCLE_LEVELS, SENSORY_VALUES, Observation


def _one_of(values: Iterable[str | None]) -> str:
    """A group matching exactly one of `values` (longest first, so no value stops at a shorter one)."""
    return "(" + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)) + ")"  # type: ignore


_MOTOR = f'"{_one_of(MOTOR_VALUES)}"'
_SENSORY = f'"{_one_of(SENSORY_VALUES)}"'
_NON_KEY = f'(?:null|"{_one_of(NON_KEY_MUSCLE_LEVELS)}")'
_OBSERVATION = f'"{_one_of(o.value for o in Observation)}"'


def _pattern(comma: str, colon: str) -> re.Pattern[str]:
    def table(keys: tuple[str, ...], value: str) -> str:
        return "\\{" + comma.join(f'"{key}"{colon}{value}' for key in keys) + "\\}"

    side = (
        f'\\{{"motor"{colon}{table(MOTOR_LEVELS, _MOTOR)}'
        f'{comma}"lightTouch"{colon}{table(DERMATOMES, _SENSORY)}'
        f'{comma}"pinPrick"{colon}{table(DERMATOMES, _SENSORY)}'
        f'(?:{comma}"lowestNonKeyMuscleWithMotorFunction"{colon}{_NON_KEY})?\\}}'
    )
    return re.compile(
        f'\\{{"right"{colon}{side}{comma}"left"{colon}{side}{comma}"voluntaryAnalContraction"{colon}'
        f'{_OBSERVATION}{comma}"deepAnalPressure"{colon}{_OBSERVATION}\\}}'
    )


_COMPACT = _pattern(",", ":").fullmatch
_SPACED = _pattern(", ", ": ").fullmatch

# Positions of each part among the 136 captured values.
_RM, _RLT, _RPP, _RNK = slice(0, 10), slice(10, 38), slice(38, 66), 66
_LM, _LLT, _LPP, _LNK = slice(67, 77), slice(77, 105), slice(105, 133), 133
_VAC, _DAP = 134, 135


def read_exam_line(line: str | bytes) -> tuple | None:
    """The arguments of `classify_values` for a valid exam line in a common layout, else None.

    A trailing newline is allowed; `bytes` are never read here (the caller decodes them through json)."""
    if not isinstance(line, str):
        return None
    end = len(line) - 1 if line.endswith("\n") else len(line)
    match = _COMPACT(line, 0, end)
    if match is None:
        match = _SPACED(line, 0, end)
        if match is None:
            return None
    v = match.groups()
    # Keys hold no star and a non-key level holds none: a star in the line is a tagged value.
    return (
        v[_RM],
        v[_RLT],
        v[_RPP],
        v[_RNK],
        v[_LM],
        v[_LLT],
        v[_LPP],
        v[_LNK],
        v[_VAC],
        v[_DAP],
        "*" in line,
    )
