"""Levels of the cord, allowed exam values and the properties of each value.

A cord index numbers the levels from C1 (0) to S4-5 (28); key muscles carry the index of their segment.
Result levels are written with the same names, plus ``INT`` for intact, which sits below S4-5.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False  # typing is not imported: the CLI starts without it
if TYPE_CHECKING:
    from typing import Final, Literal

    MotorValue = Literal[
        "0", "1", "2", "3", "4", "5",
        "0*", "1*", "2*", "3*", "4*",
        "0**", "1**", "2**", "3**", "4**",
        "NT", "NT*", "NT**",
    ]  # fmt: skip
    SensoryValue = Literal["0", "1", "2", "0*", "1*", "0**", "1**", "NT", "NT*", "NT**"]
    MotorLevel = Literal["C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1"]
    NonKeyMuscleLevel = Literal[
        "C5", "C6", "C7", "C8", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
        "L1", "L2", "L3", "L4", "L5", "S1",
    ]  # fmt: skip

SENSORY_LEVELS: Final = (
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8",
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
    "L1", "L2", "L3", "L4", "L5",
    "S1", "S2", "S3", "S4_5",
)  # fmt: skip
"""Every level of the cord, rostral to caudal; C1 has no dermatome of its own in the exam."""

DERMATOMES: Final = SENSORY_LEVELS[1:]
"""The 28 tested dermatomes, C2 to S4-5, in the order of the exam form."""

MOTOR_LEVELS: Final = ("C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1")
"""The ten key muscles per side, rostral to caudal."""

UPPER_LIMB: Final = MOTOR_LEVELS[:5]
LOWER_LIMB: Final = MOTOR_LEVELS[5:]

CORD_INDEX: Final = {name: index for index, name in enumerate(SENSORY_LEVELS)}
INTACT: Final = len(SENSORY_LEVELS)  # the position of "INT", one past S4-5
MOTOR_CORD_INDEX: Final = tuple(CORD_INDEX[name] for name in MOTOR_LEVELS)
KEY_MUSCLE_AT: Final = {CORD_INDEX[name]: position for position, name in enumerate(MOTOR_LEVELS)}
"""Cord index -> position in MOTOR_LEVELS, for the ten segments that have a key muscle."""

C4, T1, L1, S1, S2, S3, S4_5 = (CORD_INDEX[n] for n in ("C4", "T1", "L1", "S1", "S2", "S3", "S4_5"))

NON_KEY_MUSCLE_LEVELS: Final = SENSORY_LEVELS[CORD_INDEX["C5"] : S1 + 1]
"""The 22 levels from C5 to S1 the reference accepts as the lowest non-key muscle with motor function:
the ten key muscle levels and the segments between them without a key muscle (T2-T12, L1)."""

LEVEL_NAMES: Final = (*SENSORY_LEVELS, "INT")
"""Display name per cord index, INT included; starred forms below."""
STARRED_NAMES: Final = tuple(name + "*" for name in LEVEL_NAMES)

MOTOR_VALUES: Final[tuple[MotorValue, ...]] = (
    "0", "1", "2", "3", "4", "5",
    "0*", "1*", "2*", "3*", "4*",
    "0**", "1**", "2**", "3**", "4**",
    "NT", "NT*", "NT**",
)  # fmt: skip
SENSORY_VALUES: Final[tuple[SensoryValue, ...]] = (
    "0", "1", "2", "0*", "1*", "0**", "1**", "NT", "NT*", "NT**",
)  # fmt: skip
MOTOR_VALUE_SET: Final = frozenset(MOTOR_VALUES)
SENSORY_VALUE_SET: Final = frozenset(SENSORY_VALUES)


class Observation(StrEnum):
    """Answer for voluntary anal contraction (VAC) and deep anal pressure (DAP)."""

    YES = "Yes"
    NO = "No"
    NOT_TESTED = "NT"


OBSERVATION_VALUES: Final = frozenset(o.value for o in Observation)
OBSERVATION_TEXT: Final = {o: o.value for o in Observation}
"""Observation -> its plain string (an Observation hashes and compares as its string, so a plain string
finds its own text too)."""
# The answers as plain strings, for comparisons in the classification: looking up an enum member is
# slow in Python 3.11, and an Observation compares equal to its string.
YES: Final = "Yes"
NO: Final = "No"
NT: Final = "NT"

NOT_TESTED: Final = frozenset({"NT", "NT*", "NT**"})
"""Untested values, in either table: they make a total not determinable."""

DESTARRED: Final = {value: value.replace("*", "") for value in (*MOTOR_VALUES, *SENSORY_VALUES)}
"""Each value with its tags removed: the exam as it would read if no other condition were present."""

POINTS: Final = {value: 0 if value in NOT_TESTED else int(value[0]) for value in DESTARRED}
"""Score a value adds to a total (untested values are caught before they are summed)."""

# Motor grades grouped by how the classification treats them.
MOTOR_WEAK: Final = frozenset({"0", "1", "2"})
"""Graded below 3 by the examiner, with nothing else to blame."""
MOTOR_WEAK_TAGGED: Final = frozenset({"0*", "1*", "2*", "NT*"})
"""Weak or untested, tagged as caused by another condition: the level is flagged, never assumed normal."""
MOTOR_WEAK_AS_NORMAL: Final = frozenset({"0**", "1**", "2**"})
"""Weak, but to be taken as normal for classification."""
MOTOR_AS_NORMAL: Final = frozenset({"0**", "1**", "2**", "3**", "4**", "NT**"})
MOTOR_NORMAL: Final = frozenset({"5"}) | MOTOR_AS_NORMAL
MOTOR_MAYBE_BELOW_3: Final = frozenset({"0", "1", "2", "0*", "1*", "2*", "NT", "NT*"})
"""Values that allow a grade below 3 (when tags are ignored)."""

# Sensory scores grouped the same way.
SENSORY_IMPAIRED: Final = frozenset({"0", "1", "0*", "1*"})
SENSORY_MAY_BE_ABSENT: Final = frozenset({"0", "NT", "0*", "NT*"})
SENSORY_TAGGED_SCORE: Final = frozenset({"0*", "1*", "0**", "1**"})
