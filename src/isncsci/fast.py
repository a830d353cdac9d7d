"""Reading an exam line without the json module, for the common layout.

Most exam lines are written by a program in one layout: the keys in the order of the interchange format
(`right`, `left`, `voluntaryAnalContraction`, `deepAnalPressure`; per side `motor`, `lightTouch`,
`pinPrick`, then the optional non-key muscle), compact (`JSON.stringify`, `json.dumps` with
`separators=(",", ":")`) or with Python's default separators (`", "`, `": "`). One regular expression per
layout matches such a line exactly and captures its 136 values, which is several times faster than
`json.loads` building the nested dictionaries only to take them apart again.

The patterns admit only that exact text: the keys, punctuation and spacing of the layout, a level from C5
to S1 or null as the non-key muscle, and Yes, No or NT as the observations. A value in the motor and
sensory tables is captured as whatever text stands between its quotes, and only then checked: each motor
value against the motor values, and each pair of sensory scores by looking it up in the table of sensory
steps, which holds exactly the allowed scores (a look-up the classification needs anyway, so the check
costs nothing more, and the steps are handed on). Anything else (another key order or spacing, escapes,
a missing or extra key, a value not allowed in its field) gives None, and the caller reads the line with
`json.loads` and the full per-field check, which is the only path that writes error messages. The two
paths therefore give the same result for every line.
"""

from __future__ import annotations

import re

from .levels import sensory_steps
from .values import DERMATOMES, MOTOR_LEVELS, MOTOR_VALUE_SET

# A table value is any text up to its closing quote, matched possessively (the engine keeps no point to
# come back to); read_exam_line then checks it. Matching `[^"]` is quicker than spelling out the allowed
# values in the pattern (the value groups were most of the matching) and keeps the pattern quick to
# compile, which counts at start-up. The non-key muscle and the observations are checked by the pattern.
TABLE_VALUE = r'([^"]++)'
NON_KEY_VALUE = r"(C[5-8]|T1[0-2]|T[1-9]|L[1-5]|S1)"
OBSERVATION_VALUE = r"(Yes|No|NT)"
_MOTOR = _SENSORY = f'"{TABLE_VALUE}"'
_NON_KEY = f'(?:null|"{NON_KEY_VALUE}")'
_OBSERVATION = f'"{OBSERVATION_VALUE}"'
_motor_values = MOTOR_VALUE_SET.issuperset


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
    """The arguments of `classify_values` for a valid exam line in a common layout, else None: the
    values, whether any is tagged, and each side's sensory steps.

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
    right_motor, left_motor = v[_RM], v[_LM]
    if not (_motor_values(right_motor) and _motor_values(left_motor)):
        return None
    right_light_touch, right_pin_prick = v[_RLT], v[_RPP]
    left_light_touch, left_pin_prick = v[_LLT], v[_LPP]
    try:  # the step table holds every allowed pair of scores and nothing else
        right_steps = sensory_steps(right_light_touch, right_pin_prick)
        left_steps = sensory_steps(left_light_touch, left_pin_prick)
    except KeyError:
        return None
    # Keys hold no star and a non-key level holds none: a star in the line is a tagged value.
    return (
        right_motor,
        right_light_touch,
        right_pin_prick,
        v[_RNK],
        left_motor,
        left_light_touch,
        left_pin_prick,
        v[_LNK],
        v[_VAC],
        v[_DAP],
        "*" in line,
        right_steps,
        left_steps,
    )
