"""Pain: numeric rating scale of average pain in the last week, with the interference items of the
International SCI Pain Basic Data Set (day-to-day activities, mood, sleep), each 0-10.
"""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.wording import gettext_noop

from .base import Choice, Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score
from .rules import PAIN_FARRAR, PAIN_HANLEY


def _nrs(low_label: str, high_label: str) -> tuple[Choice, ...]:
    labels = {0: low_label, 10: high_label}
    return tuple(Choice(v, labels.get(v, str(v)), v) for v in range(11))


_INTERFERENCE = _nrs("No interference", "Extreme interference")

ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        "average", "Average pain in the last week", _nrs("No pain", "Pain as bad as you can imagine")
    ),
    ItemDefinition(
        "interference_activities",
        "Pain interference with day-to-day activities",
        _INTERFERENCE,
        required=False,
    ),
    ItemDefinition("interference_mood", "Pain interference with mood", _INTERFERENCE, required=False),
    ItemDefinition("interference_sleep", "Pain interference with sleep", _INTERFERENCE, required=False),
)

MEASURES: tuple[Measure, ...] = (
    Measure(
        "pain.average", gettext_noop("Average pain"), "point", False, 0, 10, rules=(PAIN_FARRAR, PAIN_HANLEY)
    ),
    Measure(
        "pain.interference_activities",
        gettext_noop("Pain interference with day-to-day activities"),
        "point",
        False,
        0,
        10,
    ),
    Measure("pain.interference_mood", gettext_noop("Pain interference with mood"), "point", False, 0, 10),
    Measure("pain.interference_sleep", gettext_noop("Pain interference with sleep"), "point", False, 0, 10),
)


def score(items: Mapping[str, object]) -> Score:
    reader = ItemReader(ITEMS, items)
    reader.raise_if_invalid()
    values = dict(reader.points)
    return Score(instrument="pain", total=values["average"], values=values, items=reader.entered)


PAIN = InstrumentDefinition(
    code="pain",
    name=gettext_noop("Pain NRS and interference (International SCI Pain Basic Data Set)"),
    indicator=Indicator.PAIN,
    items=ITEMS,
    measures=MEASURES,
    source=gettext_noop(
        "NRS 0-10, average pain last week; International SCI Pain Basic Data Set interference items"
    ),
    scorer=score,
    note="Thresholds (Farrar 2001; Hanley 2006) apply to the pain NRS; interference change is shown raw.",
)
