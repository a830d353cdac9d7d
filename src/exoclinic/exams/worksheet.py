"""The worksheet: its layout, and turning form fields into an exam in the interchange format and back.

Form fields are named by the exam's own paths (``right.motor.C5``, ``left.lightTouch.S4_5``,
``voluntaryAnalContraction``), so an error from the classifier names the input it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from isncsci import DERMATOMES, MOTOR_LEVELS, MOTOR_VALUES, SENSORY_VALUES

SIDES = ("right", "left")
TABLES = ("motor", "lightTouch", "pinPrick")
NON_KEY = "lowestNonKeyMuscleWithMotorFunction"
VAC = "voluntaryAnalContraction"
DAP = "deepAnalPressure"
OBSERVATIONS = ("Yes", "No", "NT")

KEY_MUSCLES = {
    "C5": _("Elbow flexors"),
    "C6": _("Wrist extensors"),
    "C7": _("Elbow extensors"),
    "C8": _("Finger flexors"),
    "T1": _("Finger abductors (little finger)"),
    "L2": _("Hip flexors"),
    "L3": _("Knee extensors"),
    "L4": _("Ankle dorsiflexors"),
    "L5": _("Long toe extensors"),
    "S1": _("Ankle plantar flexors"),
}
SIDE_NAMES = {"right": _("Right"), "left": _("Left")}
TABLE_NAMES = {"motor": _("motor"), "lightTouch": _("light touch"), "pinPrick": _("pin prick")}
SIDE_SHORT = {"right": _("R"), "left": _("L")}
TABLE_SHORT = {"motor": _("Motor"), "lightTouch": _("LT"), "pinPrick": _("PP")}


def level_label(level: str) -> str:
    return "S4-5" if level == "S4_5" else level


def field_label(path: str) -> str:
    """A person's name for an exam path: ``right.motor.C5`` -> "Right motor C5"."""
    parts = path.split(".")
    if parts[0] in SIDE_NAMES:
        side = str(SIDE_NAMES[parts[0]])
        if len(parts) == 3 and parts[1] in TABLE_NAMES:
            return f"{side} {TABLE_NAMES[parts[1]]} {level_label(parts[2])}"
        if len(parts) == 2 and parts[1] == NON_KEY:
            non_key = _("lowest non-key muscle with motor function")
            return f"{side} {non_key}"
        return side
    if path == VAC:
        return str(_("Voluntary anal contraction (VAC)"))
    if path == DAP:
        return str(_("Deep anal pressure (DAP)"))
    return path or str(_("Exam"))


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


@dataclass(frozen=True)
class Cell:
    path: str
    id: str
    label: str
    value: str
    error: str


def all_value_paths() -> list[str]:
    paths = []
    for side in SIDES:
        paths += [f"{side}.motor.{m}" for m in MOTOR_LEVELS]
        paths += [f"{side}.{t}.{d}" for t in ("lightTouch", "pinPrick") for d in DERMATOMES]
    return paths


def normalise_value(text: str) -> str:
    """What the clinician typed, tidied: spaces dropped and ``nt`` upper-cased; validity is checked later."""
    return "".join(str(text).split()).upper()


def values_from_post(data) -> dict[str, str]:
    """Every worksheet value from a POST (or an empty worksheet), keyed by exam path."""
    values = {path: normalise_value(data.get(path, "")) for path in all_value_paths()}
    for side in SIDES:
        values[f"{side}.{NON_KEY}"] = str(data.get(f"{side}.{NON_KEY}", "")).strip()
    for name in (VAC, DAP):
        values[name] = str(data.get(name, "")).strip()
    return values


def values_from_exam(exam: dict) -> dict[str, str]:
    values = {}
    for side in SIDES:
        for table in TABLES:
            for key, value in exam[side][table].items():
                values[f"{side}.{table}.{key}"] = value
        values[f"{side}.{NON_KEY}"] = exam[side].get(NON_KEY) or ""
    values[VAC] = exam[VAC]
    values[DAP] = exam[DAP]
    return values


def exam_from_values(values: dict[str, str], *, blank_as: str | None = None) -> tuple[dict, list[str]]:
    """The exam in the interchange format, and the paths left blank.

    With ``blank_as=None`` a blank value stays "" (and the classifier names it); a preview passes "NT" so
    the classification of what has been entered so far can be shown.
    """
    blanks: list[str] = []

    def read(path: str) -> str:
        value = values.get(path, "")
        if value == "":
            blanks.append(path)
            return blank_as if blank_as is not None else ""
        return value

    exam: dict = {}
    for side in SIDES:
        exam[side] = {
            "motor": {m: read(f"{side}.motor.{m}") for m in MOTOR_LEVELS},
            "lightTouch": {d: read(f"{side}.lightTouch.{d}") for d in DERMATOMES},
            "pinPrick": {d: read(f"{side}.pinPrick.{d}") for d in DERMATOMES},
        }
        non_key = values.get(f"{side}.{NON_KEY}", "")
        if non_key:
            exam[side][NON_KEY] = non_key
    exam[VAC] = read(VAC)
    exam[DAP] = read(DAP)
    return exam, blanks


def worksheet_columns(values: dict[str, str], errors: dict[str, str]) -> list[dict]:
    """The six value columns in the worksheet's order, each with one slot per dermatome row (C2..S4-5).

    Right: motor, light touch, pin prick; left: light touch, pin prick, motor (as on the paper form).
    Motor columns leave the rows without a key muscle empty, so every column lines up by row.
    """
    order = [("right", "motor"), ("right", "lightTouch"), ("right", "pinPrick")]
    order += [("left", "lightTouch"), ("left", "pinPrick"), ("left", "motor")]
    columns = []
    for side, table in order:
        slots = []
        for level in DERMATOMES:
            if table == "motor" and level not in MOTOR_LEVELS:
                slots.append(None)
                continue
            path = f"{side}.{table}.{level}"
            slots.append(
                Cell(path, field_id(path), field_label(path), values.get(path, ""), errors.get(path, ""))
            )
        columns.append(
            {
                "side": side,
                "table": table,
                "legend": f"{SIDE_NAMES[side]} {TABLE_NAMES[table]}",
                "short_side": SIDE_SHORT[side],
                "short_table": TABLE_SHORT[table],
                "list": "isncsci-motor-values" if table == "motor" else "isncsci-sensory-values",
                "slots": slots,
            }
        )
    return columns


def level_rows() -> list[dict]:
    return [
        {"level": level, "label": level_label(level), "muscle": KEY_MUSCLES.get(level, "")}
        for level in DERMATOMES
    ]


MOTOR_CHOICES = MOTOR_VALUES
SENSORY_CHOICES = SENSORY_VALUES
