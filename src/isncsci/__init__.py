"""ISNCSCI classifier (2019 revision of the International Standards for Neurological Classification of
Spinal Cord Injury): totals, levels, NLI, completeness, AIS grade and zones of partial preservation.

Pure Python, no dependencies. Exams and results use the interchange format of the reference
implementation (npm package ``isncsci``); see docs/isncsci.md.
"""

from __future__ import annotations

# Imported at once: the module `isncsci.classify` would otherwise shadow the function of that name.
from .classify import classify, classify_exam, classify_json

TYPE_CHECKING = False  # typing is not imported: the CLI starts without it

# Names are loaded from their module on first use (PEP 562), so `python -m isncsci classify` starts without
# the typed exam checks (dataclasses) it needs only for invalid lines.
_MODULE_OF = {
    "Exam": "exam",
    "ExamValidationError": "exam",
    "FieldError": "exam",
    "Side": "exam",
    "exam_errors": "exam",
    "parse_exam": "exam",
    "validate_exam": "exam",
    "Classification": "result",
    "NeurologicalLevels": "result",
    "Result": "result",
    "ZonesOfPartialPreservation": "result",
    "SideTotals": "result",
    "Totals": "result",
    "DERMATOMES": "values",
    "MOTOR_LEVELS": "values",
    "MOTOR_VALUES": "values",
    "NON_KEY_MUSCLE_LEVELS": "values",
    "SENSORY_VALUES": "values",
    "Observation": "values",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'isncsci' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from typing import Any

    from .exam import Exam, ExamValidationError, FieldError, Side, exam_errors, parse_exam, validate_exam
    from .result import (
        Classification,
        NeurologicalLevels,
        Result,
        SideTotals,
        Totals,
        ZonesOfPartialPreservation,
    )
    from .values import (
        DERMATOMES,
        MOTOR_LEVELS,
        MOTOR_VALUES,
        NON_KEY_MUSCLE_LEVELS,
        SENSORY_VALUES,
        Observation,
    )

__all__ = [
    "DERMATOMES",
    "MOTOR_LEVELS",
    "MOTOR_VALUES",
    "NON_KEY_MUSCLE_LEVELS",
    "SENSORY_VALUES",
    "Classification",
    "Exam",
    "ExamValidationError",
    "FieldError",
    "NeurologicalLevels",
    "Observation",
    "Result",
    "Side",
    "SideTotals",
    "Totals",
    "ZonesOfPartialPreservation",
    "classify",
    "classify_exam",
    "classify_json",
    "exam_errors",
    "parse_exam",
    "validate_exam",
]
