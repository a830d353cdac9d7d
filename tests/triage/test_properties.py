"""Properties of the default rule set (2026.2) over the whole input space, from clinical-facts.md §4.

Each property runs on 10,000 generated reports (issue 15). The engine is pure, so this is a few seconds to a
minute per property; docs/triage.md has the measured times.
"""

from __future__ import annotations

import os
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exoclinic.triage.engine import PatientContext, SymptomAnswer, TriageInput, Vitals, evaluate
from exoclinic.triage.engine.language import _HEADLINES
from exoclinic.triage.ruleset import (
    DEFAULT_RULESET,
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    Answer,
    ProcedureRoute,
    Severity,
    SymptomCode,
    TriageLevel,
)

S = SymptomCode
E, U, R, SC = TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.ROUTINE, TriageLevel.SELF_CARE
P = DEFAULT_RULESET.parameters
# 10,000 each (issue 15); TRIAGE_PROPERTY_EXAMPLES lowers it only for a quick local run.
MANY = settings(
    max_examples=int(os.environ.get("TRIAGE_PROPERTY_EXAMPLES", "10000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
NO_WARNING_SIGNS = _HEADLINES[SC]

# Cranial to caudal: moving "up" is moving to a lower index. None (unknown) counts as at or above T6.
LEVELS_TOP_DOWN = ["C2", "C4", "C6", "C8", "T1", "T3", "T5", "T6", "T7", "T8", "T10", "T12", "L1", "L3", "S1"]
AT_OR_ABOVE_T6 = LEVELS_TOP_DOWN[: LEVELS_TOP_DOWN.index("T6") + 1]
NEAR_CORD = [r for r in ProcedureRoute if r.near_spinal_cord]
HEADACHES = [S.HEADACHE, S.POUNDING_HEADACHE, S.HEADACHE_WORSE_UPRIGHT, S.HEADACHE_NOT_EASING_LYING]


class _Bytes:
    """Reads a report out of one byte string: one draw per report keeps 10,000 examples fast, and
    hypothesis still shrinks it (towards zero bytes: "no" answers, nothing measured)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.i = data, 0

    def byte(self) -> int:
        self.i += 1
        return self.data[self.i - 1]

    def pick(self, options):
        return options[self.byte() % len(options)]

    def number(self, low: float, high: float) -> float:
        return low + (high - low) * ((self.byte() << 8) | self.byte()) / 65535

    def maybe(self, low: float, high: float) -> float | None:
        return None if self.byte() % 3 == 0 else self.number(low, high)


_KINDS = {
    "mostly_no": ["no"] * 6 + ["yes", "unknown", "out"],
    "mixed": ["no", "yes", "unknown", "out"],
    "sparse": ["out"] * 4 + ["yes", "no"],
}
_REPORT_BYTES = 12 + 6 * len(SYMPTOMS) + 12 + 1


def _answer(b: _Bytes, code: SymptomCode, answer: Answer) -> SymptomAnswer:
    symptom = SYMPTOMS_BY_CODE[code]
    severity = b.pick([None, *Severity]) if symptom.asks_severity else None
    onset = lasted = None
    if symptom.asks_onset:
        onset = b.maybe(0, 24 * 20)
        if onset is not None and b.byte() % 2:
            lasted = min(onset, onset * b.byte() / 255)
    return SymptomAnswer(code, answer, severity=severity, onset_hours_ago=onset, duration_hours=lasted)


def decode_report(data: bytes) -> TriageInput:
    b = _Bytes(data)
    route = b.pick(list(ProcedureRoute))
    days = None if route == ProcedureRoute.NONE else b.maybe(0, 30)
    context = PatientContext(
        injury_level=b.pick([None, *LEVELS_TOP_DOWN, "T6,T7"]),
        days_since_procedure=days,
        procedure_route=route,
        baseline_systolic_mmhg=b.maybe(80, 150),
        baseline_heart_rate_bpm=b.maybe(45, 90),
    )
    kinds = _KINDS[b.pick(list(_KINDS))]
    answers = []
    for s in SYMPTOMS:
        kind = b.pick(kinds)
        start = b.i
        if kind != "out":
            answers.append(_answer(b, s.code, Answer(kind)))
        b.i = start + 5  # fixed width per question, so one question's change does not shift the others
    vitals = Vitals(b.maybe(33, 42), b.maybe(50, 240), b.maybe(30, 140), b.maybe(25, 180))
    note = "my left foot feels odd" if b.byte() % 4 == 0 else ""
    return TriageInput(context=context, answers=tuple(answers), vitals=vitals, note=note)


reports = st.binary(min_size=_REPORT_BYTES, max_size=_REPORT_BYTES).map(decode_report)


@st.composite
def answer_for(draw: st.DrawFn, code: SymptomCode, answer: Answer) -> SymptomAnswer:
    return _answer(_Bytes(draw(st.binary(min_size=6, max_size=6))), code, answer)


def level(report: TriageInput) -> TriageLevel:
    return evaluate(report, DEFAULT_RULESET).level


def with_answer(report: TriageInput, answer: SymptomAnswer) -> TriageInput:
    return replace(report, answers=tuple(a for a in report.answers if a.code != answer.code) + (answer,))


# ------------------------------------------------------------------------------------ monotone inputs


@MANY
@given(report=reports, data=st.data())
def test_adding_a_symptom_never_lowers_the_level(report, data) -> None:
    code = data.draw(st.sampled_from([s.code for s in SYMPTOMS]))
    previous = report.answer(code)
    if previous is not None and previous.answer is Answer.YES:
        return
    if any(a.answer is Answer.YES and SYMPTOMS_BY_CODE[a.code].parent == code for a in report.answers):
        return  # already present (a "yes" to a follow-up): answering it again only adds details
    added = data.draw(answer_for(code, Answer.YES))
    before, after = evaluate(report, DEFAULT_RULESET), evaluate(with_answer(report, added), DEFAULT_RULESET)

    assert after.level >= before.level, (
        [f.reason for f in before.findings],
        [f.reason for f in after.findings],
    )


@MANY
@given(report=reports, data=st.data())
def test_raising_a_severity_never_lowers_the_level(report, data) -> None:
    rated = [a for a in report.answers if a.severity is not None and a.severity is not Severity.SEVERE]
    if not rated:
        return
    answer = data.draw(st.sampled_from(rated))
    higher = data.draw(st.sampled_from([s for s in Severity if s.rank > answer.severity.rank]))

    assert level(with_answer(report, replace(answer, severity=higher))) >= level(report)


def _lowest_systolic_without_a_low_finding(report: TriageInput) -> float:
    baseline = report.context.baseline_systolic_mmhg or P.default_baseline_systolic_mmhg
    return max(
        P.hypotension_systolic_below_mmhg,
        P.anaphylaxis_systolic_below_mmhg,
        baseline * (1 - P.anaphylaxis_drop_fraction),
    )


@MANY
@given(report=reports, data=st.data())
def test_raising_a_temperature_or_a_blood_pressure_never_lowers_the_level(report, data) -> None:
    """Above the low end of the range: below it, a lower value is the finding (hypothermia, hypotension)."""
    v = report.vitals
    what = data.draw(st.sampled_from(["temperature_c", "systolic_mmhg", "diastolic_mmhg"]))
    floor = {
        "temperature_c": P.hypothermia_at_or_below_c + 0.01,
        "systolic_mmhg": _lowest_systolic_without_a_low_finding(report),
        "diastolic_mmhg": 20,
    }[what]
    top = {"temperature_c": 45, "systolic_mmhg": 300, "diastolic_mmhg": 200}[what]
    start = getattr(v, what)
    if start is None or start < floor:
        start = data.draw(st.floats(floor, top - 1))
    raised = data.draw(st.floats(start, top))
    before = replace(report, vitals=replace(v, **{what: start}))
    after = replace(report, vitals=replace(v, **{what: raised}))

    assert level(after) >= level(before)


@MANY
@given(report=reports, data=st.data())
def test_moving_the_injury_level_up_or_to_unknown_never_lowers_the_level(report, data) -> None:
    start = data.draw(st.integers(1, len(LEVELS_TOP_DOWN) - 1))
    higher = data.draw(st.one_of(st.none(), st.sampled_from(LEVELS_TOP_DOWN[:start])))
    lower = replace(report, context=replace(report.context, injury_level=LEVELS_TOP_DOWN[start]))
    upper = replace(report, context=replace(report.context, injury_level=higher))

    assert level(upper) >= level(lower)


@MANY
@given(report=reports, data=st.data())
def test_answering_dont_know_or_leaving_out_never_lowers_the_level(report, data) -> None:
    changed = []
    for answer in report.answers:
        action = data.draw(st.sampled_from(["keep", "dont_know", "leave_out", "forget_details"]))
        if answer.answer is Answer.NO and action == "dont_know":
            changed.append(replace(answer, answer=Answer.UNKNOWN))
        elif answer.answer is Answer.NO and action == "leave_out":
            continue
        elif action == "forget_details":
            changed.append(replace(answer, severity=None, onset_hours_ago=None, duration_hours=None))
        else:
            changed.append(answer)
    forget = data.draw(st.sampled_from(["nothing", "level", "route", "day"]))
    context = report.context
    if forget == "level":
        context = replace(context, injury_level=None)
    elif forget == "route":
        context = replace(context, procedure_route=ProcedureRoute.UNKNOWN)
    elif forget == "day" and context.procedure_route != ProcedureRoute.NONE:
        context = replace(context, days_since_procedure=None)

    assert level(replace(report, answers=tuple(changed), context=context)) >= level(report)


# ------------------------------------------------------------------------------------ §4 red flags


@MANY
@given(report=reports, data=st.data())
def test_any_headache_at_or_above_t6_or_level_unknown_is_never_self_care(report, data) -> None:
    """§4: "At or above T6 (or level unknown), any headache, however mild, ... never self-care"."""
    injury = data.draw(st.one_of(st.none(), st.sampled_from(AT_OR_ABOVE_T6 + ["T6,T7"])))
    code = data.draw(st.sampled_from(HEADACHES))
    report = replace(report, context=replace(report.context, injury_level=injury))
    report = with_answer(report, data.draw(answer_for(code, Answer.YES)))

    outcome = evaluate(report, DEFAULT_RULESET)

    assert outcome.level >= R
    if report.vitals.systolic_mmhg is None:
        assert outcome.level >= U  # until a blood pressure reading says otherwise
        assert any("blood pressure" in step for step in outcome.advice)


def _yes(*codes: SymptomCode):
    return [(code,) for code in codes]


# (name, required "yes" answers (one of each group), context, vitals, minimum level); every line of §4.
RED_FLAGS = [
    (
        "AD sign at or above T6",
        [[S.POUNDING_HEADACHE, S.FLUSHING_OR_SWEATING_ABOVE_INJURY, S.BLURRED_VISION, S.SLOW_PULSE]],
        {"injury_level": "at_risk"},
        {},
        E,
    ),
    ("AD systolic +20 at or above T6", [], {"injury_level": "at_risk"}, {"systolic_rise": 20}, E),
    (
        "meningitis",
        [[S.STIFF_NECK, S.LIGHT_SENSITIVITY, S.CONFUSION, S.HEADACHE_NOT_EASING_LYING]],
        {},
        {"temperature_c": 38.0},
        E,
    ),
    (
        "post-puncture headache",
        [[S.HEADACHE_WORSE_UPRIGHT]],
        {"near_cord_within_days": 5},
        {"temperature_c": 37.0},
        U,
    ),
    (
        "post-puncture headache with deficit or seizure",
        [[S.HEADACHE_WORSE_UPRIGHT], [S.NEW_WEAKNESS_OR_NUMBNESS, S.NEW_BLADDER_OR_BOWEL_LOSS, S.SEIZURE]],
        {"near_cord_within_days": 5},
        {"temperature_c": 37.0},
        E,
    ),
    (
        "epidural haematoma or abscess",
        [[S.SEVERE_BACK_PAIN, S.NEW_WEAKNESS_OR_NUMBNESS, S.NEW_BLADDER_OR_BOWEL_LOSS]],
        {},
        {},
        E,
    ),
    ("anaphylaxis", [[S.SWELLING_SKIN_LIPS_TONGUE], [S.BREATHING_DIFFICULTY, S.FEELING_FAINT]], {}, {}, E),
    ("anaphylaxis low pressure", [], {"hours_after": 6}, {"systolic_mmhg": 89}, E),
    ("pulmonary embolism", [[S.BREATHING_DIFFICULTY, S.CHEST_PAIN, S.COUGHING_BLOOD, S.FAINTED]], {}, {}, E),
    ("deep vein thrombosis", [[S.LEG_SWOLLEN_WARM_DISCOLOURED]], {}, {}, U),
    (
        "headache with a neurological sign after a near-cord procedure",
        [
            HEADACHES,
            [
                S.BLURRED_VISION,
                S.STIFF_NECK,
                S.CONFUSION,
                S.SEIZURE,
                S.NEW_WEAKNESS_OR_NUMBNESS,
                S.NEW_BLADDER_OR_BOWEL_LOSS,
            ],
        ],
        {"near_cord": True},
        {},
        U,
    ),
    ("post-puncture headache past day 5", [[S.HEADACHE_WORSE_UPRIGHT]], {"near_cord_after_day": 5}, {}, U),
    (
        "headache started within 5 days, present past 72 hours",
        [[S.HEADACHE]],
        {"persistent_72h": True},
        {},
        U,
    ),
    ("hives, itching or rash", [[S.HIVES_ITCHING_RASH]], {}, {}, U),
    (
        "hives with swelling, breathing difficulty or faintness",
        [[S.HIVES_ITCHING_RASH], [S.SWELLING_SKIN_LIPS_TONGUE, S.BREATHING_DIFFICULTY, S.FEELING_FAINT]],
        {},
        {},
        E,
    ),
    ("hives with low pressure", [[S.HIVES_ITCHING_RASH]], {}, {"systolic_mmhg": 89}, E),
    ("injection-site infection", [[S.SITE_DISCHARGE, S.SITE_SPREADING_REDNESS]], {}, {}, U),
    (
        "injection-site infection with fever",
        [[S.SITE_DISCHARGE, S.SITE_SPREADING_REDNESS]],
        {},
        {"temperature_c": 38.0},
        E,
    ),
    (
        "injection-site infection, very unwell",
        [[S.SITE_DISCHARGE, S.SITE_SPREADING_REDNESS], [S.VERY_UNWELL]],
        {},
        {},
        E,
    ),
    ("headache at or above T6", [HEADACHES], {"injury_level": "at_risk"}, {}, R),
]


@st.composite
def red_flag_cases(draw: st.DrawFn):
    name, groups, ctx, vit, minimum = draw(st.sampled_from(RED_FLAGS))
    report = draw(reports)
    context, v = report.context, report.vitals
    if ctx.get("injury_level") == "at_risk":
        context = replace(context, injury_level=draw(st.one_of(st.none(), st.sampled_from(AT_OR_ABOVE_T6))))
    route = draw(st.sampled_from(NEAR_CORD))
    if "near_cord_within_days" in ctx:
        days = draw(st.floats(0, ctx["near_cord_within_days"]))
        context = replace(context, procedure_route=route, days_since_procedure=days)
    if ctx.get("near_cord"):
        context = replace(context, procedure_route=route, days_since_procedure=draw(st.floats(0, 30)))
    if "near_cord_after_day" in ctx:
        days = draw(st.floats(ctx["near_cord_after_day"] + 0.01, 30))
        context = replace(context, procedure_route=route, days_since_procedure=days)
    if ctx.get("persistent_72h"):
        days = draw(st.floats(3.01, 5))
        context = replace(context, procedure_route=route, days_since_procedure=days)
    if "hours_after" in ctx:
        days = draw(st.floats(0, ctx["hours_after"] / 24))
        route = draw(
            st.sampled_from([r for r in ProcedureRoute if r not in (ProcedureRoute.NONE, "unknown")])
        )
        context = replace(context, procedure_route=route, days_since_procedure=days)
    if "systolic_rise" in vit:
        baseline = context.baseline_systolic_mmhg or P.default_baseline_systolic_mmhg
        v = replace(v, systolic_mmhg=draw(st.floats(baseline + vit["systolic_rise"], 260)))
    if "systolic_mmhg" in vit:
        v = replace(v, systolic_mmhg=draw(st.floats(40, vit["systolic_mmhg"])))
    if "temperature_c" in vit:
        t = vit["temperature_c"]
        v = replace(v, temperature_c=draw(st.floats(t, 41) if t >= 38 else st.floats(36, t)))
    report = replace(report, context=context, vitals=v)
    for group in groups:
        code = draw(st.sampled_from(group))
        answer = draw(answer_for(code, Answer.YES))
        parent = SYMPTOMS_BY_CODE[code].parent or code
        timed = "near_cord_within_days" in ctx or ctx.get("persistent_72h")
        if timed and SYMPTOMS_BY_CODE[parent].asks_onset:
            since = context.days_since_procedure * 24
            if ctx.get("persistent_72h"):  # started at the puncture and present since
                onset = lasted = since
            else:  # started after the puncture, within its 5 days
                onset, lasted = draw(st.floats(max(0, since - 24 * 5), since)), None
            owner = replace(
                draw(answer_for(parent, Answer.YES)), onset_hours_ago=onset, duration_hours=lasted
            )
            report = with_answer(report, owner)
            if parent != code:
                report = with_answer(report, answer)
            continue
        report = with_answer(report, answer)
    severity = draw(st.sampled_from(Severity))  # every severity word, the same for all rated answers
    report = replace(
        report,
        answers=tuple(
            replace(a, severity=severity)
            if SYMPTOMS_BY_CODE[a.code].asks_severity and a.answer == "yes"
            else a
            for a in report.answers
        ),
    )
    return name, report, minimum


@MANY
@given(case=red_flag_cases())
def test_every_red_flag_combination_of_section_4_is_at_least_its_level_at_every_severity(case) -> None:
    name, report, minimum = case

    outcome = evaluate(report, DEFAULT_RULESET)

    assert outcome.level >= minimum, (name, [f.reason for f in outcome.findings])


# ------------------------------------------------------------------------------------ issue 19


def _out_of_range(v: Vitals) -> bool:
    return any(
        (
            v.systolic_mmhg is not None
            and not P.hypotension_systolic_below_mmhg
            <= v.systolic_mmhg
            < P.hypertensive_crisis_systolic_mmhg,
            v.diastolic_mmhg is not None and v.diastolic_mmhg >= P.hypertensive_crisis_diastolic_mmhg,
            v.heart_rate_bpm is not None
            and not P.bradycardia_below_bpm <= v.heart_rate_bpm < P.tachycardia_from_bpm,
            v.temperature_c is not None and v.temperature_c <= P.hypothermia_at_or_below_c,
        )
    )


@MANY
@given(report=reports)
def test_no_warning_signs_is_said_only_when_nothing_was_reported(report) -> None:
    outcome = evaluate(report, DEFAULT_RULESET)
    reported = any(a.answer is Answer.YES for a in report.answers) or bool(report.note)

    if reported or _out_of_range(report.vitals):
        assert NO_WARNING_SIGNS not in outcome.advice
        assert outcome.findings, "what was reported is named in a finding"
    if _out_of_range(report.vitals):
        assert outcome.level >= R
    if report.note:
        assert outcome.level >= R
