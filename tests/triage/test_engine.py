"""Unit tests of the triage engine's parts, the rule-set format, and properties over random reports."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exoclinic.core.errors import InvalidInput
from exoclinic.triage.engine import (
    FALSE,
    Judgement,
    PatientContext,
    SymptomAnswer,
    TriageInput,
    TriageInputError,
    TriageOutcome,
    Truth,
    Vitals,
    all_of,
    any_of,
    days_since,
    evaluate,
    injury_at_or_above_t6,
)
from exoclinic.triage.ruleset import (
    DEFAULT_RULESET,
    RULE_DEFINITIONS,
    RULESET_2026_1,
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    UNCONFIRMED_PARAMETERS,
    Answer,
    ProcedureRoute,
    RuleCode,
    RuleSetError,
    Severity,
    SymptomCode,
    TriageLevel,
    checklist,
    ruleset_with,
    validate_ruleset,
)

S = SymptomCode


def all_no(**overrides: SymptomAnswer | None) -> tuple[SymptomAnswer, ...]:
    answers = {s.code.value: SymptomAnswer(s.code, Answer.NO) for s in SYMPTOMS}
    answers.update(overrides)
    return tuple(a for a in answers.values() if a is not None)


def yes(code: SymptomCode, severity: Severity | None = None, onset: float | None = None) -> SymptomAnswer:
    return SymptomAnswer(code, Answer.YES, severity=severity, onset_hours_ago=onset)


T4_DAY1 = PatientContext(
    injury_level="T4", days_since_procedure=1, procedure_route=ProcedureRoute.INTRATHECAL
)
T8_DAY1 = replace(T4_DAY1, injury_level="T8")


# --------------------------------------------------------------------------------------------- levels


def test_levels_are_ordered_from_self_care_to_emergency() -> None:
    assert TriageLevel.SELF_CARE < TriageLevel.ROUTINE < TriageLevel.URGENT < TriageLevel.EMERGENCY
    assert max(TriageLevel.ROUTINE, TriageLevel.EMERGENCY, TriageLevel.URGENT) is TriageLevel.EMERGENCY


def test_level_codes_round_trip() -> None:
    for level in TriageLevel:
        assert TriageLevel.from_code(level.code) is level
    with pytest.raises(ValueError):
        TriageLevel.from_code("critical")


# -------------------------------------------------------------------------------------- injury level


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("C1", True),
        ("c5", True),
        ("T1", True),
        ("T6", True),
        ("T7", False),
        ("T12", False),
        ("L1", False),
        ("S4-5", False),
        ("INT", False),
        ("T5,T6", True),
        ("T6,T7", None),
        ("T8, T9", False),
    ],
)
def test_injury_at_or_above_t6(level: str, expected: bool | None) -> None:
    assert injury_at_or_above_t6(level) is expected


@pytest.mark.parametrize("level", ["T13", "C0", "X4", "", "T6;T7"])
def test_injury_level_that_is_not_a_level_is_refused(level: str) -> None:
    with pytest.raises(ValueError):
        injury_at_or_above_t6(level)


def test_unknown_injury_level_leaves_ad_risk_unknown_and_the_flag_fills_in() -> None:
    assert PatientContext().ad_risk is None
    assert PatientContext(at_or_above_t6=True).ad_risk is True
    assert PatientContext(injury_level="T6,T7", at_or_above_t6=False).ad_risk is False


# ------------------------------------------------------------------------------- three-valued logic


def j(truth: Truth, sign: str | None = None, unknown: str | None = None) -> Judgement:
    return Judgement(
        truth,
        signs=frozenset({sign} if sign else ()),
        unknowns=frozenset({unknown} if unknown else ()),
    )


def test_all_of_is_false_when_any_part_is_false_even_with_unknowns() -> None:
    assert all_of(j(Truth.TRUE, "a"), j(Truth.UNKNOWN, unknown="b"), FALSE).truth is Truth.FALSE


def test_all_of_with_an_unknown_part_stays_open_and_keeps_the_signs() -> None:
    result = all_of(j(Truth.TRUE, "a"), j(Truth.UNKNOWN, unknown="b"))
    assert result == Judgement(Truth.UNKNOWN, frozenset({"a"}), frozenset({"b"}))


def test_any_of_is_true_when_one_part_is_true() -> None:
    result = any_of(j(Truth.UNKNOWN, unknown="b"), j(Truth.TRUE, "a"))
    assert result == Judgement(Truth.TRUE, frozenset({"a"}))


def test_any_of_of_false_and_unknown_is_unknown_and_empty_any_of_is_false() -> None:
    assert any_of(FALSE, j(Truth.UNKNOWN, unknown="b")).unknowns == {"b"}
    assert any_of().truth is Truth.FALSE


# ------------------------------------------------------------------------------------ single rules


def test_headache_follow_ups_left_out_after_a_no_count_as_no() -> None:
    answers = all_no(
        pounding_headache=None, headache_worse_upright=None, headache_not_easing_lying=None
    )  # headache itself is "no"

    outcome = evaluate(TriageInput(T4_DAY1, answers), RULESET_2026_1)

    assert outcome.level is TriageLevel.SELF_CARE
    assert outcome.findings == ()


def test_a_yes_to_a_follow_up_means_the_parent_symptom_is_present() -> None:
    answers = all_no(headache=None, pounding_headache=yes(S.POUNDING_HEADACHE))

    outcome = evaluate(TriageInput(T8_DAY1, answers), RULESET_2026_1)

    # the headache is present, and its severity was never asked, so it counts as possibly severe
    severe = next(f for f in outcome.findings if f.code is RuleCode.MILD_EFFECT_SEVERE)
    assert severe.signs == ("headache",)
    assert "answers.headache.severity" in severe.unknown_inputs


def test_autonomic_dysreflexia_from_blood_pressure_names_the_rise_and_baseline() -> None:
    context = replace(T4_DAY1, baseline_systolic_mmhg=95)

    outcome = evaluate(TriageInput(context, all_no(), Vitals(systolic_mmhg=118)), RULESET_2026_1)

    ad = outcome.findings[0]
    assert ad.code is RuleCode.AUTONOMIC_DYSREFLEXIA
    assert ad.signs == ("vitals.systolic_mmhg",)
    assert "23 above the baseline of 95" in ad.reason


def test_without_a_baseline_the_reason_says_the_default_is_used_and_why() -> None:
    outcome = evaluate(TriageInput(T4_DAY1, all_no(), Vitals(systolic_mmhg=121)), RULESET_2026_1)

    assert outcome.level is TriageLevel.EMERGENCY
    assert "90-110, so 120 may already be high" in outcome.findings[0].reason


def test_unknown_injury_level_is_named_in_the_reason() -> None:
    context = replace(T4_DAY1, injury_level=None)
    answers = all_no(blurred_vision=yes(S.BLURRED_VISION))

    outcome = evaluate(TriageInput(context, answers), RULESET_2026_1)

    assert "level is not known, so it is treated as at or above T6" in outcome.findings[0].reason


def test_dont_know_with_a_supporting_sign_counts_as_positive_and_says_so() -> None:
    answers = all_no(
        swelling_skin_lips_tongue=yes(S.SWELLING_SKIN_LIPS_TONGUE),
        breathing_difficulty=SymptomAnswer(S.BREATHING_DIFFICULTY, Answer.UNKNOWN),
    )

    outcome = evaluate(TriageInput(T8_DAY1, answers), RULESET_2026_1)

    anaphylaxis = next(f for f in outcome.findings if f.code is RuleCode.ANAPHYLAXIS)
    assert outcome.level is TriageLevel.EMERGENCY
    assert anaphylaxis.status == "cannot_be_excluded"
    assert anaphylaxis.counted_as_positive
    assert anaphylaxis.signs == ("swelling_skin_lips_tongue",)
    assert "breathing_difficulty" in anaphylaxis.unknown_inputs
    assert "treated as present" in anaphylaxis.reason


def test_dont_know_without_a_supporting_sign_raises_to_the_unresolved_level_only() -> None:
    answers = all_no(chest_pain=SymptomAnswer(S.CHEST_PAIN, Answer.UNKNOWN))

    outcome = evaluate(TriageInput(T8_DAY1, answers), RULESET_2026_1)

    pe = outcome.findings[0]
    assert outcome.level is TriageLevel.URGENT
    assert (pe.code, pe.counted_as_positive, pe.level) == (
        RuleCode.PULMONARY_EMBOLISM,
        False,
        TriageLevel.URGENT,
    )
    assert "the clinic needs to check with you" in pe.reason


def test_post_puncture_headache_needs_a_spinal_route_within_five_days_of_onset() -> None:
    headache = yes(S.HEADACHE, Severity.MILD, onset=30)
    answers = all_no(headache=headache, headache_worse_upright=yes(S.HEADACHE_WORSE_UPRIGHT))
    day6 = replace(T8_DAY1, days_since_procedure=6)  # started on day 4.75

    assert RuleCode.POST_PUNCTURE_HEADACHE in evaluate(TriageInput(day6, answers), RULESET_2026_1).codes
    local = replace(day6, procedure_route=ProcedureRoute.LOCAL_INJECTION)
    assert RuleCode.POST_PUNCTURE_HEADACHE not in evaluate(TriageInput(local, answers), RULESET_2026_1).codes


def test_anaphylaxis_by_low_pressure_only_inside_the_window_after_the_injection() -> None:
    hours = RULESET_2026_1.parameters.anaphylaxis_window_hours
    inside = replace(T8_DAY1, days_since_procedure=hours / 24)
    outside = replace(T8_DAY1, days_since_procedure=hours / 24 + 0.1)
    low = Vitals(systolic_mmhg=85)

    assert evaluate(TriageInput(inside, all_no(), low), RULESET_2026_1).level is TriageLevel.EMERGENCY
    assert evaluate(TriageInput(outside, all_no(), low), RULESET_2026_1).level is TriageLevel.SELF_CARE


# ------------------------------------------------------------------------------------------- advice


def test_autonomic_dysreflexia_advice_starts_with_first_aid() -> None:
    answers = all_no(flushing_or_sweating_above_injury=yes(S.FLUSHING_OR_SWEATING_ABOVE_INJURY))

    advice = evaluate(TriageInput(T4_DAY1, answers), RULESET_2026_1).advice

    text = " ".join(advice).lower()
    assert advice[0].startswith("Sit upright")
    for step in ("loosen", "bladder", "catheter", "bowel", "call for help", "emergency number"):
        assert step in text


def test_no_first_aid_for_autonomic_dysreflexia_below_t6() -> None:
    answers = all_no(flushing_or_sweating_above_injury=yes(S.FLUSHING_OR_SWEATING_ABOVE_INJURY))

    advice = evaluate(TriageInput(T8_DAY1, answers), RULESET_2026_1).advice

    assert not any(line.startswith("Sit upright") for line in advice)


def test_mild_effect_advice_warns_against_anti_inflammatory_medicines() -> None:
    answers = all_no(headache=yes(S.HEADACHE, Severity.MILD, onset=4))

    outcome = evaluate(TriageInput(T8_DAY1, answers), RULESET_2026_1)

    assert outcome.level is TriageLevel.SELF_CARE
    assert outcome.codes == (RuleCode.EXPECTED_MILD_EFFECT,)
    assert any("ibuprofen" in line for line in outcome.advice)
    assert any("48 hours" in line for line in outcome.advice)


def test_an_escalated_mild_effect_is_not_also_called_expected() -> None:
    context = replace(T8_DAY1, days_since_procedure=6)
    answers = all_no(headache=yes(S.HEADACHE, Severity.MILD, onset=20))

    outcome = evaluate(TriageInput(context, answers), RULESET_2026_1)

    assert outcome.codes == (RuleCode.MILD_EFFECT_PROLONGED,)
    assert not any("48 hours" in line for line in outcome.advice)


def test_post_puncture_headache_advice_says_lying_flat_may_ease_it() -> None:
    answers = all_no(
        headache=yes(S.HEADACHE, Severity.MILD, onset=4), headache_worse_upright=yes(S.HEADACHE_WORSE_UPRIGHT)
    )

    outcome = evaluate(TriageInput(T8_DAY1, answers, Vitals(temperature_c=37.0)), RULESET_2026_1)

    assert outcome.level is TriageLevel.URGENT
    assert any("Lying flat" in line for line in outcome.advice)


def test_fever_without_a_measurement_asks_for_the_temperature() -> None:
    answers = all_no(fever=SymptomAnswer(S.FEVER, Answer.YES, onset_hours_ago=3))

    advice = evaluate(TriageInput(T8_DAY1, answers), RULESET_2026_1).advice

    assert any("Measure your temperature" in line for line in advice)


# ---------------------------------------------------------------------------------------- rule set


def test_default_ruleset_round_trips_through_json() -> None:
    data = json.loads(json.dumps(RULESET_2026_1.to_dict()))

    assert validate_ruleset(data) == RULESET_2026_1
    assert data["version"] == "2026.1"


def test_every_rule_has_a_definition_and_every_sign_group_names_checklist_questions() -> None:
    assert set(RULE_DEFINITIONS) == set(RuleCode)
    data = DEFAULT_RULESET.to_dict()["parameters"]
    for name, value in data.items():
        if name.endswith("_signs") or name.endswith("_alone") or name.endswith("_effects"):
            assert all(code in SYMPTOMS_BY_CODE for code in value), name
    assert set(data) >= UNCONFIRMED_PARAMETERS


def _broken(path: str, value: object) -> dict:
    data = json.loads(json.dumps(RULESET_2026_1.to_dict()))
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("version", "", "version"),
        ("parameters.slight_fever_upper_c", KeyError, "parameters.slight_fever_upper_c"),
        ("parameters.slight_fever_upper_c", "38", "parameters.slight_fever_upper_c"),
        ("parameters.slight_fever_upper_c", 38.5, "parameters.slight_fever_upper_c"),
        ("parameters.expected_effect_days", 0, "parameters.expected_effect_days"),
        ("parameters.default_baseline_systolic_mmhg", 1200, "parameters.default_baseline_systolic_mmhg"),
        ("parameters.expected_effect_max_severity", "tiny", "parameters.expected_effect_max_severity"),
        ("parameters.unresolved_red_flag_level", "self_care", "parameters.unresolved_red_flag_level"),
        ("parameters.ad_signs", ["pounding_headache", "itchy_nose"], "parameters.ad_signs"),
        ("parameters.ad_signs", [], "parameters.ad_signs"),
        ("parameters.spinal_routes", ["none"], "parameters.spinal_routes"),
        ("parameters.colour", "red", "parameters.colour"),
        ("rules.autonomic_dysreflexia.enabled", False, "rules.autonomic_dysreflexia.enabled"),
        ("rules.autonomic_dysreflexia.level", "urgent", "rules.autonomic_dysreflexia.level"),
        ("rules.pulmonary_embolism.level", "severe", "rules.pulmonary_embolism.level"),
        ("rules.seizure", KeyError, "rules.seizure"),
    ],
)
def test_bad_ruleset_is_refused_naming_the_key(path: str, value: object, field: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        validate_ruleset(_broken(path, value))

    assert caught.value.field == field
    assert field in caught.value.message
    assert isinstance(caught.value, InvalidInput)


def test_a_judgement_rule_can_be_switched_off_or_raised() -> None:
    data = _broken("rules.allergic_swelling.enabled", False)
    data["rules"]["deep_vein_thrombosis"]["level"] = "emergency"
    ruleset = validate_ruleset(data)
    swelling = all_no(swelling_skin_lips_tongue=yes(S.SWELLING_SKIN_LIPS_TONGUE))
    leg = all_no(leg_swollen_warm_discoloured=yes(S.LEG_SWOLLEN_WARM_DISCOLOURED))

    assert evaluate(TriageInput(T8_DAY1, swelling), ruleset).level is TriageLevel.SELF_CARE
    assert evaluate(TriageInput(T8_DAY1, leg), ruleset).level is TriageLevel.EMERGENCY


def test_longer_expected_duration_keeps_a_day_six_mild_headache_as_self_care() -> None:
    context = replace(T8_DAY1, days_since_procedure=6)
    report = TriageInput(context, all_no(headache=yes(S.HEADACHE, Severity.MILD, onset=20)))
    longer = ruleset_with(RULESET_2026_1, version="2026.1-local", expected_effect_days=7)

    assert evaluate(report, RULESET_2026_1).level is TriageLevel.ROUTINE
    assert evaluate(report, longer).level is TriageLevel.SELF_CARE
    assert evaluate(report, longer).ruleset_version == "2026.1-local"


def test_lower_slight_fever_limit_makes_37_7_urgent() -> None:
    report = TriageInput(
        T8_DAY1, all_no(fever=SymptomAnswer(S.FEVER, Answer.YES, onset_hours_ago=5)), Vitals(37.7)
    )
    stricter = ruleset_with(RULESET_2026_1, version="strict", slight_fever_upper_c=37.5)

    assert evaluate(report, RULESET_2026_1).level is TriageLevel.SELF_CARE
    assert evaluate(report, stricter).level is TriageLevel.URGENT


def test_default_baseline_is_a_parameter() -> None:
    report = TriageInput(T4_DAY1, all_no(), Vitals(systolic_mmhg=122))
    higher = ruleset_with(RULESET_2026_1, version="b110", default_baseline_systolic_mmhg=110)

    assert evaluate(report, RULESET_2026_1).level is TriageLevel.EMERGENCY
    assert evaluate(report, higher).level is TriageLevel.SELF_CARE


def test_unresolved_red_flag_level_is_a_parameter() -> None:
    report = TriageInput(T8_DAY1, ())
    routine = ruleset_with(RULESET_2026_1, version="r", unresolved_red_flag_level=TriageLevel.ROUTINE)

    assert evaluate(report, routine).level is TriageLevel.ROUTINE


# ------------------------------------------------------------------------------------ input checks


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: PatientContext(procedure_route="spinal"), "context.procedure_route"),
        (lambda: PatientContext(injury_level="X9"), "context.injury_level"),
        (lambda: PatientContext(injury_level="T4", at_or_above_t6=False), "context.at_or_above_t6"),
        (
            lambda: PatientContext(procedure_route="none", days_since_procedure=2),
            "context.days_since_procedure",
        ),
        (lambda: PatientContext(days_since_procedure=-1), "context.days_since_procedure"),
        (lambda: Vitals(temperature_c=380), "vitals.temperature_c"),
        (lambda: Vitals(systolic_mmhg=True), "vitals.systolic_mmhg"),
        (lambda: SymptomAnswer("headache", "maybe"), "answers.headache.answer"),
        (lambda: SymptomAnswer("fever", "yes", severity="mild"), "answers.fever.severity"),
        (lambda: SymptomAnswer("chest_pain", "yes", onset_hours_ago=2), "answers.chest_pain.onset_hours_ago"),
        (
            lambda: SymptomAnswer("nausea", "yes", onset_hours_ago=2, duration_hours=5),
            "answers.nausea.duration_hours",
        ),
        (
            lambda: TriageInput(answers=(SymptomAnswer("nausea", "no"), SymptomAnswer("nausea", "yes"))),
            "answers.nausea",
        ),
        (lambda: TriageInput.from_dict({"context": {"level": "T4"}}), "context.level"),
        (lambda: TriageInput.from_dict({"answers": [{"code": "nausea"}]}), "answers.0"),
    ],
)
def test_bad_input_is_refused_naming_the_field(build, field: str) -> None:
    with pytest.raises(TriageInputError) as caught:
        build()

    assert caught.value.field == field


def test_answers_given_as_plain_strings_become_enums() -> None:
    answer = SymptomAnswer("nausea", "yes", severity="mild")

    assert (answer.code, answer.answer, answer.severity) == (S.NAUSEA, Answer.YES, Severity.MILD)


# ------------------------------------------------------------------------------- snapshot and replay


def test_outcome_round_trips_through_json_and_replays_to_the_same_outcome() -> None:
    answers = all_no(
        headache=yes(S.HEADACHE, Severity.MODERATE, onset=30),
        headache_worse_upright=yes(S.HEADACHE_WORSE_UPRIGHT),
        fever=SymptomAnswer(S.FEVER, Answer.UNKNOWN),
    )
    inputs = TriageInput(replace(T4_DAY1, baseline_systolic_mmhg=98), answers, Vitals(None, 112, 70, 64))
    outcome = evaluate(inputs, RULESET_2026_1)

    stored = json.loads(json.dumps(outcome.to_dict()))
    restored = TriageOutcome.from_dict(stored)

    assert restored == outcome
    assert evaluate(restored.inputs, validate_ruleset(RULESET_2026_1.to_dict())) == outcome
    assert stored["ruleset_version"] == "2026.1"


# ------------------------------------------------------------------------------------------ checklist


def test_days_since_counts_fractional_days_across_a_clock_change() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    madrid = ZoneInfo("Europe/Madrid")  # clocks go back one hour on 2026-10-25
    performed = datetime(2026, 10, 24, 12, 0, tzinfo=madrid)
    now = datetime(2026, 10, 25, 12, 0, tzinfo=madrid)

    assert days_since(performed, now) == pytest.approx(25 / 24)
    assert days_since(performed.astimezone(UTC), now) == pytest.approx(25 / 24)
    with pytest.raises(ValueError):
        days_since(datetime(2026, 10, 24, 12, 0), now)
    with pytest.raises(TriageInputError):
        days_since(now, performed)


def test_checklist_exposes_questions_and_what_each_asks() -> None:
    codes = [s.code for s in SYMPTOMS]

    assert set(codes) == set(SymptomCode)
    assert all(s.question.endswith(("?", ".)")) and s.label for s in SYMPTOMS)
    assert all(s.parent is None or codes.index(s.parent) < codes.index(s.code) for s in SYMPTOMS)
    assert {s.code for s in SYMPTOMS if s.asks_severity} == {S.HEADACHE, S.NAUSEA, S.INJECTION_SITE_PAIN}
    form = {q["code"]: q for q in json.loads(json.dumps(checklist()))}
    assert form["pounding_headache"] == {
        "code": "pounding_headache",
        "label": "pounding headache",
        "question": "Is it a pounding headache?",
        "asks_severity": False,
        "asks_onset": False,
        "parent": "headache",
        "red_flag": True,
    }
    assert "worst headache of your life" in form["headache"]["severity_words"]["severe"]
    red_flags_end = max(i for i, s in enumerate(SYMPTOMS) if s.red_flag)
    assert all(s.red_flag for s in SYMPTOMS[:red_flags_end]), "the red-flag questions come first"


# ------------------------------------------------------------------------------------------ properties

_LEVELS = [None, "C4", "C7", "T2", "T6", "T7", "T10", "L2", "T6,T7"]
_HOURS = st.one_of(st.none(), st.floats(min_value=0, max_value=24 * 20, allow_nan=False))


def _answer_for(draw: st.DrawFn, symptom, answer: Answer | None) -> SymptomAnswer | None:
    if answer is None:
        return None
    severity = draw(st.one_of(st.none(), st.sampled_from(Severity))) if symptom.asks_severity else None
    onset = draw(_HOURS) if symptom.asks_onset else None
    duration = None
    if onset is not None and draw(st.booleans()):
        duration = draw(st.floats(min_value=0, max_value=onset))
    return SymptomAnswer(symptom.code, answer, severity, onset, duration)


@st.composite
def sparse_answers(draw: st.DrawFn) -> tuple[SymptomAnswer, ...]:
    """A mostly-"no" checklist with a few yes and a few open answers: where levels differ most."""
    codes = list(SymptomCode)
    yes_codes = draw(st.lists(st.sampled_from(codes), max_size=3, unique=True))
    open_codes = draw(st.lists(st.sampled_from(codes), max_size=3, unique=True))
    answers = []
    for symptom in SYMPTOMS:
        if symptom.code in yes_codes:
            answer = Answer.YES
        elif symptom.code in open_codes:
            answer = draw(st.sampled_from([Answer.UNKNOWN, None]))
        else:
            answer = Answer.NO
        answers.append(_answer_for(draw, symptom, answer))
    return tuple(a for a in answers if a is not None)


@st.composite
def noisy_answers(draw: st.DrawFn) -> tuple[SymptomAnswer, ...]:
    answers = (_answer_for(draw, s, draw(st.sampled_from([None, *Answer]))) for s in SYMPTOMS)
    return tuple(a for a in answers if a is not None)


symptom_answers = st.one_of(sparse_answers(), sparse_answers(), noisy_answers())


@st.composite
def contexts(draw: st.DrawFn) -> PatientContext:
    route = draw(st.sampled_from(ProcedureRoute))
    days = None if route == ProcedureRoute.NONE else draw(st.one_of(st.none(), st.floats(0, 20)))
    return PatientContext(
        injury_level=draw(st.sampled_from(_LEVELS)),
        days_since_procedure=days,
        procedure_route=route,
        baseline_systolic_mmhg=draw(st.one_of(st.none(), st.floats(80, 150))),
    )


def _maybe(low: float, high: float) -> st.SearchStrategy[float | None]:
    return st.one_of(st.none(), st.floats(low, high))


@st.composite
def vitals(draw: st.DrawFn) -> Vitals:
    return Vitals(draw(_maybe(35, 41)), draw(_maybe(70, 190)), draw(_maybe(40, 110)), draw(_maybe(35, 140)))


reports = st.builds(TriageInput, context=contexts(), answers=symptom_answers, vitals=vitals())


@settings(max_examples=300, deadline=None)
@given(report=reports, data=st.data())
def test_replacing_any_no_with_dont_know_or_leaving_it_out_never_lowers_the_level(report, data) -> None:
    changed = []
    for answer in report.answers:
        action = (
            data.draw(st.sampled_from(["keep", "dont_know", "leave_out"]))
            if answer.answer is Answer.NO
            else "keep"
        )
        if action == "dont_know":
            changed.append(replace(answer, answer=Answer.UNKNOWN))
        elif action == "keep":
            changed.append(answer)

    before = evaluate(report, RULESET_2026_1).level
    after = evaluate(replace(report, answers=tuple(changed)), RULESET_2026_1).level

    assert after >= before


@settings(max_examples=200, deadline=None)
@given(report=reports)
def test_forgetting_severity_timing_or_context_never_lowers_the_level(report) -> None:
    forgotten = replace(
        report,
        answers=tuple(
            replace(a, severity=None, onset_hours_ago=None, duration_hours=None) for a in report.answers
        ),
        context=replace(
            report.context,
            injury_level=None,
            days_since_procedure=None,
            procedure_route=ProcedureRoute.UNKNOWN,
        ),
    )

    assert evaluate(forgotten, RULESET_2026_1).level >= evaluate(report, RULESET_2026_1).level


@settings(max_examples=200, deadline=None)
@given(report=reports)
def test_leaving_out_normal_vital_signs_never_lowers_the_level(report) -> None:
    p = RULESET_2026_1.parameters
    normal = replace(
        report,
        context=replace(report.context, baseline_systolic_mmhg=None),
        vitals=Vitals(
            temperature_c=36.8, systolic_mmhg=105, diastolic_mmhg=70, heart_rate_bpm=p.slow_pulse_below_bpm
        ),
    )
    without = replace(normal, vitals=Vitals())

    assert evaluate(without, RULESET_2026_1).level >= evaluate(normal, RULESET_2026_1).level


@settings(max_examples=200, deadline=None)
@given(report=reports)
def test_emergency_needs_a_present_sign_and_every_counted_finding_names_one(report) -> None:
    outcome = evaluate(report, RULESET_2026_1)

    for finding in outcome.findings:
        if finding.counted_as_positive:
            assert finding.signs, finding
    if outcome.level is TriageLevel.EMERGENCY:
        assert any(f.counted_as_positive for f in outcome.findings)
    assert outcome.level == max((f.level for f in outcome.findings), default=TriageLevel.SELF_CARE)


@settings(max_examples=200, deadline=None)
@given(report=reports)
def test_any_report_round_trips_and_replays_to_the_same_outcome(report) -> None:
    outcome = evaluate(report, RULESET_2026_1)

    restored = TriageOutcome.from_dict(json.loads(json.dumps(outcome.to_dict())))

    assert restored == outcome
    assert evaluate(restored.inputs, RULESET_2026_1) == outcome


# Pairs (present sign, open question) that the same rule needs together.
_PARTNERS = [
    (S.SWELLING_SKIN_LIPS_TONGUE, S.BREATHING_DIFFICULTY),
    (S.SWELLING_SKIN_LIPS_TONGUE, S.FEELING_FAINT),
    (S.FEELING_FAINT, S.SWELLING_SKIN_LIPS_TONGUE),
    (S.STIFF_NECK, S.FEVER),
    (S.FEVER, S.STIFF_NECK),
    (S.FEVER, S.CONFUSION),
    (S.LIGHT_SENSITIVITY, S.FEVER),
    (S.HEADACHE_WORSE_UPRIGHT, S.FEVER),
    (S.HEADACHE_WORSE_UPRIGHT, S.NEW_WEAKNESS_OR_NUMBNESS),
]


@st.composite
def open_question_cases(draw: st.DrawFn) -> tuple[TriageInput, SymptomCode]:
    """A report and one of its open ("don't know" or left out) questions to answer "yes" instead."""
    report = draw(reports)
    if draw(st.booleans()):
        present, open_code = draw(st.sampled_from(_PARTNERS))
        others = tuple(a for a in report.answers if a.code not in (present, open_code))
        opened = draw(st.sampled_from([(SymptomAnswer(open_code, Answer.UNKNOWN),), ()]))
        report = replace(
            report,
            answers=others + (SymptomAnswer(present, Answer.YES),) + opened,
            vitals=replace(report.vitals, temperature_c=None),
        )
        return report, open_code
    given_codes = {a.code: a for a in report.answers}
    open_codes = [c for c in SymptomCode if c not in given_codes or given_codes[c].answer is Answer.UNKNOWN]
    return report, draw(st.sampled_from(open_codes or [S.HEADACHE]))


@settings(max_examples=400, deadline=None)
@given(case=open_question_cases())
def test_dont_know_next_to_a_supporting_sign_is_as_urgent_as_yes(case) -> None:
    report, code = case
    previous = report.answer(code)
    # The generator falls back to an answered question when none is open; "no" is an answer, not "don't know".
    assume(previous is None or previous.answer is Answer.UNKNOWN)
    parent_code = SYMPTOMS_BY_CODE[code].parent
    parent_answer = report.answer(parent_code) if parent_code else None
    # A follow-up question ("pounding?") under a parent answered "no" ("headache?") is moot, not open.
    assume(parent_answer is None or parent_answer.answer is not Answer.NO)
    answered = replace(previous, answer=Answer.YES) if previous else SymptomAnswer(code, Answer.YES)
    with_yes = replace(report, answers=tuple(a for a in report.answers if a.code != code) + (answered,))
    parent = SYMPTOMS_BY_CODE[code].parent
    implied = {str(code)} | ({str(parent)} if parent else set())

    level = evaluate(report, DEFAULT_RULESET).level

    for finding in evaluate(with_yes, DEFAULT_RULESET).findings:
        if finding.status == "fires" and set(finding.signs) - implied:
            assert level >= finding.level, (code, finding)
