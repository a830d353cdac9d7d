"""Neurogenic Bladder Symptom Score (NBSS; Welk et al. 2014, J Urol) and its short form (NBSS-SF; Welk 2020).

What could be checked (docs/instruments.md): the full form has 24 questions, the first classifying bladder
management (not scored), then three domains, incontinence 0-29, storage and voiding 0-22 and consequences
0-23, total 0-74, and a last urinary quality-of-life question scored 0 (pleased) to 4 (unhappy), not in the
total. The short form has 10 questions with the same first and last ones and a total of 0-28. The wording
and scoring of each question could not be read, so the clinic scores the paper form and enters the domain
scores (full form) or the total (short form); the ranges here are the published ones.
"""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.wording import gettext_noop

from .base import Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score

DOMAINS = {
    "incontinence": ("Incontinence domain score", 29),
    "storage_voiding": ("Storage and voiding domain score", 22),
    "consequences": ("Consequences domain score", 23),
}
_QOL = ItemDefinition(
    "quality_of_life",
    "Urinary quality of life (0 pleased to 4 unhappy)",
    minimum=0,
    maximum=4,
    whole_number=True,
    required=False,
)

NBSS_ITEMS: tuple[ItemDefinition, ...] = (
    *(
        ItemDefinition(key, label, minimum=0, maximum=top, whole_number=True)
        for key, (label, top) in DOMAINS.items()
    ),
    _QOL,
)
NBSS_MEASURES: tuple[Measure, ...] = (
    Measure(
        "nbss.total",
        gettext_noop("NBSS total"),
        "point",
        False,
        0,
        74,
        note="Meaningful change not established: raw change shown.",
    ),
    Measure("nbss.incontinence", gettext_noop("NBSS incontinence"), "point", False, 0, 29),
    Measure("nbss.storage_voiding", gettext_noop("NBSS storage and voiding"), "point", False, 0, 22),
    Measure("nbss.consequences", gettext_noop("NBSS consequences"), "point", False, 0, 23),
    Measure("nbss.quality_of_life", gettext_noop("NBSS urinary quality of life"), "point", False, 0, 4),
)


def score_nbss(items: Mapping[str, object]) -> Score:
    reader = ItemReader(NBSS_ITEMS, items)
    reader.raise_if_invalid()
    points = reader.points
    domains = {key: int(points[key]) for key in DOMAINS}
    total = sum(domains.values())
    qol = points.get("quality_of_life")
    values = {"total": total, **domains, "quality_of_life": None if qol is None else int(qol)}
    return Score(instrument="nbss", total=total, values=values, items=reader.entered)


NBSS = InstrumentDefinition(
    code="nbss",
    name=gettext_noop("Neurogenic Bladder Symptom Score (NBSS)"),
    indicator=Indicator.BOWEL_AND_BLADDER,
    items=NBSS_ITEMS,
    measures=NBSS_MEASURES,
    source=gettext_noop(
        "Welk et al. 2014 (24 questions; domains 0-29, 0-22, 0-23; total 0-74; QOL question 0-4)"
    ),
    scorer=score_nbss,
    note="Domain scores are entered from the scored paper form; no established change threshold.",
)

NBSS_SF_ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition("total", "NBSS-SF total score", minimum=0, maximum=28, whole_number=True),
    _QOL,
)
NBSS_SF_MEASURES: tuple[Measure, ...] = (
    Measure(
        "nbss_sf.total",
        gettext_noop("NBSS short form total"),
        "point",
        False,
        0,
        28,
        note="Meaningful change not established: raw change shown.",
    ),
    Measure("nbss_sf.quality_of_life", gettext_noop("NBSS-SF urinary quality of life"), "point", False, 0, 4),
)


def score_nbss_sf(items: Mapping[str, object]) -> Score:
    reader = ItemReader(NBSS_SF_ITEMS, items)
    reader.raise_if_invalid()
    total = int(reader.points["total"])
    qol = reader.points.get("quality_of_life")
    values = {"total": total, "quality_of_life": None if qol is None else int(qol)}
    return Score(instrument="nbss_sf", total=total, values=values, items=reader.entered)


NBSS_SF = InstrumentDefinition(
    code="nbss_sf",
    name=gettext_noop("Neurogenic Bladder Symptom Score, short form (NBSS-SF)"),
    indicator=Indicator.BOWEL_AND_BLADDER,
    items=NBSS_SF_ITEMS,
    measures=NBSS_SF_MEASURES,
    source=gettext_noop("Welk et al. 2020 (10 questions; total 0-28; QOL question 0-4)"),
    scorer=score_nbss_sf,
    note="The total is entered from the scored paper form; no established change threshold.",
)
