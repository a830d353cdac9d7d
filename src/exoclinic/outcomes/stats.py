"""Cohort statistics for outcome dashboards, in the standard library only (no numpy or scipy).

- ``mean_with_ci``: mean with a Student's t confidence interval; none for fewer than two patients, with why.
- ``wilson_interval``: Wilson score interval for a proportion (stays within 0..1, sensible for small n).
- ``ais_conversion_table``: baseline AIS grade by follow-up grade, with patients lost to follow-up counted
  in a "missing" column rather than dropped.
- ``student_t_quantile``: the t quantile, via the regularized incomplete beta function.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from exoclinic.core.wording import gettext as _

_NORMAL = statistics.NormalDist()

# ---- Student's t distribution ---------------------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function, by the modified Lentz method."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 100_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            result *= step
        if abs(step - 1.0) < 1e-15:
            return result
    raise ArithmeticError("incomplete beta continued fraction did not converge")


def regularized_incomplete_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if not (a > 0 and b > 0) or not 0.0 <= x <= 1.0:
        raise ValueError("regularized_incomplete_beta needs a, b > 0 and 0 <= x <= 1")
    if x in (0.0, 1.0):
        return x
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0."""
    return 0.5 * regularized_incomplete_beta(df / (df + t * t), df / 2.0, 0.5)


def student_t_cdf(t: float, df: float) -> float:
    if math.isinf(df):
        return _NORMAL.cdf(t)
    tail = _t_upper_tail(abs(t), df)
    return 1.0 - tail if t >= 0 else tail


@functools.lru_cache(maxsize=512)  # a cohort page asks for the same df for every measure
def student_t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p for Student's t with ``df`` degrees of freedom (``math.inf``: normal)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if not df > 0:
        raise ValueError("degrees of freedom must be positive")
    if math.isinf(df):
        return _NORMAL.inv_cdf(p)
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -student_t_quantile(1.0 - p, df)
    tail = 1.0 - p
    low, high = 0.0, 1.0
    while _t_upper_tail(high, df) > tail:
        low, high = high, high * 2.0
    # The upper tail falls as t grows: bisect until the bracket is as narrow as floating point allows.
    for _step in range(200):
        middle = (low + high) / 2.0
        if middle in (low, high):
            break
        if _t_upper_tail(middle, df) > tail:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


# ---- Mean with a confidence interval --------------------------------------------------------------------


@dataclass(frozen=True)
class MeanEstimate:
    n: int
    mean: float | None
    sd: float | None  # sample standard deviation (n - 1)
    lower: float | None
    upper: float | None
    confidence: float
    reason: str | None = None  # why the interval (or the mean) is missing

    @property
    def has_interval(self) -> bool:
        return self.lower is not None


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be strictly between 0 and 1, e.g. 0.95")


def _as_float(value: object, position: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(
            f"value {position} is {value!r}: give numbers only and count missing patients separately"
        )
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"value {position} is not a finite number")
    return number


def mean_with_ci(values: Iterable[float], confidence: float = 0.95) -> MeanEstimate:
    """Mean and its two-sided Student's t confidence interval (0.95 gives the 95% interval)."""
    _check_confidence(confidence)
    numbers = [_as_float(value, i) for i, value in enumerate(values, 1)]
    n = len(numbers)
    if n == 0:
        return MeanEstimate(0, None, None, None, None, confidence, reason="no patients with a value")
    mean = statistics.fmean(numbers)
    if n == 1:
        return MeanEstimate(
            1,
            mean,
            None,
            None,
            None,
            confidence,
            reason="one patient: the spread, so the interval, is unknown",
        )
    # Two-pass float variance with fsum: statistics.stdev works in exact fractions, ~10 us per value, too
    # slow for a cohort of 10,000 patients and 15 measures.
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in numbers) / (n - 1))
    half_width = student_t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1) * sd / math.sqrt(n)
    return MeanEstimate(n, mean, sd, mean - half_width, mean + half_width, confidence)


# ---- Proportion with the Wilson score interval ----------------------------------------------------------


@dataclass(frozen=True)
class ProportionEstimate:
    successes: int
    n: int
    proportion: float | None
    lower: float | None
    upper: float | None
    confidence: float
    reason: str | None = None


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> ProportionEstimate:
    """Proportion ``successes / n`` with its Wilson score interval (Wilson 1927)."""
    _check_confidence(confidence)
    for name, value in (("successes", successes), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    if n == 0:
        return ProportionEstimate(0, 0, None, None, None, confidence, reason="no patients")
    z = _NORMAL.inv_cdf(1.0 - (1.0 - confidence) / 2.0)
    p = successes / n
    z2n = z * z / n
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half_width = z / (1.0 + z2n) * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    lower = 0.0 if successes == 0 else max(0.0, centre - half_width)
    upper = 1.0 if successes == n else min(1.0, centre + half_width)
    return ProportionEstimate(successes, n, p, lower, upper, confidence)


# ---- AIS conversion table -------------------------------------------------------------------------------

AIS_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E")
MISSING = "missing"


@dataclass(frozen=True)
class AisConversionTable:
    """Counts of patients by baseline grade (rows) and follow-up grade (columns).

    A patient lost to follow-up is counted in the ``missing`` column; one without a baseline grade in the
    ``missing`` row. Every patient given is counted exactly once: ``n`` is the number of pairs.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: dict[str, dict[str, int]] = field(repr=False)

    def count(self, baseline: str, follow_up: str) -> int:
        return self.counts[baseline][follow_up]

    @property
    def row_totals(self) -> dict[str, int]:
        return {row: sum(self.counts[row].values()) for row in self.rows}

    @property
    def column_totals(self) -> dict[str, int]:
        return {column: sum(self.counts[row][column] for row in self.rows) for column in self.columns}

    @property
    def n(self) -> int:
        return sum(self.row_totals.values())

    @property
    def lost_to_follow_up(self) -> int:
        return self.column_totals[MISSING]

    def _pairs(self) -> Iterable[tuple[int, int, int]]:
        for i, row in enumerate(AIS_GRADES):
            for j, column in enumerate(AIS_GRADES):
                yield i, j, self.counts[row][column]

    @property
    def improved(self) -> int:
        """Patients with both grades whose follow-up grade is better (later letter) than the baseline."""
        return sum(count for i, j, count in self._pairs() if j > i)

    @property
    def unchanged(self) -> int:
        return sum(count for i, j, count in self._pairs() if j == i)

    @property
    def worsened(self) -> int:
        return sum(count for i, j, count in self._pairs() if j < i)

    def as_rows(self) -> list[list[str | int]]:
        """Header row then one row per baseline grade, with totals: ready for a template or a CSV writer."""
        header: list[str | int] = [_("baseline \\ follow-up"), *self.columns, _("total")]
        body = [
            [row, *(self.counts[row][c] for c in self.columns), self.row_totals[row]] for row in self.rows
        ]
        footer: list[str | int] = [_("total"), *self.column_totals.values(), self.n]
        return [header, *body, footer]


def _grade(value: object, position: int, when: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING
    grade = value.strip().upper() if isinstance(value, str) else value
    if grade not in AIS_GRADES:
        raise ValueError(
            f"patient {position}: {when} AIS grade {value!r} is not one of A-E "
            "(resolve ambiguous grades such as 'C,D' before tabulating)"
        )
    return grade


def ais_conversion_table(pairs: Iterable[tuple[str | None, str | None]]) -> AisConversionTable:
    """Tabulate ``(baseline_grade, follow_up_grade)`` per patient; ``None`` marks a missing grade."""
    labels = (*AIS_GRADES, MISSING)
    counts = {row: dict.fromkeys(labels, 0) for row in labels}
    for position, (baseline, follow_up) in enumerate(pairs, 1):
        counts[_grade(baseline, position, "baseline")][_grade(follow_up, position, "follow-up")] += 1
    return AisConversionTable(rows=labels, columns=labels, counts=counts)
