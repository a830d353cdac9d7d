"""Completeness of the injury and the ASIA Impairment Scale (AIS) grade."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .levels import Candidate
from .values import (
    INTACT,
    MOTOR_CORD_INDEX,
    MOTOR_VALUES,
    MOTOR_WEAK,
    MOTOR_WEAK_AS_NORMAL,
    NO,
    SENSORY_MAY_BE_ABSENT,
    YES,
)

SacralScores = tuple[str, str, str, str]  # light touch and pin prick at S4-5, right then left
WEAK_BUT_TAGGED = frozenset({"0*", "1*", "2*"}) | MOTOR_WEAK_AS_NORMAL


def _first_key_muscle_from(cord_index: int) -> int:
    """Position in MOTOR_LEVELS of the first key muscle at or below a cord index; 10 when there is none.

    Segments without a key muscle count from the next run of key muscles (C2-C4 -> C5, T2-L1 -> L2);
    anything below S1 (and C1, which no rule reaches) has no key muscle left.
    """
    if not 1 <= cord_index <= MOTOR_CORD_INDEX[-1]:
        return len(MOTOR_CORD_INDEX)
    return next(position for position, index in enumerate(MOTOR_CORD_INDEX) if index >= cord_index)


FIRST_MUSCLE_MORE_THAN_3_BELOW = tuple(
    len(MOTOR_CORD_INDEX) if i == INTACT else _first_key_muscle_from(i + 4) for i in range(INTACT + 1)
)
"""Motor level (cord index) -> first key muscle more than three levels below it."""
FIRST_MUSCLE_BELOW = tuple(
    len(MOTOR_CORD_INDEX) if i == INTACT else _first_key_muscle_from(i + 1) for i in range(INTACT + 1)
)
"""Neurological level (cord index) -> first key muscle below it."""


_ALL_ABSENT = ("0", "0", "0", "0")
_ABSENT_OR_TAGGED_ABSENT = frozenset({"0", "0*"})
_ABSENT_OR_ABSENT_AS_NORMAL = frozenset({"0", "0**"})
_ABSENT_EITHER_TAG = frozenset({"0", "0*", "0**"})


def injury_complete(sacral: SacralScores, vac: str, dap: str) -> str:
    """Complete ("C") or incomplete ("I"); every possibility when tags or untested values leave it open."""
    if vac == NO and dap == NO:
        if sacral == _ALL_ABSENT:
            return "C"
        if _ABSENT_OR_TAGGED_ABSENT.issuperset(sacral):
            return "C*,I*"
        if _ABSENT_OR_ABSENT_AS_NORMAL.issuperset(sacral):
            return "I*"
    if vac != YES and dap != YES and SENSORY_MAY_BE_ABSENT.issuperset(sacral):
        return "C,I"
    return "I"


def _sensation_preserved(sacral: SacralScores, dap: str) -> tuple[bool, bool]:
    """(sacral sensation may be preserved, the answer rests on tagged values)"""
    if dap != NO:
        return True, False
    if sacral == _ALL_ABSENT:
        return False, False
    return True, _ABSENT_EITHER_TAG.issuperset(sacral)


def _no_motor_function_far_below(
    motor: Sequence[str], motor_levels: list[Candidate], non_key: int | None
) -> tuple[bool, bool]:
    """Can this side have no motor function more than three levels below its motor level?"""
    flagged = False
    for level, _ in motor_levels:
        for position in range(FIRST_MUSCLE_MORE_THAN_3_BELOW[level], len(motor)):
            grade = motor[position]
            if grade in ("0*", "0**"):
                flagged = True
            if grade not in ("0", "NT", "NT*", "0*") or position == non_key:
                break
        else:
            return True, flagged
    return False, False


def _motor_function_far_below(
    motor: Sequence[str], motor_levels: list[Candidate], non_key: int | None
) -> tuple[bool, bool]:
    """Can this side have motor function more than three levels below its motor level?
    (possible, the answer rests on a weak grade taken as normal)"""
    for level, _ in motor_levels:
        for position in range(FIRST_MUSCLE_MORE_THAN_3_BELOW[level], len(motor)):
            grade = motor[position]
            if grade != "0" or position == non_key:
                return True, grade == "0**"
    return False, False


# Key muscle grades counted for AIS C and D: how many are graded below 3, below 3 only with a tagged
# grade, 3 or more, and 3 or more only with a tagged grade. Each grade's four memberships are packed into
# one int, a byte per count, so the counts over a run of muscles are one sum (at most 20 muscles: no
# byte overflows into the next).
_BELOW_3 = frozenset({"0", "1", "2", "NT", "NT*"})
_BELOW_3_TAGGED = frozenset({"0*", "1*", "2*"})
_AT_LEAST_3_TAGGED = WEAK_BUT_TAGGED
_AT_LEAST_3 = frozenset(MOTOR_VALUES).difference(MOTOR_WEAK, WEAK_BUT_TAGGED)
_COUNTS_OF = {
    grade: (grade in _BELOW_3)
    | (grade in _BELOW_3_TAGGED) << 8
    | (grade in _AT_LEAST_3) << 16
    | (grade in _AT_LEAST_3_TAGGED) << 24
    for grade in MOTOR_VALUES
}.__getitem__


def _counts_below(right: Sequence[str], left: Sequence[str], nli: list[Candidate]) -> list[tuple[int, ...]]:
    """Per NLI candidate: (key muscles below it on each side, then the four counts over both sides)."""
    found = []
    for level, _ in nli:
        start = FIRST_MUSCLE_BELOW[level]
        packed = sum(map(_COUNTS_OF, right[start:])) + sum(map(_COUNTS_OF, left[start:]))
        found.append((len(right) - start, packed & 255, packed >> 8 & 255, packed >> 16 & 255, packed >> 24))
    return found


def _more_than_half_below_3(counts: list[tuple[int, ...]]) -> tuple[bool, bool]:
    """Can more than half of the key muscles below the NLI be graded below 3? (AIS C)
    (possible, only when tagged grades count); `counts` as `_counts_below` gives them."""
    for half, below, below_tagged, _, _ in counts:  # 2 * half muscles lie below the level
        if below > half:
            return True, False
        if below + below_tagged > half:
            return True, True
    return False, False


def _at_least_half_3_or_more(nli: list[Candidate], counts: list[tuple[int, ...]]) -> tuple[bool, bool]:
    """Can at least half of the key muscles below the NLI be graded 3 or more? (AIS D)
    (possible, only when tagged grades count)"""
    possible = flagged = False
    for (level, _), (half, _, _, at_least, at_least_tagged) in zip(nli, counts, strict=True):
        if level == INTACT:
            break
        if at_least >= half:  # also when no key muscle lies below the NLI
            return True, False
        if at_least + at_least_tagged >= half:
            possible = flagged = True
    return possible, flagged


def asia_impairment_scale(
    *,
    right_motor: Sequence[str],
    left_motor: Sequence[str],
    right_non_key: int | None,
    left_non_key: int | None,
    sacral: SacralScores,
    vac: str,
    dap: str,
    completeness: str,
    motor_right: list[Candidate],
    motor_left: list[Candidate],
    nli: list[Candidate],
    untagged_nli: Callable[[], tuple[Sequence[str], Sequence[str], list[Candidate]]],
) -> str:
    """Every AIS grade the exam allows, A to E. `untagged_nli` gives the motor grades and the NLI of the
    exam read without its tags, needed only to tell whether a C grade rests on tagged values."""
    intact_nli = len(nli) == 1 and nli[0][0] == INTACT
    if intact_nli and vac == YES:
        return "E*" if nli[0][1] else "E"
    grades = []
    # A: complete.
    if "C" in completeness:
        grades.append("A*" if "*" in completeness else "A")

    # B: sensory incomplete, and no motor function more than three levels below the motor level on either
    # side (as in the reference, flags from the key muscles count only when VAC is known to be absent).
    sensation, sensation_flagged = _sensation_preserved(sacral, dap)
    if sensation and vac != YES:
        right_none, right_flagged = _no_motor_function_far_below(right_motor, motor_right, right_non_key)
        left_none, left_flagged = _no_motor_function_far_below(left_motor, motor_left, left_non_key)
        if right_none and left_none:
            flagged = sensation_flagged or (vac == NO and (right_flagged or left_flagged))
            grades.append("B*" if flagged else "B")

    # C and D need motor incompleteness: VAC, or sacral sensation with motor function (a non-key muscle
    # counts) more than three levels below the motor level on a side. Then the key muscles below the NLI
    # decide: fewer than half graded 3 or more is C, at least half is D.
    if vac != NO:
        motor_incomplete, motor_flagged = True, False
    elif sensation:
        right_some, right_flagged = _motor_function_far_below(right_motor, motor_right, right_non_key)
        left_some, left_flagged = _motor_function_far_below(left_motor, motor_left, left_non_key)
        motor_incomplete, motor_flagged = right_some or left_some, right_flagged or left_flagged
    else:
        motor_incomplete = motor_flagged = False
    if motor_incomplete:
        counts = _counts_below(right_motor, left_motor, nli)
        grade_c, flagged_c = _more_than_half_below_3(counts)
        if grade_c:
            flagged_c = flagged_c or motor_flagged
            if not flagged_c:
                # C also gets a star when it only holds because of tagged grades.
                plain_right, plain_left, plain_nli = untagged_nli()
                flagged_c = not _more_than_half_below_3(_counts_below(plain_right, plain_left, plain_nli))[0]
            grades.append("C*" if flagged_c else "C")
        grade_d, flagged_d = _at_least_half_3_or_more(nli, counts)
        if grade_d:
            grades.append("D*" if flagged_d or motor_flagged else "D")

    # E: normal, which an untested VAC cannot rule out.
    if vac != NO and nli[-1][0] == INTACT:
        grades.append("E*" if nli[-1][1] else "E")
    return ",".join(grades)
