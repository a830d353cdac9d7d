"""Golden output: the CLI's output for a fixed input set stays byte for byte what it was.

`golden/exams.jsonl.gz` holds 8,009 lines (8,000 generated exams, seed 1604, the generator as it was on
2026-12-02, plus nine invalid lines: a bad value, bad JSON, a missing key, an empty line, an array, an
unknown field, a bad observation, a string and null). `golden/results.jsonl.gz` is what
`python -m isncsci classify` wrote for them before the speed work of issue 16 (main at d4aef14); its
8,000 results were also checked identical to the reference (npm isncsci 2.0.6). Every change to the
classifier, the parser or the output must keep this file's bytes, errors included.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import isncsci

GOLDEN = Path(__file__).resolve().with_name("golden")
SRC = Path(isncsci.__file__).resolve().parents[1]


def _golden(name: str) -> bytes:
    with gzip.open(GOLDEN / name, "rb") as file:
        return file.read()


def _cli(stdin: bytes, *options: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-S", "-m", "isncsci", "classify", *options],
        input=stdin,
        capture_output=True,
        env=dict(os.environ, PYTHONPATH=str(SRC)),
        timeout=300,
        check=False,
    )


def test_cli_output_for_the_golden_exams_is_byte_identical_to_the_recorded_output():
    done = _cli(_golden("exams.jsonl.gz"))

    expected = _golden("results.jsonl.gz")
    assert done.returncode == 1  # the set holds invalid lines
    if done.stdout != expected:
        ours, theirs = done.stdout.splitlines(), expected.splitlines()
        shorter = min(len(ours), len(theirs))
        first = next((i for i in range(shorter) if ours[i] != theirs[i]), shorter)
        raise AssertionError(
            f"output differs from line {first + 1} ({len(ours)} lines, expected {len(theirs)}):\n"
            f"  ours:     {ours[first] if first < len(ours) else b'<missing>'!r}\n"
            f"  expected: {theirs[first] if first < len(theirs) else b'<missing>'!r}"
        )


def test_classify_json_gives_the_golden_result_for_every_valid_exam():
    exams = _golden("exams.jsonl.gz").decode().splitlines()
    results = _golden("results.jsonl.gz").decode().splitlines()

    pairs = [(exam, result) for exam, result in zip(exams, results, strict=True) if '"error"' not in result]

    assert len(pairs) == 8000
    assert [isncsci.classify_json(exam) for exam, _ in pairs] == [result for _, result in pairs]
