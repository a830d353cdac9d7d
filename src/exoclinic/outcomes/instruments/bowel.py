"""Neurogenic Bowel Dysfunction (NBD) score (Krogh 2006): 10 weighted items, total 0-47.

Each item is entered as the weight printed next to the chosen answer on the published form, so the total is
their sum; a weight that does not belong to the item is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.wording import gettext_noop

from .base import Choice, Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score


def _yes_no(weight: int) -> tuple[Choice, ...]:
    return (Choice(0, "No", 0), Choice(weight, "Yes", weight))


ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        "defecation_frequency",
        "Frequency of bowel movements",
        (Choice(0, "Daily", 0), Choice(1, "2-6 times a week", 1), Choice(6, "Less than once a week", 6)),
    ),
    ItemDefinition(
        "defecation_time",
        "Time used for each defecation",
        (
            Choice(0, "Less than 30 minutes", 0),
            Choice(3, "31-60 minutes", 3),
            Choice(7, "More than an hour", 7),
        ),
    ),
    ItemDefinition("uneasiness", "Uneasiness, headache or perspiration during defecation", _yes_no(2)),
    ItemDefinition("tablets", "Regular use of tablets against constipation", _yes_no(2)),
    ItemDefinition("drops", "Regular use of drops against constipation", _yes_no(2)),
    ItemDefinition(
        "digital_stimulation",
        "Digital stimulation or evacuation of the anorectum",
        (Choice(0, "Less than once a week", 0), Choice(6, "Once a week or more", 6)),
    ),
    ItemDefinition(
        "faecal_incontinence",
        "Frequency of faecal incontinence",
        (
            Choice(0, "Less than once a month", 0),
            Choice(6, "1-4 times a month", 6),
            Choice(7, "1-6 times a week", 7),
            Choice(13, "Daily", 13),
        ),
    ),
    ItemDefinition("incontinence_medication", "Medication against faecal incontinence", _yes_no(4)),
    ItemDefinition("flatus_incontinence", "Flatus incontinence", _yes_no(2)),
    ItemDefinition("perianal_skin", "Perianal skin problems", _yes_no(3)),
)

BANDS: tuple[tuple[int, int, str, str], ...] = (
    (0, 6, "very_minor", "Very minor bowel dysfunction"),
    (7, 9, "minor", "Minor bowel dysfunction"),
    (10, 13, "moderate", "Moderate bowel dysfunction"),
    (14, 47, "severe", "Severe bowel dysfunction"),
)
"""Bands of the total, clinical facts §2: 0-6 very minor, 7-9 minor, 10-13 moderate, 14 or more severe."""

MEASURES: tuple[Measure, ...] = (
    Measure(
        "nbd.total",
        gettext_noop("NBD score"),
        "point",
        False,
        0,
        47,
        note="Meaningful change not established: raw change shown.",
    ),
)


def nbd_band(total: int) -> tuple[str, str]:
    for low, high, code, label in BANDS:
        if low <= total <= high:
            return code, label
    raise ValueError(f"NBD total {total} is outside 0-47")


def score(items: Mapping[str, object]) -> Score:
    reader = ItemReader(ITEMS, items)
    reader.raise_if_invalid()
    total = sum(reader.present().values())
    band, label = nbd_band(total)
    return Score(
        instrument="nbd",
        total=total,
        values={"total": total},
        items=reader.entered,
        band=band,
        band_label=label,
    )


NBD = InstrumentDefinition(
    code="nbd",
    name=gettext_noop("Neurogenic Bowel Dysfunction score (NBD)"),
    indicator=Indicator.BOWEL_AND_BLADDER,
    items=ITEMS,
    measures=MEASURES,
    source=gettext_noop("Krogh 2006 (item weights of the published form; bands 0-6, 7-9, 10-13, 14 or more)"),
    scorer=score,
    note="No established change threshold: raw change shown.",
)
