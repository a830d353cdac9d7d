"""ISNCSCI classifier (2019 revision of the International Standards for Neurological Classification of
Spinal Cord Injury): totals, levels, NLI, completeness, AIS grade and zones of partial preservation.

Pure Python, no dependencies. Exams and results use the interchange format of the reference
implementation (npm package ``isncsci``); see docs/isncsci.md.
"""

from .classify import classify, classify_exam, classify_json
from .exam import Exam, ExamValidationError, FieldError, Side, exam_errors, parse_exam, validate_exam
from .result import Classification, NeurologicalLevels, Result, ZonesOfPartialPreservation
from .totals import SideTotals, Totals
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
