"""Zones of partial preservation (2019 revision): the partly innervated segments below each level.

Sensory ZPP applies to a side when DAP is absent and S4-5 may have no sensation on that side; motor ZPP
applies whenever VAC is not present. "NA" is listed first when the zone may also not apply.

Sensory tables here are the exam's (C2..S4_5): the dermatome at cord index i is entry i - 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from .levels import CANDIDATE_NAMES, Candidate
from .values import (
    KEY_MUSCLE_AT,
    LEVEL_NAMES,
    MOTOR_AS_NORMAL,
    MOTOR_CORD_INDEX,
    MOTOR_VALUES,
    NT,
    S1,
    S2,
    S3,
    S4_5,
    SENSORY_LEVELS,
    SENSORY_MAY_BE_ABSENT,
    SENSORY_TAGGED_SCORE,
    SENSORY_VALUES,
    STARRED_NAMES,
    YES,
)

# What a dermatome says about preserved sensation, for the sensory ZPP walk up from S3.
ABSENT, PRESENT, MAYBE, ABSENT_TAGGED = range(4)


def _sensation(light_touch: str, pin_prick: str) -> int:
    if light_touch == "0" and pin_prick == "0":
        return ABSENT
    if light_touch not in SENSORY_MAY_BE_ABSENT or pin_prick not in SENSORY_MAY_BE_ABSENT:
        return PRESENT
    if light_touch in ("NT", "NT*") or pin_prick in ("NT", "NT*"):
        return MAYBE
    return ABSENT_TAGGED  # absent, but a score is tagged as caused by another condition


SENSATION = {lt: {pp: _sensation(lt, pp) for pp in SENSORY_VALUES} for lt in SENSORY_VALUES}


def sensory_zpp(light_touch: Sequence[str], pin_prick: Sequence[str], dap: str) -> str:
    """Sensory ZPP of one side."""
    sacral_lt, sacral_pp = light_touch[-1], pin_prick[-1]
    if dap == YES or sacral_lt not in SENSORY_MAY_BE_ABSENT or sacral_pp not in SENSORY_MAY_BE_ABSENT:
        return "NA"
    names: list[str] = []
    if dap == NT or sacral_lt != "0" or sacral_pp != "0":
        names.append("NA")
    zone: list[str] = []
    tainted = False
    for i in range(S3, 0, -1):
        kind = SENSATION[light_touch[i - 1]][pin_prick[i - 1]]
        if kind == ABSENT:
            continue
        if kind == ABSENT_TAGGED:
            zone.append(STARRED_NAMES[i])
            tainted = True
            continue
        zone.append(STARRED_NAMES[i] if tainted else LEVEL_NAMES[i])
        if kind == PRESENT:
            break
    else:
        zone.append(LEVEL_NAMES[0])  # sensation absent all the way up: the zone reaches C1
    names.extend(reversed(zone))
    return ",".join(names)


_HAS_FUNCTION = frozenset(g for g in MOTOR_VALUES if g[0] in "12345") | MOTOR_AS_NORMAL
_MAY_HAVE_FUNCTION = frozenset({"0*", "NT", "NT*"})
_KEY_MUSCLES_UPWARDS = tuple(reversed(list(enumerate(MOTOR_CORD_INDEX))))
"""(position, cord index) of each key muscle, caudal first."""
_KEY_MUSCLES_UP_TO = tuple(
    tuple((p, i) for p, i in _KEY_MUSCLES_UPWARDS if i >= top) for top in range(S4_5 + 2)
)
"""[top] -> the key muscles at or below cord index `top`, caudal first. (The walk's bottom is S1, S2 or S3,
at or below every key muscle.)"""
_MUSCLES_THROUGH = tuple(
    sum(1 for index in MOTOR_CORD_INDEX if index <= i) for i in range(len(SENSORY_LEVELS))
)
"""Cord index -> number of key muscles at or above it."""


def motor_zpp(
    light_touch: Sequence[str],
    pin_prick: Sequence[str],
    motor: Sequence[str],
    non_key: int | None,
    vac: str,
    ais: str,
    motor_levels: list[Candidate],
) -> str:
    """Motor ZPP of one side; `non_key` is the cord index of the lowest non-key muscle with motor function.

    Walks up from the lowest segment that can be partly innervated (S1, or the lowest motor level when
    it lies below S1) to the most rostral motor level, listing the key muscles with possible function up
    to the first with certain function, and the motor levels on the way. In an AIS C injury the non-key
    muscle stands in for any segment more than three levels above it."""
    if vac == YES:
        return "NA"
    top = motor_levels[0][0]
    lowest = motor_levels[-1][0]
    bottom = min(lowest, S3) if lowest in (S2, S3) or lowest > S4_5 else S1
    weigh_non_key = non_key is not None and "C" in ais

    zone: list[Candidate] = []
    add_non_key = non_key_listed = False
    reached = top  # the walk stops at the first key muscle with certain function
    for position, i in _KEY_MUSCLES_UP_TO[top]:
        grade = motor[position]
        has_function = grade in _HAS_FUNCTION
        if has_function or grade in _MAY_HAVE_FUNCTION:
            if weigh_non_key and non_key - i > 3:  # type: ignore[operator]
                add_non_key = True
            else:
                zone.append((i, grade in ("0*", "0**")))
                non_key_listed = non_key_listed or i == non_key
            if has_function:
                reached = i
                break
    for i, _ in motor_levels:
        if reached <= i <= bottom and i not in KEY_MUSCLE_AT:
            if weigh_non_key and non_key - i > 3:  # type: ignore[operator]
                add_non_key = True
            else:
                zone.append((i, _segment_starred(light_touch, pin_prick, motor, i, top)))
    if add_non_key and not non_key_listed and non_key is not None:
        zone.append((non_key, False))
    zone.sort(key=itemgetter(0))
    if vac == NT:
        return ",".join(["NA", *map(CANDIDATE_NAMES.__getitem__, zone)])
    return ",".join(map(CANDIDATE_NAMES.__getitem__, zone))


def _segment_starred(
    light_touch: Sequence[str], pin_prick: Sequence[str], motor: Sequence[str], i: int, top: int
) -> bool:
    """Is a motor level without a key muscle flagged in the motor ZPP?

    It is when its own scores are tagged, or when it is the top motor level and a value at or above it
    is tagged. (The reference flags segments from the first tagged one down to the end of the run of
    normal segments below the top; a segment without a key muscle never counts as normal there, so only
    the top itself can lie in that run.)"""
    if i > 0 and (light_touch[i - 1] in SENSORY_TAGGED_SCORE or pin_prick[i - 1] in SENSORY_TAGGED_SCORE):
        return True
    return i == top and (
        "*" in "".join(light_touch[:i])
        or "*" in "".join(pin_prick[:i])
        or "*" in "".join(motor[: _MUSCLES_THROUGH[i]])
    )
