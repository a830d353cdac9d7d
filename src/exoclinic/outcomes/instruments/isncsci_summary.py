"""ISNCSCI summary values (2019 revision) as an instrument, for change evaluation only.

The classification itself is the `isncsci` package's job; this module only knows the ranges of its results
and the thresholds for their change. Totals may be "ND" (not determinable, when untested scores make them
ambiguous) and levels or grades may be lists of every value the untested scores allow ("C5,C6").
"""

from __future__ import annotations

from collections.abc import Mapping

from .base import Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, MeasureKind, Score
from .rules import MOTOR_LEVEL_KRAMER, MOTOR_NOISE, SENSORY_NOISE

NOT_DETERMINABLE = "ND"
INTACT = "INT"

LEVELS: tuple[str, ...] = (
    *(f"C{i}" for i in range(1, 9)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    "S1",
    "S2",
    "S3",
    "S4-5",
    INTACT,
)
"""Neurological levels from most rostral to most caudal; "INT" (intact) is below every segment."""

AIS_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E")


def level_index(level: str) -> int:
    """Position of a single level from the top (C1 is 0); a more caudal level has a larger index."""
    return LEVELS.index(normalise_level(level))


def normalise_level(text: object) -> str:
    if not isinstance(text, str):
        raise ValueError("a level is text such as C5, T12, S4-5 or INT")
    level = text.strip().upper().replace("_", "-")
    if level == "S45":
        level = "S4-5"
    if level not in LEVELS:
        raise ValueError("a level is one of C1-C8, T1-T12, L1-L5, S1, S2, S3, S4-5 or INT")
    return level


def parse_levels(value: object) -> str:
    """One level, or a comma-separated list of the levels an ambiguous exam allows, in rostral order."""
    if not isinstance(value, str):
        raise ValueError("a level is text such as C5, T12, S4-5 or INT")
    levels = sorted({normalise_level(part) for part in value.split(",")}, key=LEVELS.index)
    return ",".join(levels)


def parse_ais(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("the AIS grade is a letter A to E")
    grades = {part.strip().upper() for part in value.split(",")}
    if not grades or not grades <= set(AIS_GRADES):
        raise ValueError("the AIS grade is a letter A to E (or a list such as C,D when ambiguous)")
    return ",".join(sorted(grades))


def _total(key: str, label: str, maximum: int, required: bool = True) -> ItemDefinition:
    return ItemDefinition(
        key,
        label,
        minimum=0,
        maximum=maximum,
        whole_number=True,
        special=(NOT_DETERMINABLE,),
        required=required,
    )


def _level(key: str, label: str, required: bool = False) -> ItemDefinition:
    return ItemDefinition(key, label, parser=parse_levels, required=required)


ITEMS: tuple[ItemDefinition, ...] = (
    _total("uems", "Upper-extremity motor score (UEMS)", 50),
    _total("lems", "Lower-extremity motor score (LEMS)", 50),
    _total("total_motor", "Total motor score", 100, required=False),
    _total("lt_total", "Light touch total", 112),
    _total("pp_total", "Pin prick total", 112),
    ItemDefinition("ais", "AIS grade", parser=parse_ais),
    _level("nli", "Neurological level of injury (NLI)", required=True),
    _level("motor_level_right", "Motor level, right"),
    _level("motor_level_left", "Motor level, left"),
    _level("sensory_level_right", "Sensory level, right"),
    _level("sensory_level_left", "Sensory level, left"),
)

_MOTOR_NOTE = "Under 2 points is noise in complete SCI (Marino 2008); the noise is larger in incomplete SCI."
_SENSORY_NOTE = (
    "Under 7 points is noise in complete SCI (Marino 2008); the noise is larger in incomplete SCI."
)
_MOTOR_LEVEL_NOTE = "Two or more levels relate to a meaningful self-care gain (Kramer 2012)."

MEASURES: tuple[Measure, ...] = (
    Measure(
        "isncsci.total_motor",
        "Total motor score",
        "point",
        True,
        0,
        100,
        rules=(MOTOR_NOISE,),
        note=_MOTOR_NOTE,
    ),
    Measure(
        "isncsci.uems",
        "Upper-extremity motor score",
        "point",
        True,
        0,
        50,
        rules=(MOTOR_NOISE,),
        note=_MOTOR_NOTE,
    ),
    Measure(
        "isncsci.lems",
        "Lower-extremity motor score",
        "point",
        True,
        0,
        50,
        rules=(MOTOR_NOISE,),
        note=_MOTOR_NOTE,
    ),
    Measure(
        "isncsci.lt_total",
        "Light touch total",
        "point",
        True,
        0,
        112,
        rules=(SENSORY_NOISE,),
        note=_SENSORY_NOTE,
        indicator=Indicator.SENSATION,
    ),
    Measure(
        "isncsci.pp_total",
        "Pin prick total",
        "point",
        True,
        0,
        112,
        rules=(SENSORY_NOISE,),
        note=_SENSORY_NOTE,
        indicator=Indicator.SENSATION,
    ),
    Measure("isncsci.ais", "AIS grade", "grade", True, kind=MeasureKind.GRADE),
    Measure("isncsci.nli", "Neurological level of injury", "level", True, kind=MeasureKind.LEVEL),
    Measure(
        "isncsci.motor_level_right",
        "Right motor level",
        "level",
        True,
        kind=MeasureKind.LEVEL,
        rules=(MOTOR_LEVEL_KRAMER,),
        note=_MOTOR_LEVEL_NOTE,
    ),
    Measure(
        "isncsci.motor_level_left",
        "Left motor level",
        "level",
        True,
        kind=MeasureKind.LEVEL,
        rules=(MOTOR_LEVEL_KRAMER,),
        note=_MOTOR_LEVEL_NOTE,
    ),
    Measure(
        "isncsci.sensory_level_right",
        "Right sensory level",
        "level",
        True,
        kind=MeasureKind.LEVEL,
        indicator=Indicator.SENSATION,
    ),
    Measure(
        "isncsci.sensory_level_left",
        "Left sensory level",
        "level",
        True,
        kind=MeasureKind.LEVEL,
        indicator=Indicator.SENSATION,
    ),
)


def score(items: Mapping[str, object]) -> Score:
    reader = ItemReader(ITEMS, items)
    entered = reader.entered
    uems, lems, total = reader.points.get("uems"), reader.points.get("lems"), reader.points.get("total_motor")
    if uems is not None and lems is not None:
        if total is not None and total != uems + lems:
            reader.refuse("total_motor", f"Total motor score {total} is not UEMS {uems} + LEMS {lems}")
        total = uems + lems
    elif total is None and entered.get("total_motor") is None:
        total = NOT_DETERMINABLE  # UEMS or LEMS is ND, so their sum is too
    reader.raise_if_invalid()
    values: dict[str, int | float | str | None] = {
        key: (reader.points[key] if reader.points.get(key) is not None else entered.get(key))
        for key in entered
    }
    values["total_motor"] = total if total is not None else entered.get("total_motor")
    return Score(instrument="isncsci", total=values["total_motor"], values=values, items=dict(entered))


ISNCSCI = InstrumentDefinition(
    code="isncsci",
    name="ISNCSCI summary (2019 revision)",
    indicator=Indicator.MOVEMENT,
    items=ITEMS,
    measures=MEASURES,
    source="ISNCSCI 2019 (Rupp et al. 2021); noise floor Marino 2008; motor levels Kramer 2012",
    scorer=score,
    note=(
        "Results of the isncsci classifier, for change evaluation only. Sensory totals belong to the "
        "sensation indicator; motor scores, levels and AIS grade to movement."
    ),
)
