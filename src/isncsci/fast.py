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

from .values import DERMATOMES, MOTOR_LEVELS

# Each value group matches exactly the values allowed in its field (tests/isncsci/test_fast.py checks this
# against MOTOR_VALUES, SENSORY_VALUES, NON_KEY_MUSCLE_LEVELS and the observations). Character classes
# rather than a list of every value keep the pattern quick to compile, which counts at start-up. The
# stars are matched possessively (`{0,2}+`, Python 3.11): the engine keeps no point to come back to inside
# a value, which makes the 136 value groups about a quarter cheaper to step through than `\*\*?`.
MOTOR_VALUE = r"([0-4]\*{0,2}+|5|NT\*{0,2}+)"
SENSORY_VALUE = r"([01]\*{0,2}+|2|NT\*{0,2}+)"
NON_KEY_VALUE = r"(C[5-8]|T1[0-2]|T[1-9]|L[1-5]|S1)"
OBSERVATION_VALUE = r"(Yes|No|NT)"
_MOTOR = f'"{MOTOR_VALUE}"'
_SENSORY = f'"{SENSORY_VALUE}"'
_NON_KEY = f'(?:null|"{NON_KEY_VALUE}")'
_OBSERVATION = f'"{OBSERVATION_VALUE}"'


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
_spaced = None  # compiled when a line first needs it

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
        if ": " not in line[:12]:
            return None
        global _spaced
        if _spaced is None:
            _spaced = _pattern(", ", ": ").fullmatch
        match = _spaced(line, 0, end)
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
