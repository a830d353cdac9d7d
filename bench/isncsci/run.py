"""Benchmark: our CLI (`python -m isncsci classify`) against the reference implementation under node.

Both read the same 20,000 generated exams from a file as JSON lines and write one result per line; the
whole process is timed (start-up, parsing, classification, output), alternating the two for several
rounds. Results go to docs/benchmarks.md under "## ISNCSCI classifier".

Run: .venv/bin/python bench/isncsci/run.py [--exams 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.isncsci.exam_generator import DEFAULT_SEED, exam_lines  # noqa: E402
from tests.isncsci.reference_oracle import REFERENCE_VERSION, ensure_reference, reference_command  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## ISNCSCI classifier"


def timed_run(command: list[str], source: Path, sink: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system) of one run of `command` from `source` into `sink`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with source.open("rb") as stdin, sink.open("wb") as stdout:
        start = time.perf_counter()
        subprocess.run(command, stdin=stdin, stdout=stdout, env=env, check=True)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()


def write_section(text: str) -> None:
    """Replace our section of docs/benchmarks.md (or add it), leaving other sections alone."""
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    DOC.write_text(updated.rstrip("\n") + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exams", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the results, do not update the doc")
    args = parser.parse_args()

    reference_dir = ensure_reference()
    # As pip leaves an installed package: its bytecode compiled. Without this, an environment that sets
    # PYTHONDONTWRITEBYTECODE (as the machines here do) has every run compile the package's modules again,
    # about 8 ms a run.
    compileall.compile_dir(ROOT / "src" / "isncsci", quiet=1)
    load_before = os.getloadavg()[0]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    ours = [sys.executable, "-m", "isncsci", "classify"]
    theirs = reference_command(reference_dir)
    with tempfile.TemporaryDirectory(prefix="isncsci-bench-") as tmp:
        source, our_out, their_out = Path(tmp, "exams.jsonl"), Path(tmp, "ours.jsonl"), Path(tmp, "ref.jsonl")
        source.write_text("".join(line + "\n" for line in exam_lines(args.exams, DEFAULT_SEED)))
        results: dict[str, list[tuple[float, float]]] = {"ours": [], "reference": []}
        for round_number in range(args.rounds):
            order = [("ours", ours, our_out), ("reference", theirs, their_out)]
            if round_number % 2:
                order.reverse()
            for name, command, sink in order:
                results[name].append(timed_run(command, source, sink, env))
            print(
                f"round {round_number + 1}: ours {results['ours'][-1][0]:.2f} s, "
                f"reference {results['reference'][-1][0]:.2f} s",
                file=sys.stderr,
            )
        same = our_out.read_bytes() == their_out.read_bytes()
    load_after = os.getloadavg()[0]

    def rate(name: str, which: int) -> float:
        return args.exams / statistics.median(run[which] for run in results[name])

    ours_wall, ref_wall = rate("ours", 0), rate("reference", 0)
    ours_cpu, ref_cpu = rate("ours", 1), rate("reference", 1)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    py = platform.python_version()
    text = f"""{HEADING}

Our CLI (`python -m isncsci classify`) against the reference implementation (npm `isncsci@{REFERENCE_VERSION}`
under node, `tests/isncsci/reference_runner.cjs`). Each run is a whole process reading {args.exams:,}
generated exams (seed {DEFAULT_SEED}, the generator of the differential test) as JSON lines from a file and
writing one result per line to a file; the two alternate for {args.rounds} rounds and the median is used.
Our package's bytecode is compiled before the runs, as pip leaves an installed package.

- Date: {now}
- Machine: {os.cpu_count()} CPUs (nproc), {platform.machine()}, Python {py}, node {node_version()};
  load average {load_before:.1f} before and {load_after:.1f} after the run (other work on the machine
  slows both sides; the CPU-time column is the less disturbed measure, the wall clock the one asked for)
- Command: `.venv/bin/python bench/isncsci/run.py --exams {args.exams} --rounds {args.rounds}`
- Outputs identical byte for byte: {"yes" if same else "NO"}

| | exams/s (wall clock) | exams/s (CPU time) |
|---|---:|---:|
| ours (Python {py}) | {ours_wall:,.0f} | {ours_cpu:,.0f} |
| reference (node) | {ref_wall:,.0f} | {ref_cpu:,.0f} |
| ratio ours / reference | {ours_wall / ref_wall:.2f} | {ours_cpu / ref_cpu:.2f} |

Wall-clock times per round, seconds: ours {", ".join(f"{w:.2f}" for w, _ in results["ours"])};
reference {", ".join(f"{w:.2f}" for w, _ in results["reference"])}.
"""
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"written to {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
