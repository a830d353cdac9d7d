"""Sensory and motor levels per side, and the neurological level of injury.

Each level is found by walking down the cord one segment at a time. At every step the values just below
decide whether the walk goes on, whether the current segment is one possible level, whether that
candidate is flagged with a star (it depends on values tagged as caused by another condition), and
whether every later candidate is flagged too. A step's outcome is a `Step` tuple; the tables below give
the outcome for every combination of values, so a walk is a few tuple look-ups per segment.

A result is a list of `Candidate`s (cord index, starred), rostral to caudal; `format_levels` writes it.
"""

from __future__ import annotations

from typing import NamedTuple

from .values import (
    C4,
    INTACT,
    L1,
    LEVEL_NAMES,
    MOTOR_AS_NORMAL,
    MOTOR_MAYBE_BELOW_3,
    MOTOR_NORMAL,
    MOTOR_VALUES,
    MOTOR_WEAK,
    MOTOR_WEAK_AS_NORMAL,
    MOTOR_WEAK_TAGGED,
    S1,
    S3,
    S4_5,
    SENSORY_IMPAIRED,
    SENSORY_VALUES,
    STARRED_NAMES,
    T1,
    Observation,
)


class Step(NamedTuple):
    goes_on: bool  # the walk continues to the next segment
    candidate: bool  # the current segment is a possible level
    starred: bool  # the candidate is flagged whatever came before
    taints: bool  # every later candidate is flagged


Candidate = tuple[int, bool]  # (cord index, starred)


def format_levels(candidates: list[Candidate]) -> str:
    return ",".join([STARRED_NAMES[i] if starred else LEVEL_NAMES[i] for i, starred in candidates])


# --- sensory steps: the light touch and pin prick scores of the next dermatome ---------------------------


def _sensory_step(light_touch: str, pin_prick: str) -> Step:
    pair = (light_touch, pin_prick)
    if pair == ("2", "2"):
        return Step(True, False, False, False)
    if light_touch in SENSORY_IMPAIRED or pin_prick in SENSORY_IMPAIRED:
        return Step(False, True, False, False)
    if "NT*" in pair:
        return Step(False, True, True, True)
    if "NT" in pair:
        # Untested: the level may be here or lower. Paired with a score taken as normal, flag what follows.
        return Step(True, True, False, "0**" in pair or "1**" in pair)
    # Scores taken as normal ("**") or untested-but-normal: go on, flagging what follows.
    return Step(True, False, False, True)


SENSORY_STEPS: tuple[Step, ...] = (
    Step(True, False, False, False),
    Step(False, True, False, False),
    Step(False, True, True, True),
    Step(True, True, False, False),
    Step(True, True, False, True),
    Step(True, False, False, True),
)
SENSORY_CODE: dict[str, dict[str, int]] = {
    lt: {pp: SENSORY_STEPS.index(_sensory_step(lt, pp)) for pp in SENSORY_VALUES} for lt in SENSORY_VALUES
}
"""Light touch -> pin prick -> index into SENSORY_STEPS."""
SENSORY_CODE_UNTAGGED: dict[str, dict[str, int]] = {
    lt: {pp: SENSORY_CODE[lt.replace("*", "")][pp.replace("*", "")] for pp in SENSORY_VALUES}
    for lt in SENSORY_VALUES
}
"""The same, for the exam read without its tags."""


def sensory_codes(
    light_touch: tuple[str, ...], pin_prick: tuple[str, ...], untagged: bool = False
) -> list[int]:
    """Step code per cord index (C1 first, always normal) for one side's dermatomes C2..S4_5."""
    table = SENSORY_CODE_UNTAGGED if untagged else SENSORY_CODE
    return [0, *[table[lt][pp] for lt, pp in zip(light_touch, pin_prick, strict=True)]]


# --- motor steps ----------------------------------------------------------------------------------------


def _key_muscle_step(grade: str, below: str) -> Step:
    """At a key muscle, knowing the grade of the next key muscle (or the muscle itself for T1 and S1)."""
    normal_here = grade in MOTOR_NORMAL
    goes_on = (grade == "NT" or normal_here) and below not in MOTOR_WEAK
    candidate = not (normal_here and below not in MOTOR_MAYBE_BELOW_3)
    starred = grade in MOTOR_WEAK_TAGGED or (
        grade in MOTOR_WEAK_AS_NORMAL and below in (MOTOR_MAYBE_BELOW_3 - MOTOR_WEAK)
    )
    if grade in MOTOR_WEAK_TAGGED:
        taints = True
    elif grade in MOTOR_AS_NORMAL:
        taints = below not in MOTOR_WEAK
    else:
        taints = grade == "5" and below in MOTOR_WEAK_AS_NORMAL
    return Step(goes_on, candidate, starred, taints)


def _above_key_muscles_step(first_grade: str) -> Step:
    """At C4 or L1, the last segment before a run of key muscles, knowing the first key muscle's grade."""
    return Step(
        first_grade not in MOTOR_WEAK,
        first_grade in MOTOR_MAYBE_BELOW_3,
        False,
        first_grade in MOTOR_WEAK_AS_NORMAL,
    )


KEY_MUSCLE_STEP: dict[str, dict[str, Step]] = {
    grade: {below: _key_muscle_step(grade, below) for below in MOTOR_VALUES} for grade in MOTOR_VALUES
}
ABOVE_KEY_MUSCLES_STEP: dict[str, Step] = {grade: _above_key_muscles_step(grade) for grade in MOTOR_VALUES}


class Stretch(NamedTuple):
    """The sensory steps from the segment above a run of key muscles to its last muscle, taken together."""

    goes_on: bool
    candidate: bool
    taints: bool


def _stretch(codes: list[int], first: int, last: int) -> Stretch:
    steps = [SENSORY_STEPS[codes[i + 1]] for i in range(first, last + 1)]
    return Stretch(
        all(s.goes_on for s in steps), any(s.candidate for s in steps), any(s.taints for s in steps)
    )


def _last_key_muscle_step(grade: str, stretch: Stretch) -> Step:
    """At T1 or S1, where the motor level also looks at the sensation of the whole run of key muscles."""
    clear = stretch.goes_on and not stretch.candidate
    goes_on = (grade == "NT" or grade in MOTOR_NORMAL) and stretch.goes_on
    candidate = grade == "NT" or not (grade in MOTOR_NORMAL and clear)
    starred = grade in MOTOR_WEAK_TAGGED or (grade in MOTOR_WEAK_AS_NORMAL and not clear)
    taints = (
        grade in MOTOR_WEAK_TAGGED
        or grade in MOTOR_WEAK_AS_NORMAL
        or (grade in MOTOR_AS_NORMAL and stretch.goes_on)
        or (grade in ("5", "NT") and clear and stretch.taints)
    )
    return Step(goes_on, candidate, starred, taints)


LAST_KEY_MUSCLE_STEP: dict[Stretch, dict[str, Step]] = {
    Stretch(g, c, t): {grade: _last_key_muscle_step(grade, Stretch(g, c, t)) for grade in MOTOR_VALUES}
    for g in (False, True)
    for c in (False, True)
    for t in (False, True)
}

# How the motor-level walk treats each segment: a sensory step, the segment above a run of key muscles,
# a key muscle followed by another, or the last key muscle of a run.
SENSORY, ABOVE_MUSCLES, KEY_MUSCLE, LAST_KEY_MUSCLE = range(4)
MOTOR_WALK: tuple[tuple[int, int], ...] = tuple(
    (ABOVE_MUSCLES, 0 if i == C4 else 5)
    if i in (C4, L1)
    else (LAST_KEY_MUSCLE, 4 if i == T1 else 9)
    if i in (T1, S1)
    else (KEY_MUSCLE, i - 4 if i < T1 else i - 16)
    if C4 < i < T1 or L1 < i < S1
    else (SENSORY, 0)
    for i in range(S4_5)
)
"""Per cord index C1..S3: (kind of step, position of the key muscle it looks at)."""
UPPER_STRETCH = (C4, T1)
LOWER_STRETCH = (L1, S1)


def sensory_level(codes: list[int]) -> list[Candidate]:
    found: list[Candidate] = []
    tainted = False
    for i in range(S4_5):
        goes_on, candidate, starred, taints = SENSORY_STEPS[codes[i + 1]]
        if candidate:
            found.append((i, starred or tainted))
        if taints:
            tainted = True
        if not goes_on:
            return found
    found.append((INTACT, tainted))
    return found


def motor_level(codes: list[int], motor: tuple[str, ...], vac: str) -> list[Candidate]:
    found: list[Candidate] = []
    tainted = False
    for i in range(S4_5):
        kind, muscle = MOTOR_WALK[i]
        if kind == SENSORY:
            step = SENSORY_STEPS[codes[i + 1]]
        elif kind == KEY_MUSCLE:
            step = KEY_MUSCLE_STEP[motor[muscle]][motor[muscle + 1]]
        elif kind == ABOVE_MUSCLES:
            step = ABOVE_KEY_MUSCLES_STEP[motor[muscle]]
        else:
            first, last = UPPER_STRETCH if muscle == 4 else LOWER_STRETCH
            step = LAST_KEY_MUSCLE_STEP[_stretch(codes, first, last)][motor[muscle]]
        if step.candidate:
            found.append((i, step.starred or tainted))
        if step.taints:
            tainted = True
        if not step.goes_on:
            return found
    # Every segment down to S3 allows normal function: VAC decides between S3 and intact.
    s3_found = bool(found) and found[-1][0] == S3
    if vac == Observation.NO:
        if not s3_found:
            found.append((S3, tainted))
    else:
        if vac == Observation.NOT_TESTED and not s3_found:
            found.append((S3, tainted))
        found.append((INTACT, tainted))
    return found


def neurological_level_of_injury(
    right_codes: list[int], left_codes: list[int], right_motor: tuple[str, ...], left_motor: tuple[str, ...]
) -> list[Candidate]:
    """Walk both sides together; motor segments also need the key muscles of both sides to allow it."""
    found: list[Candidate] = []
    tainted = False
    for i in range(S4_5):
        right = SENSORY_STEPS[right_codes[i + 1]]
        left = SENSORY_STEPS[left_codes[i + 1]]
        goes_on = right.goes_on and left.goes_on
        candidate = right.candidate or left.candidate
        starred = tainted or (right.candidate and left.candidate and right.starred and left.starred)
        taints = right.taints or left.taints
        kind, muscle = MOTOR_WALK[i]
        if kind != SENSORY:
            if kind == ABOVE_MUSCLES:
                r = ABOVE_KEY_MUSCLES_STEP[right_motor[muscle]]
                m = ABOVE_KEY_MUSCLES_STEP[left_motor[muscle]]
            else:
                below = muscle + (kind == KEY_MUSCLE)  # the last muscle of a run is compared with itself
                r = KEY_MUSCLE_STEP[right_motor[muscle]][right_motor[below]]
                m = KEY_MUSCLE_STEP[left_motor[muscle]][left_motor[below]]
            candidate = candidate or r.candidate or m.candidate
            starred = tainted or (r.candidate and m.candidate and (r.starred or m.starred))
            if goes_on:
                goes_on = r.goes_on and m.goes_on
                taints = taints or r.taints or m.taints
        if candidate:
            found.append((i, starred))
        if taints:
            tainted = True
        if not goes_on:
            return found
    found.append((INTACT, tainted))
    return found
