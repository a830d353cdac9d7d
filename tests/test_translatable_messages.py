"""Every message a person reads in a refusal is translatable where it is raised (issue 20).

Walks every module under ``src/exoclinic`` and finds each construction of a user-facing error: the
``core.errors`` tree and every subclass defined in the project, ``FhirError``, the file checker's
``NotAllowed``, Django's ``ValidationError`` and ninja's ``HttpError``; the small helpers that forward their
``message`` parameter to one of those (such as triage's ``_fail``); and the other places a message reaches a
person (form errors, flash messages, instrument scoring problems). The message must be a
``gettext``/``gettext_lazy`` call on a literal msgid (named placeholders only, filled with ``% {...}``), or a
name, table or helper that traces back to one. Plain literals, f-strings, ``.format()`` and concatenations
fail with file:line. The few internal-only places are in ``ALLOWED`` with the reason.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

SRC = Path(__file__).resolve().parents[1] / "src" / "exoclinic"

# Error classes whose message reaches a person (API JSON, a form error, a FHIR OperationOutcome) and the
# index of the positional argument that carries the message. Subclasses defined in the project are found.
ROOTS = {
    "DomainError": 0,  # exoclinic.core.errors
    "FhirError": 2,  # (status, code, diagnostics)
    "NotAllowed": 0,  # intake.filecheck: its text is shown with the upload refusal
    "ValidationError": 0,  # django.core.exceptions / django.forms
    "HttpError": 1,  # ninja.errors: (status_code, message)
}
ROOT_ORIGINS = {
    "DomainError": ("exoclinic.core.errors",),
    "FhirError": ("exoclinic.interop.fhir.common",),
    "NotAllowed": ("exoclinic.intake.filecheck",),
    "ValidationError": ("django.core.exceptions", "django.forms"),
    "HttpError": ("ninja.errors",),
}
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_lazy",
    "translate",  # exoclinic.core.errors.translate: gettext for modules that import without Django
}
NOOP = {"gettext_noop"}
# Positional placeholders cannot be reordered by a translator; only %(name)s style is allowed.
POSITIONAL_PLACEHOLDER = re.compile(r"(?<!%)%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifrx]")

# Internal-only constructions, never shown to a person: "path:function" -> why.
ALLOWED: dict[str, str] = {
    # The class's own constructor forwards the caller's message; the callers are checked.
    "core/errors.py:__init__": "the error tree's constructor forwards its message parameter",
    "interop/fhir/common.py:__init__": "FhirError's constructor forwards its diagnostics parameter",
    # Messages collected first and raised later; each is checked where it is collected.
    "outcomes/instruments/base.py:raise_if_invalid": "ItemReader.problems, checked at refuse()/append()",
    "outcomes/forms.py:add_scoring_errors": "ScoringError.errors, checked where the instrument refuses",
    "intake/services/applicant.py:application_submit": "(field, message) from intake.steps.missing_answers, "
    "each marked with _() there",
}


@dataclass(frozen=True)
class Problem:
    where: str
    line: int
    why: str

    def __str__(self) -> str:
        return f"src/exoclinic/{self.where}:{self.line}: {self.why}"


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(SRC).as_posix()
        out.append((rel, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))))
    return out


def _module_name(rel: str) -> str:
    dotted = "exoclinic." + rel[: -len(".py")].replace("/", ".")
    return dotted.removesuffix(".__init__")


def _imports(tree: ast.Module, rel: str) -> dict[str, str]:
    """Local name -> "module.Name" for every ``from X import Name`` (relative imports resolved)."""
    names: dict[str, str] = {}
    package = _module_name(rel).split(".")
    if not rel.endswith("__init__.py"):
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
    return names


def _user_facing_classes(modules) -> dict[str, int]:
    """Qualified class name -> message argument index, for the roots and every project subclass."""
    known = {f"{origin}.{name}": index for name, index in ROOTS.items() for origin in ROOT_ORIGINS[name]}
    classes = []
    for rel, tree in modules:
        modname = _module_name(rel)
        imports = _imports(tree, rel)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                bases = []
                for base in node.bases:
                    if isinstance(base, ast.Name):
                        bases.append(imports.get(base.id, f"{modname}.{base.id}"))
                    elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
                        bases.append(f"{imports.get(base.value.id, base.value.id)}.{base.attr}")
                classes.append((f"{modname}.{node.name}", bases, node))
    changed = True
    while changed:
        changed = False
        for qualified, bases, node in classes:
            if qualified in known:
                continue
            for base in bases:
                if base in known:
                    known[qualified] = _own_message_index(node, known[base])
                    changed = True
                    break
    return known


def _own_message_index(node: ast.ClassDef, inherited: int) -> int:
    """A subclass with its own ``__init__`` and keyword-only ``message`` (ScoringError) is keyword-called."""
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            positional = [a.arg for a in item.args.args[1:]]
            if "message" in positional:
                return positional.index("message")
            if any(a.arg == "message" for a in item.args.kwonlyargs):
                return -1
            return -2  # builds its own message from data (BundleProblems, ReadingsImportError)
    return inherited


class _Checker(ast.NodeVisitor):
    def __init__(self, rel, tree, classes, forwarders):
        self.rel = rel
        self.modname = _module_name(rel)
        self.imports = _imports(tree, rel)
        self.classes = classes
        self.forwarders = forwarders
        self.problems: list[Problem] = []
        self.module_assigns = _assignments(tree.body)
        self.function: ast.FunctionDef | None = None
        self.found_forwarders: dict[str, tuple[int, bool]] = {}
        self.functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        self.methods = {
            item.name: item
            for node in tree.body
            if isinstance(node, ast.ClassDef)
            for item in node.body
            if isinstance(item, ast.FunctionDef)
        }
        # ``_ = gettext_noop`` (the triage vocabulary): such ``_()`` marks a msgid but does not translate.
        self.noop = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in NOOP
            for target in node.targets
            if isinstance(target, ast.Name)
        } | {name for name, origin in self.imports.items() if origin.rsplit(".", 1)[-1] in NOOP}
        self.translating_call = False

    def _resolve(self, func: ast.expr) -> str | None:
        if isinstance(func, ast.Name):
            qualified = self.imports.get(func.id, f"{self.modname}.{func.id}")
            if qualified in self.classes or qualified in self.forwarders:
                return qualified
            if func.id == "ValidationError" and qualified.endswith(".ValidationError"):
                return qualified if qualified.startswith("django.") else None
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            qualified = f"{self.imports.get(func.value.id, func.value.id)}.{func.attr}"
            if func.value.id == "forms" and func.attr == "ValidationError":
                return "django.forms.ValidationError"
            if qualified in self.classes or qualified in self.forwarders:
                return qualified
        return None

    def visit_FunctionDef(self, node):
        outer = self.function
        self.function = node
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call):
        target = self._resolve(node.func)
        if target is not None:
            if target in self.classes:
                index, translates = self.classes[target], False
            else:
                index, translates = self.forwarders[target]
            message = _message_arg(node, index)
            if message is not None:
                self.translating_call = translates
                self._check(message, node)
                self.translating_call = False
        elif _is_problem_sink(node):
            # add_error, messages.error, ItemReader.refuse/problems.append: the message is the second part.
            message = node.args[1] if len(node.args) > 1 else node.args[0].elts[1]
            self._check(message, node)
        self.generic_visit(node)

    def _key(self) -> str:
        return f"{self.rel}:{self.function.name if self.function else '<module>'}"

    def _check(self, expr: ast.expr, call: ast.Call) -> None:
        if self._key() in ALLOWED:
            return
        self._translates_parameter = False
        self._forwarded: ast.Name | None = None
        why = self._why_not(expr, depth=0)
        if why == "parameter":
            self._note_forwarder(self._forwarded)
            return
        if why:
            self.problems.append(Problem(self.rel, call.lineno, why))

    def _note_forwarder(self, expr: ast.Name) -> None:
        args = [a.arg for a in self.function.args.args]
        kwonly = [a.arg for a in self.function.args.kwonlyargs]
        if self.function.name == "__init__":
            return  # a subclass constructor: its index was worked out from the signature
        qualified = f"{self.modname}.{self.function.name}"
        translates = self._translates_parameter
        if expr.id in args:
            self.found_forwarders[qualified] = (args.index(expr.id), translates)
        elif expr.id in kwonly:
            self.found_forwarders[qualified] = (-1, translates)

    def _parameter(self, expr: ast.expr) -> ast.Name | None:
        if self.function is not None and isinstance(expr, ast.Name):
            names = {a.arg for a in self.function.args.args + self.function.args.kwonlyargs}
            if expr.id in names:
                self._forwarded = expr
                return expr
        return None

    def _translated_parameter(self, expr: ast.expr, depth: int = 0) -> ast.Name | None:
        """``translate(message)`` (possibly ``% params``, possibly via a local name) on a parameter."""
        if depth > 3:
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
            return self._translated_parameter(expr.left, depth + 1)
        if isinstance(expr, ast.IfExp):
            return self._translated_parameter(expr.body, depth + 1)
        if isinstance(expr, ast.Call) and _call_name(expr.func) in GETTEXT and expr.args:
            return self._parameter(expr.args[0])
        if isinstance(expr, ast.Name) and self.function is not None:
            for value in _assignments(self.function.body).get(expr.id, []):
                found = self._translated_parameter(value, depth + 1)
                if found is not None:
                    return found
        return None

    def _why_not(self, expr: ast.expr, depth: int) -> str | None:
        if depth > 5:
            return "message cannot be traced to a gettext call"
        if isinstance(expr, ast.Constant):
            if expr.value is None:
                return None  # e.g. NotFound() with its translated default
            return f"plain string {expr.value!r} is not marked for translation"
        if isinstance(expr, ast.JoinedStr):
            return "f-string message (use _('... %(name)s ...') % {...})"
        if isinstance(expr, ast.Call):
            name = _call_name(expr.func)
            if (
                name == "get"
                and isinstance(expr.func, ast.Attribute)
                and isinstance(expr.func.value, ast.Dict)
            ):
                return self._why_not(expr.func.value, depth + 1)  # {status: _("..."), ...}.get(status)
            if isinstance(expr.func, ast.Name) and expr.func.id in self.noop:
                if self.translating_call:
                    return _check_msgid(expr)  # a forwarder that translates its parameter
                return "gettext_noop only marks the msgid; translate it where it is raised"
            if name in GETTEXT:
                if expr.args and self._parameter(expr.args[0]) is not None:
                    self._translates_parameter = True
                    return "parameter"
                return _check_msgid(expr, self.noop)
            if name == "join" and _joins_messages(expr):
                return None  # Django's own ValidationError.messages, translated by Django
            if isinstance(expr.func, ast.Name) and expr.func.id in self.functions:
                return self._why_returns(self.functions[expr.func.id], depth)
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in self.methods:
                return self._why_returns(self.methods[expr.func.attr], depth)
            if name == "format":
                return ".format() message (use _('... %(name)s ...') % {...})"
            if name == "str" and expr.args:
                return self._why_not(expr.args[0], depth + 1)
            return f"message built by {name}() cannot be traced to a gettext call"
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.Mod):
                if isinstance(expr.right, ast.Name) and self.function is not None:
                    values = _assignments(self.function.body).get(expr.right.id, [])
                    if values and all(isinstance(v, ast.Dict) or _is_dict_call(v) for v in values):
                        return self._why_not(expr.left, depth + 1)
                if isinstance(expr.right, ast.Dict) or _is_dict_call(expr.right):
                    why = self._why_not(expr.left, depth + 1)
                    if why is None and isinstance(expr.right, ast.Dict):
                        for value in expr.right.values:
                            if self._translated_parameter(value) is not None:
                                self._translates_parameter = True
                                return "parameter"
                    return why
                if isinstance(expr.right, ast.Name) and self._translated_parameter(expr.left) is not None:
                    self._translates_parameter = True
                    return "parameter"
                return "placeholders must be filled from a dict of named values"
            return "concatenated message (translate the whole sentence with named placeholders)"
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
            # A table of messages (``_CANNOT[what]``): every value in it must be marked.
            return self._why_not(expr.value, depth + 1)
        if isinstance(expr, ast.IfExp):
            return self._why_not(expr.body, depth + 1) or self._why_not(expr.orelse, depth + 1)
        if isinstance(expr, ast.Attribute):
            # The message of an error already raised (``exc.message``) was checked where it was raised.
            if expr.attr in ("message", "messages", "diagnostics"):
                return None
            return f"message from attribute .{expr.attr} cannot be traced"
        if isinstance(expr, ast.Dict):
            # ValidationError({field: message}): every value is a message.
            for value in expr.values:
                why = self._why_not(value, depth + 1)
                if why:
                    return why
            return None
        if isinstance(expr, ast.Name):
            if self.function is not None:
                if self._parameter(expr) is not None:
                    return "parameter"
                local = _assignments(self.function.body).get(expr.id)
                if local is not None:
                    return self._why_all(local, depth)
                if _caught_as(self.function, expr.id):
                    return None  # ``except DomainError as exc: raise X(exc)``: checked where raised
            module = self.module_assigns.get(expr.id)
            if module is not None:
                return self._why_all(module, depth)
            return f"message variable {expr.id!r} cannot be traced"
        return f"message expression {type(expr).__name__} cannot be traced"

    def _why_returns(self, function: ast.FunctionDef, depth: int) -> str | None:
        """A helper in the same module that returns the message: every returned value must trace."""
        outer = self.function
        self.function = function
        try:
            returns = [
                n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
            ]
            for value in returns:
                why = self._why_not(value, depth + 1)
                if why:
                    return f"{function.name}() returns an untraceable message: {why}"
            return None
        finally:
            self.function = outer

    def _why_all(self, values: list[ast.expr], depth: int) -> str | None:
        for value in values:
            why = self._why_not(value, depth + 1)
            if why == "parameter":
                return "message variable comes from a parameter"
            if why:
                return why
        return None


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return type(func).__name__


def _joins_messages(call: ast.Call) -> bool:
    separator = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not (
        isinstance(separator, ast.Constant)
        and isinstance(separator.value, str)
        and not separator.value.strip()
    ):
        return False
    return any(isinstance(n, ast.Attribute) and n.attr == "messages" for n in ast.walk(call.args[0]))


def _is_problem_sink(call: ast.Call) -> bool:
    """Other places a message reaches a person: a form error, a flash message, a scoring problem."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in ("refuse", "add_error") and len(call.args) == 2:
        return True
    if (
        func.attr in ("success", "error", "info", "warning")
        and isinstance(func.value, ast.Name)
        and func.value.id == "messages"
        and len(call.args) == 2
    ):
        return True
    return (
        func.attr == "append"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "problems"
        and len(call.args) == 1
        and isinstance(call.args[0], ast.Tuple)
        and len(call.args[0].elts) == 2
    )


def _is_dict_call(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and _call_name(expr.func) == "dict"


def _check_msgid(call: ast.Call, noop=frozenset()) -> str | None:
    if not call.args:
        return "gettext call without a msgid"
    msgids = call.args[1:2] if _call_name(call.func).startswith(("pgettext", "npgettext")) else call.args[:1]
    if _call_name(call.func).startswith(("ngettext", "npgettext")):
        msgids = call.args[-3:-1]
    for msgid in msgids:
        # translate(_("...")) with ``_ = gettext_noop``: marked for makemessages, translated now.
        if isinstance(msgid, ast.Call) and isinstance(msgid.func, ast.Name) and msgid.func.id in noop:
            return _check_msgid(msgid)
        if not (isinstance(msgid, ast.Constant) and isinstance(msgid.value, str)):
            return "the msgid is not a literal string (no f-string, .format() or variable inside _())"
        if POSITIONAL_PLACEHOLDER.search(msgid.value):
            return f"positional placeholder in {msgid.value!r} (use %(name)s)"
    return None


def _message_arg(call: ast.Call, index: int | None) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in ("message", "diagnostics"):
            return keyword.value
    if index is None or index < 0:
        return None
    if len(call.args) > index:
        arg = call.args[index]
        return None if isinstance(arg, ast.Starred) else arg
    return None


def _assignments(body) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(ast.Module(body=list(body), type_ignores=[])):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and node.value and isinstance(node.target, ast.Name):
            found.setdefault(node.target.id, []).append(node.value)
    # ``for name, message in ((..., _("...")), ...)``: each name takes its column of a literal table.
    for node in ast.walk(ast.Module(body=list(body), type_ignores=[])):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
            rows = node.iter
            if isinstance(rows, ast.Name) and len(found.get(rows.id, [])) == 1:
                rows = found[rows.id][0]
            if isinstance(rows, ast.Tuple | ast.List) and all(
                isinstance(row, ast.Tuple) and len(row.elts) == len(node.target.elts) for row in rows.elts
            ):
                for column, target in enumerate(node.target.elts):
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, []).extend(row.elts[column] for row in rows.elts)
    return found


def _caught_as(function: ast.FunctionDef, name: str) -> bool:
    return any(isinstance(n, ast.ExceptHandler) and n.name == name for n in ast.walk(function))


def find_untranslated() -> list[Problem]:
    modules = _modules()
    classes = _user_facing_classes(modules)
    forwarders: dict[str, tuple[int, bool]] = {}
    # Helpers that forward a parameter as the message are checked at their call sites: find them first.
    for _round in range(3):
        found: dict[str, int] = {}
        problems: list[Problem] = []
        for rel, tree in modules:
            checker = _Checker(rel, tree, classes, forwarders)
            checker.visit(tree)
            found.update(checker.found_forwarders)
            problems += checker.problems
        if found.items() <= forwarders.items():
            return problems
        forwarders.update(found)
    return problems


def test_every_user_facing_error_message_is_marked_for_translation():
    problems = find_untranslated()
    assert not problems, "Untranslated user-facing messages:\n" + "\n".join(map(str, problems))


def _problem_lines(source: str, rel: str = "core/example.py") -> list[int]:
    tree = ast.parse(source)
    modules = [(rel, tree), *(m for m in _modules() if m[0] == "core/errors.py")]
    classes = _user_facing_classes(modules)
    forwarders: dict[str, tuple[int, bool]] = {}
    for _round in range(2):  # the first pass finds the helpers that forward a message
        checker = _Checker(rel, tree, classes, forwarders)
        checker.visit(tree)
        forwarders.update(checker.found_forwarders)
    return sorted(p.line for p in checker.problems)


def test_the_guard_catches_each_kind_of_untranslated_message():
    """The checker itself: each bad form is reported by line, each good form is not."""
    source = """
from django.contrib import messages
from django.utils.translation import gettext as _
from exoclinic.core.errors import InvalidInput, NotFound

MESSAGE = _("Lazy at import time.")

def bad(code, n, request, form):
    raise InvalidInput("Plain.")
    raise InvalidInput(f"Lot {code} is quarantined.")
    raise InvalidInput("Lot {} is quarantined.".format(code))
    raise InvalidInput(_("Lot") + code)
    raise InvalidInput(_(f"Lot {code}"))
    raise InvalidInput(_("Lot %s is quarantined.") % code)
    messages.error(request, f"{code} failed")
    form.add_error("lot", "Plain.")

def good(code, request, form):
    raise InvalidInput(_("Lot %(lot)s is quarantined.") % {"lot": code}, field="lot")
    raise InvalidInput(MESSAGE)
    raise NotFound()
    message = _("Chosen.")
    raise InvalidInput(message)
    messages.error(request, _("Refused."))
    form.add_error("lot", MESSAGE)

def _helper(message, key):
    return InvalidInput(message, field=key)

def uses_helper():
    raise _helper("Not marked.", "x")
"""
    assert _problem_lines(source) == [9, 10, 11, 12, 13, 14, 15, 16, 31]


def test_the_guard_knows_that_gettext_noop_marks_but_does_not_translate():
    source = """
from exoclinic.core.errors import InvalidInput, translate

def gettext_noop(message):
    return message

_ = gettext_noop

def _fail(message, key, **params):
    problem = translate(message)
    return InvalidInput(translate(_("%(field)s: %(problem)s")) % {"field": key, "problem": problem})

def checks(value):
    raise _fail(_("must be a number"), "vitals.pulse")
    raise InvalidInput(_("Marked, never translated."))
"""
    assert _problem_lines(source, rel="triage/example.py") == [15]


def test_no_function_that_translates_with_underscore_also_rebinds_it():
    """``x, _ = pair`` in a function that calls ``_("...")`` makes ``_`` local: UnboundLocalError or a call of
    the unpacked value instead of the translation."""
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp)
    found = []
    for rel, tree in _modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            stores, calls = [], []
            todo = list(ast.iter_child_nodes(function))
            while todo:
                node = todo.pop()
                if isinstance(node, (*scopes, ast.GeneratorExp)):
                    continue
                if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                    stores.append(node.lineno)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                    calls.append(node.lineno)
                todo.extend(ast.iter_child_nodes(node))
            if stores and calls:
                found.append(f"src/exoclinic/{rel}:{stores[0]}: {function.name} rebinds _ and calls _()")
    assert not found, "\n".join(found)
