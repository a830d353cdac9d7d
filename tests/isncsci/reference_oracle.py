"""The reference implementation (npm package isncsci, Apache-2.0) as an oracle, run under node.

Installed on demand into the git-ignored `.reference/` folder at the repository root and reused after.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path

REFERENCE_PACKAGE = "isncsci"
REFERENCE_VERSION = "2.0.6"
ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = ROOT / ".reference"
RUNNER = Path(__file__).resolve().with_name("reference_runner.cjs")


class ReferenceUnavailable(RuntimeError):
    """node, npm or the package could not be found or installed."""


def installed_version() -> str | None:
    manifest = REFERENCE_DIR / "node_modules" / REFERENCE_PACKAGE / "package.json"
    try:
        return json.loads(manifest.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_reference() -> Path:
    """Return the folder holding node_modules/isncsci at the pinned version, installing it if needed.

    Test workers running in parallel (pytest -n) take a file lock, so only one of them runs npm."""
    if shutil.which("node") is None:
        raise ReferenceUnavailable("node is not installed")
    if installed_version() == REFERENCE_VERSION:
        return REFERENCE_DIR
    REFERENCE_DIR.mkdir(exist_ok=True)
    with open(REFERENCE_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed_version() == REFERENCE_VERSION:
            return REFERENCE_DIR
        return _install()


def _install() -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise ReferenceUnavailable("npm is not installed")
    command = [npm, "install", "--prefix", str(REFERENCE_DIR), "--no-audit", "--no-fund", "--loglevel=error"]
    command += ["--save-exact", f"{REFERENCE_PACKAGE}@{REFERENCE_VERSION}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ReferenceUnavailable(f"npm install failed: {error}") from error
    if done.returncode != 0 or installed_version() != REFERENCE_VERSION:
        raise ReferenceUnavailable(
            f"npm install {REFERENCE_PACKAGE}@{REFERENCE_VERSION} failed: {done.stderr[-2000:]}"
        )
    return REFERENCE_DIR


def reference_command(reference_dir: Path) -> list[str]:
    """Command that reads exams as JSON lines on stdin and writes the reference's results as JSON lines."""
    node = shutil.which("node")
    if node is None:
        raise ReferenceUnavailable("node is not installed")
    return [node, str(RUNNER), str(reference_dir)]


def classify_with_reference(lines: list[str]) -> list[str]:
    """The reference's output line for each exam line (a result, or {"error": ...} if it threw)."""
    reference_dir = ensure_reference()
    done = subprocess.run(
        reference_command(reference_dir),
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise ReferenceUnavailable(f"the reference runner failed: {done.stderr[-2000:]}")
    output = done.stdout.splitlines()
    if len(output) != len(lines):
        raise ReferenceUnavailable(f"the reference runner gave {len(output)} lines for {len(lines)} exams")
    return output
