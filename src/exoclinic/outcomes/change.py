"""Change against baseline: how much a measure moved, in which direction, and how that compares with the
published threshold for that measure, said in plain words that describe the change and never its cause.

Pure Python (no Django). Thresholds and sources come from the measure definitions in ``outcomes.instruments``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from exoclinic.core.wording import gettext as _
from exoclinic.core.wording import gettext_noop, ngettext
from exoclinic.outcomes.instruments import (
    ChangeRule,
    Measure,
    MeasureKind,
    ScoringError,
    ThresholdKind,
    get_measure,
)
from exoclinic.outcomes.instruments.base import parse_number
from exoclinic.outcomes.instruments.isncsci_summary import (
    AIS_GRADES,
    NOT_DETERMINABLE,
    STAR,
    level_index,
    normalise_grade,
    normalise_level,
    split_star,
)

_EPSILON = 1e-9  # 12.3 - 8.8 is 3.5000000000000018 in floating point; thresholds compare with this slack


STARRED_NOTE = gettext_noop("A * marks a value affected by a condition other than the spinal cord injury.")


class ChangeDirection(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    NO_CHANGE = "no_change"


class ChangeCategory(StrEnum):
    SUBSTANTIAL = "substantial"  # reaches the higher, "substantial" threshold (SCIM III 10 points)
    BEYOND_THRESHOLD = "beyond_threshold"  # reaches the meaningful-change threshold
    BELOW_THRESHOLD = "below_threshold"  # smaller than the meaningful-change threshold
    BEYOND_NOISE = "beyond_noise"  # at least the measurement noise: a real difference, not shown to matter
    POSSIBLY_NOISE = (
        "possibly_noise"  # beyond the complete-injury noise floor, but the injury may be incomplete
    )
    WITHIN_NOISE = "within_noise"  # smaller than the measurement noise
    NO_THRESHOLD = "no_threshold"  # no established threshold: raw change shown
    NOT_COMPARABLE = "not_comparable"  # a value is missing, not determinable or ambiguous


@dataclass(frozen=True)
class ChangeResult:
    measure: str
    baseline: int | float | str | None
    follow_up: int | float | str | None
    change: int | float | None  # follow-up minus baseline, in the measure's unit (levels: + is more caudal)
    percent_change: float | None  # of the baseline, only where the threshold uses a percentage
    direction: ChangeDirection | None  # None when not comparable
    category: ChangeCategory
    plain_words: str
    source: str | None
    rule: str | None = None  # code of the rule applied
    threshold: float | None = None
    threshold_confirmed: bool = True  # False for unconfirmed defaults (MAS one grade)


def evaluate_change(
    measure: Measure | str,
    baseline: object,
    follow_up: object,
    *,
    rule: ChangeRule | str | None = None,
    injury_complete: bool | None = None,
) -> ChangeResult:
    """Compare a follow-up value with the baseline value of one measure.

    ``rule`` picks one of the measure's rules by code (pain: ``"farrar2001"``, the default, or
    ``"hanley2006"``) or passes a rule built from a clinic setting (``mas_grade_rule(2)``).
    ``injury_complete`` matters only for the ISNCSCI noise floor, which was measured in complete injuries.
    """
    if isinstance(measure, str):
        measure = get_measure(measure)
    chosen = _choose_rule(measure, rule)
    start = _read(measure, baseline, "baseline")
    end = _read(measure, follow_up, "follow_up")
    if isinstance(start, str) or isinstance(end, str):
        reason = start if isinstance(start, str) else end
        return ChangeResult(
            measure=measure.code,
            baseline=baseline,
            follow_up=follow_up,
            change=None,
            percent_change=None,
            direction=None,
            category=ChangeCategory.NOT_COMPARABLE,
            plain_words=f"{measure.name} cannot be compared: {reason}.",
            source=None,
            rule=chosen.code if chosen else None,
        )
    change = _difference(start, end)
    percent = None
    if chosen is not None and chosen.percent is not None and start != 0:
        percent = round(change / start * 100, 1)
    if change == 0:
        direction = ChangeDirection.NO_CHANGE
    elif (change > 0) == measure.higher_is_better:
        direction = ChangeDirection.IMPROVED
    else:
        direction = ChangeDirection.WORSENED
    category = _categorise(chosen, change, percent, direction, injury_complete)
    words = _plain_words(
        measure, chosen, baseline, follow_up, change, percent, direction, category, injury_complete
    )
    if measure.kind is not MeasureKind.SCORE and STAR in f"{baseline}{follow_up}":
        words += " " + _(STARRED_NOTE)
    return ChangeResult(
        measure=measure.code,
        baseline=_display_value(measure, baseline),
        follow_up=_display_value(measure, follow_up),
        change=change,
        percent_change=percent,
        direction=direction,
        category=category,
        plain_words=words,
        source=chosen.source if chosen else None,
        rule=chosen.code if chosen else None,
        threshold=chosen.points if chosen else None,
        threshold_confirmed=chosen.confirmed if chosen else True,
    )


def _choose_rule(measure: Measure, rule: ChangeRule | str | None) -> ChangeRule | None:
    if isinstance(rule, ChangeRule):
        return rule
    if isinstance(rule, str):
        try:
            return measure.rule(rule)
        except KeyError:
            raise ScoringError(field="rule", message=f"{measure.name} has no change rule {rule!r}") from None
    return measure.rules[0] if measure.rules else None


def _read(measure: Measure, value: object, field: str) -> int | float | str:
    """The value as a number or a position; a str result is the reason it cannot be compared."""
    when = "baseline" if field == "baseline" else "follow-up"
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"no {when} value"
    if isinstance(value, str) and value.strip().upper() == NOT_DETERMINABLE:
        return f"the {when} value is not determinable (ND)"
    if measure.kind is MeasureKind.SCORE:
        number = None if isinstance(value, str) else parse_number(value)
        if number is None:
            raise ScoringError(field=field, message=f"{measure.name} takes a number; got {value!r}")
        low, high = measure.minimum, measure.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise ScoringError(
                field=field, message=f"{measure.name} runs from {low:g} to {high:g}; got {value}"
            )
        return value if isinstance(value, int) else number
    if not isinstance(value, str):
        raise ScoringError(field=field, message=f"{measure.name} takes text such as C5 or A; got {value!r}")
    if "," in value:
        return f"the {when} value is ambiguous ({value})"
    try:
        if measure.kind is MeasureKind.GRADE:
            return AIS_GRADES.index(split_star(normalise_grade(value))[0])
        return level_index(value)
    except ValueError:
        raise ScoringError(field=field, message=f"{measure.name} does not take {value!r}") from None


def _difference(start: int | float, end: int | float) -> int | float:
    change = end - start
    return change if isinstance(change, int) else round(change, 6)


def _categorise(
    rule: ChangeRule | None,
    change: float,
    percent: float | None,
    direction: ChangeDirection,
    injury_complete: bool | None,
) -> ChangeCategory:
    if rule is None:
        return ChangeCategory.NO_THRESHOLD
    size = abs(change)
    if rule.kind is ThresholdKind.NOISE_FLOOR:
        if size < rule.points - _EPSILON:
            return ChangeCategory.WITHIN_NOISE
        if rule.complete_injury_only and injury_complete is not True:
            return ChangeCategory.POSSIBLY_NOISE
        return ChangeCategory.BEYOND_NOISE
    if rule.substantial_points is not None and size >= rule.substantial_points - _EPSILON:
        return ChangeCategory.SUBSTANTIAL
    # The percentage criteria were derived from pain relief, so they count for improvements only.
    by_percent = (
        rule.percent is not None
        and percent is not None
        and direction is ChangeDirection.IMPROVED
        and abs(percent) >= rule.percent - _EPSILON
    )
    if size >= rule.points - _EPSILON or by_percent:
        return ChangeCategory.BEYOND_THRESHOLD
    return ChangeCategory.BELOW_THRESHOLD


def _number(value: float | int) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def _amount(size: float | int, unit: str) -> str:
    text = _number(size)
    count = 1 if text == "1" else 2  # the plural form (a fraction of a point is "0.5 points")
    if unit == "point":
        return ngettext("%(n)s point", "%(n)s points", count) % {"n": text}
    if unit == "grade":
        return ngettext("%(n)s grade", "%(n)s grades", count) % {"n": text}
    if unit == "level":
        return ngettext("%(n)s level", "%(n)s levels", count) % {"n": text}
    if unit == "item":
        return ngettext("%(n)s item", "%(n)s items", count) % {"n": text}
    return f"{text} {unit}"


def _display_value(measure: Measure, value: object) -> object:
    if measure.kind is MeasureKind.SCORE:
        return value
    return normalise_level(value) if measure.kind is MeasureKind.LEVEL else normalise_grade(value)


def _plain_words(
    measure: Measure,
    rule: ChangeRule | None,
    baseline: object,
    follow_up: object,
    change: float,
    percent: float | None,
    direction: ChangeDirection,
    category: ChangeCategory,
    injury_complete: bool | None,
) -> str:
    start, end = _display_value(measure, baseline), _display_value(measure, follow_up)
    if measure.kind is MeasureKind.SCORE and measure.value_labels:
        start, end = measure.shown(start), measure.shown(end)
    elif measure.kind is MeasureKind.SCORE:
        start, end = _number(float(start)), _number(float(end))
    name = _(measure.name)
    if change == 0:
        return _("%(measure)s did not change (%(value)s at baseline and at follow-up).") % {
            "measure": name,
            "value": start,
        }
    values = {"measure": name, "size": _amount(abs(change), measure.unit), "start": start, "end": end}
    if measure.kind is MeasureKind.LEVEL:
        if direction is ChangeDirection.WORSENED:
            moved = (
                _("%(measure)s moved %(size)s down the spine (a loss), from %(start)s to %(end)s")
                if change > 0
                else _("%(measure)s moved %(size)s up the spine (a loss), from %(start)s to %(end)s")
            )
        else:
            moved = (
                _("%(measure)s moved %(size)s down the spine, from %(start)s to %(end)s")
                if change > 0
                else _("%(measure)s moved %(size)s up the spine, from %(start)s to %(end)s")
            )
    elif measure.kind is MeasureKind.GRADE:
        moved = (
            _("%(measure)s changed from %(start)s to %(end)s (%(size)s better)")
            if direction is ChangeDirection.IMPROVED
            else _("%(measure)s changed from %(start)s to %(end)s (%(size)s worse)")
        )
    elif percent is not None and direction is ChangeDirection.IMPROVED:
        values["percent"] = _number(abs(percent))
        moved = (
            _("%(measure)s went up by %(size)s (%(percent)s%%), from %(start)s to %(end)s")
            if change > 0
            else _("%(measure)s went down by %(size)s (%(percent)s%%), from %(start)s to %(end)s")
        )
    else:
        moved = (
            _("%(measure)s went up by %(size)s, from %(start)s to %(end)s")
            if change > 0
            else _("%(measure)s went down by %(size)s, from %(start)s to %(end)s")
        )
    moved = moved % values
    if rule is None:
        return _("%(change)s; no established threshold: raw change shown.") % {"change": moved}
    if direction is ChangeDirection.WORSENED and rule.worsening_description:
        rule = replace(rule, description=rule.worsening_description)
    words = {
        "change": moved,
        "threshold": _(rule.description),
        "substantial": _(rule.substantial_description or ""),
        "cited": f" ({rule.source})" if rule.confirmed else "",
    }
    match category:
        case ChangeCategory.SUBSTANTIAL:
            text = _("%(change)s, reaching the %(substantial)s%(cited)s.")
        case ChangeCategory.BEYOND_THRESHOLD if rule.substantial_points is not None:
            text = _("%(change)s, reaching the %(threshold)s but not the %(substantial)s%(cited)s.")
        case ChangeCategory.BEYOND_THRESHOLD:
            text = _("%(change)s, reaching the %(threshold)s%(cited)s.")
        case ChangeCategory.BELOW_THRESHOLD:
            text = _("%(change)s, less than the %(threshold)s%(cited)s.")
        case ChangeCategory.WITHIN_NOISE:
            text = _("%(change)s, less than the %(threshold)s%(cited)s, so it may be measurement noise.")
        case ChangeCategory.POSSIBLY_NOISE if injury_complete is None:
            text = _(
                "%(change)s, at least the %(threshold)s%(cited)s, but completeness of the injury was not "
                "given and the noise is larger in incomplete injuries, so this may still be measurement "
                "noise."
            )
        case ChangeCategory.POSSIBLY_NOISE:
            text = _(
                "%(change)s, at least the %(threshold)s%(cited)s, but the noise is larger in incomplete "
                "injuries, so this may still be measurement noise."
            )
        case _:
            text = _("%(change)s, at least the %(threshold)s%(cited)s.")
    return text % words


# ---- Natural recovery (clinical facts §3) ---------------------------------------------------------------

NATURAL_RECOVERY_MONTHS = 12

NATURAL_RECOVERY_NOTE = gettext_noop(
    "This baseline was taken within 12 months of the injury. Most spontaneous recovery happens in the first "
    "9 months, fastest in the first 3, and small gains can continue to 18 months (Kirshblum 2021), so change "
    "from this baseline may be natural recovery and cannot be credited to a therapy."
)

CONCURRENT_THERAPY_NOTE = gettext_noop(
    "Concurrent therapies matter too: intensive exercise alone gave 4.8 motor points in 6 months while "
    "chronic controls moved 0.1 (Harness 2008), so physiotherapy is itself a cause of gains."
)


def _as_date(value: dt.date, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ScoringError(field=field, message=f"A date is required; got {value!r}")


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):  # 31 January + 1 month is the end of February
        try:
            return dt.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_since_injury(date_of_injury: dt.date, on: dt.date) -> int:
    """Whole calendar months from the injury to ``on`` (the day of the assessment or of the report)."""
    injury, day = _as_date(date_of_injury, "date_of_injury"), _as_date(on, "on")
    if day < injury:
        raise ScoringError(field="on", message="The date is before the date of injury")
    months = (day.year - injury.year) * 12 + day.month - injury.month
    return months if _months_later(injury, months) <= day else months - 1


def baseline_within_natural_recovery_window(date_of_injury: dt.date, baseline_date: dt.date) -> bool:
    """True when the baseline was taken less than 12 calendar months after the injury (clinical facts §3)."""
    injury, baseline = _as_date(date_of_injury, "date_of_injury"), _as_date(baseline_date, "baseline_date")
    if baseline < injury:
        raise ScoringError(field="baseline_date", message="The baseline date is before the date of injury")
    return baseline < _months_later(injury, NATURAL_RECOVERY_MONTHS)


def natural_recovery_note(date_of_injury: dt.date, baseline_date: dt.date) -> str | None:
    """The note to show next to a progress view whose baseline falls in the natural-recovery window."""
    if baseline_within_natural_recovery_window(date_of_injury, baseline_date):
        return _(NATURAL_RECOVERY_NOTE)
    return None


class RecoveryCaveat(StrEnum):
    """Whether a measure's change can be judged against natural recovery (clinical facts §3)."""

    WITHIN_WINDOW = "within_window"  # its baseline is less than 12 months after the injury
    NO_INJURY_DATE = "no_injury_date"  # the date of injury is not recorded: cannot be judged
    BASELINE_BEFORE_INJURY = "baseline_before_injury"  # the dates disagree: cannot be judged
    NONE = "none"  # baseline 12 months or more after the injury


NO_INJURY_DATE_NOTE = (
    "No date of injury is recorded, so this change cannot be judged against natural recovery: most "
    "spontaneous recovery happens in the first 9 months after an injury (Kirshblum 2021)."
)

BASELINE_BEFORE_INJURY_NOTE = (
    "The baseline is dated before the recorded date of injury, so this change cannot be judged against "
    "natural recovery: check both dates."
)


def recovery_caveat(date_of_injury: dt.date | None, baseline_date: dt.date) -> RecoveryCaveat:
    """The caveat for one measure, decided from that measure's own baseline date.

    Only a known injury date with the baseline 12 months or more after it gives ``NONE``: a missing date
    never makes the caveat disappear.
    """
    if date_of_injury is None:
        return RecoveryCaveat.NO_INJURY_DATE
    injury, baseline = _as_date(date_of_injury, "date_of_injury"), _as_date(baseline_date, "baseline_date")
    if baseline < injury:
        return RecoveryCaveat.BASELINE_BEFORE_INJURY
    if baseline < _months_later(injury, NATURAL_RECOVERY_MONTHS):
        return RecoveryCaveat.WITHIN_WINDOW
    return RecoveryCaveat.NONE


def recovery_caveat_words(
    caveat: RecoveryCaveat, date_of_injury: dt.date | None, baseline_date: dt.date
) -> str | None:
    """The plain words shown next to the measure (None when there is nothing to say)."""
    match caveat:
        case RecoveryCaveat.NO_INJURY_DATE:
            return NO_INJURY_DATE_NOTE
        case RecoveryCaveat.BASELINE_BEFORE_INJURY:
            return BASELINE_BEFORE_INJURY_NOTE
        case RecoveryCaveat.WITHIN_WINDOW:
            months = months_since_injury(date_of_injury, baseline_date)
            after = "in the first month" if months == 0 else f"{months} month{'s' if months > 1 else ''}"
            return (
                f"The baseline of this measure was taken {after} after the injury, within the 12 "
                "months of natural recovery, so this change may be natural recovery and cannot be credited "
                "to a therapy (Kirshblum 2021)."
            )
        case _:
            return None
