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
from tests.isncsci.exam_generator import DEFAULT_SEED, exam_lines
from tests.isncsci.reference_oracle import ReferenceUnavailable, classify_with_reference

EXAM_COUNT = 20_000


@pytest.fixture(scope="module")
def reference_results():
    def unavailable(reason: str):
        if os.environ.get("CI"):
            pytest.fail(f"the reference implementation is required in CI: {reason}")
        pytest.skip(f"reference implementation unavailable: {reason}")

    lines = exam_lines(EXAM_COUNT, DEFAULT_SEED)
    try:
        return lines, classify_with_reference(lines)
    except ReferenceUnavailable as error:
        unavailable(str(error))


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
