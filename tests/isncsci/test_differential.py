"""Differential test: our classifier and the reference implementation (npm isncsci, run under node) must
give identical output, byte for byte, for thousands of generated exams.

Outside CI the test is skipped, with the reason, when node, npm or the package cannot be had; in CI
(environment variable CI set) that is a failure.
"""

from __future__ import annotations

import json
import os

import pytest

import isncsci
from tests.isncsci.exam_generator import (
    DEFAULT_SEED,
    DERMATOMES,
    MOTOR_LEVELS,
    MOTOR_VALUES,
    NON_KEY,
    NON_KEY_LEVELS,
    OBSERVATIONS,
    SENSORY_VALUES,
    exam_lines,
)
from tests.isncsci.reference_oracle import ReferenceUnavailable, classify_with_reference
from tests.isncsci.test_cli import run_cli
from tests.isncsci.test_examples import exam, motor, sensory, side

EXAM_COUNT = 20_000


def _reference(lines: list[str]) -> list[str]:
    try:
        return classify_with_reference(lines)
    except ReferenceUnavailable as error:
        if os.environ.get("CI"):
            pytest.fail(f"the reference implementation is required in CI: {error}")
        pytest.skip(f"reference implementation unavailable: {error}")


@pytest.fixture(scope="module")
def reference_results():
    lines = exam_lines(EXAM_COUNT, DEFAULT_SEED)
    return lines, _reference(lines)


def _differences(ours: dict, theirs: dict, path: str = "") -> list[str]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        keys = list(dict.fromkeys([*theirs, *ours]))
        return [
            d
            for key in keys
            for d in _differences(ours.get(key), theirs.get(key), f"{path}.{key}".lstrip("."))
        ]
    return [] if ours == theirs else [f"{path}: ours {ours!r}, reference {theirs!r}"]


def test_every_generated_exam_is_classified_exactly_as_the_reference_does(reference_results):
    lines, expected = reference_results

    mismatches = []
    for number, (line, reference_line) in enumerate(zip(lines, expected, strict=True)):
        ours = isncsci.classify_json(line)
        if ours != reference_line:
            mismatches.append((number, line, ours, reference_line))

    report = []
    for number, line, ours, reference_line in mismatches[:5]:
        differences = _differences(json.loads(ours), json.loads(reference_line))
        report.append(f"exam #{number}: {'; '.join(differences) or 'same values, different text'}\n  {line}")
    assert not mismatches, f"{len(mismatches)} of {len(lines)} exams differ:\n" + "\n".join(report)


def test_reference_never_failed_on_a_generated_exam(reference_results):
    _, expected = reference_results

    failures = [line for line in expected if line.startswith('{"error"')]

    assert not failures, f"the reference threw on {len(failures)} exams, e.g. {failures[0]}"


def test_generated_exams_reach_the_tricky_outcomes(reference_results):
    # Guards the generator: if it stopped producing these, the differential test would prove less.
    _, expected = reference_results
    results = [json.loads(line)["classification"] for line in expected]

    def seen(predicate) -> int:
        return sum(1 for result in results if predicate(result))

    assert seen(lambda r: "," in r["neurologicalLevelOfInjury"]) > 100
    assert seen(lambda r: "*" in r["neurologicalLevelOfInjury"]) > 100
    assert seen(lambda r: r["injuryComplete"] == "C*,I*") > 0
    assert seen(lambda r: r["injuryComplete"] == "I*") > 0
    assert seen(lambda r: r["injuryComplete"] == "C,I") > 100
    for grade in ("A", "B", "C", "D", "E", "A*", "B*", "C*", "D*", "E*"):
        assert seen(lambda r, g=grade: g in r["ASIAImpairmentScale"].split(",")) > 0, grade
    assert seen(lambda r: r["neurologicalLevelOfInjury"] == "INT") > 0
    zones = [z for r in results for z in r["zoneOfPartialPreservations"].values()]
    assert sum(1 for z in zones if z.startswith("NA,")) > 100
    assert sum(1 for z in zones if "*" in z) > 100
    assert sum(1 for z in zones if z.count(",") >= 2) > 100


def test_generated_exams_give_every_field_every_value_the_reference_accepts(reference_results):
    # Guards the generator: each motor, sensory, VAC and DAP value at each place, and the non-key muscle
    # absent, null and at each of the 22 levels from C5 to S1, on both sides.
    lines, _ = reference_results
    seen: dict[str, set] = {}
    for line in lines:
        data = json.loads(line)
        for name in ("voluntaryAnalContraction", "deepAnalPressure"):
            seen.setdefault(name, set()).add(data[name])
        for side_name in ("right", "left"):
            for table in ("motor", "lightTouch", "pinPrick"):
                for key, value in data[side_name][table].items():
                    seen.setdefault(f"{side_name}.{table}.{key}", set()).add(value)
            seen.setdefault(f"{side_name}.{NON_KEY}", set()).add(data[side_name].get(NON_KEY, "absent"))

    missing = {}
    for side_name in ("right", "left"):
        for table, keys, values in (
            ("motor", MOTOR_LEVELS, MOTOR_VALUES),
            ("lightTouch", DERMATOMES, SENSORY_VALUES),
            ("pinPrick", DERMATOMES, SENSORY_VALUES),
        ):
            for key in keys:
                path = f"{side_name}.{table}.{key}"
                if set(values) - seen[path]:
                    missing[path] = set(values) - seen[path]
        path = f"{side_name}.{NON_KEY}"
        if {*NON_KEY_LEVELS, None, "absent"} - seen[path]:
            missing[path] = {*NON_KEY_LEVELS, None, "absent"} - seen[path]
    for name in ("voluntaryAnalContraction", "deepAnalPressure"):
        if set(OBSERVATIONS) - seen[name]:
            missing[name] = set(OBSERVATIONS) - seen[name]
    assert not missing


def test_generated_exams_put_thoracic_and_l1_non_key_muscles_where_b_or_c_is_decided(reference_results):
    lines, expected = reference_results
    between_key_muscles = set(NON_KEY_LEVELS) - set(MOTOR_LEVELS)

    deciding = 0
    for line, result in zip(lines, expected, strict=True):
        data = json.loads(line)
        levels = {data[s].get(NON_KEY) for s in ("right", "left")}
        grades = json.loads(result)["classification"]["ASIAImpairmentScale"].replace("*", "").split(",")
        if levels & between_key_muscles and {"B", "C"} & set(grades):
            deciding += 1

    assert deciding > 500


def _t6_sensory_incomplete(**non_key: str | None) -> dict:
    """Normal to T6, nothing below but light touch at S4-5, VAC and DAP absent: B unless motor function
    more than three levels below the motor level (a non-key muscle counts) makes it C."""
    right = side(motor("T1"), sensory("T6", S4_5="1"), sensory("T6"))
    left = side(motor("T1"), sensory("T6"), sensory("T6"))
    for side_name, level in non_key.items():
        (right if side_name == "right" else left)[NON_KEY] = level
    return exam(right, left)


@pytest.mark.parametrize("level", [*NON_KEY_LEVELS, None])
def test_exam_with_any_non_key_muscle_level_classifies_as_the_reference_does(level):
    # Every level from C5 to S1 on each side, in a B-versus-C exam and in an exam with NT and tags.
    tagged = _t6_sensory_incomplete()
    tagged["right"]["motor"].update(L2="NT", L3="0*", L4="0**")
    tagged["left"]["lightTouch"].update(T9="NT*", S4_5="0**")
    tagged["voluntaryAnalContraction"] = "NT"
    exams = [_t6_sensory_incomplete(right=level), _t6_sensory_incomplete(left=level)]
    for base in (tagged, _t6_sensory_incomplete()):
        variant = json.loads(json.dumps(base))
        variant["right"][NON_KEY] = variant["left"][NON_KEY] = level
        exams.append(variant)
    lines = [json.dumps(e, separators=(",", ":")) for e in exams]

    assert [isncsci.classify_json(line) for line in lines] == _reference(lines)


def test_thoracic_and_l1_non_key_muscles_leave_b_where_the_reference_leaves_it():
    # The reference (2.0.6) compares the non-key muscle with the key muscles only: a level without a key
    # muscle (T12 right, L1 left, both more than three levels below the T6 motor level) changes nothing,
    # while a key muscle level (L2) makes the injury motor incomplete, AIS C.
    lines = [
        json.dumps(_t6_sensory_incomplete(right="T12", left="L1")),
        json.dumps(_t6_sensory_incomplete()),
        json.dumps(_t6_sensory_incomplete(right="L2")),
    ]

    reference = _reference(lines)
    ours = [isncsci.classify_json(line) for line in lines]

    assert ours == reference
    grades = [json.loads(line)["classification"]["ASIAImpairmentScale"] for line in ours]
    assert grades == ["B", "B", "C"]


def test_cli_classifies_thoracic_and_l1_non_key_muscles_as_the_reference_does():
    lines = [
        json.dumps(_t6_sensory_incomplete(right="T8", left="L1")),
        json.dumps(_t6_sensory_incomplete(right="L1", left="T2"), separators=(",", ":")),
        json.dumps(_t6_sensory_incomplete(right="T12", left="L3")),
    ]

    done = run_cli("\n".join(lines) + "\n")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == _reference(lines)
