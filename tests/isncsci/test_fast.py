"""The fast reading of exam lines (isncsci/fast.py) gives what json.loads and the full check give, and
the CLI's --jobs option gives the single-process output."""

from __future__ import annotations

import gzip
import itertools
import json
import re

import pytest

import isncsci
from isncsci import fast
from isncsci.classify import _exam_values
from isncsci.result import JSON_TEMPLATE
from tests.isncsci.exam_generator import exam_lines, generate_exams
from tests.isncsci.test_golden import GOLDEN, _cli

OBSERVATIONS = ("Yes", "No", "NT")


def _slow(line: str) -> str:
    return JSON_TEMPLATE % _exam_values(isncsci.parse_exam(json.loads(line)))


def _texts(allowed) -> set[str]:
    """Every text of up to four characters from the characters the values use (and a few others), plus
    each allowed value with a character added."""
    alphabet = sorted(set("".join(allowed)) | {"*", "5", "6", "9", "x", " "})
    texts = {"".join(p) for n in range(5) for p in itertools.product(alphabet, repeat=n)}
    return texts | {v + c for v in allowed for c in alphabet}


@pytest.mark.parametrize(
    ("group", "allowed"),
    [(fast.NON_KEY_VALUE, isncsci.NON_KEY_MUSCLE_LEVELS), (fast.OBSERVATION_VALUE, OBSERVATIONS)],
)
def test_each_value_pattern_matches_exactly_the_values_allowed_in_its_field(group, allowed):
    pattern = re.compile(group)

    matched = {text for text in _texts(allowed) if pattern.fullmatch(text)}

    assert matched == set(allowed)


def _exam_with_marker(side: str, table: str, key: str) -> str:
    exam = next(generate_exams(1, seed=81))
    exam[side][table][key] = "@marker@"
    return json.dumps(exam, separators=(",", ":"))


@pytest.mark.parametrize(
    ("side", "table", "key", "allowed"),
    [
        ("right", "motor", "C5", isncsci.MOTOR_VALUES),
        ("left", "motor", "S1", isncsci.MOTOR_VALUES),
        ("right", "lightTouch", "C2", isncsci.SENSORY_VALUES),
        ("left", "pinPrick", "S4_5", isncsci.SENSORY_VALUES),
    ],
)
def test_a_table_value_is_read_fast_exactly_when_it_is_allowed_in_its_table(side, table, key, allowed):
    template = _exam_with_marker(side, table, key)

    read = {
        text
        for text in _texts(allowed)
        if fast.read_exam_line(template.replace('"@marker@"', json.dumps(text)))
    }

    assert read == set(allowed)


def test_a_value_not_allowed_anywhere_in_the_tables_sends_the_line_to_the_full_check():
    exam = next(generate_exams(1, seed=82))
    for side in ("right", "left"):
        for table, bad in (("motor", "5*"), ("lightTouch", "2*"), ("pinPrick", "3")):
            for key, value in list(exam[side][table].items()):
                exam[side][table][key] = bad
                line = json.dumps(exam, separators=(",", ":"))
                exam[side][table][key] = value

                assert fast.read_exam_line(line) is None, (side, table, key)
                with pytest.raises(isncsci.ExamValidationError) as caught:
                    isncsci.classify_json(line)
                assert str(caught.value).startswith(f"{side}.{table}.{key}: "), str(caught.value)


def test_generated_lines_in_both_layouts_read_fast_and_classify_as_the_full_path():
    exams = list(generate_exams(2000, seed=77))
    compact = [json.dumps(e, separators=(",", ":")) for e in exams]
    spaced = [json.dumps(e) for e in exams]

    for line in compact + spaced:
        assert fast.read_exam_line(line) is not None, line
        assert fast.read_exam_line(line + "\n") is not None
        assert isncsci.classify_json(line) == _slow(line)


def _variants(exam: dict) -> list[str]:
    reordered = {"left": exam["left"], "right": exam["right"], **exam}
    escaped = json.dumps(exam, separators=(",", ":")).replace('"5"', '"\\u0035"', 1)
    return [
        json.dumps(exam, indent=1),
        json.dumps(reordered, separators=(",", ":")),
        json.dumps(exam, separators=(", ", ":")),
        " " + json.dumps(exam, separators=(",", ":")),
        json.dumps(exam, separators=(",", ":")) + "\r\n",
        escaped,
    ]


def test_other_layouts_and_escapes_take_the_full_path_with_the_same_result():
    exams = [e for e in generate_exams(300, seed=78) if '"5"' in json.dumps(e)]

    for exam in exams:
        expected = _slow(json.dumps(exam))
        for line in _variants(exam):
            assert fast.read_exam_line(line) is None, line
            assert isncsci.classify_json(line) == expected


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda e: e["right"]["motor"].__setitem__("C5", "5*"), 'right.motor.C5: "5*" is not a motor value'),
        (
            lambda e: e["left"]["pinPrick"].__setitem__("S4_5", "3"),
            'left.pinPrick.S4_5: "3" is not a sensory value',
        ),
        (
            lambda e: e["left"].__setitem__("lowestNonKeyMuscleWithMotorFunction", "C4"),
            'left.lowestNonKeyMuscleWithMotorFunction: "C4" is not a level from C5 to S1',
        ),
        (
            lambda e: e.__setitem__("deepAnalPressure", "yes"),
            'deepAnalPressure: "yes" is not one of Yes, No, NT',
        ),
        (
            lambda e: e["right"]["motor"].__setitem__("C5", "5\t"),
            'right.motor.C5: "5\t" is not a motor value',
        ),
    ],
)
def test_a_line_with_a_bad_value_is_not_read_fast_and_the_cli_names_the_field(change, error):
    exam = next(generate_exams(1, seed=79))
    change(exam)
    line = json.dumps(exam, separators=(",", ":"))

    assert fast.read_exam_line(line) is None
    with pytest.raises(isncsci.ExamValidationError) as caught:
        isncsci.classify_json(line)
    assert str(caught.value) == error


def test_control_character_inside_a_value_is_reported_as_invalid_json_as_before():
    line = exam_lines(1, seed=80)[0].replace('"C5":"', '"C5":"\x01', 1)

    done = _cli((line + "\n").encode())

    assert done.returncode == 1
    assert json.loads(done.stdout)["error"].startswith("exam: not valid JSON (Invalid control character")


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_jobs_option_gives_the_golden_output_in_order(jobs):
    with gzip.open(GOLDEN / "exams.jsonl.gz", "rb") as file:
        exams = file.read()
    with gzip.open(GOLDEN / "results.jsonl.gz", "rb") as file:
        expected = file.read()

    done = _cli(exams, "--jobs", jobs)

    assert done.returncode == 1
    assert done.stdout == expected


def test_jobs_option_refuses_a_negative_count():
    done = _cli(b"", "--jobs", "-1")

    assert done.returncode == 2
    assert b"--jobs" in done.stderr
