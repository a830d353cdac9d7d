"""The exam: typed objects, and reading them from the interchange format with per-field errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import Any

from .values import (
    DERMATOMES,
    MOTOR_LEVELS,
    MOTOR_VALUE_SET,
    NON_KEY_MUSCLE_LEVELS,
    OBSERVATION_VALUES,
    SENSORY_VALUE_SET,
    Observation,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .values import MotorValue, NonKeyMuscleLevel, SensoryValue

SIDE_NAMES = ("right", "left")
OBSERVATION_FIELDS = ("voluntaryAnalContraction", "deepAnalPressure")
EXAM_FIELDS = frozenset({*SIDE_NAMES, *OBSERVATION_FIELDS})
NON_KEY_FIELD = "lowestNonKeyMuscleWithMotorFunction"
SIDE_FIELDS = frozenset({"motor", "lightTouch", "pinPrick", NON_KEY_FIELD})
NON_KEY_LEVELS = frozenset(NON_KEY_MUSCLE_LEVELS)
NON_KEY_PROBLEM = "is not a level from C5 to S1"

_motor_grades = itemgetter(*MOTOR_LEVELS)
_dermatome_scores = itemgetter(*DERMATOMES)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem in an exam: where it is (dotted path, "" for the exam as a whole) and what it is."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or 'exam'}: {self.message}"


class ExamValidationError(ValueError):
    """The exam cannot be classified; `errors` lists every problem found, the first one is `str(self)`."""

    def __init__(self, errors: list[FieldError]) -> None:
        if not errors:
            raise ValueError("ExamValidationError needs at least one error")
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(str(self.errors[0]))

    @property
    def path(self) -> str:
        return self.errors[0].path

    @property
    def message(self) -> str:
        return self.errors[0].message


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the exam. Tuples follow MOTOR_LEVELS (C5..S1) and DERMATOMES (C2..S4_5)."""

    motor: tuple[MotorValue, ...]
    light_touch: tuple[SensoryValue, ...]
    pin_prick: tuple[SensoryValue, ...]
    lowest_non_key_muscle_with_motor_function: NonKeyMuscleLevel | None = None

    def __post_init__(self) -> None:
        for name in ("motor", "light_touch", "pin_prick"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        problems = _side_value_errors(self, "")
        if problems:
            raise ExamValidationError(problems)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Side:
        """Read one side in the interchange format (`motor`, `lightTouch`, `pinPrick`, optional non-key)."""
        errors: list[FieldError] = []
        side = _read_side(data, "", errors)
        if side is None:
            raise ExamValidationError(errors)
        return side

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "motor": dict(zip(MOTOR_LEVELS, self.motor, strict=True)),
            "lightTouch": dict(zip(DERMATOMES, self.light_touch, strict=True)),
            "pinPrick": dict(zip(DERMATOMES, self.pin_prick, strict=True)),
        }
        if self.lowest_non_key_muscle_with_motor_function is not None:
            data[NON_KEY_FIELD] = self.lowest_non_key_muscle_with_motor_function
        return data


@dataclass(frozen=True, slots=True)
class Exam:
    right: Side
    left: Side
    voluntary_anal_contraction: Observation
    deep_anal_pressure: Observation

    def __post_init__(self) -> None:
        for name in ("voluntary_anal_contraction", "deep_anal_pressure"):
            value = getattr(self, name)
            if not isinstance(value, str) or value not in OBSERVATION_VALUES:
                raise ExamValidationError([FieldError(name, f"{_show(value)} is not one of Yes, No, NT")])
            if not isinstance(value, Observation):
                object.__setattr__(self, name, Observation(value))

    @classmethod
    def from_dict(cls, data: Any) -> Exam:
        """Read an exam in the interchange format; raises ExamValidationError naming every bad field."""
        return parse_exam(data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "right": self.right.to_dict(),
            "left": self.left.to_dict(),
            "voluntaryAnalContraction": self.voluntary_anal_contraction.value,
            "deepAnalPressure": self.deep_anal_pressure.value,
        }


def parse_exam(data: Any) -> Exam:
    """Validate an exam in the interchange format and return it as an Exam."""
    exam = _parse_valid_exam(data)
    if exam is not None:
        return exam
    errors = exam_errors(data)
    raise ExamValidationError(errors or [FieldError("", "not a valid exam")])


def validate_exam(data: Any) -> None:
    """Raise ExamValidationError if `data` is not a valid exam in the interchange format."""
    parse_exam(data)


def exam_errors(data: Any) -> list[FieldError]:
    """Every problem in `data` as an exam, in field order; empty when it is valid."""
    errors: list[FieldError] = []
    _read_exam(data, errors)
    return errors


def _parse_valid_exam(data: Any) -> Exam | None:
    """Fast path for the common case of a well-formed exam; None sends the caller to the full check."""
    try:
        vac = _OBSERVATION.get(data["voluntaryAnalContraction"])
        dap = _OBSERVATION.get(data["deepAnalPressure"])
        right = _valid_side(data["right"])
        left = _valid_side(data["left"])
        if right is None or left is None or vac is None or dap is None or len(data) != 4:
            return None
    except (TypeError, KeyError, AttributeError):  # not objects where objects belong, or unhashable values
        return None
    exam = _new_exam()
    _set_right(exam, right)
    _set_left(exam, left)
    _set_vac(exam, vac)
    _set_dap(exam, dap)
    return exam


def _valid_side(side: Any) -> Side | None:
    motor, light_touch, pin_prick = side["motor"], side["lightTouch"], side["pinPrick"]
    if len(motor) != 10 or len(light_touch) != 28 or len(pin_prick) != 28:
        return None
    grades, lt, pp = _motor_grades(motor), _dermatome_scores(light_touch), _dermatome_scores(pin_prick)
    if not (
        MOTOR_VALUE_SET.issuperset(grades)
        and SENSORY_VALUE_SET.issuperset(lt)
        and SENSORY_VALUE_SET.issuperset(pp)
    ):
        return None
    if len(side) == 3:
        non_key = None
    else:
        non_key = side.get(NON_KEY_FIELD)
        if (
            len(side) != 4
            or NON_KEY_FIELD not in side
            or (non_key is not None and non_key not in NON_KEY_LEVELS)
        ):
            return None
    # Validated above: build the frozen object without running the checks of __post_init__ again.
    result = _new_side()
    _set_motor(result, grades)
    _set_light_touch(result, lt)
    _set_pin_prick(result, pp)
    _set_non_key(result, non_key)
    return result


_OBSERVATION = {o.value: o for o in Observation}
_new_side = partial(object.__new__, Side)
_new_exam = partial(object.__new__, Exam)
_set_motor, _set_light_touch, _set_pin_prick, _set_non_key = (
    getattr(Side, name).__set__
    for name in Side.__slots__  # type: ignore[attr-defined]
)
_set_right, _set_left, _set_vac, _set_dap = (
    getattr(Exam, name).__set__
    for name in Exam.__slots__  # type: ignore[attr-defined]
)


def _read_exam(data: Any, errors: list[FieldError]) -> Exam | None:
    if not isinstance(data, Mapping):
        errors.append(FieldError("", f"expected a JSON object, got {_kind(data)}"))
        return None
    sides = []
    for name in SIDE_NAMES:
        if name not in data:
            errors.append(FieldError(name, "missing"))
            continue
        sides.append(_read_side(data[name], name, errors))
    observations = []
    for name in OBSERVATION_FIELDS:
        if name not in data:
            errors.append(FieldError(name, "missing"))
            continue
        value = data[name]
        if not isinstance(value, str) or value not in OBSERVATION_VALUES:
            errors.append(FieldError(name, f"{_show(value)} is not one of Yes, No, NT"))
            continue
        observations.append(Observation(value))
    _unknown_fields(data, EXAM_FIELDS, "", errors)
    if errors:
        return None
    right, left = sides
    vac, dap = observations
    assert right is not None and left is not None
    return Exam(right, left, vac, dap)


def _read_side(data: Any, path: str, errors: list[FieldError]) -> Side | None:
    if not isinstance(data, Mapping):
        errors.append(FieldError(path, f"expected a JSON object, got {_kind(data)}"))
        return None
    before = len(errors)
    prefix = f"{path}." if path else ""
    motor = _read_table(data, "motor", MOTOR_LEVELS, MOTOR_VALUE_SET, "motor value", prefix, errors)
    light_touch = _read_table(
        data, "lightTouch", DERMATOMES, SENSORY_VALUE_SET, "sensory value", prefix, errors
    )
    pin_prick = _read_table(data, "pinPrick", DERMATOMES, SENSORY_VALUE_SET, "sensory value", prefix, errors)
    non_key = data.get(NON_KEY_FIELD)
    if non_key is not None and (not isinstance(non_key, str) or non_key not in NON_KEY_LEVELS):
        errors.append(FieldError(prefix + NON_KEY_FIELD, f"{_show(non_key)} {NON_KEY_PROBLEM}"))
    _unknown_fields(data, SIDE_FIELDS, path, errors)
    if len(errors) > before:
        return None
    return Side(motor, light_touch, pin_prick, non_key)  # type: ignore[arg-type]


def _read_table(
    data: Mapping[str, Any],
    field: str,
    keys: tuple[str, ...],
    allowed: frozenset[str],
    what: str,
    prefix: str,
    errors: list[FieldError],
) -> tuple[str, ...]:
    path = prefix + field
    if field not in data:
        errors.append(FieldError(path, "missing"))
        return ()
    table = data[field]
    if not isinstance(table, Mapping):
        errors.append(FieldError(path, f"expected a JSON object, got {_kind(table)}"))
        return ()
    values = []
    for key in keys:
        if key not in table:
            errors.append(FieldError(f"{path}.{key}", "missing"))
            continue
        value = table[key]
        if not isinstance(value, str) or value not in allowed:
            errors.append(FieldError(f"{path}.{key}", f"{_show(value)} is not a {what}"))
        values.append(value)
    _unknown_fields(table, frozenset(keys), path, errors)
    return tuple(values)


def _side_value_errors(side: Side, path: str) -> list[FieldError]:
    """Checks for a Side built directly in Python, so a typed object is always a valid one."""
    errors: list[FieldError] = []
    prefix = f"{path}." if path else ""
    for field, keys, values, allowed, what in (
        ("motor", MOTOR_LEVELS, side.motor, MOTOR_VALUE_SET, "motor value"),
        ("lightTouch", DERMATOMES, side.light_touch, SENSORY_VALUE_SET, "sensory value"),
        ("pinPrick", DERMATOMES, side.pin_prick, SENSORY_VALUE_SET, "sensory value"),
    ):
        if len(values) != len(keys):
            errors.append(FieldError(prefix + field, f"expected {len(keys)} values, got {len(values)}"))
            continue
        for key, value in zip(keys, values, strict=True):
            if not isinstance(value, str) or value not in allowed:
                errors.append(FieldError(f"{prefix}{field}.{key}", f"{_show(value)} is not a {what}"))
    non_key = side.lowest_non_key_muscle_with_motor_function
    if non_key is not None and (not isinstance(non_key, str) or non_key not in NON_KEY_LEVELS):
        errors.append(FieldError(prefix + NON_KEY_FIELD, f"{_show(non_key)} {NON_KEY_PROBLEM}"))
    return errors


def _unknown_fields(
    data: Mapping[str, Any], known: frozenset[str], path: str, errors: list[FieldError]
) -> None:
    prefix = f"{path}." if path else ""
    for key in data:
        if key not in known:
            errors.append(FieldError(f"{prefix}{key}", "unknown field"))


def _show(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _kind(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__
