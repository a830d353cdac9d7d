"""Sensory and motor levels per side, and the neurological level of injury.

Each level is found by walking down the cord one segment at a time. At every step the values just below
decide whether the walk stops, whether the current segment is one possible level, whether that candidate
is flagged with a star (it depends on values tagged as caused by another condition), and whether every
later candidate is flagged too. A step's outcome is a small bit set (STOP | CANDIDATE | STARRED |
TAINTS); the tables below give it for every combination of values, so a walk is a few look-ups per
segment.

A result is a list of `Candidate`s (cord index, starred), rostral to caudal; `format_levels` writes it.
"""

from __future__ import annotations

from operator import getitem

from .values import (
    C4,
    INTACT,
    L1,
    LEVEL_NAMES,
    MOTOR_AS_NORMAL,
    MOTOR_CORD_INDEX,
    MOTOR_MAYBE_BELOW_3,
    MOTOR_NORMAL,
    MOTOR_VALUES,
    MOTOR_WEAK,
    MOTOR_WEAK_AS_NORMAL,
    MOTOR_WEAK_TAGGED,
    NO,
    NT,
    S1,
    S3,
    SENSORY_IMPAIRED,
    SENSORY_VALUES,
    STARRED_NAMES,
    T1,
)

STOP = 1  # the walk ends at this segment
CANDIDATE = 2  # this segment is a possible level
STARRED = 4  # the candidate is flagged whatever came before
TAINTS = 8  # every later candidate is flagged


def step(*, stop: bool, candidate: bool, starred: bool = False, taints: bool = False) -> int:
    return STOP * stop | CANDIDATE * candidate | STARRED * starred | TAINTS * taints


Candidate = tuple[int, bool]  # (cord index, starred)

CANDIDATE_NAMES = {
    (i, starred): (STARRED_NAMES if starred else LEVEL_NAMES)[i]
    for i in range(INTACT + 1)
    for starred in (False, True)
}


def format_levels(candidates: list[Candidate]) -> str:
    if len(candidates) == 1:
        return CANDIDATE_NAMES[candidates[0]]
    return ",".join(map(CANDIDATE_NAMES.__getitem__, candidates))


# --- sensory steps: the light touch and pin prick scores of the next dermatome ---------------------------


def _sensory_step(light_touch: str, pin_prick: str) -> int:
    pair = (light_touch, pin_prick)
    if pair == ("2", "2"):
        return step(stop=False, candidate=False)
    if light_touch in SENSORY_IMPAIRED or pin_prick in SENSORY_IMPAIRED:
        return step(stop=True, candidate=True)
    if "NT*" in pair:
        return step(stop=True, candidate=True, starred=True, taints=True)
    if "NT" in pair:
        # Untested: the level may be here or lower. Paired with a score taken as normal, flag what follows.
        return step(stop=False, candidate=True, taints="0**" in pair or "1**" in pair)
    # Scores taken as normal ("**") or untested-but-normal ("NT**"): go on, flagging what follows.
    return step(stop=False, candidate=False, taints=True)


SENSORY_STEP: dict[str, dict[str, int]] = {
    lt: {pp: _sensory_step(lt, pp) for pp in SENSORY_VALUES} for lt in SENSORY_VALUES
}
"""Light touch -> pin prick -> step at the segment above that dermatome."""
SENSORY_STEP_UNTAGGED: dict[str, dict[str, int]] = {
    lt: {pp: SENSORY_STEP[lt.replace("*", "")][pp.replace("*", "")] for pp in SENSORY_VALUES}
    for lt in SENSORY_VALUES
}
"""The same, for the exam read without its tags."""


def sensory_steps(
    light_touch: tuple[str, ...], pin_prick: tuple[str, ...], table: dict[str, dict[str, int]] = SENSORY_STEP
) -> list[int]:
    """Step per cord index for one side: entry i is decided by the dermatome at i (C1: nothing to decide).

    The walk at segment i looks at entry i + 1, the dermatome just below. `table` is SENSORY_STEP, or
    SENSORY_STEP_UNTAGGED to read the exam without its tags."""
    return [0, *map(getitem, map(table.__getitem__, light_touch), pin_prick)]


# --- motor steps ----------------------------------------------------------------------------------------


def _key_muscle_step(grade: str, below: str) -> int:
    """At a key muscle, knowing the grade of the next key muscle (or the muscle itself for T1 and S1)."""
    normal_here = grade in MOTOR_NORMAL
    if grade in MOTOR_WEAK_TAGGED:
        taints = True
    elif grade in MOTOR_AS_NORMAL:
        taints = below not in MOTOR_WEAK
    else:
        taints = grade == "5" and below in MOTOR_WEAK_AS_NORMAL
    return step(
        stop=not (grade == "NT" or normal_here) or below in MOTOR_WEAK,
        candidate=not (normal_here and below not in MOTOR_MAYBE_BELOW_3),
        starred=grade in MOTOR_WEAK_TAGGED
        or (grade in MOTOR_WEAK_AS_NORMAL and below in (MOTOR_MAYBE_BELOW_3 - MOTOR_WEAK)),
        taints=taints,
    )


def _above_key_muscles_step(first_grade: str) -> int:
    """At C4 or L1, the last segment before a run of key muscles, knowing the first key muscle's grade."""
    return step(
        stop=first_grade in MOTOR_WEAK,
        candidate=first_grade in MOTOR_MAYBE_BELOW_3,
        taints=first_grade in MOTOR_WEAK_AS_NORMAL,
    )


def _last_key_muscle_step(grade: str, stretch: int) -> int:
    """At T1 or S1, where the motor level also weighs the sensation along the whole run of key muscles.

    `stretch` is the union of the sensory steps from the segment above the run to its last muscle."""
    goes_on = not stretch & STOP
    clear = goes_on and not stretch & CANDIDATE
    return step(
        stop=not (grade == "NT" or grade in MOTOR_NORMAL) or not goes_on,
        candidate=grade == "NT" or not (grade in MOTOR_NORMAL and clear),
        starred=grade in MOTOR_WEAK_TAGGED or (grade in MOTOR_WEAK_AS_NORMAL and not clear),
        taints=grade in MOTOR_WEAK_TAGGED
        or grade in MOTOR_WEAK_AS_NORMAL
        or (grade in MOTOR_AS_NORMAL and goes_on)
        or (grade in ("5", "NT") and clear and bool(stretch & TAINTS)),
    )


KEY_MUSCLE_STEP: dict[str, dict[str, int]] = {
    grade: {below: _key_muscle_step(grade, below) for below in MOTOR_VALUES} for grade in MOTOR_VALUES
}
ABOVE_KEY_MUSCLES_STEP: dict[str, int] = {grade: _above_key_muscles_step(grade) for grade in MOTOR_VALUES}
LAST_KEY_MUSCLE_STEP: tuple[dict[str, int], ...] = tuple(
    {grade: _last_key_muscle_step(grade, stretch) for grade in MOTOR_VALUES} for stretch in range(16)
)

STRETCH_OF_RUN = {4: slice(C4 + 1, T1 + 2), 9: slice(L1 + 1, S1 + 2)}
"""Last key muscle of a run -> the sensory steps from the segment above the run to that muscle."""


def sensory_level(steps: list[int]) -> list[Candidate]:
    found: list[Candidate] = []
    tainted = False
    for below, outcome in enumerate(steps):  # the segment at index below - 1 looks at `outcome`
        if not outcome:
            continue  # normal below (and the empty entry of C1): walk on
        if outcome & CANDIDATE:
            found.append((below - 1, tainted or bool(outcome & STARRED)))
        if outcome & TAINTS:
            tainted = True
        if outcome & STOP:
            return found
    found.append((INTACT, tainted))
    return found


ABOVE_KEY_MUSCLES_PAIR: dict[str, dict[str, int]] = {
    grade: dict.fromkeys(MOTOR_VALUES, step) for grade, step in ABOVE_KEY_MUSCLES_STEP.items()
}
"""ABOVE_KEY_MUSCLES_STEP looked up like KEY_MUSCLE_STEP (the second grade does not count), so that the
walks take the segment above a run of key muscles in the same loop as the key muscles."""


def _runs(last_compared_with_itself: bool) -> tuple:
    """The walks down the cord as three runs. Each: the segments decided by sensation (C1-C3, T2-T12,
    S2-S3), then the segments decided by key muscles: the one above a run (C4, L1, looked up in
    ABOVE_KEY_MUSCLES_PAIR) and the run's key muscles (C5-C8, L2-L5; with the last, T1 and S1, compared
    with itself, for the NLI), each as (cord index, table, key muscle, the muscle it is compared with);
    then, for the motor level, the last key muscle (T1, S1) with the sensory steps along the run."""
    runs = []
    for top, above, first, last in ((0, C4, 0, 4), (T1 + 1, L1, 5, 9)):
        through = last + 1 if last_compared_with_itself else last
        muscles = ((above, ABOVE_KEY_MUSCLES_PAIR, first, first),) + tuple(
            (MOTOR_CORD_INDEX[p], KEY_MUSCLE_STEP, p, min(p + 1, last)) for p in range(first, through)
        )
        runs.append(
            (range(top + 1, above + 1), muscles, (MOTOR_CORD_INDEX[last], last, STRETCH_OF_RUN[last]))
        )
    runs.append((range(S1 + 2, S3 + 2), (), None))  # S2 and S3
    return tuple(runs)


_MOTOR_RUNS = _runs(last_compared_with_itself=False)
_NLI_RUNS = _runs(last_compared_with_itself=True)


def motor_level(steps: list[int], motor: tuple[str, ...], vac: str) -> list[Candidate]:
    # The walk of _MOTOR_RUNS, written out by kind of segment so that each step is looked up directly.
    # Every outcome is handled alike: a candidate is recorded (starred when tainted), a taint marks every
    # later candidate, and STOP ends the walk. An outcome of 0 (normal) just walks on.
    found: list[Candidate] = []
    tainted = False
    for sensory, muscles, last_of_run in _MOTOR_RUNS:
        for below in sensory:  # the segment at index below - 1, decided by the dermatome below it
            outcome = steps[below]
            if outcome:
                if outcome & CANDIDATE:
                    found.append((below - 1, tainted or bool(outcome & STARRED)))
                if outcome & TAINTS:
                    tainted = True
                if outcome & STOP:
                    return found
        if last_of_run is None:
            break
        for i, table, muscle, compared in muscles:
            outcome = table[motor[muscle]][motor[compared]]
            if outcome:
                if outcome & CANDIDATE:
                    found.append((i, tainted or bool(outcome & STARRED)))
                if outcome & TAINTS:
                    tainted = True
                if outcome & STOP:
                    return found
        last_index, last, stretch_of_run = last_of_run
        stretch = 0
        for sensory_step in steps[stretch_of_run]:
            stretch |= sensory_step
        outcome = LAST_KEY_MUSCLE_STEP[stretch & (STOP | CANDIDATE | TAINTS)][motor[last]]
        if outcome:
            if outcome & CANDIDATE:
                found.append((last_index, tainted or bool(outcome & STARRED)))
            if outcome & TAINTS:
                tainted = True
            if outcome & STOP:
                return found
    # Every segment down to S3 allows normal function: VAC decides between S3 and intact.
    s3_found = bool(found) and found[-1][0] == S3
    if vac == NO:
        if not s3_found:
            found.append((S3, tainted))
    else:
        if vac == NT and not s3_found:
            found.append((S3, tainted))
        found.append((INTACT, tainted))
    return found


def neurological_level_of_injury(
    right_steps: list[int], left_steps: list[int], right_motor: tuple[str, ...], left_motor: tuple[str, ...]
) -> list[Candidate]:
    """Walk both sides together; motor segments also need the key muscles of both sides to allow it.

    Written out by kind of segment, as motor_level is."""
    found: list[Candidate] = []
    tainted = False
    for sensory, muscles, _ in _NLI_RUNS:
        for below in sensory:  # a segment decided by sensation: the dermatomes below it, both sides
            right, left = right_steps[below], left_steps[below]
            either = right | left
            if either:
                if either & CANDIDATE:
                    both = right & left
                    found.append((below - 1, tainted or bool(both & CANDIDATE and both & STARRED)))
                if either & TAINTS:
                    tainted = True
                if either & STOP:
                    return found
        # The segment above a run, then its key muscles: sensation and the key muscles of both sides.
        # The candidate may come from either table, but only the key muscles can flag it here; when
        # sensation allows going on, the key muscles decide, and their flags count too.
        for i, table, muscle, compared in muscles:
            r = table[right_motor[muscle]][right_motor[compared]]
            m = table[left_motor[muscle]][left_motor[compared]]
            either = right_steps[i + 1] | left_steps[i + 1]
            if (either | r | m) & CANDIDATE:
                found.append((i, tainted or bool(r & m & CANDIDATE and (r | m) & STARRED)))
            if not either & STOP:
                either |= r | m
            if either & TAINTS:
                tainted = True
            if either & STOP:
                return found
    found.append((INTACT, tainted))
    return found
