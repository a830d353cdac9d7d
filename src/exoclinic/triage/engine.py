"""The emergency triage engine: red-flag rules over a symptom report, as pure functions over plain data.

``evaluate(inputs, ruleset)`` returns a ``TriageOutcome``. Nothing here reads the clock or the database:
the caller passes the days since the last procedure, and the outcome carries a plain-data snapshot of its
inputs and the rule-set version, so a past decision can be re-run and explained.

Each rule is a formula over three-valued facts (yes / no / unknown, Kleene logic). Every question is put
so that "yes" is the worrying answer and rules only use answers positively, so turning a "no" into
"don't know" can move a rule from "does not fire" to "cannot be excluded", never the other way. A rule
that cannot be excluded counts as firing when one of its own signs is present (a "don't know" next to a
supporting sign is treated as positive); without a supporting sign a red-flag rule still raises the
outcome to ``unresolved_red_flag_level``. docs/triage.md states the policy in full.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from exoclinic.core.errors import InvalidInput
from exoclinic.triage.ruleset import (
    RULE_DEFINITIONS,
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    Answer,
    ProcedureRoute,
    RuleCode,
    RuleParameters,
    RuleSet,
    Severity,
    SymptomCode,
    TriageLevel,
    gettext_noop,
)

__all__ = [
    "Answer",
    "PatientContext",
    "ProcedureRoute",
    "RuleFinding",
    "RuleStatus",
    "Severity",
    "SymptomAnswer",
    "SymptomCode",
    "TriageInput",
    "TriageInputError",
    "TriageLevel",
    "TriageOutcome",
    "Vitals",
    "days_since",
    "evaluate",
    "injury_at_or_above_t6",
]

_ = gettext_noop


class TriageInputError(InvalidInput):
    code = "invalid_triage_input"


def _fail(message: str, key: str) -> TriageInputError:
    return TriageInputError(f"{key}: {message}", field=key)


def _enum(kind: type[enum.Enum], value: Any, key: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise _fail(f"must be one of {choices}", key) from None


def _optional_number(value: Any, key: str, low: float, high: float) -> float | None:
    """Checks plausibility (typos, wrong units); these bounds are not clinical thresholds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail("must be a number", key)
    if not low <= value <= high:
        raise _fail(f"must be between {low:g} and {high:g}", key)
    return value


# ---------------------------------------------------------------------------------------------- inputs

_LEVEL_PATTERN = re.compile(r"^(?:([CTLS])(\d{1,2})|S4-5|INT)$")
_SEGMENTS = {"C": 8, "T": 12, "L": 5, "S": 5}


def injury_at_or_above_t6(injury_level: str) -> bool | None:
    """True for C1-T6, False for T7 and below, None when a list of possible levels spans T6/T7.

    Accepts one level ("T4") or the comma-separated possibilities an ISNCSCI classification reports
    ("T6,T7"). Raises ``ValueError`` for anything else.
    """
    verdicts = set()
    for part in injury_level.upper().replace(" ", "").split(","):
        match = _LEVEL_PATTERN.match(part)
        if not match:
            raise ValueError(f"not a neurological level: {part!r}")
        region, number = match.group(1), match.group(2)
        if region is None:  # "S4-5" or "INT": below T6
            verdicts.add(False)
            continue
        if not 1 <= int(number) <= _SEGMENTS[region]:
            raise ValueError(f"not a neurological level: {part!r}")
        verdicts.add(region == "C" or (region == "T" and int(number) <= 6))
    return verdicts.pop() if len(verdicts) == 1 else None


def days_since(performed_at: datetime, now: datetime) -> float:
    """Days from a procedure to ``now`` (aware datetimes): the value for ``days_since_procedure``."""
    if performed_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("days_since needs time-zone-aware datetimes")
    # Same-zone subtraction in Python is wall-clock arithmetic; UTC makes it elapsed time across DST changes.
    elapsed = now.astimezone(UTC) - performed_at.astimezone(UTC)
    if elapsed.total_seconds() < 0:
        raise _fail("the procedure is in the future", "context.days_since_procedure")
    return elapsed.total_seconds() / 86400


@dataclass(frozen=True)
class PatientContext:
    """What the clinic knows about the patient. ``None`` means unknown."""

    injury_level: str | None = None
    at_or_above_t6: bool | None = None  # for when only this is known (for example from the application form)
    days_since_procedure: float | None = None
    procedure_route: ProcedureRoute = ProcedureRoute.UNKNOWN
    baseline_systolic_mmhg: float | None = None

    def __post_init__(self) -> None:
        route = _enum(ProcedureRoute, self.procedure_route, "context.procedure_route")
        object.__setattr__(self, "procedure_route", route)
        if self.injury_level is not None:
            if not isinstance(self.injury_level, str):
                raise _fail("must be a level such as C5, T4 or L1", "context.injury_level")
            try:
                derived = injury_at_or_above_t6(self.injury_level)
            except ValueError:
                raise _fail("must be a level such as C5, T4 or L1", "context.injury_level") from None
            if self.at_or_above_t6 is not None and derived is not None and derived != self.at_or_above_t6:
                raise _fail("contradicts context.injury_level", "context.at_or_above_t6")
        if self.at_or_above_t6 is not None and not isinstance(self.at_or_above_t6, bool):
            raise _fail("must be true, false or null", "context.at_or_above_t6")
        days = _optional_number(self.days_since_procedure, "context.days_since_procedure", 0, 36500)
        if days is not None and route == ProcedureRoute.NONE:
            raise _fail("must be empty when there was no procedure", "context.days_since_procedure")
        _optional_number(self.baseline_systolic_mmhg, "context.baseline_systolic_mmhg", 50, 250)

    @property
    def ad_risk(self) -> bool | None:
        """At risk of autonomic dysreflexia (injury at or above T6); None when not known."""
        if self.injury_level is not None:
            derived = injury_at_or_above_t6(self.injury_level)
            if derived is not None:
                return derived
        return self.at_or_above_t6


@dataclass(frozen=True)
class SymptomAnswer:
    """One checklist answer. Onset and duration are in hours (the form converts days)."""

    code: SymptomCode
    answer: Answer
    severity: Severity | None = None
    onset_hours_ago: float | None = None
    duration_hours: float | None = None  # how long it has lasted so far

    def __post_init__(self) -> None:
        code = _enum(SymptomCode, self.code, "answers.code")
        object.__setattr__(self, "code", code)
        key = f"answers.{code}"
        object.__setattr__(self, "answer", _enum(Answer, self.answer, f"{key}.answer"))
        symptom = SYMPTOMS_BY_CODE[code]
        if self.severity is not None:
            if not symptom.asks_severity:
                raise _fail("this question does not ask for severity", f"{key}.severity")
            object.__setattr__(self, "severity", _enum(Severity, self.severity, f"{key}.severity"))
        for name in ("onset_hours_ago", "duration_hours"):
            if getattr(self, name) is not None and not symptom.asks_onset:
                raise _fail("this question does not ask when it started", f"{key}.{name}")
            _optional_number(getattr(self, name), f"{key}.{name}", 0, 24 * 3650)
        onset, lasted = self.onset_hours_ago, self.duration_hours
        if onset is not None and lasted is not None and lasted > onset:
            raise _fail("cannot be longer than the time since it started", f"{key}.duration_hours")


@dataclass(frozen=True)
class Vitals:
    temperature_c: float | None = None
    systolic_mmhg: float | None = None
    diastolic_mmhg: float | None = None
    heart_rate_bpm: float | None = None

    def __post_init__(self) -> None:
        _optional_number(self.temperature_c, "vitals.temperature_c", 30, 45)
        _optional_number(self.systolic_mmhg, "vitals.systolic_mmhg", 40, 300)
        _optional_number(self.diastolic_mmhg, "vitals.diastolic_mmhg", 20, 200)
        _optional_number(self.heart_rate_bpm, "vitals.heart_rate_bpm", 15, 250)


_SYMPTOM_ORDER = {s.code: i for i, s in enumerate(SYMPTOMS)}


@dataclass(frozen=True)
class TriageInput:
    """Everything a decision is made from. Answers are kept in checklist order; a missing one is unknown."""

    context: PatientContext = field(default_factory=PatientContext)
    answers: tuple[SymptomAnswer, ...] = ()
    vitals: Vitals = field(default_factory=Vitals)

    def __post_init__(self) -> None:
        answers = tuple(sorted(self.answers, key=lambda a: _SYMPTOM_ORDER[SymptomCode(a.code)]))
        codes = [a.code for a in answers]
        if len(set(codes)) != len(codes):
            duplicate = next(c for c in codes if codes.count(c) > 1)
            raise _fail("answered twice", f"answers.{duplicate}")
        object.__setattr__(self, "answers", answers)

    def answer(self, code: SymptomCode) -> SymptomAnswer | None:
        return next((a for a in self.answers if a.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        c, v = self.context, self.vitals
        return {
            "context": {
                "injury_level": c.injury_level,
                "at_or_above_t6": c.at_or_above_t6,
                "days_since_procedure": c.days_since_procedure,
                "procedure_route": c.procedure_route.value,
                "baseline_systolic_mmhg": c.baseline_systolic_mmhg,
            },
            "answers": [
                {
                    "code": a.code.value,
                    "answer": a.answer.value,
                    "severity": a.severity.value if a.severity else None,
                    "onset_hours_ago": a.onset_hours_ago,
                    "duration_hours": a.duration_hours,
                }
                for a in self.answers
            ],
            "vitals": {
                "temperature_c": v.temperature_c,
                "systolic_mmhg": v.systolic_mmhg,
                "diastolic_mmhg": v.diastolic_mmhg,
                "heart_rate_bpm": v.heart_rate_bpm,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriageInput:
        """Parse the JSON form (also what a page posts); errors name the field."""
        data = _object(data, {"context", "answers", "vitals"}, "input")
        context = _object(
            data.get("context") or {}, {f for f in PatientContext.__dataclass_fields__}, "context"
        )
        vitals = _object(data.get("vitals") or {}, {f for f in Vitals.__dataclass_fields__}, "vitals")
        raw_answers = data.get("answers") or []
        if not isinstance(raw_answers, list):
            raise _fail("must be a list", "answers")
        answers = []
        for i, raw in enumerate(raw_answers):
            entry = _object(raw, {f for f in SymptomAnswer.__dataclass_fields__}, f"answers.{i}")
            if "code" not in entry or "answer" not in entry:
                raise _fail("needs code and answer", f"answers.{i}")
            answers.append(SymptomAnswer(**entry))
        return cls(context=PatientContext(**context), answers=tuple(answers), vitals=Vitals(**vitals))


def _object(data: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _fail("must be an object", where)
    for key in data:
        if key not in allowed:
            raise _fail("unknown key", f"{where}.{key}")
    return data


# ------------------------------------------------------------------------------------ three-valued logic


class Truth(enum.IntEnum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2


@dataclass(frozen=True)
class Judgement:
    """A rule's (or a sub-formula's) value, the present signs behind it and the unknown inputs that keep it
    open. Input names are symptom codes or dotted paths such as ``vitals.temperature_c``."""

    truth: Truth
    signs: frozenset[str] = frozenset()
    unknowns: frozenset[str] = frozenset()


FALSE = Judgement(Truth.FALSE)


def _sign(name: str, truth: Truth) -> Judgement:
    """A fact that, when true, is itself a sign pointing to the rule (a symptom or an abnormal reading)."""
    if truth is Truth.TRUE:
        return Judgement(truth, signs=frozenset({name}))
    if truth is Truth.UNKNOWN:
        return Judgement(truth, unknowns=frozenset({name}))
    return FALSE


def _condition(name: str, truth: Truth) -> Judgement:
    """A qualifying fact (injury level, timing, severity) that is never a sign by itself."""
    return Judgement(truth, unknowns=frozenset({name}) if truth is Truth.UNKNOWN else frozenset())


def _known(value: bool) -> Truth:
    return Truth.TRUE if value else Truth.FALSE


def all_of(*parts: Judgement) -> Judgement:
    if any(p.truth is Truth.FALSE for p in parts):
        return FALSE
    truth = Truth.TRUE if all(p.truth is Truth.TRUE for p in parts) else Truth.UNKNOWN
    return Judgement(
        truth,
        signs=frozenset().union(*(p.signs for p in parts)),
        unknowns=frozenset().union(*(p.unknowns for p in parts)) if truth is Truth.UNKNOWN else frozenset(),
    )


def any_of(*parts: Judgement) -> Judgement:
    true = [p for p in parts if p.truth is Truth.TRUE]
    if true:
        return Judgement(Truth.TRUE, signs=frozenset().union(*(p.signs for p in true)))
    open_ = [p for p in parts if p.truth is Truth.UNKNOWN]
    if not open_:
        return FALSE
    return Judgement(
        Truth.UNKNOWN,
        signs=frozenset().union(*(p.signs for p in open_)),
        unknowns=frozenset().union(*(p.unknowns for p in open_)),
    )


# ------------------------------------------------------------------------------------------------ facts

_TRUTH_OF_ANSWER = {Answer.YES: Truth.TRUE, Answer.NO: Truth.FALSE, Answer.UNKNOWN: Truth.UNKNOWN}


class _Facts:
    """The report seen through one rule set: effective answers and the atoms the rules are built from."""

    def __init__(self, inputs: TriageInput, params: RuleParameters) -> None:
        self.inputs = inputs
        self.p = params
        self.context = inputs.context
        self.vitals = inputs.vitals
        self.baseline = inputs.context.baseline_systolic_mmhg
        if self.baseline is None:
            self.baseline = params.default_baseline_systolic_mmhg
        self.answers = _effective_answers(inputs)

    def symptom(self, code: SymptomCode) -> Judgement:
        return _sign(str(code), _TRUTH_OF_ANSWER[self.answers[code]])

    def any_symptom(self, codes: Iterable[SymptomCode]) -> Judgement:
        return any_of(*(self.symptom(c) for c in codes))

    def detail(self, code: SymptomCode) -> SymptomAnswer | None:
        """The answer carrying severity and timing: the symptom's own, or its parent question's."""
        symptom = SYMPTOMS_BY_CODE[code]
        owner = symptom.parent if symptom.parent is not None else code
        return self.inputs.answer(owner)

    def ad_risk(self) -> Judgement:
        # An unknown injury level counts as at risk (clinical-facts §4 and the issue).
        return _condition("context.injury_level", _known(self.context.ad_risk is not False))

    def systolic_rise(self) -> Judgement:
        sbp = self.vitals.systolic_mmhg
        if sbp is None:
            return FALSE  # optional reading: its absence is not a sign; the questions still ask
        return _sign("vitals.systolic_mmhg", _known(sbp >= self.baseline + self.p.ad_systolic_rise_mmhg))

    def slow_heart_rate(self) -> Judgement:
        rate = self.vitals.heart_rate_bpm
        if rate is None:
            return FALSE
        return _sign("vitals.heart_rate_bpm", _known(rate < self.p.slow_pulse_below_bpm))

    def low_systolic(self) -> Judgement:
        sbp = self.vitals.systolic_mmhg
        if sbp is None:
            return FALSE
        low = sbp < self.p.anaphylaxis_systolic_below_mmhg
        dropped = sbp < self.baseline * (1 - self.p.anaphylaxis_drop_fraction)
        return _sign("vitals.systolic_mmhg_low", _known(low or dropped))

    def temperature_at_least(self, threshold: float) -> Judgement:
        measured = self.vitals.temperature_c
        if measured is not None:
            return _sign("vitals.temperature_c", _known(measured >= threshold))
        felt = self.answers[SymptomCode.FEVER]
        if felt is Answer.NO:
            return FALSE
        if felt is Answer.YES:  # a fever is present; how high is not known
            return Judgement(
                Truth.UNKNOWN, signs=frozenset({"fever"}), unknowns=frozenset({"vitals.temperature_c"})
            )
        return Judgement(Truth.UNKNOWN, unknowns=frozenset({"fever"}))

    def present(self, code: SymptomCode) -> Judgement:
        if code == SymptomCode.FEVER:
            return any_of(self.symptom(code), self._measured_fever())
        return self.symptom(code)

    def _measured_fever(self) -> Judgement:
        measured = self.vitals.temperature_c
        if measured is None:
            return FALSE
        return _sign("vitals.temperature_c", _known(measured >= self.p.slight_fever_upper_c))

    def had_procedure(self) -> Truth:
        if self.context.procedure_route == ProcedureRoute.NONE:
            return Truth.FALSE
        return Truth.TRUE if self.context.days_since_procedure is not None else Truth.UNKNOWN

    def within_hours_of_procedure(self, hours: float) -> Judgement:
        had = self.had_procedure()
        if had is not Truth.TRUE:
            return _condition("context.days_since_procedure", had)
        return _condition(
            "context.days_since_procedure", _known(self.context.days_since_procedure * 24 <= hours)
        )

    def started_within_days_of_spinal_procedure(self, code: SymptomCode, days: float) -> Judgement:
        route = self.context.procedure_route
        if route == ProcedureRoute.UNKNOWN:
            spinal = _condition("context.procedure_route", Truth.UNKNOWN)
        else:
            spinal = _condition("context.procedure_route", _known(route in self.p.spinal_routes))
        since = self.context.days_since_procedure
        if since is None:
            timing = _condition("context.days_since_procedure", Truth.UNKNOWN)
        else:
            detail = self.detail(code)
            onset = detail.onset_hours_ago if detail else None
            if onset is not None:
                timing = _condition("timing", _known(since - onset / 24 <= days))
            elif since <= days:
                timing = _condition("timing", Truth.TRUE)
            else:  # present now, after the window; it may have started inside it
                owner = SYMPTOMS_BY_CODE[code].parent or code
                timing = _condition(f"answers.{owner}.onset_hours_ago", Truth.UNKNOWN)
        return all_of(spinal, timing)

    def severity_above(self, code: SymptomCode, limit: Severity) -> Judgement:
        if not SYMPTOMS_BY_CODE[code].asks_severity:
            return FALSE
        detail = self.detail(code)
        if detail is None or detail.severity is None:
            return _condition(f"answers.{code}.severity", Truth.UNKNOWN)
        return _condition(f"answers.{code}.severity", _known(detail.severity.rank > limit.rank))

    def beyond_expected_window(self, code: SymptomCode) -> Judgement:
        """Present after the expected days, lasting longer than them, or with no procedure to explain it."""
        if self.had_procedure() is Truth.FALSE:
            return _condition("context.procedure_route", Truth.TRUE)
        window = self.p.expected_effect_days * 24
        since = self.context.days_since_procedure
        late = _condition(
            "context.days_since_procedure", Truth.UNKNOWN if since is None else _known(since * 24 > window)
        )
        detail = self.detail(code)
        lasted = None
        if detail is not None:
            lasted = detail.duration_hours if detail.duration_hours is not None else detail.onset_hours_ago
        long = _condition(
            f"answers.{code}.onset_hours_ago", Truth.UNKNOWN if lasted is None else _known(lasted > window)
        )
        return any_of(late, long)


def _effective_answers(inputs: TriageInput) -> dict[SymptomCode, Answer]:
    given = {a.code: a.answer for a in inputs.answers}
    answers = {s.code: given.get(s.code, Answer.UNKNOWN) for s in SYMPTOMS}
    for s in SYMPTOMS:  # a "yes" to a follow-up means the parent symptom is present
        if s.parent is not None and answers[s.code] is Answer.YES:
            answers[s.parent] = Answer.YES
    for s in SYMPTOMS:  # follow-ups are not asked under a "no"
        if s.parent is not None and s.code not in given and answers[s.parent] is Answer.NO:
            answers[s.code] = Answer.NO
    return answers


# ------------------------------------------------------------------------------------------------ rules


def _rule_formulas(f: _Facts) -> dict[RuleCode, Judgement]:
    p = f.p
    S = SymptomCode
    fever_high = f.temperature_at_least(p.meningitis_fever_c)
    positional = f.symptom(S.HEADACHE_WORSE_UPRIGHT)
    post_puncture = all_of(
        positional,
        f.started_within_days_of_spinal_procedure(S.HEADACHE_WORSE_UPRIGHT, p.post_puncture_onset_days),
    )
    effects = p.expected_effects
    return {
        RuleCode.AUTONOMIC_DYSREFLEXIA: all_of(
            f.ad_risk(), any_of(f.any_symptom(p.ad_signs), f.systolic_rise(), f.slow_heart_rate())
        ),
        RuleCode.MENINGITIS_OR_INFECTION: all_of(fever_high, f.any_symptom(p.meningitis_signs)),
        RuleCode.MENINGEAL_SIGN: f.any_symptom(p.meningeal_signs_alone),
        RuleCode.POSITIONAL_HEADACHE_WITH_FEVER: all_of(positional, fever_high),
        RuleCode.POST_PUNCTURE_HEADACHE: post_puncture,
        RuleCode.POST_PUNCTURE_HEADACHE_WITH_DEFICIT: all_of(
            post_puncture, any_of(f.any_symptom(p.deficit_signs), f.symptom(S.SEIZURE))
        ),
        RuleCode.SEIZURE: f.symptom(S.SEIZURE),
        RuleCode.EPIDURAL_HAEMATOMA_OR_ABSCESS: f.any_symptom(p.epidural_signs),
        RuleCode.NEW_NEUROLOGICAL_DEFICIT: f.any_symptom(p.deficit_signs),
        RuleCode.ANAPHYLAXIS: any_of(
            all_of(f.any_symptom(p.anaphylaxis_swelling_signs), f.any_symptom(p.anaphylaxis_systemic_signs)),
            all_of(f.within_hours_of_procedure(p.anaphylaxis_window_hours), f.low_systolic()),
        ),
        RuleCode.ALLERGIC_SWELLING: f.any_symptom(p.anaphylaxis_swelling_signs),
        RuleCode.PULMONARY_EMBOLISM: f.any_symptom(p.pe_signs),
        RuleCode.DEEP_VEIN_THROMBOSIS: f.any_symptom(p.dvt_signs),
        RuleCode.FEVER_ABOVE_SLIGHT: f.temperature_at_least(p.slight_fever_upper_c),
        RuleCode.MILD_EFFECT_SEVERE: any_of(
            *(all_of(f.present(c), f.severity_above(c, Severity.MODERATE)) for c in effects)
        ),
        RuleCode.MILD_EFFECT_STRONGER_THAN_EXPECTED: any_of(
            *(all_of(f.present(c), f.severity_above(c, p.expected_effect_max_severity)) for c in effects)
        ),
        RuleCode.MILD_EFFECT_PROLONGED: any_of(
            *(all_of(f.present(c), f.beyond_expected_window(c)) for c in effects)
        ),
        RuleCode.EXPECTED_MILD_EFFECT: any_of(*(f.present(c) for c in effects)),
    }


# ----------------------------------------------------------------------------------------------- output


class RuleStatus(enum.StrEnum):
    FIRES = "fires"
    CANNOT_BE_EXCLUDED = "cannot_be_excluded"  # "does not fire" rules are left out of the outcome


@dataclass(frozen=True)
class RuleFinding:
    code: RuleCode
    status: RuleStatus
    level: TriageLevel  # what this finding contributes to the outcome's level
    counted_as_positive: bool
    reason: str
    signs: tuple[str, ...] = ()  # inputs pointing to the rule
    unknown_inputs: tuple[str, ...] = ()  # inputs whose answer would settle it

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "status": self.status.value,
            "level": self.level.code,
            "counted_as_positive": self.counted_as_positive,
            "reason": self.reason,
            "signs": list(self.signs),
            "unknown_inputs": list(self.unknown_inputs),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleFinding:
        return cls(
            code=RuleCode(data["code"]),
            status=RuleStatus(data["status"]),
            level=TriageLevel.from_code(data["level"]),
            counted_as_positive=bool(data["counted_as_positive"]),
            reason=data["reason"],
            signs=tuple(data["signs"]),
            unknown_inputs=tuple(data["unknown_inputs"]),
        )


@dataclass(frozen=True)
class TriageOutcome:
    level: TriageLevel
    findings: tuple[RuleFinding, ...]
    advice: tuple[str, ...]
    ruleset_version: str
    inputs: TriageInput

    @property
    def codes(self) -> tuple[RuleCode, ...]:
        """Rules that fired or were counted as positive."""
        return tuple(f.code for f in self.findings if f.counted_as_positive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.code,
            "ruleset_version": self.ruleset_version,
            "findings": [f.to_dict() for f in self.findings],
            "advice": list(self.advice),
            "inputs": self.inputs.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriageOutcome:
        return cls(
            level=TriageLevel.from_code(data["level"]),
            findings=tuple(RuleFinding.from_dict(f) for f in data["findings"]),
            advice=tuple(data["advice"]),
            ruleset_version=data["ruleset_version"],
            inputs=TriageInput.from_dict(data["inputs"]),
        )


# --------------------------------------------------------------------------------------------- evaluate

_EFFECT_ESCALATIONS = frozenset(
    {
        RuleCode.MILD_EFFECT_PROLONGED,
        RuleCode.MILD_EFFECT_STRONGER_THAN_EXPECTED,
        RuleCode.MILD_EFFECT_SEVERE,
        RuleCode.FEVER_ABOVE_SLIGHT,
    }
)


def evaluate(inputs: TriageInput, ruleset: RuleSet) -> TriageOutcome:
    """Triage one symptom report with one rule set; pure, so the same inputs give the same outcome."""
    facts = _Facts(inputs, ruleset.parameters)
    floor = ruleset.parameters.unresolved_red_flag_level
    findings = []
    for code, judgement in _rule_formulas(facts).items():
        config = ruleset.rule(code)
        if not config.enabled or judgement.truth is Truth.FALSE:
            continue
        if judgement.truth is Truth.TRUE:
            status, counted, level = RuleStatus.FIRES, True, config.level
        elif judgement.signs:  # open, but one of its own signs is present: treat as positive
            status, counted, level = RuleStatus.CANNOT_BE_EXCLUDED, True, config.level
        elif RULE_DEFINITIONS[code].red_flag:
            status, counted, level = RuleStatus.CANNOT_BE_EXCLUDED, False, min(config.level, floor)
        else:  # an open question about an after-effect with nothing pointing to it: no finding
            continue
        findings.append(
            RuleFinding(
                code=code,
                status=status,
                level=level,
                counted_as_positive=counted,
                reason=_reason(code, status, counted, judgement, facts),
                signs=tuple(sorted(judgement.signs)),
                unknown_inputs=tuple(sorted(judgement.unknowns)),
            )
        )
    escalated_effect = any(f.counted_as_positive and f.code in _EFFECT_ESCALATIONS for f in findings)
    if escalated_effect:  # "expected" would contradict the finding that says it is more than expected
        findings = [f for f in findings if f.code != RuleCode.EXPECTED_MILD_EFFECT]
    order = list(RuleCode)
    findings.sort(key=lambda f: (-f.level, not f.counted_as_positive, order.index(f.code)))
    level = max((f.level for f in findings), default=TriageLevel.SELF_CARE)
    return TriageOutcome(
        level=level,
        findings=tuple(findings),
        advice=_advice(level, findings, facts),
        ruleset_version=ruleset.version,
        inputs=inputs,
    )


# -------------------------------------------------------------------------------------- plain language

_RULE_REASONS: Mapping[RuleCode, str] = {
    RuleCode.AUTONOMIC_DYSREFLEXIA: _(
        "Autonomic dysreflexia: {risk}, and there are signs of a dangerous rise in blood pressure, "
        "usually set off by a full bladder or bowel."
    ),
    RuleCode.MENINGITIS_OR_INFECTION: _(
        "Possible meningitis or infection: a fever of {fever:g} °C or more together with a sign of "
        "irritation around the brain and spinal cord."
    ),
    RuleCode.MENINGEAL_SIGN: _(
        "A stiff neck, light sensitivity or confusion needs an urgent review even without a high fever."
    ),
    RuleCode.POSITIONAL_HEADACHE_WITH_FEVER: _(
        "A headache that changes with posture is a post-puncture headache only without fever; with a fever "
        "of {fever:g} °C or more, infection cannot be ruled out."
    ),
    RuleCode.POST_PUNCTURE_HEADACHE: _(
        "Post-puncture headache: worse upright and better lying flat, starting within {days:g} days of a "
        "spinal injection. It needs an urgent review but is not an emergency on its own."
    ),
    RuleCode.POST_PUNCTURE_HEADACHE_WITH_DEFICIT: _(
        "A post-puncture headache together with a new weakness, numbness, loss of bladder or bowel "
        "control, or a seizure is an emergency."
    ),
    RuleCode.SEIZURE: _("A seizure after a procedure needs emergency care."),
    RuleCode.EPIDURAL_HAEMATOMA_OR_ABSCESS: _(
        "New severe back pain can be a sign of bleeding or infection around the spinal cord "
        "(epidural haematoma or abscess)."
    ),
    RuleCode.NEW_NEUROLOGICAL_DEFICIT: _(
        "New or worsening weakness or numbness, or a new loss of bladder or bowel control, can mean "
        "pressure on the spinal cord (for example an epidural haematoma or abscess)."
    ),
    RuleCode.ANAPHYLAXIS: _(
        "Possible anaphylaxis (a severe allergic reaction): swelling with breathing difficulty or "
        "faintness, or a blood pressure drop soon after the injection."
    ),
    RuleCode.ALLERGIC_SWELLING: _(
        "Swelling of the skin, lips or tongue can be an allergic reaction and needs an urgent review."
    ),
    RuleCode.PULMONARY_EMBOLISM: _(
        "Possible blood clot in the lungs (pulmonary embolism): sudden breathlessness, chest pain, "
        "coughing blood or fainting."
    ),
    RuleCode.DEEP_VEIN_THROMBOSIS: _(
        "Possible blood clot in a leg (deep vein thrombosis): one leg swollen, warm or discoloured. "
        "Below the injury it may not hurt."
    ),
    RuleCode.FEVER_ABOVE_SLIGHT: _(
        "A fever of {slight:g} °C or more is more than the slight fever expected after the injection."
    ),
    RuleCode.MILD_EFFECT_SEVERE: _("A severe after-effect is more than the mild effects expected."),
    RuleCode.MILD_EFFECT_STRONGER_THAN_EXPECTED: _(
        "An after-effect stronger than {severity} is more than the mild effects expected."
    ),
    RuleCode.MILD_EFFECT_PROLONGED: _(
        "Mild after-effects are expected for up to {days:g} days after the procedure; this one is lasting "
        "longer, or there is no recent procedure to explain it."
    ),
    RuleCode.EXPECTED_MILD_EFFECT: _(
        "Headache, slight fever, nausea, and pain or redness where the injection was given are expected "
        "for a few days after the treatment."
    ),
}

_COUNTED_OPEN = _(
    'It cannot be ruled out because of missing or "don\'t know" answers ({unknowns}); with {signs} '
    "pointing to it, it is treated as present."
)
_UNRESOLVED = _(
    'It cannot be ruled out because of missing or "don\'t know" answers ({unknowns}); the clinic needs to '
    "check with you."
)
_SIGNS_FOUND = _("Found: {signs}.")

_INPUT_LABELS: Mapping[str, str] = {
    "vitals.temperature_c": _("measured temperature"),
    "vitals.systolic_mmhg": _(
        "systolic blood pressure {sbp:g} mmHg, {rise:g} above the baseline of {baseline:g}"
    ),
    "vitals.systolic_mmhg_low": _(
        "systolic blood pressure {sbp:g} mmHg (the limit is below {limit:g}, or more than {drop:g}% "
        "below the baseline of {baseline:g})"
    ),
    "vitals.heart_rate_bpm": _("heart rate {rate:g} per minute"),
    "context.injury_level": _("injury level"),
    "context.days_since_procedure": _("days since the procedure"),
    "context.procedure_route": _("how the injection was given"),
    "timing": _("when the symptom started"),
}


def _describe(name: str, facts: _Facts) -> str:
    if name in SYMPTOMS_BY_CODE:
        return SYMPTOMS_BY_CODE[SymptomCode(name)].label
    if name.startswith("answers."):
        _prefix, code, attribute = name.split(".")
        label = SYMPTOMS_BY_CODE[SymptomCode(code)].label
        what = _("how severe") if attribute == "severity" else _("when it started")
        return f"{what}: {label}"
    v = facts.vitals
    if name == "vitals.temperature_c" and v.temperature_c is not None:
        return _("temperature {t:g} °C").format(t=v.temperature_c)
    if name == "vitals.systolic_mmhg" and v.systolic_mmhg is not None:
        text = _INPUT_LABELS[name].format(
            sbp=v.systolic_mmhg, rise=v.systolic_mmhg - facts.baseline, baseline=facts.baseline
        )
        if facts.context.baseline_systolic_mmhg is None:
            text += _(
                " (no baseline recorded, so the default is used; baselines after spinal cord injury are "
                "often 90-110, so 120 may already be high)"
            )
        return text
    if name == "vitals.systolic_mmhg_low" and v.systolic_mmhg is not None:
        return _INPUT_LABELS[name].format(
            sbp=v.systolic_mmhg,
            limit=facts.p.anaphylaxis_systolic_below_mmhg,
            drop=facts.p.anaphylaxis_drop_fraction * 100,
            baseline=facts.baseline,
        )
    if name == "vitals.heart_rate_bpm" and v.heart_rate_bpm is not None:
        return _INPUT_LABELS[name].format(rate=v.heart_rate_bpm)
    return _INPUT_LABELS.get(name, name)


def _reason(code: RuleCode, status: RuleStatus, counted: bool, j: Judgement, facts: _Facts) -> str:
    p = facts.p
    if facts.context.ad_risk is None:
        risk = _("the injury level is not known, so it is treated as at or above T6")
    else:
        risk = _("the injury is at or above T6")
    text = _RULE_REASONS[code].format(
        risk=risk,
        fever=p.meningitis_fever_c,
        days=p.post_puncture_onset_days
        if code == RuleCode.POST_PUNCTURE_HEADACHE
        else p.expected_effect_days,
        slight=p.slight_fever_upper_c,
        severity=p.expected_effect_max_severity.value,
    )
    signs = ", ".join(_describe(s, facts) for s in sorted(j.signs))
    unknowns = ", ".join(_describe(u, facts) for u in sorted(j.unknowns))
    if status is RuleStatus.FIRES:
        return f"{text} {_SIGNS_FOUND.format(signs=signs)}" if signs else text
    if counted:
        return f"{text} {_COUNTED_OPEN.format(unknowns=unknowns, signs=signs)}"
    return f"{text} {_UNRESOLVED.format(unknowns=unknowns)}"


_HEADLINES: Mapping[TriageLevel, str] = {
    TriageLevel.EMERGENCY: _(
        "Call your local emergency number now. Say that you have a spinal cord injury and had a recent "
        "injection, then tell the clinic."
    ),
    TriageLevel.URGENT: _(
        "Contact the clinic now: this needs an urgent review today. If you cannot reach the clinic, go to "
        "an emergency department."
    ),
    TriageLevel.ROUTINE: _(
        "Tell the clinic about this (message or call in opening hours); it does not need an emergency visit."
    ),
    TriageLevel.SELF_CARE: _("Your answers show no warning signs."),
}

_AD_FIRST_AID = (
    _("Sit upright now; do not lie flat."),
    _("Loosen tight clothing, straps and anything pressing on the skin."),
    _("Check the bladder: empty it, or check the catheter for kinks or a blockage."),
    _("Check the bowel."),
    _("Call for help."),
)
_RULE_ADVICE: Mapping[RuleCode, str] = {
    RuleCode.POST_PUNCTURE_HEADACHE: _("Lying flat may ease the headache while you wait to be seen."),
}
_AVOID_STRAIN = _("Avoid strenuous or stressful activity for 48 hours after the treatment.")
_NO_ANTI_INFLAMMATORIES = _(
    "Do not take anti-inflammatory medicines (such as ibuprofen, naproxen, diclofenac, or aspirin at "
    "anti-inflammatory doses) unless the clinic says so."
)
_MEASURE_TEMPERATURE = _("Measure your temperature if you can and answer again: it may change the advice.")
_UNKNOWN_NOTE = _(
    'Some answers were missing or "don\'t know", so the advice assumes the worse case where other signs '
    "point to it. If you can find out, answer again."
)
_WATCH = _("If anything gets worse or a new sign appears, answer again or call for help.")


def _advice(level: TriageLevel, findings: list[RuleFinding], facts: _Facts) -> tuple[str, ...]:
    counted = {f.code for f in findings if f.counted_as_positive}
    steps: list[str] = []
    if RuleCode.AUTONOMIC_DYSREFLEXIA in counted:
        steps.extend(_AD_FIRST_AID)
    steps.append(_HEADLINES[level])
    steps.extend(_RULE_ADVICE[c] for c in _RULE_ADVICE if c in counted)
    if level < TriageLevel.EMERGENCY and counted & (_EFFECT_ESCALATIONS | {RuleCode.EXPECTED_MILD_EFFECT}):
        days = facts.context.days_since_procedure
        if facts.had_procedure() is not Truth.FALSE and (days is None or days <= 2):
            steps.append(_AVOID_STRAIN)
        steps.append(_NO_ANTI_INFLAMMATORIES)
    if facts.vitals.temperature_c is None and facts.answers[SymptomCode.FEVER] is not Answer.NO:
        steps.append(_MEASURE_TEMPERATURE)
    if any(f.status is RuleStatus.CANNOT_BE_EXCLUDED for f in findings):
        steps.append(_UNKNOWN_NOTE)
    if level < TriageLevel.EMERGENCY:
        steps.append(_WATCH)
    return tuple(steps)
