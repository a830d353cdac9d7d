"""Eligibility flags on a treatment application, for the reviewer.

Flags inform; they never decide. Nothing here accepts or rejects an application: the clinic's reviewer
reads the flags and decides, and the physician sets precautions per patient (clinical facts section 5).
An unanswered question is flagged "to confirm", never read as "no".

Pure Python: the answers are plain data and ``today`` is passed in.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date


class Severity(enum.StrEnum):
    NEEDS_ATTENTION = "needs_attention"  # the reviewer must look at this before deciding
    TO_CONFIRM = "to_confirm"  # an answer is missing or unclear: ask the applicant
    INFORMATION = "information"  # context for the reviewer, no action needed


class FlagCode(enum.StrEnum):
    ACTIVE_INFECTION = "active_infection"
    PREGNANCY = "pregnancy"
    ACTIVE_CANCER = "active_cancer"
    BLEEDING_DISORDER = "bleeding_disorder"
    ANTICOAGULANTS = "anticoagulants"
    RECENT_INJURY = "recent_injury"
    NATURAL_RECOVERY_WINDOW = "natural_recovery_window"
    RECENT_CELL_TREATMENT = "recent_cell_treatment"
    MINOR_NEEDS_GUARDIAN = "minor_needs_guardian"
    # Unanswered questions
    INFECTION_UNKNOWN = "infection_unknown"
    PREGNANCY_UNKNOWN = "pregnancy_unknown"
    CANCER_UNKNOWN = "cancer_unknown"
    BLEEDING_DISORDER_UNKNOWN = "bleeding_disorder_unknown"
    ANTICOAGULANTS_UNKNOWN = "anticoagulants_unknown"
    INJURY_DATE_UNKNOWN = "injury_date_unknown"
    BIRTH_DATE_UNKNOWN = "birth_date_unknown"
    CELL_TREATMENT_UNKNOWN = "cell_treatment_unknown"
    CELL_TREATMENT_DATE_UNKNOWN = "cell_treatment_date_unknown"
    # Answers that cannot be true
    BIRTH_DATE_IN_FUTURE = "birth_date_in_future"
    INJURY_DATE_IN_FUTURE = "injury_date_in_future"
    INJURY_BEFORE_BIRTH = "injury_before_birth"
    CELL_TREATMENT_DATE_IN_FUTURE = "cell_treatment_date_in_future"


SPINAL_CORD_INJURY = "spinal_cord_injury"


@dataclass(frozen=True)
class ApplicationAnswers:
    """The answers on a treatment application that the flags read. ``None`` means not answered."""

    date_of_birth: date | None
    condition: str  # e.g. "spinal_cord_injury"
    date_of_injury: date | None = None
    active_infection: bool | None = None
    pregnant: bool | None = None
    active_cancer: bool | None = None
    bleeding_disorder: bool | None = None
    anticoagulants: bool | None = None  # takes anticoagulant medication
    earlier_cell_or_exosome_treatment: bool | None = None
    last_cell_or_exosome_treatment: date | None = None


@dataclass(frozen=True)
class EligibilityPolicy:
    """Thresholds for the flags.

    These are the clinic's policy, not clinical fact: the clinical facts give no minimum time since
    injury or between treatments. The defaults are conservative (they flag rather than stay silent) and
    each clinic sets its own. ``natural_recovery_months`` follows clinical facts section 3: gains
    within about 12 months of injury cannot be credited to a therapy alone.
    """

    min_weeks_since_injury: int = 12  # clinic policy
    min_months_since_cell_treatment: int = 6  # clinic policy
    adult_age: int = 18  # younger applicants need a parent or guardian
    natural_recovery_months: int = 12  # clinical facts section 3
    injury_conditions: frozenset[str] = frozenset({SPINAL_CORD_INJURY})  # conditions with an injury date


@dataclass(frozen=True)
class EligibilityFlag:
    code: FlagCode
    severity: Severity
    reason: str  # plain language for the reviewer
    field: str  # the answer it concerns, so the page can link to the question
    params: Mapping[str, object] = field(default_factory=dict)  # for rendering the reason in another language


_Raise = Callable[..., None]  # flag(code, severity, reason, field_name, **params)


def age_on(born: date, today: date) -> int:
    """Age in whole years. A 29 February birthday counts on 1 March in common years: the later reading,
    so an applicant is never taken for an adult a day early."""
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    if (born.month, born.day) == (2, 29) and not _is_leap(today.year):
        had_birthday = (today.month, today.day) >= (3, 1)
    return today.year - born.year - (0 if had_birthday else 1)


def whole_months_between(earlier: date, later: date) -> int:
    """Completed calendar months from ``earlier`` to ``later`` (31 January to 28 February is 0)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


_YES_NO_QUESTIONS = (
    # field, flag when yes, flag when unanswered, reason when yes, what to confirm
    (
        "active_infection",
        FlagCode.ACTIVE_INFECTION,
        FlagCode.INFECTION_UNKNOWN,
        "The applicant reports an active infection.",
        "whether the applicant has an active infection",
    ),
    (
        "pregnant",
        FlagCode.PREGNANCY,
        FlagCode.PREGNANCY_UNKNOWN,
        "The applicant reports being pregnant.",
        "whether the applicant is pregnant",
    ),
    (
        "active_cancer",
        FlagCode.ACTIVE_CANCER,
        FlagCode.CANCER_UNKNOWN,
        "The applicant reports an active cancer.",
        "whether the applicant has an active cancer",
    ),
    (
        "bleeding_disorder",
        FlagCode.BLEEDING_DISORDER,
        FlagCode.BLEEDING_DISORDER_UNKNOWN,
        "The applicant reports a bleeding disorder.",
        "whether the applicant has a bleeding disorder",
    ),
    (
        "anticoagulants",
        FlagCode.ANTICOAGULANTS,
        FlagCode.ANTICOAGULANTS_UNKNOWN,
        "The applicant takes anticoagulant medication.",
        "whether the applicant takes anticoagulant medication",
    ),
)


def eligibility_flags(
    answers: ApplicationAnswers, *, today: date, policy: EligibilityPolicy | None = None
) -> list[EligibilityFlag]:
    """Every flag the answers raise, most severe first (needs attention, to confirm, information)."""
    policy = policy or EligibilityPolicy()
    flags: list[EligibilityFlag] = []

    def flag(code: FlagCode, severity: Severity, reason: str, field_name: str, **params: object) -> None:
        flags.append(EligibilityFlag(code, severity, reason, field_name, params))

    for field_name, yes_code, unknown_code, yes_reason, question in _YES_NO_QUESTIONS:
        answer = getattr(answers, field_name)
        if answer is None:
            flag(unknown_code, Severity.TO_CONFIRM, f"Not answered: confirm {question}.", field_name)
        elif answer:
            flag(yes_code, Severity.NEEDS_ATTENTION, yes_reason, field_name)

    _age_flags(answers, today, policy, flag)
    _injury_flags(answers, today, policy, flag)
    _treatment_flags(answers, today, policy, flag)

    order = list(Severity)
    return sorted(flags, key=lambda f: order.index(f.severity))  # stable: rule order within a severity


def _age_flags(answers: ApplicationAnswers, today: date, policy: EligibilityPolicy, flag: _Raise) -> None:
    born = answers.date_of_birth
    if born is None:
        flag(
            FlagCode.BIRTH_DATE_UNKNOWN,
            Severity.TO_CONFIRM,
            "Date of birth not given: confirm it, and whether a parent or guardian is needed.",
            "date_of_birth",
        )
    elif born > today:
        flag(
            FlagCode.BIRTH_DATE_IN_FUTURE,
            Severity.NEEDS_ATTENTION,
            f"The date of birth ({born.isoformat()}) is in the future: a data error to correct.",
            "date_of_birth",
            date=born.isoformat(),
        )
    elif (age := age_on(born, today)) < policy.adult_age:
        flag(
            FlagCode.MINOR_NEEDS_GUARDIAN,
            Severity.NEEDS_ATTENTION,
            f"The applicant is {age}, under {policy.adult_age}: a parent or guardian must apply and consent "
            "with them.",
            "date_of_birth",
            age=age,
            adult_age=policy.adult_age,
        )


def _injury_flags(answers: ApplicationAnswers, today: date, policy: EligibilityPolicy, flag: _Raise) -> None:
    injured = answers.date_of_injury
    if injured is None:
        if answers.condition in policy.injury_conditions:
            flag(
                FlagCode.INJURY_DATE_UNKNOWN,
                Severity.TO_CONFIRM,
                "Date of injury not given: confirm it (time since injury matters for the review and for "
                "judging later progress).",
                "date_of_injury",
            )
        return
    if injured > today:
        flag(
            FlagCode.INJURY_DATE_IN_FUTURE,
            Severity.NEEDS_ATTENTION,
            f"The date of injury ({injured.isoformat()}) is in the future: a data error to correct.",
            "date_of_injury",
            date=injured.isoformat(),
        )
        return
    born = answers.date_of_birth
    if born is not None and born <= today and injured < born:  # a future birth date is flagged already
        flag(
            FlagCode.INJURY_BEFORE_BIRTH,
            Severity.NEEDS_ATTENTION,
            f"The date of injury ({injured.isoformat()}) is before the date of birth "
            f"({born.isoformat()}): a data error to correct.",
            "date_of_injury",
            date=injured.isoformat(),
        )
        return
    weeks = (today - injured).days // 7
    if weeks < policy.min_weeks_since_injury:
        flag(
            FlagCode.RECENT_INJURY,
            Severity.NEEDS_ATTENTION,
            f"Injury {_plural(weeks, 'week')} ago; the clinic's policy asks for at least "
            f"{_plural(policy.min_weeks_since_injury, 'week')}.",
            "date_of_injury",
            weeks=weeks,
            min_weeks=policy.min_weeks_since_injury,
        )
    months = whole_months_between(injured, today)
    if months < policy.natural_recovery_months:
        flag(
            FlagCode.NATURAL_RECOVERY_WINDOW,
            Severity.INFORMATION,
            f"Injury {_plural(months, 'month')} ago: natural recovery may still be under way, so progress "
            "after treatment cannot be credited to the therapy alone.",
            "date_of_injury",
            months=months,
            window_months=policy.natural_recovery_months,
        )


def _treatment_flags(
    answers: ApplicationAnswers, today: date, policy: EligibilityPolicy, flag: _Raise
) -> None:
    had, last = answers.earlier_cell_or_exosome_treatment, answers.last_cell_or_exosome_treatment
    if had is False and last is None:
        return
    if had is None and last is None:
        flag(
            FlagCode.CELL_TREATMENT_UNKNOWN,
            Severity.TO_CONFIRM,
            "Not answered: confirm whether the applicant had cell or exosome treatment before.",
            "earlier_cell_or_exosome_treatment",
        )
        return
    if last is None:
        flag(
            FlagCode.CELL_TREATMENT_DATE_UNKNOWN,
            Severity.TO_CONFIRM,
            "Earlier cell or exosome treatment reported without a date: confirm when the last one was.",
            "last_cell_or_exosome_treatment",
        )
        return
    if last > today:
        flag(
            FlagCode.CELL_TREATMENT_DATE_IN_FUTURE,
            Severity.NEEDS_ATTENTION,
            f"The date of the last cell or exosome treatment ({last.isoformat()}) is in the future: a data "
            "error to correct.",
            "last_cell_or_exosome_treatment",
            date=last.isoformat(),
        )
        return
    months, minimum = whole_months_between(last, today), policy.min_months_since_cell_treatment
    if months < minimum:
        flag(
            FlagCode.RECENT_CELL_TREATMENT,
            Severity.NEEDS_ATTENTION,
            f"Last cell or exosome treatment {_plural(months, 'month')} ago ({last.isoformat()}); "
            f"the clinic's policy asks for at least {_plural(minimum, 'month')} "
            "between treatments.",
            "last_cell_or_exosome_treatment",
            months=months,
            min_months=minimum,
        )


__all__ = [
    "SPINAL_CORD_INJURY",
    "ApplicationAnswers",
    "EligibilityFlag",
    "EligibilityPolicy",
    "FlagCode",
    "Severity",
    "age_on",
    "eligibility_flags",
    "whole_months_between",
]
