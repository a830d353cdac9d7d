"""Command line: `python -m isncsci classify` reads exams as JSON lines and writes results as JSON lines.

Start-up matters when a process classifies one file: this module imports only what the common path
needs (the classifier and `fast.read_exam_line`); `json`, the typed exam checks, `argparse` and
`multiprocessing` are imported when a line needs them, when options are given, or with `--jobs`.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator

from .classify import classify_values
from .fast import read_exam_line
from .template import JSON_TEMPLATE

TYPE_CHECKING = False  # typing is not imported: the CLI starts without it
if TYPE_CHECKING:
    from typing import TextIO

USAGE_HINT = "usage: python -m isncsci classify [--jobs N]  (python -m isncsci --help for more)"


def classify_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[bool, str]]:
    """For each exam line, (valid, output line without newline): a result or {"error": "<path>: <why>"}."""
    for line in lines:
        values = read_exam_line(line)
        if values is not None:
            yield True, JSON_TEMPLATE % classify_values(*values)
        else:
            yield _classify_slowly(line)


def _classify_slowly(line: bytes | str) -> tuple[bool, str]:
    """The full path: json.loads and the per-field check, which names the problem of an invalid line."""
    import json

    from .classify import _exam_values
    from .exam import ExamValidationError, FieldError, parse_exam

    try:
        data = json.loads(line)
    except ValueError as error:  # JSONDecodeError and undecodable bytes
        if not line.strip():
            return False, _error_line(FieldError("", "empty line, expected an exam"))
        return False, _error_line(FieldError("", f"not valid JSON ({error})"))
    try:
        return True, JSON_TEMPLATE % _exam_values(parse_exam(data))
    except ExamValidationError as error:
        return False, _error_line(error.errors[0])


def _error_line(error) -> str:
    import json

    return json.dumps({"error": str(error)}, separators=(",", ":"))


def classify_chunk(lines: list[str]) -> tuple[int, str]:
    """(exit status, output text) for a list of lines: the unit of work of one process."""
    status = 0
    out = []
    append = out.append
    read, core, template = read_exam_line, classify_values, JSON_TEMPLATE
    for line in lines:
        values = read(line)
        if values is not None:
            append(template % core(*values))
        else:
            valid, text = _classify_slowly(line)
            if not valid:
                status = 1
            append(text)
    return status, "\n".join(out) + "\n" if out else ""


def run_classify(source: TextIO, sink: TextIO, batch: int = 256) -> int:
    """Classify every line of `source` into `sink`; returns the exit status (1 if any line was invalid).

    Output is written every `batch` lines (1 for interactive use, so each answer appears at once)."""
    status = 0
    if batch == 1:
        for line in source:
            valid, text = next(classify_lines([line]))
            status |= not valid
            sink.write(text + "\n")
            sink.flush()
        return status
    while True:
        lines = source.readlines(1 << 16)  # about 45 exams at a time, read and written in one go
        if not lines:
            break
        chunk_status, text = classify_chunk(lines)
        status |= chunk_status
        sink.write(text)
    sink.flush()
    return status


def run_classify_parallel(source: TextIO, sink: TextIO, jobs: int) -> int:
    """As run_classify, with `jobs` worker processes classifying chunks of lines; output keeps the order."""
    import multiprocessing

    def chunks() -> Iterator[list[str]]:
        while True:
            lines = source.readlines(1 << 20)  # about 700 exams per chunk
            if not lines:
                return
            yield lines

    status = 0
    with multiprocessing.Pool(jobs) as pool:
        for chunk_status, text in pool.imap(classify_chunk, chunks()):
            status |= chunk_status
            sink.write(text)
    sink.flush()
    return status


def _parse_arguments(argv: list[str]) -> int:
    """The number of jobs; argparse is loaded only when there is more than the bare command to read."""
    if argv == ["classify"]:
        return 1
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m isncsci", description="ISNCSCI 2019 classification of spinal cord injury exams."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    command = commands.add_parser(
        "classify",
        help="classify exams: one JSON exam per line on stdin, one JSON result per line on stdout",
        description=(
            "Reads one exam per line (JSON, the reference implementation's format) from stdin and writes "
            'one result per line to stdout, in the same order. An invalid line gives {"error": "<field>: '
            '<problem>"} and the others go on; the exit status is 1 when any line was invalid.'
        ),
    )
    command.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="worker processes for large inputs (default 1; 0 means one per CPU); output order is kept",
    )
    args = parser.parse_args(argv)
    if args.jobs < 0:
        parser.error("--jobs: expected 0 or more")
    return args.jobs or os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    jobs = _parse_arguments(sys.argv[1:] if argv is None else argv)
    # Undecodable bytes become U+FFFD: such a line is reported as invalid JSON instead of stopping the run.
    # Output is ASCII (json.dumps escapes the rest), so the standard stdout serves whatever its encoding.
    source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    try:
        if jobs > 1 and not sys.stdin.isatty():
            return run_classify_parallel(source, sys.stdout, jobs)
        return run_classify(source, sys.stdout, batch=1 if sys.stdin.isatty() else 256)
    except BrokenPipeError:
        # The reader went away (as with `| head`): stop quietly, and keep Python from flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
