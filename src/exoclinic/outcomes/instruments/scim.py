"""Spinal Cord Independence Measure, version III (Catz-Itzkovich 2007): 19 items, total 0-100.

Each item is entered as the score printed on the published form; several items skip values (respiration
0, 2, 4, ..., bladder 0, 3, 6, 9, 11, 13, 15), so a value between two allowed ones is refused, not rounded.
"""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.wording import gettext_noop

from .base import Choice, Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score
from .rules import SCIM_SCIVOLETTO

SELF_CARE = "self_care"
RESPIRATION_SPHINCTER = "respiration_sphincter"
MOBILITY = "mobility"

SUBSCALE_NAMES = {
    SELF_CARE: "Self-care",
    RESPIRATION_SPHINCTER: "Respiration and sphincter management",
    MOBILITY: "Mobility",
}
SUBSCALE_MAXIMA = {SELF_CARE: 20, RESPIRATION_SPHINCTER: 40, MOBILITY: 40}


def _choices(*pairs: tuple[int, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value=v, label=label, points=v) for v, label in pairs)


_ASSIST_0_3 = _choices(
    (0, "Requires total assistance"),
    (1, "Requires partial assistance"),
    (2, "Independent with adaptive devices or in a specific setting"),
    (3, "Independent; does not require adaptive devices or a specific setting"),
)
_DRESSING = _choices(
    (0, "Requires total assistance"),
    (1, "Requires partial assistance with clothes without buttons, zippers or laces"),
    (2, "Independent with clothes without buttons, zippers or laces; requires adaptive devices or setting"),
    (3, "Independent with such clothes without devices; needs help or devices only for buttons, zips, laces"),
    (4, "Dresses (any cloth) independently; does not require adaptive devices or a specific setting"),
)
_TRANSFER_0_2 = _choices(
    (0, "Requires total assistance"),
    (1, "Needs partial assistance, supervision or adaptive devices"),
    (2, "Independent (or does not require a wheelchair)"),
)
_WALKING = _choices(
    (0, "Requires total assistance"),
    (1, "Needs electric wheelchair or partial assistance to operate a manual wheelchair"),
    (2, "Moves independently in a manual wheelchair"),
    (3, "Requires supervision while walking (with or without devices)"),
    (4, "Walks with a walking frame or crutches (swing)"),
    (5, "Walks with crutches or two canes (reciprocal walking)"),
    (6, "Walks with one cane"),
    (7, "Needs leg orthosis only"),
    (8, "Walks without walking aids"),
)

ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        "feeding",
        "Feeding",
        _choices(
            (0, "Needs parenteral, gastrostomy or fully assisted oral feeding"),
            (1, "Needs partial assistance for eating or drinking, or for wearing adaptive devices"),
            (2, "Eats independently; needs devices or help only to cut food, pour or open containers"),
            (3, "Eats and drinks independently; no assistance or adaptive devices"),
        ),
        subscale=SELF_CARE,
    ),
    ItemDefinition("bathing_upper", "Bathing, upper body", _ASSIST_0_3, subscale=SELF_CARE),
    ItemDefinition("bathing_lower", "Bathing, lower body", _ASSIST_0_3, subscale=SELF_CARE),
    ItemDefinition("dressing_upper", "Dressing, upper body", _DRESSING, subscale=SELF_CARE),
    ItemDefinition("dressing_lower", "Dressing, lower body", _DRESSING, subscale=SELF_CARE),
    ItemDefinition("grooming", "Grooming", _ASSIST_0_3, subscale=SELF_CARE),
    ItemDefinition(
        "respiration",
        "Respiration",
        _choices(
            (0, "Requires a tracheal tube and permanent or intermittent assisted ventilation"),
            (
                2,
                "Breathes on own with a tracheal tube; needs oxygen or much help coughing or with the tube",
            ),
            (4, "Breathes independently with a tracheal tube; needs little help coughing or with the tube"),
            (
                6,
                "No tracheal tube; needs oxygen, much help coughing, a mask or assisted ventilation",
            ),
            (8, "Breathes without a tracheal tube; needs little assistance or stimulation for coughing"),
            (10, "Breathes independently without assistance or device"),
        ),
        subscale=RESPIRATION_SPHINCTER,
    ),
    ItemDefinition(
        "bladder",
        "Bladder management",
        _choices(
            (0, "Indwelling catheter"),
            (3, "Residual urine over 100 cc; no regular or assisted intermittent catheterisation"),
            (
                6,
                "Residual urine under 100 cc or self-catheterisation; needs help applying a drainage device",
            ),
            (9, "Intermittent self-catheterisation; uses external drainage without assistance"),
            (11, "Intermittent self-catheterisation; continent between; no external drainage instrument"),
            (13, "Residual urine under 100 cc; needs only external drainage, without assistance"),
            (15, "Residual urine under 100 cc; continent; no external drainage instrument"),
        ),
        subscale=RESPIRATION_SPHINCTER,
    ),
    ItemDefinition(
        "bowel",
        "Bowel management",
        _choices(
            (0, "Irregular timing or very low frequency (less than once in 3 days) of bowel movements"),
            (
                5,
                "Regular timing, needs assistance (e.g. suppository); rare accidents (under twice a month)",
            ),
            (8, "Regular bowel movements without assistance; rare accidents (under twice a month)"),
            (10, "Regular bowel movements without assistance; no accidents"),
        ),
        subscale=RESPIRATION_SPHINCTER,
    ),
    ItemDefinition(
        "toilet",
        "Use of toilet",
        _choices(
            (0, "Requires total assistance"),
            (1, "Requires partial assistance; does not clean self"),
            (2, "Requires partial assistance; cleans self independently"),
            (4, "Uses toilet independently but needs adaptive devices or a special setting"),
            (5, "Uses toilet independently; no adaptive devices or special setting"),
        ),
        subscale=RESPIRATION_SPHINCTER,
    ),
    ItemDefinition(
        "bed_mobility",
        "Mobility in bed and action to prevent pressure sores",
        _choices(
            (0, "Needs assistance in all bed mobility and pressure-release activities"),
            (2, "Performs one of the activities without assistance"),
            (4, "Performs two or three of the activities without assistance"),
            (6, "Performs all bed mobility and pressure-release activities independently"),
        ),
        subscale=MOBILITY,
    ),
    ItemDefinition("transfer_bed_wheelchair", "Transfers: bed-wheelchair", _TRANSFER_0_2, subscale=MOBILITY),
    ItemDefinition(
        "transfer_wheelchair_toilet", "Transfers: wheelchair-toilet-tub", _TRANSFER_0_2, subscale=MOBILITY
    ),
    ItemDefinition("mobility_indoors", "Mobility indoors", _WALKING, subscale=MOBILITY),
    ItemDefinition(
        "mobility_moderate", "Mobility for moderate distances (10-100 m)", _WALKING, subscale=MOBILITY
    ),
    ItemDefinition("mobility_outdoors", "Mobility outdoors (more than 100 m)", _WALKING, subscale=MOBILITY),
    ItemDefinition(
        "stairs",
        "Stair management",
        _choices(
            (0, "Unable to ascend or descend stairs"),
            (1, "Ascends and descends at least 3 steps with support or supervision of another person"),
            (2, "Ascends and descends at least 3 steps with a handrail, crutch or cane"),
            (3, "Ascends and descends at least 3 steps without any support or supervision"),
        ),
        subscale=MOBILITY,
    ),
    ItemDefinition("transfer_wheelchair_car", "Transfers: wheelchair-car", _TRANSFER_0_2, subscale=MOBILITY),
    ItemDefinition(
        "transfer_ground_wheelchair",
        "Transfers: ground-wheelchair",
        _choices(
            (0, "Requires assistance"),
            (1, "Transfers independently with or without devices (or does not require a wheelchair)"),
        ),
        subscale=MOBILITY,
    ),
)

MEASURES: tuple[Measure, ...] = (
    Measure("scim3.total", gettext_noop("SCIM III total"), "point", True, 0, 100, rules=(SCIM_SCIVOLETTO,)),
    Measure("scim3.self_care", gettext_noop("SCIM III self-care"), "point", True, 0, 20),
    Measure(
        "scim3.respiration_sphincter",
        gettext_noop("SCIM III respiration and sphincter management"),
        "point",
        True,
        0,
        40,
    ),
    Measure("scim3.mobility", gettext_noop("SCIM III mobility"), "point", True, 0, 40),
)


def score(items: Mapping[str, object]) -> Score:
    reader = ItemReader(ITEMS, items)
    reader.raise_if_invalid()
    points = reader.present()
    subscales = {
        name: sum(points[item.key] for item in ITEMS if item.subscale == name) for name in SUBSCALE_NAMES
    }
    total = sum(subscales.values())
    return Score(instrument="scim3", total=total, values={"total": total, **subscales}, items=reader.entered)


SCIM3 = InstrumentDefinition(
    code="scim3",
    name=gettext_noop("Spinal Cord Independence Measure III (SCIM III)"),
    indicator=Indicator.MOVEMENT,
    items=ITEMS,
    measures=MEASURES,
    source=gettext_noop("Catz-Itzkovich 2007 (published SCIM III form); thresholds Scivoletto 2013"),
    scorer=score,
    note="Subscale thresholds are not established: their raw change is shown.",
)
