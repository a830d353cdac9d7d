"""The level walks are written out by kind of segment (isncsci/levels.py): their runs must visit every
segment from C1 to S3 once, in order, each with the steps of its own kind."""

from __future__ import annotations

from isncsci.levels import _MOTOR_RUNS, _NLI_RUNS, ABOVE_KEY_MUSCLES_PAIR, KEY_MUSCLE_STEP, STRETCH_OF_RUN
from isncsci.values import LEVEL_NAMES, MOTOR_CORD_INDEX, S3


def _muscle_segments(muscles, key_label) -> list[tuple[str, str]]:
    visited = []
    for i, table, p, compared in muscles:
        if table is ABOVE_KEY_MUSCLES_PAIR:
            assert compared == p
            visited.append((LEVEL_NAMES[i], f"above the key muscles from {LEVEL_NAMES[MOTOR_CORD_INDEX[p]]}"))
        else:
            assert table is KEY_MUSCLE_STEP
            visited.append((LEVEL_NAMES[i], key_label(p, compared)))
    return visited


def _motor_walk_segments() -> list[tuple[str, str]]:
    visited = []
    for sensory, muscles, last_of_run in _MOTOR_RUNS:
        visited += [(LEVEL_NAMES[below - 1], "sensation") for below in sensory]
        if last_of_run is None:
            assert muscles == ()
            continue
        visited += _muscle_segments(muscles, lambda p, c: f"key muscle {p}, next {c}")
        last_index, last, stretch = last_of_run
        visited.append((LEVEL_NAMES[last_index], f"last key muscle {last}"))
        assert stretch == STRETCH_OF_RUN[last]
    return visited


def _nli_walk_segments() -> list[tuple[str, str]]:
    visited = []
    for sensory, muscles, _ in _NLI_RUNS:
        visited += [(LEVEL_NAMES[below - 1], "sensation") for below in sensory]
        visited += _muscle_segments(muscles, lambda p, c: f"key muscle {p}, compared with {c}")
    return visited


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
