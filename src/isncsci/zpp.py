"""Zones of partial preservation (2019 revision): the partly innervated segments below each level.

Sensory ZPP applies to a side when DAP is absent and S4-5 may have no sensation on that side; motor ZPP
applies whenever VAC is not present. "NA" is listed first when the zone may also not apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from .levels import Candidate
from .values import (
    KEY_MUSCLE_AT,
    LEVEL_NAMES,
    MOTOR_AS_NORMAL,
    S1,
    S2,
    S3,
    S4_5,
    SENSORY_MAY_BE_ABSENT,
    SENSORY_TAGGED_SCORE,
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


def sensory_zpp(light_touch: Sequence[str], pin_prick: Sequence[str], dap: str) -> str:
    """Sensory ZPP of one side; `light_touch` and `pin_prick` are indexed by cord index (C1 first)."""
    if dap == Observation.YES or not (
        light_touch[S4_5] in SENSORY_MAY_BE_ABSENT and pin_prick[S4_5] in SENSORY_MAY_BE_ABSENT
    ):
        return "NA"
    names: list[str] = []
    if dap == Observation.NOT_TESTED or not (light_touch[S4_5] == "0" and pin_prick[S4_5] == "0"):
        names.append("NA")
    zone: list[str] = []
    tainted = False
    for i in range(S3, 0, -1):
        kind = _sensation(light_touch[i], pin_prick[i])
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


def _has_function(grade: str) -> bool:
    return grade[0] in "12345" or grade in MOTOR_AS_NORMAL


def _may_have_function(grade: str) -> bool:
    return grade in ("0*", "NT", "NT*")


def _normal_segment(light_touch: str, pin_prick: str, grade: str | None) -> bool:
    return (
        (light_touch == "2" or light_touch.endswith("**"))
        and (pin_prick == "2" or pin_prick.endswith("**"))
        and grade is not None
        and (grade == "5" or grade.endswith("**"))
    )


def motor_zpp(
    light_touch: Sequence[str],
    pin_prick: Sequence[str],
    motor: Sequence[str],
    non_key: int | None,
    vac: str,
    ais: str,
    motor_levels: list[Candidate],
) -> str:
    """Motor ZPP of one side. Sensory tables are indexed by cord index (C1 first); `non_key` is the cord
    index of the lowest non-key muscle with motor function. Walks up from the lowest segment that can be
    partly innervated to the most rostral motor level."""
    if vac == Observation.YES:
        return "NA"
    levels = [level for level, _ in motor_levels]
    top = levels[0]
    # The walk starts at S1, or lower when a motor level lies below S1 (down to S3).
    bottom = min(levels[-1], S3) if levels[-1] in (S2, S3) or levels[-1] > S4_5 else S1

    def grade_at(i: int) -> str | None:
        position = KEY_MUSCLE_AT.get(i)
        return None if position is None else motor[position]

    first_tagged = next(
        (
            i
            for i in range(bottom + 1)
            if "*" in light_touch[i] or "*" in pin_prick[i] or "*" in (grade_at(i) or "")
        ),
        None,
    )
    # The last segment of the run of normal segments that starts at the top (segments without a key
    # muscle end such a run at once).
    last_normal = next(
        (
            i - 1
            for i in range(top + 1, bottom + 1)
            if not _normal_segment(light_touch[i], pin_prick[i], grade_at(i))
        ),
        bottom,
    )
    if non_key is not None and non_key > bottom:
        non_key = None
    weigh_non_key = non_key is not None and "C" in ais

    def starred(i: int, grade: str | None) -> bool:
        if first_tagged is None:
            return False
        if grade is not None:
            return grade in ("0*", "0**")
        if light_touch[i] in SENSORY_TAGGED_SCORE or pin_prick[i] in SENSORY_TAGGED_SCORE:
            return True
        return first_tagged <= i <= last_normal

    zone: list[Candidate] = []
    add_non_key = non_key_listed = False
    for i in range(bottom, top - 1, -1):
        # In an AIS C injury a non-key muscle more than three levels below stands in for the segment.
        replaced = weigh_non_key and non_key is not None and non_key - i > 3
        grade = grade_at(i)
        listed = i in levels if grade is None else _has_function(grade) or _may_have_function(grade)
        if listed:
            if replaced:
                add_non_key = True
            else:
                zone.append((i, starred(i, grade)))
                non_key_listed = non_key_listed or i == non_key
            if grade is not None and _has_function(grade):
                break
    if add_non_key and not non_key_listed and non_key is not None:
        zone.append((non_key, False))
    zone.sort(key=lambda candidate: candidate[0])
    names = ["NA"] if vac == Observation.NOT_TESTED else []
    names.extend(STARRED_NAMES[i] if star else LEVEL_NAMES[i] for i, star in zone)
    return ",".join(names)
