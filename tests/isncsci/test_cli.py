"""The command line: `python -m isncsci classify`, JSON lines in, JSON lines out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import isncsci
from tests.isncsci.test_validation import normal_exam

SRC = Path(isncsci.__file__).resolve().parents[1]


def run_cli(stdin: str) -> subprocess.CompletedProcess[str]:
    # -S: no site-packages, so the package must work with nothing installed, from PYTHONPATH alone.
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, "-S", "-m", "isncsci", "classify"],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_each_exam_line_gives_its_result_line_in_order():
    first, second = normal_exam(), normal_exam()
    second["right"]["motor"] = dict.fromkeys(second["right"]["motor"], "0")
    lines = [json.dumps(first), json.dumps(second)]

    done = run_cli("\n".join(lines) + "\n")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [isncsci.classify_json(line) for line in lines]
    assert json.loads(done.stdout.splitlines()[1])["totals"]["right"]["motor"] == "0"


def test_invalid_lines_give_errors_and_the_others_go_on_with_exit_status_1():
    bad_value = normal_exam()
    bad_value["left"]["motor"]["L4"] = "6"
    missing = normal_exam()
    del missing["right"]["pinPrick"]["S2"]
    lines = [json.dumps(normal_exam()), json.dumps(bad_value), "{not json", json.dumps(missing), "", "[1, 2]"]

    done = run_cli("\n".join(lines) + "\n")

    output = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1
    assert len(output) == len(lines)
    assert output[0]["classification"]["ASIAImpairmentScale"] == "E"
    assert output[1] == {"error": 'left.motor.L4: "6" is not a motor value'}
    assert output[2]["error"].startswith("exam: not valid JSON")
    assert output[3] == {"error": "right.pinPrick.S2: missing"}
    assert output[4] == {"error": "exam: empty line, expected an exam"}
    assert output[5] == {"error": "exam: expected a JSON object, got an array"}


def test_package_imports_nothing_from_django_or_the_clinic_app():
    # Run with site-packages on, where Django is importable, to see that classifying does not load it.
    code = (
        "import sys, isncsci; isncsci.classify_json(sys.argv[1]);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'exoclinic')))"
    )

    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(normal_exam())],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(SRC)),
        timeout=60,
        check=True,
    )

    assert done.stdout.strip() == "[]"


def test_classifying_a_file_of_valid_lines_loads_only_what_that_needs():
    # Start-up counts when a process classifies one file: json, argparse, typing, dataclasses and the typed
    # exam checks are for invalid lines, options and the typed API only.
    code = (
        f"import io, sys; sys.path.insert(0, {str(SRC)!r}); from isncsci.cli import run_classify;"
        "run_classify(io.StringIO(sys.argv[1] + '\\n'), io.StringIO());"
        "print(sorted(m for m in ('json', 'argparse', 'typing', 'dataclasses', 'isncsci.exam',"
        " 'isncsci.result', 'multiprocessing') if m in sys.modules))"
    )

    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, json.dumps(normal_exam())],
        capture_output=True,
        text=True,
        input="",
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
