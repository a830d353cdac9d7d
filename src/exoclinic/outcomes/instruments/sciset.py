"""Spinal Cord Injury Spasticity Evaluation Tool (SCI-SET; Adams et al. 2007, Arch Phys Med Rehabil 88:1185).

35 items on the past 7 days, each from -3 (extremely problematic) to +3 (extremely helpful), or "not
applicable". The score is the sum of the applicable answers divided by their number (-3 to +3). The item
wording is on the published form (not reproduced here); items are entered by number.
"""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.errors import translate as _
from exoclinic.core.wording import gettext_noop

from .base import Choice, Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score
from .rules import SCI_SET_MDC

ITEM_COUNT = 35
NOT_APPLICABLE = "na"

_RATINGS: tuple[Choice, ...] = (
    *(
        Choice(v, {-3: "Extremely problematic", 0: "No effect", 3: "Extremely helpful"}.get(v, f"{v:+d}"), v)
        for v in range(-3, 4)
    ),
    Choice(NOT_APPLICABLE, "Not applicable", 0),  # left out of the mean, never counted as 0
)

ITEMS: tuple[ItemDefinition, ...] = tuple(
    ItemDefinition(f"item{i}", f"SCI-SET item {i}", _RATINGS) for i in range(1, ITEM_COUNT + 1)
)

MEASURES: tuple[Measure, ...] = (
    Measure(
        "sciset.score",
        gettext_noop("SCI-SET score"),
        "point",
        True,
        -3,
        3,
        rules=(SCI_SET_MDC,),
        note="Mean of the applicable items; higher means spasticity helps more than it hinders.",
    ),
    Measure("sciset.applicable", gettext_noop("SCI-SET applicable items"), "item", True, 0, ITEM_COUNT),
)


def _normalise(raw: Mapping[str, object]) -> dict[str, object]:
    """ "NA", "n/a" and "not applicable" are all the not-applicable answer."""
    out: dict[str, object] = {}
    for key, value in raw.items():
        text = value.strip().lower() if isinstance(value, str) else None
        out[key] = NOT_APPLICABLE if text in ("na", "n/a", "not applicable") else value
    return out


def score(items: Mapping[str, object]) -> Score:
    reader = ItemReader(ITEMS, _normalise(items) if isinstance(items, Mapping) else items)
    applicable = [
        reader.points[i.key] for i in ITEMS if reader.entered.get(i.key) not in (None, NOT_APPLICABLE)
    ]
    if not reader.problems and not applicable:
        reader.refuse("items", _("At least one SCI-SET item must be applicable to give a score"))
    reader.raise_if_invalid()
    mean = round(sum(applicable) / len(applicable), 2)
    return Score(
        instrument="sciset",
        total=mean,
        values={"score": mean, "applicable": len(applicable)},
        items=reader.entered,
    )


SCI_SET = InstrumentDefinition(
    code="sciset",
    name=gettext_noop("Spinal Cord Injury Spasticity Evaluation Tool (SCI-SET)"),
    indicator=Indicator.MUSCLE_RELAXATION,
    items=ITEMS,
    measures=MEASURES,
    source=gettext_noop("Adams et al. 2007 (35 items, -3 to +3, mean of applicable items); MDC 0.47-0.82"),
    scorer=score,
    note="Not-applicable answers are left out of the mean.",
)
