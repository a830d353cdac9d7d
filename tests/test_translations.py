"""The Spanish catalogues: every message translated, placeholders and markup kept, the compiled file current.

A Spanish-speaking patient sees Spanish pages and e-mails only if every message has a translation that
Django can use: a lost ``%(name)s`` would crash a page or drop a value, a fuzzy entry is ignored, and a
``.mo`` older than its ``.po`` serves yesterday's text.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "exoclinic"
CATALOGUES = sorted(SRC.glob("**/locale/es/LC_MESSAGES/django.po"))


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse(path: Path) -> list[Entry]:
    """Entries of a .po file (obsolete ``#~`` entries are skipped)."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current
        if current.msgid or current.msgstr:
            entries.append(current)
        current = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line and (current.msgid or current.msgstr):
                finish()
                target = None
            continue
        if line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = "", line
        value = ast.literal_eval(rest) if rest else ""
        if keyword == "msgid":
            if current.msgstr:
                finish()
            current.line, target = number, ("msgid", 0)
            current.msgid = value
        elif keyword == "msgid_plural":
            current.msgid_plural, target = value, ("msgid_plural", 0)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index], target = value, ("msgstr", index)
        elif keyword == "msgctxt":
            target = ("msgctxt", 0)
        elif keyword == "" and target is not None:
            kind, index = target
            if kind == "msgid":
                current.msgid += value
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            elif kind == "msgstr":
                current.msgstr[index] += value
    finish()
    return [e for e in entries if e.msgid]  # the header has an empty msgid


_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
_BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def placeholders(text: str) -> list[str]:
    text = text.replace("%%", "")  # a literal per cent sign, never the start of a placeholder
    named = sorted(_PERCENT.findall(text)) + sorted(_BRACES.findall(text))
    return [p for p in named if p != "%%"]


def tags(text: str) -> list[str]:
    return sorted(_TAG.findall(text))


def _name(path: Path) -> str:
    first = path.relative_to(SRC).parts[0]
    return "project" if first == "locale" else first


@pytest.mark.parametrize("path", CATALOGUES, ids=[_name(p) for p in CATALOGUES])
def test_every_message_has_a_spanish_translation_with_its_placeholders_and_markup(path):
    problems = []
    for entry in parse(path):
        where = f"{path.relative_to(SRC)}:{entry.line} {entry.msgid[:50]!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
            continue
        wanted = 3 if entry.msgid_plural is not None else 1  # Spanish has three plural forms in Django 5
        if len(entry.msgstr) != wanted or not all(entry.msgstr.values()):
            problems.append(f"{where}: not translated")
            continue
        for index, translated in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            # The singular of a plural may drop the count ("Un lugar libre"); every named value stays.
            if entry.msgid_plural is not None and index == 0:
                keep = {p for p in placeholders(source) if "(" in p}
                if not keep <= set(placeholders(translated)):
                    problems.append(f"{where}: placeholders {placeholders(translated)} vs {sorted(keep)}")
            elif placeholders(translated) != placeholders(source):
                problems.append(f"{where}: placeholders {placeholders(translated)} vs {placeholders(source)}")
            if tags(translated) != tags(source):
                problems.append(f"{where}: markup {tags(translated)} vs {tags(source)}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
@pytest.mark.parametrize("path", CATALOGUES, ids=[_name(p) for p in CATALOGUES])
def test_the_compiled_catalogue_is_the_current_one(path, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(path)], check=True, capture_output=True)
    committed = path.with_suffix(".mo")
    assert committed.exists(), f"run: msgfmt --check -o {committed} {path}"
    assert committed.read_bytes() == fresh.read_bytes(), f"stale: run msgfmt --check -o {committed} {path}"
