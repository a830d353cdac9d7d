"""The classifier behind the exam pages and API: the exam checked field by field, then classified."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import isncsci
from exoclinic.core.errors import InvalidInput

from .worksheet import field_label

# The classifier (src/isncsci) imports nothing from Django and words its problems in English; the few shapes
# it writes are translated here, where they reach a person. A shape not listed is shown as written.
_PROBLEMS = (
    (re.compile(r"missing"), gettext_lazy("missing")),
    (re.compile(r"unknown field"), gettext_lazy("unknown field")),
    (re.compile(r"not a valid exam"), gettext_lazy("not a valid exam")),
    (re.compile(r"(?P<value>.+) is not a motor value"), gettext_lazy("%(value)s is not a motor value")),
    (re.compile(r"(?P<value>.+) is not a sensory value"), gettext_lazy("%(value)s is not a sensory value")),
    (
        re.compile(r"(?P<value>.+) is not one of Yes, No, NT"),
        gettext_lazy("%(value)s is not one of Yes, No, NT"),
    ),
    (
        re.compile(r"(?P<value>.+) is not a level from C5 to S1"),
        gettext_lazy("%(value)s is not a level from C5 to S1"),
    ),
    (
        re.compile(r"expected a JSON object, got (?P<kind>.+)"),
        gettext_lazy("expected a JSON object, got %(kind)s"),
    ),
    (
        re.compile(r"expected (?P<expected>\d+) values, got (?P<got>\d+)"),
        gettext_lazy("expected %(expected)s values, got %(got)s"),
    ),
)


def problem_text(message: str) -> str:
    """One classifier problem in the reader's language (the classifier's English if its shape is unknown)."""
    for pattern, msgid in _PROBLEMS:
        match = pattern.fullmatch(message)
        if match:
            return msgid % match.groupdict() if match.groupdict() else str(msgid)
    return message


def exam_problems(exam: Any) -> list[dict[str, str]]:
    """Every problem in an exam as ``{"field": path, "message": what is wrong}``, in field order."""
    return [{"field": e.path, "message": problem_text(e.message)} for e in isncsci.exam_errors(exam)]


def classify_or_refuse(exam: Any) -> dict:
    """The classification of a valid exam; ``InvalidInput`` naming the first bad field (all in ``errors``)."""
    problems = exam_problems(exam)
    if problems:
        first = problems[0]
        path = first["field"] or None
        raise InvalidInput(
            _("%(field)s: %(problem)s") % {"field": first["field"] or _("exam"), "problem": first["message"]},
            field=path,
            extra={"errors": problems},
        )
    return isncsci.classify(exam)


def readable_problems(problems: list[dict[str, str]]) -> dict[str, str]:
    """Problems keyed by field path, worded for the worksheet ("Right motor C5: "7" is not a motor value")."""
    out: dict[str, str] = {}
    for problem in problems:
        label = field_label(problem["field"])
        out.setdefault(
            problem["field"], _("%(field)s: %(problem)s") % {"field": label, "problem": problem["message"]}
        )
    return out


def key_figures(result: dict) -> dict[str, str]:
    """The figures listed per exam: AIS, NLI and the totals, as the classifier wrote them."""
    totals = result["totals"]
    classification = result["classification"]
    return {
        "ais": classification["ASIAImpairmentScale"],
        "nli": classification["neurologicalLevelOfInjury"],
        "uems": totals["upperExtremity"],
        "lems": totals["lowerExtremity"],
        "light_touch": totals["lightTouch"],
        "pin_prick": totals["pinPrick"],
    }
