"""Where an English sentence left on a Spanish page comes from, so the report says who fixes it:

- ``template``: text in a template outside ``{% translate %}``;
- ``python``: a string in views, PDFs or text-building code that is not marked (or built from pieces);
- ``service message``: a string raised by a service (``raise DomainError("...")``);
- ``database content``: stored content patients read (pages, consent text, appointment and therapy names);
- ``entered text``: what a person typed (notes, answers), shown as written: reported, never a failure;
- ``record as given``: a symptom report's outcome, stored as it was shown to the patient in their language
  (a clinical record of the advice given, not rewritten later): reported, never a failure;
- ``unknown``: none of these (e.g. a library's text).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "exoclinic"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|\{\{[^}]*\}\}|\{%[^%]*%\}")
_SPACE = re.compile(r"\s+")
MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "_lazy"}

# Stored content written by the clinic for patients to read, which needs a second language (issue 20:
# django-modeltranslation, helper modeltrans). Any other stored text is what a person typed.
CONTENT_MODELS = {
    "TherapyPage",
    "ConditionPage",
    "ConsentText",
    "AppointmentType",
    "Therapy",
    "AftercareTemplate",
    "CheckInTemplate",
    "RestrictionTemplate",
    "Restriction",
}


@dataclass(frozen=True)
class Source:
    category: str
    where: str


@dataclass(frozen=True)
class _Literal:
    text: str
    pattern: re.Pattern
    where: str
    raised: bool
    marked: bool
    fixed_words: int  # words outside placeholders: a pattern of mostly placeholders matches anything


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _pattern(text: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(_normal(text))
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


def _joined(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _call_name(node) -> str:
    func = getattr(node, "func", None)
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


@cache
def python_literals() -> tuple[_Literal, ...]:
    out = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents: dict[int, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            elif isinstance(node, ast.JoinedStr):
                text = _joined(node)
            else:
                continue
            if len(text.split()) < 2 or isinstance(parents.get(id(node)), ast.JoinedStr):
                continue
            raised = marked = False
            current = parents.get(id(node))
            while current is not None:
                if isinstance(current, ast.Call) and _call_name(current) in MARKERS:
                    marked = True
                if isinstance(current, ast.Raise):
                    raised = True
                if isinstance(current, ast.FunctionDef | ast.ClassDef | ast.Module):
                    break
                current = parents.get(id(current))
            where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
            fixed = len(re.findall(r"[A-Za-z]{2,}", _PLACEHOLDER.sub(" ", text)))
            out.append(_Literal(_normal(text), _pattern(text), where, raised, marked, fixed))
    return tuple(out)


@cache
def template_texts() -> tuple[tuple[str, str], ...]:
    out = []
    for path in SRC.rglob("templates/**/*"):
        if path.is_file() and path.suffix in (".html", ".txt"):
            out.append((str(path.relative_to(SRC.parent)), _normal(path.read_text(encoding="utf-8"))))
    return tuple(out)


def _in_literal(sentence: str, literal: _Literal) -> bool:
    if sentence in literal.text:
        return True
    if literal.fixed_words < 2:
        return False
    return bool(literal.pattern.fullmatch(sentence)) or (
        literal.fixed_words >= 3 and bool(literal.pattern.search(sentence))
    )


# Rows the system writes (mail it sends, the audit trail): their text is the code's, not a person's.
SYSTEM_MODELS = {
    "OutboxMessage",
    "AuditEvent",
    "AuditChainHead",
    "ReminderDelivery",
    "RecallNotification",
    "BulkExport",
    "ApiToken",
    "ApplicationLink",
}


# JSON fields that keep text as it was shown when written (model name, field).
RECORDED_AS_GIVEN = {("SymptomReport", "outcome"), ("SymptomReport", "inputs")}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def stored_texts() -> list[tuple[str, str, str]]:
    """(model, field, value) of every stored text of the project's models but the system's own rows."""
    from django.apps import apps
    from django.db import models

    out = []
    for model in apps.get_models():
        if (
            not model.__module__.startswith("exoclinic.")
            or model._meta.proxy
            or model.__name__ in SYSTEM_MODELS
        ):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        recorded = [name for m, name in RECORDED_AS_GIVEN if m == model.__name__]
        if not fields and not recorded:
            continue
        for row in model._default_manager.values_list(*fields, *recorded):
            for name, value in zip([*fields, *recorded], row, strict=True):
                for text in _strings(value) if name in recorded else [value]:
                    if isinstance(text, str) and len(text.strip()) >= 4:
                        out.append((model.__name__, name, _normal(text)))
    return out


def _category(model: str, field: str) -> str:
    if (model, field) in RECORDED_AS_GIVEN:
        return "record as given"
    return "database content" if model in CONTENT_MODELS else "entered text"


def source_of(sentence: str, stored: list[tuple[str, str, str]]) -> Source:
    from .text import NOT_WORDS, looks_english

    sentence = _normal(sentence)
    # Without the dates and codes around it, and without the "…" of a shortened text.
    bare = _normal(NOT_WORDS.sub(" ", sentence)).strip(" ·;:,").removesuffix("…").strip()
    for model, field, value in stored:
        if sentence in value or (len(bare) > 8 and bare in value):
            return Source(_category(model, field), f"{model}.{field}")
    # A sentence of stored values (a name, an address, an appointment type) joined by words that are not
    # English is data: content when one of the values is content, typed text otherwise.
    rest, parts = sentence, []
    for model, field, value in sorted(stored, key=lambda row: -len(row[2])):
        if value in rest:
            alone = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")  # a whole value, not part of a word
            rest, found = alone.subn(" ", rest)
            if found:
                # One lower-case word ("procedure") is as likely a code or a note as content.
                single = len(value.split()) < 2 and value.islower()
                category = "entered text" if single else _category(model, field)
                parts.append((category, f"{model}.{field}"))
    if parts and not looks_english(rest):
        for category in ("database content", "record as given", "entered text"):
            wheres = [where for kind, where in parts if kind == category]
            if wheres:
                return Source(category, ", ".join(dict.fromkeys(wheres)))
    literals = [lit for lit in python_literals() if _in_literal(sentence, lit)]
    for literal in literals:
        if literal.raised:
            return Source("service message", literal.where)
    for literal in literals:
        if not literal.marked:
            return Source("python", literal.where)
    for where, text in template_texts():
        if sentence in text:
            return Source("template", where)
    if literals:
        return Source("python", literals[0].where + " (marked; no translation?)")
    return Source("unknown", "")
