"""Outcome instruments: definitions plus pure scoring functions, one per instrument (no Django).

``INSTRUMENTS`` maps each code to its ``InstrumentDefinition``; ``definition.score(items)`` validates the
entered items and returns a ``Score``, or raises ``ScoringError`` naming the first bad item (``errors``
lists them all). ``get_measure("scim3.total")`` gives the measure whose change ``outcomes.change`` evaluates.
"""

from __future__ import annotations

from exoclinic.core.errors import translate as _

from .base import (
    ChangeRule,
    Choice,
    Indicator,
    InstrumentDefinition,
    ItemDefinition,
    Measure,
    MeasureKind,
    Score,
    ScoringError,
    ThresholdKind,
)
from .bladder import NBSS, NBSS_SF
from .bowel import NBD
from .isncsci_summary import ISNCSCI
from .pain import PAIN
from .rest import FSS, GRIP, SLEEP
from .rules import MAS_GRADE_THRESHOLD_DEFAULT, mas_grade_rule
from .scim import SCIM3
from .sciset import SCI_SET
from .spasticity import MAS, PENN

INSTRUMENTS: dict[str, InstrumentDefinition] = {
    definition.code: definition
    for definition in (SCIM3, ISNCSCI, MAS, PENN, SCI_SET, NBD, NBSS, NBSS_SF, PAIN, SLEEP, FSS, GRIP)
}


def get_instrument(code: str) -> InstrumentDefinition:
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise ScoringError(
            field="instrument", message=_("Unknown instrument %(code)s") % {"code": repr(code)}
        ) from None


def get_measure(code: str) -> Measure:
    """A measure by its dotted code, e.g. ``"pain.average"`` or ``"mas.knee_extensors_left"``."""
    instrument_code, _dot, key = code.partition(".")
    instrument = get_instrument(instrument_code)
    try:
        return instrument.measure(key)
    except KeyError:
        raise ScoringError(
            field="measure", message=_("Unknown measure %(code)s") % {"code": repr(code)}
        ) from None


def measures_for(indicator: Indicator) -> list[Measure]:
    """Every measure that tracks one of the six indicators (ISNCSCI sensory totals count for sensation)."""
    return [
        measure
        for definition in INSTRUMENTS.values()
        for measure in definition.measures
        if definition.indicator_of(measure) == indicator
    ]


def instruments_for(indicator: Indicator) -> list[InstrumentDefinition]:
    """Instruments with at least one measure for the indicator."""
    return [
        definition
        for definition in INSTRUMENTS.values()
        if any(definition.indicator_of(measure) == indicator for measure in definition.measures)
    ]


__all__ = [
    "INSTRUMENTS",
    "MAS_GRADE_THRESHOLD_DEFAULT",
    "ChangeRule",
    "Choice",
    "Indicator",
    "InstrumentDefinition",
    "ItemDefinition",
    "Measure",
    "MeasureKind",
    "Score",
    "ScoringError",
    "ThresholdKind",
    "get_instrument",
    "get_measure",
    "instruments_for",
    "measures_for",
    "mas_grade_rule",
]
