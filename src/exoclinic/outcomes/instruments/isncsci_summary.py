"""ISNCSCI summary values (2019 revision) as an instrument, for change evaluation only.

The classification itself is the `isncsci` package's job; this module only knows the ranges of its results
and the thresholds for their change. Totals may be "ND" (not determinable, when untested scores make them
ambiguous), levels or grades may be lists of every value the untested scores allow ("C5,C6"), and a star
marks a value affected by a condition other than the spinal cord injury ("C5*", "C*"). Names follow the
classifier's result format: totals arrive as strings ("25"), the lowest sacral level is "S4_5".
"""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.errors import translate as _
from exoclinic.core.wording import gettext_noop

from .base import (
    Indicator,
    InstrumentDefinition,
    ItemDefinition,
    ItemReader,
    Measure,
    MeasureKind,
    Score,
    ScoringError,
)
from .rules import MOTOR_LEVEL_KRAMER, MOTOR_NOISE, SENSORY_NOISE

NOT_DETERMINABLE = "ND"
INTACT = "INT"
STAR = "*"  # the classifier's mark for a value affected by a condition other than the SCI (clinical facts §1)

LEVELS: tuple[str, ...] = (
    *(f"C{i}" for i in range(1, 9)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    "S1",
    "S2",
    "S3",
    "S4_5",
    INTACT,
)
"""Neurological levels from most rostral to most caudal, named as the `isncsci` classifier writes them;
"INT" (intact) is below every segment."""

AIS_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E")


def split_star(text: str) -> tuple[str, bool]:
    """``"C5*"`` -> ``("C5", True)``: the value without the classifier's star, and whether it had one."""
    value = text.strip().upper()
    starred = value.endswith(STAR)
    value = value.removesuffix(STAR)
    if STAR in value:
        raise ValueError(_("only one * may follow a value"))
    return value, starred


def normalise_level(text: object) -> str:
    """The canonical name of one level (``s4-5`` -> ``S4_5``), keeping a trailing star."""
    if not isinstance(text, str):
        raise ValueError(_("a level is text such as C5, T12, S4_5 or INT"))
    level, starred = split_star(text)
    level = level.replace("-", "_")
    if level == "S45":
        level = "S4_5"
    if level not in LEVELS:
        raise ValueError(
            _("a level is one of C1-C8, T1-T12, L1-L5, S1, S2, S3, S4_5 or INT (with * when tagged)")
        )
    return level + (STAR if starred else "")


def level_index(level: str) -> int:
    """Position of one level from the top (C1 is 0; a star is ignored); a more caudal level is larger."""
    return LEVELS.index(split_star(normalise_level(level))[0])


def parse_levels(value: object) -> str:
    """One level, or a comma-separated list of the levels an ambiguous exam allows, in rostral order."""
    if not isinstance(value, str):
        raise ValueError(_("a level is text such as C5, T12, S4_5 or INT"))
    levels = {normalise_level(part) for part in value.split(",")}
    return ",".join(sorted(levels, key=lambda level: (level_index(level), level)))


def normalise_grade(text: object) -> str:
    if not isinstance(text, str):
        raise ValueError(_("the AIS grade is a letter A to E"))
    grade, starred = split_star(text)
    if grade not in AIS_GRADES:
        raise ValueError(_("the AIS grade is a letter A to E (with * when tagged, or a list such as C,D)"))
    return grade + (STAR if starred else "")


def parse_ais(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(_("the AIS grade is a letter A to E"))
    return ",".join(sorted({normalise_grade(part) for part in value.split(",")}))


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
_MOTOR_LEVEL_NOTE = (
    "A gain of two or more levels relates to a meaningful self-care gain (Kramer 2012); a move up the spine "
    "is a loss."
)

MEASURES: tuple[Measure, ...] = (
    Measure(
        "isncsci.total_motor",
        gettext_noop("Total motor score"),
        "point",
        True,
        0,
        100,
        rules=(MOTOR_NOISE,),
        note=_MOTOR_NOTE,
    ),
    Measure(
        "isncsci.uems",
        gettext_noop("Upper-extremity motor score"),
        "point",
        True,
        0,
        50,
        rules=(MOTOR_NOISE,),
        note=_MOTOR_NOTE,
    ),
    Measure(
        "isncsci.lems",
        gettext_noop("Lower-extremity motor score"),
        "point",
        True,
        0,
        50,
        rules=(MOTOR_NOISE,),
        note=_MOTOR_NOTE,
    ),
    Measure(
        "isncsci.lt_total",
        gettext_noop("Light touch total"),
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
        gettext_noop("Pin prick total"),
        "point",
        True,
        0,
        112,
        rules=(SENSORY_NOISE,),
        note=_SENSORY_NOTE,
        indicator=Indicator.SENSATION,
    ),
    Measure("isncsci.ais", gettext_noop("AIS grade"), "grade", True, kind=MeasureKind.GRADE),
    Measure(
        "isncsci.nli", gettext_noop("Neurological level of injury"), "level", True, kind=MeasureKind.LEVEL
    ),
    Measure(
        "isncsci.motor_level_right",
        gettext_noop("Right motor level"),
        "level",
        True,
        kind=MeasureKind.LEVEL,
        rules=(MOTOR_LEVEL_KRAMER,),
        note=_MOTOR_LEVEL_NOTE,
    ),
    Measure(
        "isncsci.motor_level_left",
        gettext_noop("Left motor level"),
        "level",
        True,
        kind=MeasureKind.LEVEL,
        rules=(MOTOR_LEVEL_KRAMER,),
        note=_MOTOR_LEVEL_NOTE,
    ),
    Measure(
        "isncsci.sensory_level_right",
        gettext_noop("Right sensory level"),
        "level",
        True,
        kind=MeasureKind.LEVEL,
        indicator=Indicator.SENSATION,
    ),
    Measure(
        "isncsci.sensory_level_left",
        gettext_noop("Left sensory level"),
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
            reader.refuse(
                "total_motor",
                _("Total motor score %(total)s is not UEMS %(uems)s + LEMS %(lems)s")
                % {"total": total, "uems": uems, "lems": lems},
            )
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
    name=gettext_noop("ISNCSCI summary (2019 revision)"),
    indicator=Indicator.MOVEMENT,
    items=ITEMS,
    measures=MEASURES,
    source=gettext_noop("ISNCSCI 2019 (Rupp et al. 2021); noise floor Marino 2008; motor levels Kramer 2012"),
    scorer=score,
    note=(
        "Results of the isncsci classifier, for change evaluation only. Sensory totals belong to the "
        "sensation indicator; motor scores, levels and AIS grade to movement."
    ),
)


def items_from_classifier_result(result: Mapping[str, object]) -> dict[str, object]:
    """The instrument's items from the classifier's JSON result (the reference's interchange shape)."""
    classification = _section(result, "classification")
    totals = _section(result, "totals")
    levels = _section(classification, "neurologicalLevels")
    return {
        "uems": totals.get("upperExtremity"),
        "lems": totals.get("lowerExtremity"),
        "lt_total": totals.get("lightTouch"),
        "pp_total": totals.get("pinPrick"),
        "ais": classification.get("ASIAImpairmentScale"),
        "nli": classification.get("neurologicalLevelOfInjury"),
        "motor_level_right": levels.get("motorRight"),
        "motor_level_left": levels.get("motorLeft"),
        "sensory_level_right": levels.get("sensoryRight"),
        "sensory_level_left": levels.get("sensoryLeft"),
    }


def injury_complete_from_classifier_result(result: Mapping[str, object]) -> bool | None:
    """True for "C", False for "I" (or "I*"), None when the exam leaves it open ("C,I", "C*,I*").

    Pass it to ``evaluate_change(..., injury_complete=...)``: the motor and sensory noise floor is for
    complete injuries.
    """
    value = _section(result, "classification").get("injuryComplete")
    if not isinstance(value, str):
        return None
    options = {part.strip().upper().rstrip(STAR) for part in value.split(",")}
    return {frozenset({"C"}): True, frozenset({"I"}): False}.get(frozenset(options))


def _section(mapping: Mapping[str, object], key: str) -> Mapping[str, object]:
    section = mapping.get(key) if isinstance(mapping, Mapping) else None
    if not isinstance(section, Mapping):
        raise ScoringError(
            field=key, message=_("The classifier result has no %(key)s section") % {"key": repr(key)}
        )
    return section
