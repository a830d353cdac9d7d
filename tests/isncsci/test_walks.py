"""The level walks are written out by kind of segment (isncsci/levels.py): their runs must visit every
segment from C1 to S3 once, in order, each with the steps of its own kind."""

from __future__ import annotations

from isncsci.levels import _MOTOR_RUNS, _NLI_RUNS, STRETCH_OF_RUN
from isncsci.values import LEVEL_NAMES, MOTOR_CORD_INDEX, S3


def _motor_walk_segments() -> list[tuple[str, str]]:
    visited = []
    for sensory, above, first, muscles, last_index, last, stretch in _MOTOR_RUNS:
        visited += [(LEVEL_NAMES[below - 1], "sensation") for below in sensory]
        visited.append(
            (LEVEL_NAMES[above], f"above the key muscles from {LEVEL_NAMES[MOTOR_CORD_INDEX[first]]}")
        )
        visited += [(LEVEL_NAMES[i], f"key muscle {p}, next {p + 1}") for i, p in muscles]
        visited.append((LEVEL_NAMES[last_index], f"last key muscle {last}"))
        assert stretch == STRETCH_OF_RUN[last]
    return visited + [("S2", "sensation"), ("S3", "sensation")]


def _nli_walk_segments() -> list[tuple[str, str]]:
    visited = []
    for sensory, above, first, muscles in _NLI_RUNS:
        visited += [(LEVEL_NAMES[below - 1], "sensation") for below in sensory]
        visited.append(
            (LEVEL_NAMES[above], f"above the key muscles from {LEVEL_NAMES[MOTOR_CORD_INDEX[first]]}")
        )
        visited += [(LEVEL_NAMES[i], f"key muscle {p}, compared with {c}") for i, p, c in muscles]
    return visited + [("S2", "sensation"), ("S3", "sensation")]


def test_both_walks_visit_every_segment_from_c1_to_s3_once_in_order():
    expected = list(LEVEL_NAMES[: S3 + 1])

    assert [name for name, _ in _motor_walk_segments()] == expected
    assert [name for name, _ in _nli_walk_segments()] == expected


def test_each_segment_is_walked_with_the_steps_of_its_kind():
    motor = dict(_motor_walk_segments())
    nli = dict(_nli_walk_segments())

    for name in ("C1", "C2", "C3", "T2", "T7", "T12", "S2", "S3"):
        assert motor[name] == nli[name] == "sensation"
    assert motor["C4"] == nli["C4"] == "above the key muscles from C5"
    assert motor["L1"] == nli["L1"] == "above the key muscles from L2"
    assert motor["C5"] == "key muscle 0, next 1"
    assert motor["L5"] == "key muscle 8, next 9"
    assert motor["T1"] == "last key muscle 4"
    assert motor["S1"] == "last key muscle 9"
    assert nli["C8"] == "key muscle 3, compared with 4"
    # The last key muscle of a run is compared with itself in the NLI walk.
    assert nli["T1"] == "key muscle 4, compared with 4"
    assert nli["S1"] == "key muscle 9, compared with 9"
