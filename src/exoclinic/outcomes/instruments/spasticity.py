"""Muscle relaxation: Modified Ashworth Scale per muscle group and side; Penn Spasm Frequency Scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from exoclinic.core.errors import translate as _
from exoclinic.core.wording import gettext_noop

from .base import Choice, Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score
from .rules import mas_grade_rule

# ---- Modified Ashworth Scale (Bohannon and Smith 1987) ------------------------------------------------

MAS_GRADES: tuple[Choice, ...] = (
    Choice("0", "No increase in muscle tone", 0),
    Choice("1", "Slight increase: a catch and release, or minimal resistance at the end of the range", 1),
    Choice("1+", "Slight increase: a catch, then minimal resistance through less than half of the range", 2),
    Choice("2", "More marked increase through most of the range, but the part moves easily", 3),
    Choice("3", "Considerable increase in tone; passive movement difficult", 4),
    Choice("4", "Affected part rigid in flexion or extension", 5),
)
"""Grades as written on the form; ``points`` is the 0-5 analysis code (1+ coded as 2, clinical facts §2)."""

MUSCLE_GROUPS: dict[str, str] = {
    "elbow_flexors": "Elbow flexors",
    "elbow_extensors": "Elbow extensors",
    "wrist_flexors": "Wrist flexors",
    "wrist_extensors": "Wrist extensors",
    "finger_flexors": "Finger flexors",
    "hip_flexors": "Hip flexors",
    "hip_extensors": "Hip extensors",
    "hip_adductors": "Hip adductors",
    "knee_flexors": "Knee flexors",
    "knee_extensors": "Knee extensors",
    "ankle_plantar_flexors": "Ankle plantar flexors",
    "ankle_dorsiflexors": "Ankle dorsiflexors",
}
SIDES = {"right": "right", "left": "left"}


def mas_item_key(group: str, side: str) -> str:
    return f"{group}_{side}"


MAS_ITEMS: tuple[ItemDefinition, ...] = tuple(
    ItemDefinition(mas_item_key(group, side), f"{label}, {side_label}", MAS_GRADES, required=False)
    for group, label in MUSCLE_GROUPS.items()
    for side, side_label in SIDES.items()
)

MAS_GRADE_LABELS: tuple[tuple[int, str], ...] = tuple((c.points, f"grade {c.value}") for c in MAS_GRADES)

MAS_GROUP_MEASURE = Measure(
    "mas.group",
    gettext_noop("Modified Ashworth grade (coded 0-5)"),
    "grade",
    False,
    0,
    5,
    rules=(mas_grade_rule(),),
    note="Per muscle group and side; 1+ is coded 2, so one grade is one coded step.",
    value_labels=MAS_GRADE_LABELS,
)


def mas_group_measure(key: str) -> Measure:
    """The measure of one muscle group and side (``knee_extensors_left``), shown in grades."""
    group, _, side = key.rpartition("_")
    name = f"{MUSCLE_GROUPS[group]}, {side} (Modified Ashworth)"
    return replace(MAS_GROUP_MEASURE, code=f"mas.{key}", name=name)


MAS_MEASURES: tuple[Measure, ...] = (
    Measure(
        "mas.max",
        gettext_noop("Highest Modified Ashworth grade (coded 0-5)"),
        "grade",
        False,
        0,
        5,
        rules=(mas_grade_rule(),),
    ),
    Measure(
        "mas.sum",
        gettext_noop("Sum of Modified Ashworth grades (coded)"),
        "point",
        False,
        0,
        5 * len(MAS_ITEMS),
        note="Compare sums only between assessments of the same muscle groups.",
    ),
)


def score_mas(items: Mapping[str, object]) -> Score:
    reader = ItemReader(MAS_ITEMS, items)
    coded = reader.present()
    if not coded and not reader.problems:
        reader.refuse("items", _("Grade at least one muscle group"))
    reader.raise_if_invalid()
    total = sum(coded.values())
    values: dict[str, int | float | str | None] = {"sum": total, "max": max(coded.values()), **coded}
    entered = {key: grade for key, grade in reader.entered.items() if grade is not None}
    return Score(instrument="mas", total=values["max"], values=values, items=entered)


MAS = InstrumentDefinition(
    code="mas",
    name=gettext_noop("Modified Ashworth Scale (MAS)"),
    indicator=Indicator.MUSCLE_RELAXATION,
    items=MAS_ITEMS,
    measures=MAS_MEASURES,
    source=gettext_noop("Bohannon and Smith 1987; grades 0, 1, 1+, 2, 3, 4 coded 0-5"),
    scorer=score_mas,
    item_measure=MAS_GROUP_MEASURE,
    note="Only assessed muscle groups are entered. The one-grade threshold is an unconfirmed default.",
)

# ---- Penn Spasm Frequency Scale (Penn 1989) -------------------------------------------------------------

PENN_ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        "frequency",
        "Spasm frequency",
        (
            Choice(0, "No spasms", 0),
            Choice(1, "Spasms induced only by stimulation", 1),
            Choice(2, "Infrequent spontaneous spasms, less than once an hour", 2),
            Choice(3, "Spontaneous spasms more than once an hour", 3),
            Choice(4, "Spontaneous spasms more than ten times an hour", 4),
        ),
    ),
    ItemDefinition(
        "severity",
        "Spasm severity",
        (Choice(1, "Mild", 1), Choice(2, "Moderate", 2), Choice(3, "Severe", 3)),
        required=False,  # required exactly when there are spasms: checked in score_penn
    ),
)
PENN_MEASURES: tuple[Measure, ...] = (
    Measure("penn.frequency", gettext_noop("Penn spasm frequency"), "point", False, 0, 4),
    Measure(
        "penn.severity",
        gettext_noop("Penn spasm severity"),
        "point",
        False,
        1,
        3,
        note="Not applicable without spasms.",
    ),
)


def score_penn(items: Mapping[str, object]) -> Score:
    reader = ItemReader(PENN_ITEMS, items)
    frequency = reader.points.get("frequency")
    severity = reader.points.get("severity")
    if frequency == 0 and severity is not None:
        reader.refuse("severity", _("Spasm severity does not apply when there are no spasms (frequency 0)"))
    elif frequency is not None and frequency > 0 and severity is None and "severity" not in _bad(reader):
        reader.refuse("severity", _("Spasm severity is required when there are spasms (frequency 1 to 4)"))
    reader.raise_if_invalid()
    values = {"frequency": frequency, "severity": severity}
    return Score(instrument="penn", total=frequency, values=values, items=reader.entered)


def _bad(reader: ItemReader) -> set[str]:
    return {key for key, _ in reader.problems}


PENN = InstrumentDefinition(
    code="penn",
    name=gettext_noop("Penn Spasm Frequency Scale"),
    indicator=Indicator.MUSCLE_RELAXATION,
    items=PENN_ITEMS,
    measures=PENN_MEASURES,
    source=gettext_noop("Penn 1989; frequency 0-4, severity 1-3, none when frequency is 0"),
    scorer=score_penn,
    note="No established change threshold: raw change shown.",
)
