"""Reading the PDFs the project makes as a person would: rendered by poppler (pdftoppm) and its text extracted
(pdftotext), so a test sees what a reader sees, whatever fonts and encodings the file uses."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: run `make browser-deps` (apt-get install poppler-utils).")
    return path


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The document's text as poppler extracts it (``layout`` keeps table columns on their lines)."""
    args = [_tool("pdftotext"), *(["-layout"] if layout else []), "-", "-"]
    done = subprocess.run(args, input=data, capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def pdf_pages_rendered(data: bytes) -> int:
    """Renders every page to PNG with pdftoppm (fails on a broken file) and returns the number of pages."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(data)
        subprocess.run(
            [_tool("pdftoppm"), "-r", "50", "-png", str(source), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pages = sorted(Path(folder).glob("page*.png"))
        assert pages and all(p.stat().st_size > 1000 for p in pages), "a blank or missing page"
        return len(pages)
