"""Quality-control evaluation of exosome product lots: one result against its specification, and the
release check over all of a lot's tests. Pure Python; the Django side stores specs and results and
calls these functions (``lot_release`` refuses a lot whose ``ReleaseCheck`` is not releasable).

Numeric results may carry a detection-limit qualifier as labs report them (``"< 0.05"``): the value is
then the range of values it allows, and it passes only when every value in that range is within the
limit. When the range straddles the limit the verdict is inconclusive, which does not pass.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from exoclinic.core.errors import InvalidInput
from exoclinic.core.wording import gettext as _

Value = Decimal | int | float | str


class LimitKind(enum.StrEnum):
    LESS_THAN = "lt"  # value < limit (maximum, exclusive): endotoxin < 0.5 EU/mL
    AT_MOST = "le"  # value <= limit (maximum, inclusive)
    AT_LEAST = "ge"  # value >= limit (minimum, inclusive): >= 90 % of particles in 50-400 nm
    MORE_THAN = "gt"  # value > limit (minimum, exclusive)
    RANGE = "range"  # low <= value <= high
    WITHIN_PERCENT = "within_percent"  # |value - target| <= percent of target: particle count vs label
    EQUALS_TEXT = "equals_text"  # one of the accepted texts, ignoring case: "negative", "present"


_NUMERIC_KINDS = frozenset(LimitKind) - {LimitKind.EQUALS_TEXT}
_SYMBOL = {
    LimitKind.LESS_THAN: "<",
    LimitKind.AT_MOST: "<=",
    LimitKind.AT_LEAST: ">=",
    LimitKind.MORE_THAN: ">",
}


@dataclass(frozen=True)
class QcSpec:
    """One release test of a product: what is measured, how, and what passes.

    ``limit`` serves the one-sided kinds, ``low``/``high`` RANGE, ``target``/``percent`` WITHIN_PERCENT
    (the target is the lot's label claim: copy the spec per lot with ``dataclasses.replace``) and
    ``accepted`` EQUALS_TEXT. Optional tests (``required=False``) are recorded but never block release.
    """

    code: str  # stable key, e.g. "endotoxin"
    name: str
    method: str
    unit: str
    kind: LimitKind
    limit: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    target: Decimal | None = None
    percent: Decimal | None = None
    accepted: tuple[str, ...] = ()
    required: bool = True

    def __post_init__(self) -> None:
        for name in ("limit", "low", "high", "target", "percent"):
            raw = getattr(self, name)
            if raw is not None and not isinstance(raw, Decimal):
                object.__setattr__(self, name, Decimal(str(raw)))  # accept 0.5 or "0.5" from callers
        needs = {
            LimitKind.RANGE: ("low", "high"),
            LimitKind.WITHIN_PERCENT: ("percent",),
            LimitKind.EQUALS_TEXT: ("accepted",),
        }.get(self.kind, ("limit",))
        object.__setattr__(self, "accepted", tuple(self.accepted))
        for name in needs:
            if getattr(self, name) is None or (name == "accepted" and not self.accepted):
                raise InvalidInput(
                    _("A '%(kind)s' test needs '%(name)s'.") % {"kind": self.kind.value, "name": name},
                    field=name,
                )
        if (
            self.kind == LimitKind.RANGE
            and self.low is not None
            and self.high is not None
            and self.low > self.high
        ):
            raise InvalidInput(_("The low limit is above the high limit."), field="low")
        if self.percent is not None and self.percent < 0:
            raise InvalidInput(_("The percentage must not be negative."), field="percent")

    def describe(self) -> str:
        """The passing condition in words, e.g. ``< 0.5 EU/mL`` or ``within 20% of 1E+11 particles/mL``."""
        unit = f" {self.unit}" if self.unit else ""
        match self.kind:
            case LimitKind.RANGE:
                return f"{self.low}-{self.high}{unit}"
            case LimitKind.WITHIN_PERCENT:
                target = _("the label claim") if self.target is None else f"{self.target}{unit}"
                return _("within %(percent)s%% of %(target)s") % {"percent": self.percent, "target": target}
            case LimitKind.EQUALS_TEXT:
                shown = self.accepted[0] if self.accepted else ""
                for answer in self.accepted[1:]:
                    shown = _("%(answers)s or %(answer)s") % {"answers": shown, "answer": answer}
                return shown
            case _:
                return f"{_SYMBOL[self.kind]} {self.limit}{unit}"


@dataclass(frozen=True)
class QcVerdict:
    passed: bool
    reason: str
    inconclusive: bool = False  # the value's range straddles the limit: not a pass, not a clear fail


@dataclass(frozen=True)
class QcFinding:
    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class ReleaseCheck:
    """Releasable only when there is at least one required test and each has a passing result."""

    releasable: bool
    missing: list[QcFinding] = field(default_factory=list)  # required tests without a result
    failed: list[QcFinding] = field(default_factory=list)  # required tests whose result does not pass
    notes: list[QcFinding] = field(default_factory=list)  # optional tests missing or not passing


# --- numeric values as ranges -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    """A set of numbers: from ``low`` to ``high`` (None = unbounded), each end open or closed."""

    low: Decimal | None
    high: Decimal | None
    low_open: bool = False
    high_open: bool = False

    def within(self, other: _Range) -> bool:
        return _above_or_at(self.low, self.low_open, other.low, other.low_open) and _below_or_at(
            self.high, self.high_open, other.high, other.high_open
        )

    def disjoint(self, other: _Range) -> bool:
        return _ends_before(self, other) or _ends_before(other, self)


def _above_or_at(low: Decimal | None, low_open: bool, bound: Decimal | None, bound_open: bool) -> bool:
    if bound is None:
        return True
    if low is None:
        return False
    return low > bound or (low == bound and (low_open or not bound_open))


def _below_or_at(high: Decimal | None, high_open: bool, bound: Decimal | None, bound_open: bool) -> bool:
    if bound is None:
        return True
    if high is None:
        return False
    return high < bound or (high == bound and (high_open or not bound_open))


def _ends_before(a: _Range, b: _Range) -> bool:
    if a.high is None or b.low is None:
        return False
    return a.high < b.low or (a.high == b.low and (a.high_open or b.low_open))


_QUALIFIED = re.compile(r"(<=|>=|≤|≥|<|>)?\s*([^\s<>=≤≥]+)")


def _parse_number(value: Value, spec: QcSpec, field_name: str) -> tuple[_Range, str]:
    """The range a numeric result allows, and the result as written; refuses anything else."""
    if spec.unit:
        needs = _("%(test)s needs a number in %(unit)s, optionally with < or >; got %(value)s.")
    else:
        needs = _("%(test)s needs a number, optionally with < or >; got %(value)s.")
    refuse = InvalidInput(
        needs % {"test": spec.name, "unit": spec.unit, "value": repr(value)}, field=field_name
    )
    if isinstance(value, bool):
        raise refuse
    if isinstance(value, int | float | Decimal):
        qualifier, text = "", str(value)
    else:
        match = _QUALIFIED.fullmatch(value.strip())
        if not match:
            raise refuse
        qualifier, text = match.group(1) or "", match.group(2)
        if "," in text:
            raise InvalidInput(
                _(
                    "%(test)s: write decimals with a point and no thousands separator (0.25, 1.2E11); "
                    "got %(value)s."
                )
                % {"test": spec.name, "value": repr(value)},
                field=field_name,
            )
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise refuse from None
    if not number.is_finite():
        raise refuse
    qualifier = {"≤": "<=", "≥": ">="}.get(qualifier, qualifier)
    shown = f"{qualifier}{' ' if qualifier else ''}{number}{f' {spec.unit}' if spec.unit else ''}"
    ranges = {
        "": _Range(number, number),
        "<": _Range(None, number, high_open=True),
        "<=": _Range(None, number),
        ">": _Range(number, None, low_open=True),
        ">=": _Range(number, None),
    }
    return ranges[qualifier], shown


def _acceptance(spec: QcSpec) -> _Range:
    match spec.kind:
        case LimitKind.LESS_THAN:
            return _Range(None, spec.limit, high_open=True)
        case LimitKind.AT_MOST:
            return _Range(None, spec.limit)
        case LimitKind.AT_LEAST:
            return _Range(spec.limit, None)
        case LimitKind.MORE_THAN:
            return _Range(spec.limit, None, low_open=True)
        case LimitKind.RANGE:
            return _Range(spec.low, spec.high)
        case _:  # WITHIN_PERCENT
            if spec.target is None:
                raise InvalidInput(
                    _("%(test)s is compared with the lot's label claim, and none was given.")
                    % {"test": spec.name},
                    field="target",
                )
            margin = abs(spec.target) * (spec.percent or Decimal(0)) / 100
            return _Range(spec.target - margin, spec.target + margin)


def evaluate(spec: QcSpec, value: Value, *, field_name: str = "value") -> QcVerdict:
    """Judge one result against its specification.

    Raises ``InvalidInput`` naming ``field_name`` when the value does not fit the spec (text for a
    numeric test, a number for a text test, an empty answer).
    """
    if spec.kind == LimitKind.EQUALS_TEXT:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(
                _("%(test)s needs a text result such as %(accepted)s; got %(value)s.")
                % {
                    "test": spec.name,
                    "accepted": _(" or ").join(repr(a) for a in spec.accepted),
                    "value": repr(value),
                },
                field=field_name,
            )
        text = " ".join(value.split())
        if text.casefold() in {a.casefold() for a in spec.accepted}:
            return QcVerdict(True, f"{spec.name}: {text}, as required.")
        return QcVerdict(False, f"{spec.name}: {text}; required {spec.describe()}.")

    found, shown = _parse_number(value, spec, field_name)
    accepted = _acceptance(spec)
    if found.within(accepted):
        return QcVerdict(True, f"{spec.name}: {shown} meets {spec.describe()}.")
    if found.disjoint(accepted):
        return QcVerdict(False, f"{spec.name}: {shown} does not meet {spec.describe()}.")
    return QcVerdict(
        False,
        f"{spec.name}: {shown} cannot show that the result meets {spec.describe()}; "
        "a more sensitive measurement is needed.",
        inconclusive=True,
    )


def lot_release_check(specs: Sequence[QcSpec], results: Mapping[str, Value]) -> ReleaseCheck:
    """Whether a lot may be released: every required test has a result, and each result passes.

    ``results`` maps a spec's ``code`` to the lot's current result for that test (the latest valid
    one when a test was repeated). Results for codes without a spec are ignored. A result that cannot
    be read counts as failed, with the message ``evaluate`` gives.
    """
    codes = [s.code for s in specs]
    if len(set(codes)) != len(codes):
        raise InvalidInput(_("Each QC test may appear once in a specification."), field="specs")
    missing: list[QcFinding] = []
    failed: list[QcFinding] = []
    notes: list[QcFinding] = []
    for spec in specs:
        if spec.code not in results or results[spec.code] is None:
            finding = QcFinding(spec.code, spec.name, f"{spec.name}: no result recorded.")
            (missing if spec.required else notes).append(finding)
            continue
        try:
            verdict = evaluate(spec, results[spec.code], field_name=spec.code)
        except InvalidInput as refused:
            verdict = QcVerdict(False, refused.message)
        if not verdict.passed:
            (failed if spec.required else notes).append(QcFinding(spec.code, spec.name, verdict.reason))
    has_required = any(s.required for s in specs)
    return ReleaseCheck(
        releasable=has_required and not missing and not failed, missing=missing, failed=failed, notes=notes
    )


def typical_release_specs() -> list[QcSpec]:
    """Release tests seen in published clinical-grade exosome protocols (clinical facts, section 6).

    A starting point for a clinic's own specification, not a standard: the clinic sets its limits and
    methods. The particle-count spec needs each lot's label claim as ``target``.
    """

    return [
        QcSpec(
            "sterility", "Sterility", "Culture", "", LimitKind.EQUALS_TEXT, accepted=("negative", "no growth")
        ),
        QcSpec("endotoxin", "Endotoxin", "LAL assay", "EU/mL", LimitKind.LESS_THAN, limit=Decimal("0.5")),
        QcSpec(
            "mycoplasma",
            "Mycoplasma",
            "PCR",
            "",
            LimitKind.EQUALS_TEXT,
            accepted=("negative", "not detected"),
        ),
        QcSpec("size_peak", "Size peak", "NTA", "nm", LimitKind.LESS_THAN, limit=Decimal("200")),
        QcSpec(
            "particle_count",
            "Particle concentration",
            "NTA",
            "particles/mL",
            LimitKind.WITHIN_PERCENT,
            percent=Decimal("20"),
        ),
        QcSpec(
            "identity_cd63",
            "CD63 identity marker",
            "Western blot",
            "",
            LimitKind.EQUALS_TEXT,
            accepted=("present", "positive"),
        ),
        QcSpec(
            "size_50_400",
            "Particles 50-400 nm",
            "NTA",
            "%",
            LimitKind.MORE_THAN,
            limit=Decimal("90"),
            required=False,
        ),
    ]


__all__ = [
    "LimitKind",
    "QcFinding",
    "QcSpec",
    "QcVerdict",
    "ReleaseCheck",
    "evaluate",
    "lot_release_check",
    "typical_release_specs",
]
