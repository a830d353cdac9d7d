"""Zones of partial preservation (2019 revision): the partly innervated segments below each level.

Sensory ZPP applies to a side when DAP is absent and S4-5 may have no sensation on that side; motor ZPP
applies whenever VAC is not present. "NA" is listed first when the zone may also not apply.

Sensory tables here are the exam's (C2..S4_5): the dermatome at cord index i is entry i - 1.
"""

from __future__ import annotations

from collections.abc import Sequence

from .levels import Candidate
from .values import (
    LEVEL_NAMES,
    MOTOR_AS_NORMAL,
    MOTOR_VALUES,
    S1,
    S2,
    S3,
    S4_5,
    SENSORY_MAY_BE_ABSENT,
    SENSORY_TAGGED_SCORE,
    SENSORY_VALUES,
    STARRED_NAMES,
    Observation,
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
    if (
        dap == Observation.YES
        or sacral_lt not in SENSORY_MAY_BE_ABSENT
        or sacral_pp not in SENSORY_MAY_BE_ABSENT
    ):
        return "NA"
    names: list[str] = []
    if dap == Observation.NOT_TESTED or sacral_lt != "0" or sacral_pp != "0":
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
_NORMAL_SCORE = frozenset({"2", "0**", "1**", "NT**"})
_NORMAL_GRADE = frozenset({"5"}) | MOTOR_AS_NORMAL
_TAGGED = frozenset(v for v in (*MOTOR_VALUES, *SENSORY_VALUES) if "*" in v)
_NONE_4, _NONE_12, _NONE_3 = (None,) * 4, (None,) * 12, (None,) * 3


def _grades_by_cord_index(motor: Sequence[str]) -> tuple[str | None, ...]:
    """Key muscle grade per cord index, None where the segment has no key muscle."""
    return (*_NONE_4, *motor[:5], *_NONE_12, *motor[5:], *_NONE_3)


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

    Walks up from the lowest segment that can be partly innervated to the most rostral motor level."""
    if vac == Observation.YES:
        return "NA"
    grades = _grades_by_cord_index(motor)
    levels = [level for level, _ in motor_levels]
    top = levels[0]
    # The walk starts at S1, or lower when a motor level lies below S1 (down to S3).
    bottom = min(levels[-1], S3) if levels[-1] in (S2, S3) or levels[-1] > S4_5 else S1
    weigh_non_key = non_key is not None and "C" in ais

    zone: list[Candidate] = []
    add_non_key = non_key_listed = False
    for i in range(bottom, top - 1, -1):
        grade = grades[i]
        if grade is None:
            if i not in levels:
                continue
        elif grade not in _HAS_FUNCTION and grade not in _MAY_HAVE_FUNCTION:
            continue
        # In an AIS C injury a non-key muscle more than three levels below stands in for the segment.
        if weigh_non_key and non_key - i > 3:  # type: ignore[operator]
            add_non_key = True
        else:
            if grade is not None:
                starred = grade in ("0*", "0**")
            else:
                starred = _segment_starred(light_touch, pin_prick, grades, i, top)
            zone.append((i, starred))
            non_key_listed = non_key_listed or i == non_key
        if grade in _HAS_FUNCTION:
            break
    if add_non_key and not non_key_listed and non_key is not None:
        zone.append((non_key, False))
    zone.sort(key=lambda candidate: candidate[0])
    names = ["NA"] if vac == Observation.NOT_TESTED else []
    names.extend(STARRED_NAMES[i] if star else LEVEL_NAMES[i] for i, star in zone)
    return ",".join(names)


def _segment_starred(
    light_touch: Sequence[str], pin_prick: Sequence[str], grades: Sequence[str | None], i: int, top: int
) -> bool:
    """Is a segment without a key muscle flagged in the motor ZPP?

    It is when its own scores are tagged, or when it lies within the run of normal segments that starts
    at the top motor level and some segment at or above it holds a tagged value. The run ends at the first
    segment below the top that is not normal in every value; a segment without a key muscle never counts
    as normal here."""
    if i > 0 and (light_touch[i - 1] in SENSORY_TAGGED_SCORE or pin_prick[i - 1] in SENSORY_TAGGED_SCORE):
        return True
    for j in range(top + 1, i + 1):
        grade = grades[j]
        if not (
            grade is not None
            and grade in _NORMAL_GRADE
            and light_touch[j - 1] in _NORMAL_SCORE
            and pin_prick[j - 1] in _NORMAL_SCORE
        ):
            return False  # the run ended above this segment
    return any(
        light_touch[j - 1] in _TAGGED or pin_prick[j - 1] in _TAGGED or grades[j] in _TAGGED
        for j in range(1, i + 1)
    )
