"""What every instrument shares: definitions, items, measures, change rules, scores and the scoring error.

Pure Python: no Django, so the same definitions serve the forms, the API, the PDF reports and the tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from exoclinic.core.errors import InvalidInput
from exoclinic.core.errors import translate as _


class ScoringError(InvalidInput):
    """An item value the instrument does not allow. ``field`` names the item; ``errors`` lists them all."""

    code = "invalid_score"

    def __init__(self, *, field: str, message: str, errors: Iterable[tuple[str, str]] = ()):
        problems = [{"field": f, "message": m} for f, m in errors] or [{"field": field, "message": message}]
        super().__init__(message, field=field, extra={"errors": problems})
        self.errors = problems


class Indicator(StrEnum):
    """The six progress indicators (clinical-facts §2)."""

    MOVEMENT = "movement"
    MUSCLE_RELAXATION = "muscle_relaxation"
    BOWEL_AND_BLADDER = "bowel_and_bladder"
    SENSATION = "sensation"
    PAIN = "pain"
    REST_AND_STRENGTH = "rest_and_strength"


class ThresholdKind(StrEnum):
    MEANINGFUL_CHANGE = "meaningful_change"  # smallest change that matters to patients or their function
    NOISE_FLOOR = "noise_floor"  # test-retest measurement error: below it, a difference may be noise


class MeasureKind(StrEnum):
    SCORE = "score"  # a number on a scale
    GRADE = "grade"  # an ordered letter grade (AIS A-E)
    LEVEL = "level"  # a neurological level (C1 ... S4-5)


@dataclass(frozen=True)
class ChangeRule:
    """How big a change must be before it is reported as more than noise or as meaningful, and who says so.

    ``points`` is in the measure's unit; ``percent`` (of the baseline) is an alternative criterion, applied to
    improvements only because that is how it was derived. ``description`` is the phrase used in plain words.
    """

    code: str
    kind: ThresholdKind
    points: float
    description: str
    source: str
    percent: float | None = None
    substantial_points: float | None = None
    substantial_description: str = ""
    confirmed: bool = True
    complete_injury_only: bool = False
    worsening_description: str = ""  # used for worsening when the percentage criterion does not apply


@dataclass(frozen=True)
class Measure:
    """One number (or grade, or level) an instrument produces and whose change over time is evaluated."""

    code: str  # "<instrument>.<key>", e.g. "scim3.total"
    name: str
    unit: str  # singular: "point", "kg", "grade", "level"
    higher_is_better: bool
    minimum: float | None = None
    maximum: float | None = None
    kind: MeasureKind = MeasureKind.SCORE
    rules: tuple[ChangeRule, ...] = ()  # empty: no established threshold; first one is the default
    note: str = ""
    indicator: Indicator | None = None  # when it differs from its instrument's (ISNCSCI sensory totals)
    # Words for coded values, shown instead of the code (MAS: code 2 is grade "1+").
    value_labels: tuple[tuple[int, str], ...] = ()

    def shown(self, value: object) -> str:
        """The value as a person reads it: its label when the measure has one, else the number."""
        for code, label in self.value_labels:
            if isinstance(value, int | float) and not isinstance(value, bool) and value == code:
                return label
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    @property
    def key(self) -> str:
        return self.code.split(".", 1)[1]

    def rule(self, code: str) -> ChangeRule:
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(f"{self.code} has no change rule {code!r}")


@dataclass(frozen=True)
class Choice:
    """An allowed answer: ``value`` is what is entered, ``points`` what scoring uses (MAS "1+" scores 2)."""

    value: int | str
    label: str
    points: int

    @property
    def text(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class ItemDefinition:
    """One item of a form. Either discrete ``choices`` or a numeric ``minimum``..``maximum`` range."""

    key: str
    label: str
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    required: bool = True
    subscale: str | None = None
    whole_number: bool = False  # for ranges: refuse fractions (motor and sensory totals)
    special: tuple[str, ...] = ()  # codes accepted as entered, without points (ISNCSCI "ND")
    parser: Callable[[object], str] | None = None  # free text with its own grammar; raises ValueError

    @property
    def max_points(self) -> int | float | None:
        if self.choices:
            return max(c.points for c in self.choices)
        return self.maximum

    def allowed_text(self) -> str:
        if self.choices:
            texts = [c.text for c in self.choices]
            if len(texts) == 1:
                return texts[0]
            return _("%(choices)s or %(last)s") % {"choices": ", ".join(texts[:-1]), "last": texts[-1]}
        unit = f" {self.unit}" if self.unit else ""
        low, high = _number_text(self.minimum), _number_text(self.maximum)
        return _("%(low)s to %(high)s%(unit)s") % {"low": low, "high": high, "unit": unit}


@dataclass(frozen=True)
class Score:
    """The result of scoring one assessment.

    ``values`` holds every measure by key (the same keys as ``InstrumentDefinition.measures``); ``total`` is
    the instrument's main measure; ``items`` are the validated entries (MAS keeps the grade as entered, "1+").
    """

    instrument: str
    total: int | float | str | None
    values: dict[str, int | float | str | None]
    items: dict[str, int | float | str | None]
    band: str | None = None
    band_label: str | None = None


@dataclass(frozen=True)
class InstrumentDefinition:
    code: str
    name: str
    indicator: Indicator
    items: tuple[ItemDefinition, ...]
    measures: tuple[Measure, ...]  # the first is the main measure (``Score.total``)
    source: str  # the publication the form and its scoring follow
    scorer: Callable[[Mapping[str, object]], Score] = field(repr=False, compare=False)
    note: str = ""
    item_measure: Measure | None = None  # when each item is itself a measure (a MAS muscle group)

    def score(self, items: Mapping[str, object]) -> Score:
        return self.scorer(items)

    @property
    def main_measure(self) -> Measure:
        return self.measures[0]

    @property
    def higher_is_better(self) -> bool:
        return self.main_measure.higher_is_better

    @property
    def score_range(self) -> tuple[float | None, float | None]:
        return (self.main_measure.minimum, self.main_measure.maximum)

    @property
    def change_rules(self) -> tuple[ChangeRule, ...]:
        return self.main_measure.rules

    def indicator_of(self, measure: Measure) -> Indicator:
        return measure.indicator or self.indicator

    def item(self, key: str) -> ItemDefinition:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{self.code} has no item {key!r}")

    def measure(self, key: str) -> Measure:
        for measure in self.measures:
            if measure.key == key:
                return measure
        if self.item_measure is not None and any(item.key == key for item in self.items):
            return self.item_measure
        raise KeyError(f"{self.code} has no measure {key!r}")


# ---- validation helpers shared by the scorers ----------------------------------------------------------


def _number_text(value: float | int | None) -> str:
    if value is None:
        return "?"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_whole(value: object) -> int | None:
    """A whole number from an int, an integral float or Decimal, or a digit string; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return int(value) if math.isfinite(value) and value == int(value) else None
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def parse_number(value: object) -> float | None:
    """A finite number from an int, a float, a Decimal or a numeric string; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _describe(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def match_choice(item: ItemDefinition, value: object) -> Choice | None:
    whole = parse_whole(value)
    for choice in item.choices:
        if isinstance(choice.value, int):
            if whole is not None and whole == choice.value:
                return choice
        else:
            text = value.strip() if isinstance(value, str) else (None if whole is None else str(whole))
            if text == choice.value:
                return choice
    return None


class ItemReader:
    """Validates raw ``items`` against item definitions, collecting every problem before refusing."""

    def __init__(self, items: tuple[ItemDefinition, ...], raw: Mapping[str, object]):
        if not isinstance(raw, Mapping):
            raise ScoringError(field="items", message=_("Items must be given as a mapping of item to value"))
        self.definitions = {item.key: item for item in items}
        self.raw = raw
        self.problems: list[tuple[str, str]] = []
        self.points: dict[str, int | float | None] = {}
        self.entered: dict[str, int | float | str | None] = {}
        for key in raw:
            if key not in self.definitions:
                self.problems.append(
                    (str(key), _("%(key)s is not an item of this instrument") % {"key": repr(key)})
                )
        for item in items:
            self._read(item)

    def _read(self, item: ItemDefinition) -> None:
        value = self.raw.get(item.key)
        if is_blank(value):
            if item.required:
                self.problems.append((item.key, _("%(item)s is required") % {"item": item.label}))
            self.points[item.key] = None
            self.entered[item.key] = None
            return
        if isinstance(value, str) and value.strip().upper() in item.special:
            self.points[item.key] = None
            self.entered[item.key] = value.strip().upper()
            return
        if item.parser is not None:
            try:
                parsed = item.parser(value)
            except ValueError as exc:
                problem = _("%(item)s: %(problem)s; got %(value)s")
                self.problems.append(
                    (item.key, problem % {"item": item.label, "problem": exc, "value": _describe(value)})
                )
                return
            self.points[item.key] = None
            self.entered[item.key] = parsed
            return
        if item.choices:
            choice = match_choice(item, value)
            if choice is None:
                problem = _("%(item)s takes %(allowed)s; got %(value)s")
                self.problems.append(
                    (
                        item.key,
                        problem
                        % {"item": item.label, "allowed": item.allowed_text(), "value": _describe(value)},
                    )
                )
                return
            self.points[item.key] = choice.points
            self.entered[item.key] = choice.value
            return
        number = parse_whole(value) if item.whole_number else parse_number(value)
        low, high = item.minimum, item.maximum
        if number is None or (low is not None and number < low) or (high is not None and number > high):
            if item.whole_number:
                problem = _("%(item)s takes a whole number from %(allowed)s%(special)s; got %(value)s")
            else:
                problem = _("%(item)s takes a number from %(allowed)s%(special)s; got %(value)s")
            special = "".join(_(" or %(code)s") % {"code": code} for code in item.special)
            names = {"item": item.label, "allowed": item.allowed_text(), "special": special}
            self.problems.append((item.key, problem % {**names, "value": _describe(value)}))
            return
        self.points[item.key] = number
        self.entered[item.key] = number

    def refuse(self, key: str, message: str) -> None:
        self.problems.append((key, message))

    def raise_if_invalid(self) -> None:
        if self.problems:
            key, message = self.problems[0]
            raise ScoringError(field=key, message=message, errors=self.problems)

    def present(self) -> dict[str, int | float]:
        return {key: value for key, value in self.points.items() if value is not None}
