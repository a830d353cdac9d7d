"""Command line: `python -m isncsci classify` reads exams as JSON lines and writes results as JSON lines."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from .classify import classify_exam
from .exam import ExamValidationError, FieldError, parse_exam


def classify_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[bool, str]]:
    """For each exam line, (valid, output line without newline): a result or {"error": "<path>: <why>"}."""
    loads = json.loads
    for line in lines:
        try:
            data = loads(line)
        except ValueError as error:  # JSONDecodeError and undecodable bytes
            if not line.strip():
                yield False, _error_line(FieldError("", "empty line, expected an exam"))
            else:
                yield False, _error_line(FieldError("", f"not valid JSON ({error})"))
            continue
        try:
            yield True, classify_exam(parse_exam(data)).to_json()
        except ExamValidationError as error:
            yield False, _error_line(error.errors[0])


def _error_line(error: FieldError) -> str:
    return json.dumps({"error": str(error)}, separators=(",", ":"))


def run_classify(source: TextIO, sink: TextIO, batch: int = 256) -> int:
    """Classify every line of `source` into `sink`; returns the exit status (1 if any line was invalid).

    Output is written every `batch` lines (1 for interactive use, so each answer appears at once)."""
    status = 0
    pending: list[str] = []
    for valid, output in classify_lines(source):
        if not valid:
            status = 1
        pending.append(output)
        if len(pending) >= batch:
            sink.write("\n".join(pending) + "\n")
            sink.flush()
            pending.clear()
    if pending:
        sink.write("\n".join(pending) + "\n")
    sink.flush()
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m isncsci", description="ISNCSCI 2019 classification of spinal cord injury exams."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser(
        "classify",
        help="classify exams: one JSON exam per line on stdin, one JSON result per line on stdout",
        description=(
            "Reads one exam per line (JSON, the reference implementation's format) from stdin and writes "
            'one result per line to stdout, in the same order. An invalid line gives {"error": "<field>: '
            '<problem>"} and the others go on; the exit status is 1 when any line was invalid.'
        ),
    )
    parser.parse_args(argv)
    # Undecodable bytes become U+FFFD: such a line is reported as invalid JSON instead of stopping the run.
    # Output is ASCII (json.dumps escapes the rest), so the standard stdout serves whatever its encoding.
    source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    try:
        return run_classify(source, sys.stdout, batch=1 if sys.stdin.isatty() else 256)
    except BrokenPipeError:
        # The reader went away (as with `| head`): stop quietly, and keep Python from flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
