"""Eligibility flags on treatment applications, tested with a table of answers."""

import dataclasses
from datetime import date, timedelta

import pytest

from exoclinic.intake.eligibility import (
    ApplicationAnswers,
    EligibilityPolicy,
    FlagCode,
    Severity,
    age_on,
    eligibility_flags,
    whole_months_between,
)

TODAY = date(2026, 11, 22)
ATTENTION, CONFIRM, INFO = Severity.NEEDS_ATTENTION, Severity.TO_CONFIRM, Severity.INFORMATION

CLEAN = ApplicationAnswers(
    date_of_birth=date(1990, 5, 10),
    condition="spinal_cord_injury",
    date_of_injury=date(2020, 1, 15),
    active_infection=False,
    pregnant=False,
    active_cancer=False,
    bleeding_disorder=False,
    anticoagulants=False,
    earlier_cell_or_exosome_treatment=False,
)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# (case, changed answers, today, expected (code, severity) in order)
TABLE = [
    ("nothing to flag", {}, TODAY, []),
    ("active infection", {"active_infection": True}, TODAY, [(FlagCode.ACTIVE_INFECTION, ATTENTION)]),
    ("pregnancy", {"pregnant": True}, TODAY, [(FlagCode.PREGNANCY, ATTENTION)]),
    ("active cancer", {"active_cancer": True}, TODAY, [(FlagCode.ACTIVE_CANCER, ATTENTION)]),
    ("bleeding disorder", {"bleeding_disorder": True}, TODAY, [(FlagCode.BLEEDING_DISORDER, ATTENTION)]),
    ("anticoagulants", {"anticoagulants": True}, TODAY, [(FlagCode.ANTICOAGULANTS, ATTENTION)]),
    ("infection unanswered", {"active_infection": None}, TODAY, [(FlagCode.INFECTION_UNKNOWN, CONFIRM)]),
    ("pregnancy unanswered", {"pregnant": None}, TODAY, [(FlagCode.PREGNANCY_UNKNOWN, CONFIRM)]),
    ("cancer unanswered", {"active_cancer": None}, TODAY, [(FlagCode.CANCER_UNKNOWN, CONFIRM)]),
    (
        "bleeding disorder unanswered",
        {"bleeding_disorder": None},
        TODAY,
        [(FlagCode.BLEEDING_DISORDER_UNKNOWN, CONFIRM)],
    ),
    (
        "anticoagulants unanswered",
        {"anticoagulants": None},
        TODAY,
        [(FlagCode.ANTICOAGULANTS_UNKNOWN, CONFIRM)],
    ),
    (
        "injury 5 weeks ago",
        {"date_of_injury": days_ago(35)},
        TODAY,
        [(FlagCode.RECENT_INJURY, ATTENTION), (FlagCode.NATURAL_RECOVERY_WINDOW, INFO)],
    ),
    (
        "injury one day short of 12 weeks",
        {"date_of_injury": days_ago(83)},
        TODAY,
        [(FlagCode.RECENT_INJURY, ATTENTION), (FlagCode.NATURAL_RECOVERY_WINDOW, INFO)],
    ),
    (
        "injury exactly 12 weeks ago",
        {"date_of_injury": days_ago(84)},
        TODAY,
        [(FlagCode.NATURAL_RECOVERY_WINDOW, INFO)],
    ),
    (
        "injury 11 months ago",
        {"date_of_injury": date(2025, 12, 23)},
        TODAY,
        [(FlagCode.NATURAL_RECOVERY_WINDOW, INFO)],
    ),
    ("injury exactly 12 months ago", {"date_of_injury": date(2025, 11, 22)}, TODAY, []),
    (
        "injury tomorrow",
        {"date_of_injury": days_ago(-1)},
        TODAY,
        [(FlagCode.INJURY_DATE_IN_FUTURE, ATTENTION)],
    ),
    (
        "injury before birth",
        {"date_of_injury": date(1989, 1, 1)},
        TODAY,
        [(FlagCode.INJURY_BEFORE_BIRTH, ATTENTION)],
    ),
    ("injury date missing", {"date_of_injury": None}, TODAY, [(FlagCode.INJURY_DATE_UNKNOWN, CONFIRM)]),
    ("no injury date for another condition", {"date_of_injury": None, "condition": "stroke"}, TODAY, []),
    (
        "cell treatment 3 months ago",
        {"earlier_cell_or_exosome_treatment": True, "last_cell_or_exosome_treatment": date(2026, 8, 22)},
        TODAY,
        [(FlagCode.RECENT_CELL_TREATMENT, ATTENTION)],
    ),
    (
        "cell treatment one day short of 6 months",
        {"earlier_cell_or_exosome_treatment": True, "last_cell_or_exosome_treatment": date(2026, 5, 23)},
        TODAY,
        [(FlagCode.RECENT_CELL_TREATMENT, ATTENTION)],
    ),
    (
        "cell treatment exactly 6 months ago",
        {"earlier_cell_or_exosome_treatment": True, "last_cell_or_exosome_treatment": date(2026, 5, 22)},
        TODAY,
        [],
    ),
    (
        "cell treatment without a date",
        {"earlier_cell_or_exosome_treatment": True},
        TODAY,
        [(FlagCode.CELL_TREATMENT_DATE_UNKNOWN, CONFIRM)],
    ),
    (
        "earlier treatment unanswered",
        {"earlier_cell_or_exosome_treatment": None},
        TODAY,
        [(FlagCode.CELL_TREATMENT_UNKNOWN, CONFIRM)],
    ),
    (
        "cell treatment dated in the future",
        {"earlier_cell_or_exosome_treatment": True, "last_cell_or_exosome_treatment": days_ago(-30)},
        TODAY,
        [(FlagCode.CELL_TREATMENT_DATE_IN_FUTURE, ATTENTION)],
    ),
    (
        "under 18",
        {"date_of_birth": date(2010, 1, 1), "date_of_injury": date(2022, 1, 1)},
        TODAY,
        [(FlagCode.MINOR_NEEDS_GUARDIAN, ATTENTION)],
    ),
    ("18 today", {"date_of_birth": date(2008, 11, 22), "date_of_injury": date(2022, 1, 1)}, TODAY, []),
    (
        "18 tomorrow",
        {"date_of_birth": date(2008, 11, 23), "date_of_injury": date(2022, 1, 1)},
        TODAY,
        [(FlagCode.MINOR_NEEDS_GUARDIAN, ATTENTION)],
    ),
    (
        "leap-day birthday on 28 February of a common year",
        {"date_of_birth": date(2008, 2, 29), "date_of_injury": date(2022, 1, 1)},
        date(2026, 2, 28),
        [(FlagCode.MINOR_NEEDS_GUARDIAN, ATTENTION)],
    ),
    (
        "leap-day birthday on 1 March of a common year",
        {"date_of_birth": date(2008, 2, 29), "date_of_injury": date(2022, 1, 1)},
        date(2026, 3, 1),
        [],
    ),
    ("birth date missing", {"date_of_birth": None}, TODAY, [(FlagCode.BIRTH_DATE_UNKNOWN, CONFIRM)]),
    (
        "birth date in the future",
        {"date_of_birth": days_ago(-3)},
        TODAY,
        [(FlagCode.BIRTH_DATE_IN_FUTURE, ATTENTION)],
    ),
    (
        "several at once, most severe first",
        {"pregnant": None, "anticoagulants": True, "date_of_injury": days_ago(200)},
        TODAY,
        [
            (FlagCode.ANTICOAGULANTS, ATTENTION),
            (FlagCode.PREGNANCY_UNKNOWN, CONFIRM),
            (FlagCode.NATURAL_RECOVERY_WINDOW, INFO),
        ],
    ),
]


@pytest.mark.parametrize(
    ("changes", "today", "expected"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE]
)
def test_answers_raise_the_expected_flags(changes, today, expected):
    answers = dataclasses.replace(CLEAN, **changes)

    flags = eligibility_flags(answers, today=today)

    assert [(f.code, f.severity) for f in flags] == expected


def test_recent_injury_reason_is_plain_language_with_the_policy_value():
    answers = dataclasses.replace(CLEAN, date_of_injury=days_ago(35))

    flag = eligibility_flags(answers, today=TODAY)[0]

    assert flag.reason == "Injury 5 weeks ago; the clinic's policy asks for at least 12 weeks."
    assert flag.field == "date_of_injury"
    assert flag.params == {"weeks": 5, "min_weeks": 12}


def test_unanswered_question_is_never_read_as_no():
    answers = dataclasses.replace(CLEAN, pregnant=None)

    (flag,) = eligibility_flags(answers, today=TODAY)

    assert flag.reason == "Not answered: confirm whether the applicant is pregnant."
    assert flag.field == "pregnant"


def test_clinic_policy_sets_the_thresholds():
    policy = EligibilityPolicy(min_weeks_since_injury=26, min_months_since_cell_treatment=12, adult_age=21)
    answers = dataclasses.replace(
        CLEAN,
        date_of_birth=date(2006, 1, 1),
        date_of_injury=TODAY - timedelta(weeks=20),
        earlier_cell_or_exosome_treatment=True,
        last_cell_or_exosome_treatment=date(2026, 2, 22),
    )

    flags = {f.code: f for f in eligibility_flags(answers, today=TODAY, policy=policy)}

    assert flags[FlagCode.RECENT_INJURY].reason == (
        "Injury 20 weeks ago; the clinic's policy asks for at least 26 weeks."
    )
    assert flags[FlagCode.RECENT_CELL_TREATMENT].params == {"months": 9, "min_months": 12}
    assert flags[FlagCode.MINOR_NEEDS_GUARDIAN].params == {"age": 20, "adult_age": 21}


def test_every_risk_at_once_still_gives_flags_not_a_decision():
    answers = ApplicationAnswers(
        date_of_birth=date(2012, 6, 1),
        condition="spinal_cord_injury",
        date_of_injury=days_ago(7),
        active_infection=True,
        pregnant=True,
        active_cancer=True,
        bleeding_disorder=True,
        anticoagulants=True,
        earlier_cell_or_exosome_treatment=True,
        last_cell_or_exosome_treatment=days_ago(10),
    )

    flags = eligibility_flags(answers, today=TODAY)

    assert {f.code for f in flags} == {
        FlagCode.ACTIVE_INFECTION,
        FlagCode.PREGNANCY,
        FlagCode.ACTIVE_CANCER,
        FlagCode.BLEEDING_DISORDER,
        FlagCode.ANTICOAGULANTS,
        FlagCode.MINOR_NEEDS_GUARDIAN,
        FlagCode.RECENT_INJURY,
        FlagCode.NATURAL_RECOVERY_WINDOW,
        FlagCode.RECENT_CELL_TREATMENT,
    }
    assert all(f.reason and f.field for f in flags)


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2004, 2, 29), date(2022, 2, 28), 17),
        (date(2004, 2, 29), date(2022, 3, 1), 18),
        (date(2004, 2, 29), date(2024, 2, 28), 19),
        (date(2004, 2, 29), date(2024, 2, 29), 20),
        (date(2008, 11, 22), date(2026, 11, 22), 18),
        (date(2008, 11, 22), date(2026, 11, 21), 17),
        (date(2008, 12, 31), date(2027, 1, 1), 18),
    ],
)
def test_age_in_whole_years(born, today, age):
    assert age_on(born, today) == age


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 31), date(2026, 3, 1), 1),
        (date(2025, 11, 22), date(2026, 11, 22), 12),
        (date(2025, 11, 23), date(2026, 11, 22), 11),
    ],
)
def test_whole_months_between_counts_completed_months(earlier, later, months):
    assert whole_months_between(earlier, later) == months
