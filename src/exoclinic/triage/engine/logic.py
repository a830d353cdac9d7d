"""Three-valued (Kleene) logic, the facts a report gives under one rule set, and the rule formulas."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from exoclinic.triage.ruleset import (
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    Answer,
    ProcedureRoute,
    RuleCode,
    RuleParameters,
    Severity,
    SymptomCode,
)

from .inputs import SymptomAnswer, TriageInput

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

    def __init__(self, inputs: TriageInput, params: RuleParameters, logic: int = 1) -> None:
        self.inputs = inputs
        self.p = params
        self.logic = logic
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
        return _sign("vitals.heart_rate_bpm", _known(rate < self.slow_pulse_limit()))

    def slow_pulse_limit(self) -> float:
        """Logic 2 uses the patient's own resting pulse where recorded, as with blood pressure."""
        own = self.context.baseline_heart_rate_bpm
        if self.logic >= 2 and own is not None:
            return own - self.p.slow_pulse_below_baseline_bpm
        return self.p.slow_pulse_below_bpm

    def systolic_not_raised(self) -> Judgement:
        sbp = self.vitals.systolic_mmhg
        if sbp is None:
            return FALSE
        return _condition("vitals.systolic_mmhg", _known(sbp < self.baseline + self.p.ad_systolic_rise_mmhg))

    def vital_out_of_range(self) -> Judgement:
        v, p = self.vitals, self.p
        checks = (
            ("vitals.hypotension", v.systolic_mmhg, lambda x: x < p.hypotension_systolic_below_mmhg),
            (
                "vitals.hypertensive_crisis",
                v.systolic_mmhg,
                lambda x: x >= p.hypertensive_crisis_systolic_mmhg,
            ),
            (
                "vitals.hypertensive_crisis_diastolic",
                v.diastolic_mmhg,
                lambda x: x >= p.hypertensive_crisis_diastolic_mmhg,
            ),
            ("vitals.bradycardia", v.heart_rate_bpm, lambda x: x < p.bradycardia_below_bpm),
            ("vitals.tachycardia", v.heart_rate_bpm, lambda x: x >= p.tachycardia_from_bpm),
            ("vitals.hypothermia", v.temperature_c, lambda x: x <= p.hypothermia_at_or_below_c),
        )
        return any_of(
            *(_sign(name, _known(test(value))) for name, value, test in checks if value is not None)
        )

    def measured_temperature_at_least(self, threshold: float) -> Judgement:
        measured = self.vitals.temperature_c
        if measured is None:
            return FALSE  # logic 2: a fever felt but not measured is not "more than slight" by itself
        return _sign("vitals.temperature_c", _known(measured >= threshold))

    def near_cord_procedure(self) -> Judgement:
        """The last procedure was by a route near the spinal cord (logic 2); the route's coded property."""
        route = self.context.procedure_route
        if route == ProcedureRoute.NONE:
            return _condition("context.procedure_route", Truth.FALSE)
        near = route.near_spinal_cord
        return _condition("context.procedure_route", Truth.UNKNOWN if near is None else _known(near))

    def since_procedure_more_than_days(self, days: float) -> Judgement:
        had = self.had_procedure()
        if had is not Truth.TRUE:
            return _condition("context.days_since_procedure", had)
        return _condition("context.days_since_procedure", _known(self.context.days_since_procedure > days))

    def started_within_days(self, code: SymptomCode, days: float) -> Judgement:
        """The symptom started within ``days`` after the procedure (onset known) or may have."""
        since = self.context.days_since_procedure
        if since is None:
            return _condition("context.days_since_procedure", Truth.UNKNOWN)
        detail = self.detail(code)
        onset = detail.onset_hours_ago if detail else None
        if onset is not None:
            return _condition("timing", _known(since - onset / 24 <= days))
        if since <= days:
            return _condition("timing", Truth.TRUE)
        owner = SYMPTOMS_BY_CODE[code].parent or code
        return _condition(f"answers.{owner}.onset_hours_ago", Truth.UNKNOWN)

    def lasted_hours_since_procedure_more_than(self, code: SymptomCode, hours: float) -> Judgement:
        """Present for more than ``hours`` since the procedure (a headache from before it does not count)."""
        since = self.context.days_since_procedure
        if since is None:
            return _condition("context.days_since_procedure", Truth.UNKNOWN)
        if since * 24 <= hours:
            return FALSE
        detail = self.detail(code)
        lasted = None
        if detail is not None:
            lasted = detail.duration_hours if detail.duration_hours is not None else detail.onset_hours_ago
        if lasted is None:
            return _condition(f"answers.{code}.onset_hours_ago", Truth.UNKNOWN)
        return _condition("timing", _known(min(lasted, since * 24) > hours))

    def note(self) -> Judgement:
        return _sign("note", _known(bool(self.inputs.note)))

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
        if self.logic >= 2:
            return all_of(self.near_cord_procedure(), self.started_within_days(code, days))
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
    rules = {
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
    if f.logic >= 2:
        rules.update(_logic_2_formulas(f, fever_high, positional))
    return rules


def _logic_2_formulas(f: _Facts, fever_high: Judgement, positional: Judgement) -> dict[RuleCode, Judgement]:
    """Rule set 2026.2 on (issues 15 and 19): clinical-facts §4's headache, skin, site and vitals rules."""
    p = f.p
    S = SymptomCode
    headache = f.symptom(S.HEADACHE)
    at_risk = f.ad_risk()
    skin = f.any_symptom(p.allergic_skin_signs)
    site = f.any_symptom(p.site_infection_signs)
    near_cord = f.near_cord_procedure()
    past_window = f.since_procedure_more_than_days(p.post_puncture_onset_days)
    effects = p.expected_effects
    return {
        RuleCode.ANAPHYLAXIS: any_of(
            all_of(f.any_symptom(p.anaphylaxis_swelling_signs), f.any_symptom(p.anaphylaxis_systemic_signs)),
            all_of(f.within_hours_of_procedure(p.anaphylaxis_window_hours), f.low_systolic()),
            all_of(
                skin,
                any_of(
                    f.any_symptom(p.anaphylaxis_swelling_signs),
                    f.any_symptom(p.anaphylaxis_systemic_signs),
                    f.low_systolic(),
                ),
            ),
        ),
        RuleCode.FEVER_ABOVE_SLIGHT: f.measured_temperature_at_least(p.slight_fever_upper_c),
        RuleCode.MILD_EFFECT_SEVERE: any_of(
            *(
                all_of(f.present(c), f.severity_above(c, Severity.MODERATE))
                for c in effects
                if c in p.severe_is_urgent_effects
            )
        ),
        RuleCode.HEADACHE_AT_OR_ABOVE_T6: all_of(
            at_risk, headache, _condition("vitals.systolic_mmhg", _known(f.vitals.systolic_mmhg is None))
        ),
        RuleCode.HEADACHE_AT_OR_ABOVE_T6_PRESSURE_NORMAL: all_of(at_risk, headache, f.systolic_not_raised()),
        RuleCode.HEADACHE_WITH_NEUROLOGICAL_SIGN: all_of(
            near_cord, headache, f.any_symptom(p.headache_neurological_signs)
        ),
        RuleCode.POST_PUNCTURE_HEADACHE_PERSISTENT: any_of(
            all_of(
                near_cord,
                headache,
                f.started_within_days(S.HEADACHE, p.post_puncture_onset_days),
                any_of(
                    f.lasted_hours_since_procedure_more_than(S.HEADACHE, p.post_puncture_persistent_hours),
                    past_window,
                ),
            ),
            all_of(near_cord, positional, past_window),
        ),
        RuleCode.ALLERGIC_SKIN_REACTION: skin,
        RuleCode.INJECTION_SITE_INFECTION: site,
        RuleCode.INJECTION_SITE_INFECTION_WITH_FEVER: all_of(
            site, any_of(fever_high, f.any_symptom(p.sepsis_signs))
        ),
        RuleCode.FAINT_SOON_AFTER_INJECTION: all_of(
            f.within_hours_of_procedure(p.anaphylaxis_window_hours), f.symptom(S.FEELING_FAINT)
        ),
        RuleCode.VITAL_SIGN_OUT_OF_RANGE: f.vital_out_of_range(),
        RuleCode.PATIENT_NOTE: f.note(),
    }
