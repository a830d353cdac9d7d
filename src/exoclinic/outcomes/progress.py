"""A patient's progress: each indicator over time against baseline, with the change judged by its threshold.

Built from rows already read (assessments, diary entries, schedule), so the number of queries does not grow
with the years of diary. Nothing here names a cause: the words come from ``change.evaluate_change``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from . import conf
from .change import (
    CONCURRENT_THERAPY_NOTE,
    NATURAL_RECOVERY_NOTE,
    NO_INJURY_DATE_NOTE,
    ChangeCategory,
    ChangeDirection,
    ChangeResult,
    RecoveryCaveat,
    evaluate_change,
    months_since_injury,
    recovery_caveat,
    recovery_caveat_words,
)
from .charts import ChartLine, line_chart
from .indicators import INDICATORS
from .instruments import INSTRUMENTS, Indicator, Measure, MeasureKind, ScoringError, mas_grade_rule
from .instruments.spasticity import MAS_ITEMS, mas_group_measure

# The diary's codes for the instruments' indicators.
DIARY_CODE = {
    Indicator.MOVEMENT: "movement",
    Indicator.MUSCLE_RELAXATION: "muscle_relaxation",
    Indicator.BOWEL_AND_BLADDER: "bowel_bladder",
    Indicator.SENSATION: "sensation",
    Indicator.PAIN: "pain",
    Indicator.REST_AND_STRENGTH: "rest_strength",
}
REACHED = {ChangeCategory.SUBSTANTIAL, ChangeCategory.BEYOND_THRESHOLD, ChangeCategory.BEYOND_NOISE}


@dataclass
class Reading:
    on: dt.date
    value: int | float | str | None
    label: str  # "baseline", "3 months", "" (between points)
    assessment_id: int | None = None
    shown: str = ""  # the value as read (MAS: "grade 1+" for code 2); the value itself when empty

    def __post_init__(self):
        if not self.shown:
            self.shown = "" if self.value is None else str(self.value)


@dataclass
class MeasureSeries:
    measure: Measure
    instrument_name: str
    readings: list[Reading]
    baseline: Reading | None
    latest: Reading | None
    change: ChangeResult | None
    baseline_after_treatment: bool = False
    chart: str = ""
    # Natural recovery, decided from this measure's own baseline (never from another instrument's).
    recovery_caveat: RecoveryCaveat | None = None
    recovery_note: str | None = None

    @property
    def reached(self) -> bool:
        return self.change is not None and self.change.category in REACHED

    @property
    def badge(self) -> str:
        if self.change is None:
            return ""
        category = self.change.category
        if category in REACHED and self.change.direction == ChangeDirection.IMPROVED:
            return (
                _("improved beyond threshold")
                if category != ChangeCategory.BEYOND_NOISE
                else _("improved beyond noise")
            )
        if category in REACHED and self.change.direction == ChangeDirection.WORSENED:
            return (
                _("worsened beyond threshold")
                if category != ChangeCategory.BEYOND_NOISE
                else _("worsened beyond noise")
            )
        return {
            ChangeCategory.BELOW_THRESHOLD: _("below threshold"),
            ChangeCategory.WITHIN_NOISE: _("within noise"),
            ChangeCategory.POSSIBLY_NOISE: _("possibly noise"),
            ChangeCategory.NO_THRESHOLD: _("no established threshold"),
            ChangeCategory.NOT_COMPARABLE: _("cannot be compared"),
        }.get(category, _("no change"))


@dataclass
class DiarySeries:
    code: str
    label: str
    higher_is_better: bool
    readings: list[Reading]
    first: Reading | None
    latest: Reading | None
    plain_words: str
    chart: str


@dataclass
class IndicatorProgress:
    indicator: Indicator
    label: str
    diary: DiarySeries
    series: list[MeasureSeries]


@dataclass
class Progress:
    patient: object
    today: dt.date
    date_of_injury: dt.date | None
    months_since_injury: int | None
    first_procedure_on: dt.date | None
    baseline_on: dt.date | None
    natural_recovery_note: str | None
    concurrent_therapies: list[str]
    concurrent_therapy_note: str
    indicators: list[IndicatorProgress]
    neurology: list[MeasureSeries]  # AIS grade and levels, highlighted when they move
    diary_weeks: list[dict]  # one row per week (the text alternative of the diary charts)
    application_ratings_on: dt.date | None
    points: list = field(default_factory=list)

    @property
    def diary_table_html(self) -> str:
        """Every diary week as a table (the charts' text alternative), built here: it can be 500+ rows."""
        codes = [indicator.code for indicator in INDICATORS]
        head = format_html(
            '<thead><tr><th scope="col">{}</th>{}</tr></thead>',
            _("Week"),
            format_html_join("", '<th scope="col">{}</th>', ((i.label,) for i in INDICATORS)),
        )
        body = format_html_join(
            "",
            "<tr><td>{}{}</td>{}</tr>",
            (
                (
                    week["on"].isoformat(),
                    f" ({week['source']})" if week["source"] else "",
                    format_html_join("", "<td>{}</td>", ((week.get(code, ""),) for code in codes)),
                )
                for week in self.diary_weeks
            ),
        )
        return format_html('<table class="compact">{}<tbody>{}</tbody></table>', head, body)

    @property
    def time_since_injury(self) -> str:
        if self.months_since_injury is None:
            return _("not recorded")
        years, months = divmod(self.months_since_injury, 12)
        if years and months:
            return _("%(y)d years and %(m)d months") % {"y": years, "m": months}
        if years:
            return _("%(y)d years") % {"y": years}
        return _("%(m)d months") % {"m": months}


def _rule_for(measure: Measure):
    if measure.code == "pain.average":
        return conf.get("PAIN_RULE")
    if measure.code in ("mas.max",) or (measure.rules and measure.rules[0].code == "mas_grade"):
        return mas_grade_rule(int(conf.get("MAS_GRADE_THRESHOLD")))
    return None


def _injury_complete(ais: object) -> bool | None:
    text = str(ais or "").replace("*", "").strip().upper()
    if not text or "," in text:
        return None
    return text == "A"


def _label(months: int | None) -> str:
    if months is None:
        return ""
    if months == 0:
        return _("baseline")
    return _("%(m)d months") % {"m": months}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _series(
    measure: Measure, instrument_name: str, rows, injury_complete, chart_id: str
) -> MeasureSeries | None:
    key = measure.key
    kept = [row for row in rows if row.values.get(key) is not None]
    if not kept:
        return None
    readings = [
        Reading(
            row.taken_on,
            row.values[key],
            _label(row.follow_up_months),
            row.pk,
            measure.shown(row.values[key]) if measure.value_labels else "",
        )
        for row in kept
    ]
    baseline_positions = [i for i, row in enumerate(kept) if row.follow_up_months == 0]
    position = baseline_positions[-1] if baseline_positions else 0
    baseline = readings[position]
    latest = readings[-1] if position < len(readings) - 1 else None
    change = None
    if latest is not None:
        try:
            change = evaluate_change(
                measure,
                baseline.value,
                latest.value,
                rule=_rule_for(measure),
                injury_complete=injury_complete,
            )
        except ScoringError:
            change = None
    series = MeasureSeries(
        measure=measure,
        instrument_name=instrument_name,
        readings=readings,
        baseline=baseline,
        latest=latest,
        change=change,
        baseline_after_treatment=not baseline_positions,
    )
    numeric = [(r.on, float(r.value)) for r in readings if _is_number(r.value)]
    if measure.kind is MeasureKind.SCORE and numeric:
        series.chart = _measure_chart(series, numeric, chart_id)
    return series


def _measure_chart(series: MeasureSeries, numeric, chart_id: str) -> str:
    measure = series.measure
    low = measure.minimum if measure.minimum is not None else min(v for _, v in numeric)
    high = measure.maximum if measure.maximum is not None else max(v for _, v in numeric)
    lines = []
    if _is_number(series.baseline.value):
        base = float(series.baseline.value)
        lines.append(ChartLine(base, _("baseline %(v)s") % {"v": series.baseline.shown}, "baseline"))
        rule = measure.rules[0] if measure.rules else None
        if series.change is not None and series.change.threshold:
            step = series.change.threshold
            target = base + step if measure.higher_is_better else base - step
            if low <= target <= high:
                lines.append(ChartLine(target, _("threshold"), "threshold"))
        elif rule is not None:
            target = base + rule.points if measure.higher_is_better else base - rule.points
            if low <= target <= high:
                lines.append(ChartLine(target, _("threshold"), "threshold"))
    values = ", ".join(f"{day:%Y-%m-%d}: {value:g}" for day, value in numeric[-12:])
    words = series.change.plain_words if series.change else _("Only one measurement so far.")
    description = _("%(name)s over time. %(words)s Latest values: %(values)s.") % {
        "name": _(measure.name),
        "words": words,
        "values": values,
    }
    return line_chart(
        chart_id=chart_id,
        title=f"{_(measure.name)} ({series.instrument_name})",
        description=description,
        points=numeric,
        y_min=float(low),
        y_max=float(high),
        lines=lines,
    )


def _diary_words(label: str, first: Reading | None, latest: Reading | None, higher_is_better: bool) -> str:
    if first is None:
        return _("No diary entries yet.")
    if latest is None:
        return _("%(label)s: one rating so far, %(v)s out of 10.") % {"label": label, "v": first.value}
    change = latest.value - first.value
    if change == 0:
        movement = _("stayed at %(v)s") % {"v": latest.value}
    else:
        better = (change > 0) == higher_is_better
        movement = _("went %(dir)s from %(a)s to %(b)s (%(kind)s)") % {
            "dir": _("up") if change > 0 else _("down"),
            "a": first.value,
            "b": latest.value,
            "kind": _("better") if better else _("worse"),
        }
    return _(
        "Your own rating of %(label)s %(movement)s out of 10. Self-ratings have no established "
        "meaningful-change threshold: the raw change is shown."
    ) % {"label": label.lower(), "movement": movement}


def _mas_group_measures(rows) -> list[Measure]:
    recorded = {key for row in rows for key, value in row.values.items() if value is not None}
    return [mas_group_measure(item.key) for item in MAS_ITEMS if item.key in recorded]


def _page_recovery_note(injury: dt.date | None, series: list[MeasureSeries]) -> str | None:
    """The note at the top: no injury date, or any measure whose own baseline is in the window."""
    if not series:
        return None
    if injury is None:
        return NO_INJURY_DATE_NOTE
    if any(s.recovery_caveat is RecoveryCaveat.WITHIN_WINDOW for s in series):
        return _(NATURAL_RECOVERY_NOTE)
    return None


def build_progress(
    *,
    patient,
    today: dt.date,
    assessments,
    diary_entries,
    application_ratings,
    first_procedure_on,
    points,
    concurrent_therapies,
) -> Progress:
    assessments = sorted(assessments, key=lambda a: (a.taken_on, a.pk))
    by_instrument: dict[str, list] = {}
    for row in assessments:
        by_instrument.setdefault(row.instrument, []).append(row)
    isncsci_rows = by_instrument.get("isncsci", [])
    baseline_isncsci = [r for r in isncsci_rows if r.follow_up_months == 0] or isncsci_rows[:1]
    injury_complete = _injury_complete(baseline_isncsci[-1].values.get("ais")) if baseline_isncsci else None

    series_by_indicator: dict[Indicator, list[MeasureSeries]] = {ind: [] for ind in Indicator}
    neurology: list[MeasureSeries] = []
    for code, definition in INSTRUMENTS.items():
        rows = by_instrument.get(code)
        if not rows:
            continue
        # MAS: one series per muscle group and side, in grades. Maxima and sums of different groups are
        # never compared, so the summary measures (mas.max, mas.sum) are not series here.
        measures = _mas_group_measures(rows) if code == "mas" else definition.measures
        for measure in measures:
            series = _series(
                measure, _(definition.name), rows, injury_complete, f"chart-{measure.code.replace('.', '-')}"
            )
            if series is None:
                continue
            if measure.kind is MeasureKind.SCORE:
                series_by_indicator[definition.indicator_of(measure)].append(series)
            else:
                neurology.append(series)

    # Diary: the application's self-ratings are the first entry.
    weeks: list[tuple[dt.date, dict, str]] = []
    application_on = None
    if application_ratings:
        when, ratings = application_ratings
        if isinstance(when, dt.datetime):
            application_on = when.astimezone(patient.tz).date() if hasattr(patient, "tz") else when.date()
        else:
            application_on = when
        weeks.append((application_on, dict(ratings), _("application")))
    weeks.extend((entry.week_start, entry.ratings, "") for entry in diary_entries)
    weeks.sort(key=lambda w: (w[0], w[2] == ""))
    indicators: list[IndicatorProgress] = []
    for indicator in Indicator:
        self_rated = next(i for i in INDICATORS if i.code == DIARY_CODE[indicator])
        readings = [
            Reading(on, ratings[self_rated.code], source)
            for on, ratings, source in weeks
            if ratings.get(self_rated.code) is not None
        ]
        first = readings[0] if readings else None
        latest = readings[-1] if len(readings) > 1 else None
        label = str(self_rated.label)
        chart = ""
        if readings:
            lines = [ChartLine(float(first.value), _("first %(v)s") % {"v": first.value}, "baseline")]
            words = _diary_words(label, first, latest, self_rated.higher_is_better)
            chart = line_chart(
                chart_id=f"diary-{self_rated.code}",
                title=_("%(label)s, your weekly rating (0-10)") % {"label": label},
                description=words,
                points=[(r.on, float(r.value)) for r in readings],
                y_min=0,
                y_max=10,
                lines=lines,
            )
        diary = DiarySeries(
            code=self_rated.code,
            label=label,
            higher_is_better=self_rated.higher_is_better,
            readings=readings,
            first=first,
            latest=latest,
            plain_words=_diary_words(label, first, latest, self_rated.higher_is_better),
            chart=chart,
        )
        indicators.append(IndicatorProgress(indicator, label, diary, series_by_indicator[indicator]))

    baseline_dates = [a.taken_on for a in assessments if a.follow_up_months == 0]
    baseline_on = (
        max(baseline_dates) if baseline_dates else (assessments[0].taken_on if assessments else None)
    )
    injury = getattr(patient, "sci_date_of_injury", None)
    months = months_since_injury(injury, today) if injury and injury <= today else None
    every_series = [s for block in series_by_indicator.values() for s in block] + neurology
    for series in every_series:
        series.recovery_caveat = recovery_caveat(injury, series.baseline.on)
        series.recovery_note = recovery_caveat_words(series.recovery_caveat, injury, series.baseline.on)
    note = _page_recovery_note(injury, every_series)
    return Progress(
        patient=patient,
        today=today,
        date_of_injury=injury,
        months_since_injury=months,
        first_procedure_on=first_procedure_on,
        baseline_on=baseline_on,
        natural_recovery_note=note,
        concurrent_therapies=concurrent_therapies,
        concurrent_therapy_note=_(CONCURRENT_THERAPY_NOTE),
        indicators=indicators,
        neurology=neurology,
        diary_weeks=[{"on": on, "source": source, **ratings} for on, ratings, source in weeks],
        application_ratings_on=application_on,
        points=points,
    )
