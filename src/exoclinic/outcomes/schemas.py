from __future__ import annotations

import datetime as dt

from ninja import Schema


class ProblemOut(Schema):
    field: str
    message: str


class OutcomeErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[ProblemOut] | None = None


class ChoiceOut(Schema):
    value: int | str
    label: str
    points: int


class ItemOut(Schema):
    key: str
    label: str
    required: bool
    choices: list[ChoiceOut]
    minimum: float | None = None
    maximum: float | None = None
    unit: str


class RuleOut(Schema):
    code: str
    kind: str
    points: float
    percent: float | None = None
    description: str
    source: str
    confirmed: bool


class MeasureOut(Schema):
    code: str
    name: str
    unit: str
    indicator: str
    higher_is_better: bool
    minimum: float | None = None
    maximum: float | None = None
    rules: list[RuleOut]


class InstrumentOut(Schema):
    code: str
    name: str
    indicator: str
    source: str
    items: list[ItemOut]
    measures: list[MeasureOut]


class AssessmentIn(Schema):
    instrument: str
    items: dict[str, int | float | str | None]
    taken_on: dt.date
    source_ref: str = ""


class AssessmentOut(Schema):
    id: int
    patient_id: int
    instrument: str
    taken_on: dt.date
    items: dict[str, int | float | str | None]
    values: dict[str, int | float | str | None]
    band: str
    source: str
    source_ref: str
    follow_up_months: int | None = None


class DiaryEntryIn(Schema):
    ratings: dict[str, int | str]
    on: dt.date | None = None
    note: str = ""


class DiaryEntryOut(Schema):
    id: int
    patient_id: int
    week_start: dt.date
    ratings: dict[str, int]
    note: str


class ChangeOut(Schema):
    change: float | None = None
    percent_change: float | None = None
    direction: str | None = None
    category: str
    plain_words: str
    source: str | None = None
    threshold: float | None = None
    threshold_confirmed: bool


class ReadingOut(Schema):
    on: dt.date
    value: int | float | str | None = None
    label: str
    shown: str = ""  # the value as a person reads it (MAS: "grade 1+" for the analysis code 2)


class SeriesOut(Schema):
    measure: str
    name: str
    instrument: str
    unit: str
    baseline: ReadingOut | None = None
    latest: ReadingOut | None = None
    change: ChangeOut | None = None
    readings: list[ReadingOut]
    # Natural recovery for this measure, from its own baseline: within_window, no_injury_date,
    # baseline_before_injury or none.
    recovery_caveat: str | None = None
    recovery_note: str | None = None


class DiarySeriesOut(Schema):
    code: str
    label: str
    plain_words: str
    readings: list[ReadingOut]


class IndicatorOut(Schema):
    indicator: str
    label: str
    diary: DiarySeriesOut
    series: list[SeriesOut]


class ProgressOut(Schema):
    patient_id: int
    date_of_injury: dt.date | None = None
    months_since_injury: int | None = None
    first_procedure_on: dt.date | None = None
    baseline_on: dt.date | None = None
    natural_recovery_note: str | None = None
    concurrent_therapies: list[str]
    concurrent_therapy_note: str
    neurology: list[SeriesOut]
    indicators: list[IndicatorOut]


class IntervalOut(Schema):
    n: int
    estimate: float | None = None
    lower: float | None = None
    upper: float | None = None
    reason: str | None = None


class ShareOut(Schema):
    successes: int
    n: int
    proportion: float | None = None
    lower: float | None = None
    upper: float | None = None


class CohortMeasureOut(Schema):
    measure: str
    name: str
    indicator: str
    unit: str
    with_baseline: int
    measured: int
    missing: int
    not_yet_due: int
    mean_change: IntervalOut
    reaching_meaningful_change: ShareOut | None = None
    threshold_source: str | None = None


class CohortOut(Schema):
    point_months: int
    patients: int
    reached_point: int
    measures: list[CohortMeasureOut]
    ais_conversion: list[list[int | str]]
    ais_lost_to_follow_up: int
    notes: list[str]
