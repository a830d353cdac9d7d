"""The classifier behind the exam pages and API: the exam checked field by field, then classified."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

import isncsci
from exoclinic.core.errors import InvalidInput

from .worksheet import field_label


def exam_problems(exam: Any) -> list[dict[str, str]]:
    """Every problem in an exam as ``{"field": path, "message": what is wrong}``, in field order."""
    return [{"field": e.path, "message": e.message} for e in isncsci.exam_errors(exam)]


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
