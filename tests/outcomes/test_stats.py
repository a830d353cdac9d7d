import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exoclinic.outcomes.stats import (
    MISSING,
    ais_conversion_table,
    mean_with_ci,
    regularized_incomplete_beta,
    student_t_cdf,
    student_t_quantile,
    wilson_interval,
)

# ---- Student's t ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "df", "table"),
    [(0.975, 1, 12.706), (0.975, 2, 4.303), (0.975, 4, 2.776), (0.975, 9, 2.262), (0.975, 29, 2.045),
     (0.975, 120, 1.980), (0.95, 10, 1.812), (0.995, 5, 4.032), (0.9995, 1, 636.619),
     (0.975, math.inf, 1.960)],
)  # fmt: skip
def test_t_quantile_matches_printed_tables(p, df, table):
    assert round(student_t_quantile(p, df), 3) == table


def test_t_quantile_tends_to_the_normal_for_many_degrees_of_freedom():
    assert student_t_quantile(0.975, 1_000_000) == pytest.approx(1.959964, abs=1e-5)
    assert student_t_quantile(0.975, 1_000) > student_t_quantile(0.975, 1_000_000)


def test_t_quantile_is_symmetric_and_zero_at_the_median():
    assert student_t_quantile(0.025, 9) == pytest.approx(-2.262157, abs=1e-6)
    assert student_t_quantile(0.5, 3) == 0.0


@pytest.mark.parametrize(("p", "df"), [(0, 5), (1, 5), (-0.1, 5), (0.975, 0)])
def test_t_quantile_refuses_impossible_arguments(p, df):
    with pytest.raises(ValueError):
        student_t_quantile(p, df)


@given(st.floats(0.001, 0.999), st.integers(1, 500))
def test_t_quantile_inverts_the_cdf(p, df):
    assert student_t_cdf(student_t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


def test_incomplete_beta_known_values():
    assert regularized_incomplete_beta(0.5, 3.0, 3.0) == pytest.approx(0.5)
    assert regularized_incomplete_beta(0.3, 1.0, 1.0) == pytest.approx(0.3)
    assert regularized_incomplete_beta(0.3, 2.0, 1.0) == pytest.approx(0.09)  # x^a when b = 1
    assert regularized_incomplete_beta(0.0, 2.0, 3.0) == 0.0
    assert regularized_incomplete_beta(1.0, 2.0, 3.0) == 1.0


# ---- Mean with a confidence interval ----------------------------------------------------------------------


def test_mean_interval_of_one_to_five_by_hand():
    # mean 3, sd sqrt(2.5) = 1.5811, t(0.975, 4) = 2.7764; half width 2.7764 * 1.5811 / sqrt(5) = 1.9632
    estimate = mean_with_ci([1, 2, 3, 4, 5])
    assert estimate.n == 5
    assert estimate.mean == 3
    assert estimate.sd == pytest.approx(1.581139, abs=1e-6)
    assert estimate.lower == pytest.approx(1.0368, abs=1e-4)
    assert estimate.upper == pytest.approx(4.9632, abs=1e-4)
    assert estimate.reason is None and estimate.has_interval


def test_mean_interval_of_two_patients_uses_twelve_point_seven():
    # mean 11, sd sqrt(2), standard error 1, so the half width is t(0.975, 1) = 12.706
    estimate = mean_with_ci([10, 12])
    assert estimate.lower == pytest.approx(11 - 12.7062, abs=1e-4)
    assert estimate.upper == pytest.approx(11 + 12.7062, abs=1e-4)


def test_no_patients_gives_no_mean_and_says_why():
    estimate = mean_with_ci([])
    assert (estimate.n, estimate.mean, estimate.lower, estimate.upper) == (0, None, None, None)
    assert estimate.reason == "no patients with a value"


def test_one_patient_gives_a_mean_without_interval_and_says_why():
    estimate = mean_with_ci([7.5])
    assert estimate.mean == 7.5
    assert estimate.lower is None and estimate.upper is None and not estimate.has_interval
    assert "one patient" in estimate.reason


def test_a_lower_confidence_gives_a_narrower_interval():
    wide, narrow = mean_with_ci([3, 5, 9, 4], 0.95), mean_with_ci([3, 5, 9, 4], 0.80)
    assert narrow.upper - narrow.lower < wide.upper - wide.lower


@pytest.mark.parametrize("values", [[1, None, 3], [1, "2"], [1, float("nan")], [True, 2]])
def test_missing_or_foreign_values_are_refused_rather_than_dropped(values):
    with pytest.raises(ValueError):
        mean_with_ci(values)


def test_confidence_must_be_a_fraction():
    with pytest.raises(ValueError):
        mean_with_ci([1, 2], confidence=95)


values_lists = st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=2, max_size=40)


@given(values_lists)
def test_mean_interval_contains_the_mean(values):
    estimate = mean_with_ci(values)
    assert estimate.lower <= estimate.mean <= estimate.upper


@given(values_lists)
def test_mean_interval_is_wider_with_fewer_patients(values):
    fewer, more = mean_with_ci(values), mean_with_ci(values * 2)
    assert more.upper - more.lower <= fewer.upper - fewer.lower + 1e-9


# ---- Wilson score interval --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "lower", "upper"),
    [(8, 10, 0.4902, 0.9433),  # centre 0.7167, half width 0.2266
     (0, 10, 0.0, 0.2775),  # upper = z^2 / (n + z^2) = 3.8415 / 13.8415
     (10, 10, 0.7225, 1.0),
     (1, 2, 0.0945, 0.9055),  # centre 0.5, half width 0.6711 * 0.6042
     (5, 100, 0.0215, 0.1118)],
)  # fmt: skip
def test_wilson_interval_by_hand(successes, n, lower, upper):
    estimate = wilson_interval(successes, n)
    assert estimate.proportion == successes / n
    assert estimate.lower == pytest.approx(lower, abs=1e-4)
    assert estimate.upper == pytest.approx(upper, abs=1e-4)


def test_wilson_with_no_patients_says_why():
    estimate = wilson_interval(0, 0)
    assert estimate.proportion is None and estimate.lower is None
    assert estimate.reason == "no patients"


@pytest.mark.parametrize(("successes", "n"), [(3, 2), (-1, 5), (1.5, 3), (True, 3)])
def test_wilson_refuses_impossible_counts(successes, n):
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


@st.composite
def counts(draw):
    n = draw(st.integers(1, 2000))
    return draw(st.integers(0, n)), n


@given(counts())
def test_wilson_interval_lies_in_zero_one_and_contains_the_proportion(case):
    successes, n = case
    estimate = wilson_interval(successes, n)
    assert 0.0 <= estimate.lower <= estimate.proportion <= estimate.upper <= 1.0


@given(counts())
def test_wilson_interval_is_wider_with_fewer_patients(case):
    successes, n = case
    fewer, more = wilson_interval(successes, n), wilson_interval(2 * successes, 2 * n)
    assert more.upper - more.lower < fewer.upper - fewer.lower


# ---- AIS conversion table ---------------------------------------------------------------------------------


def test_conversion_table_counts_every_patient_including_those_lost_to_follow_up():
    table = ais_conversion_table(
        [("A", "A"), ("A", "B"), ("A", None), ("b", "d"), ("C", "C"), ("D", "C"), (None, "C"), ("A", "")]
    )
    assert table.n == 8
    assert table.count("A", "A") == 1
    assert table.count("A", "B") == 1
    assert table.count("A", MISSING) == 2
    assert table.count("B", "D") == 1
    assert table.count(MISSING, "C") == 1
    assert table.lost_to_follow_up == 2
    assert table.row_totals["A"] == 4
    assert table.column_totals["C"] == 3
    assert (table.improved, table.unchanged, table.worsened) == (2, 2, 1)


def test_conversion_table_rows_for_a_template_have_totals():
    rows = ais_conversion_table([("A", "C"), ("A", None)]).as_rows()
    assert rows[0] == ["baseline \\ follow-up", "A", "B", "C", "D", "E", "missing", "total"]
    assert rows[1] == ["A", 0, 0, 1, 0, 0, 1, 2]
    assert rows[-1] == ["total", 0, 0, 1, 0, 0, 1, 2]
    assert len(rows) == 1 + 6 + 1


def test_empty_cohort_gives_an_all_zero_table():
    table = ais_conversion_table([])
    assert table.n == 0 and table.lost_to_follow_up == 0


@pytest.mark.parametrize("pair", [("F", "A"), ("A", "C,D"), ("A", 3)])
def test_unknown_or_ambiguous_grades_are_refused(pair):
    with pytest.raises(ValueError):
        ais_conversion_table([pair])


grades = st.sampled_from(["A", "B", "C", "D", "E", None])


@given(st.lists(st.tuples(grades, grades), max_size=60))
def test_no_patient_is_dropped_from_the_conversion_table(pairs):
    table = ais_conversion_table(pairs)
    assert table.n == len(pairs)
    assert sum(table.column_totals.values()) == len(pairs)
    assert table.lost_to_follow_up == sum(1 for _, follow_up in pairs if follow_up is None)
    complete = sum(1 for baseline, follow_up in pairs if baseline and follow_up)
    assert table.improved + table.unchanged + table.worsened == complete
