"""Clinical scenarios for rule set 2026.1 (kept: its past decisions replay with it), read as a table.

Every report starts from a fully answered checklist with every answer "no", a T8 injury and an intrathecal
injection one day ago; each row names only what differs. Answers are "yes", "no", "dk" (don't know),
``None`` (question left out), or a tuple (answer, severity, onset hours ago).
"""

from __future__ import annotations

import pytest

from exoclinic.triage.engine import PatientContext, SymptomAnswer, TriageInput, Vitals, evaluate
from exoclinic.triage.ruleset import RULESET_2026_1, SYMPTOMS, RuleCode, TriageLevel

E, U, R, SC = TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.ROUTINE, TriageLevel.SELF_CARE
_ANSWERS = {"yes": "yes", "no": "no", "dk": "unknown"}


def report(
    *,
    level: str | None = "T8",
    at_or_above_t6: bool | None = None,
    day: float | None = 1.0,
    route: str = "intrathecal",
    baseline: float | None = None,
    temp: float | None = None,
    sbp: float | None = None,
    hr: float | None = None,
    everything: str | None = "no",
    **answers,
) -> TriageInput:
    given: dict[str, object] = dict.fromkeys((s.code.value for s in SYMPTOMS), everything)
    given.update(answers)
    built = []
    for code, value in given.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            answer, severity, onset = value
            built.append(SymptomAnswer(code, _ANSWERS[answer], severity=severity, onset_hours_ago=onset))
        else:
            built.append(SymptomAnswer(code, _ANSWERS[value]))
    context = PatientContext(
        injury_level=level,
        at_or_above_t6=at_or_above_t6,
        days_since_procedure=day,
        procedure_route=route,
        baseline_systolic_mmhg=baseline,
    )
    return TriageInput(context=context, answers=tuple(built), vitals=Vitals(temp, sbp, None, hr))


MILD_HEADACHE = ("yes", "mild", 6)

SCENARIOS = [
    # --- nothing wrong
    pytest.param(report(), SC, set(), id="all-no-T8-day1"),
    pytest.param(report(level="T4"), SC, set(), id="all-no-T4-day1"),
    pytest.param(report(route="none", day=None, level="C6"), SC, set(), id="all-no-at-booking"),
    # --- expected mild effects: day 1 against day 6, and how they escalate
    pytest.param(
        report(headache=MILD_HEADACHE), SC, {RuleCode.EXPECTED_MILD_EFFECT}, id="mild-headache-day1"
    ),
    pytest.param(
        report(day=6, headache=("yes", "mild", 20)),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="mild-headache-day6",
    ),
    pytest.param(
        report(day=2, headache=("yes", "mild", 24 * 5)),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="headache-started-before-the-procedure",
    ),
    pytest.param(report(fever=("yes", None, 10), temp=37.6), SC, set(), id="slight-fever-day1"),
    pytest.param(
        report(day=6, fever=("yes", None, 10), temp=37.6),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="slight-fever-day6",
    ),
    pytest.param(report(nausea=("yes", "mild", 3)), SC, set(), id="mild-nausea-day1"),
    pytest.param(
        report(nausea=("yes", "moderate", 3)),
        R,
        {RuleCode.MILD_EFFECT_STRONGER_THAN_EXPECTED},
        id="moderate-nausea-day1",
    ),
    pytest.param(
        report(nausea=("yes", "severe", 3)), U, {RuleCode.MILD_EFFECT_SEVERE}, id="severe-nausea-day1"
    ),
    pytest.param(report(day=2, injection_site_pain=("yes", "mild", 40)), SC, set(), id="site-pain-day2"),
    pytest.param(
        report(day=4, injection_site_pain=("yes", "mild", 90)),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="site-pain-day4",
    ),
    pytest.param(
        report(fever=("yes", None, 20), temp=38.5), U, {RuleCode.FEVER_ABOVE_SLIGHT}, id="fever-38.5-alone"
    ),
    pytest.param(
        report(route="none", day=None, headache=MILD_HEADACHE),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="mild-headache-without-a-procedure",
    ),
    pytest.param(
        report(
            headache=MILD_HEADACHE,
            nausea=("yes", "mild", 5),
            injection_site_pain=("yes", "mild", 20),
            temp=37.4,
        ),
        SC,
        {RuleCode.EXPECTED_MILD_EFFECT},
        id="three-mild-effects-day1",
    ),
    pytest.param(
        report(headache=MILD_HEADACHE, leg_swollen_warm_discoloured="yes"),
        U,
        {RuleCode.DEEP_VEIN_THROMBOSIS},
        id="mild-headache-and-one-leg-swollen",
    ),
    pytest.param(
        report(day=5, nausea=("yes", "mild", 100), fever=("yes", None, 30), temp=38.3, stiff_neck="yes"),
        E,
        {RuleCode.MENINGITIS_OR_INFECTION, RuleCode.FEVER_ABOVE_SLIGHT, RuleCode.MILD_EFFECT_PROLONGED},
        id="prolonged-nausea-then-fever-and-stiff-neck",
    ),
    # --- autonomic dysreflexia: at or above T6 only; an unknown level counts as at risk
    pytest.param(
        report(level="T4", headache=MILD_HEADACHE, pounding_headache="yes"),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA},
        id="T4-pounding-headache",
    ),
    pytest.param(
        report(level="T8", headache=MILD_HEADACHE, pounding_headache="yes"),
        SC,
        set(),
        id="T8-pounding-headache",
    ),
    pytest.param(
        report(level="T6", flushing_or_sweating_above_injury="yes"),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA},
        id="T6-flushing",
    ),
    pytest.param(report(level="T7", flushing_or_sweating_above_injury="yes"), SC, set(), id="T7-flushing"),
    pytest.param(
        report(level="C5", blurred_vision="yes"), E, {RuleCode.AUTONOMIC_DYSREFLEXIA}, id="C5-blurred-vision"
    ),
    pytest.param(
        report(level=None, flushing_or_sweating_above_injury="yes"),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA},
        id="unknown-level-flushing",
    ),
    pytest.param(
        report(level="T6,T7", flushing_or_sweating_above_injury="yes"),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA},
        id="ambiguous-level-T6-T7-flushing",
    ),
    pytest.param(
        report(level=None, at_or_above_t6=True, slow_pulse="yes"),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA},
        id="above-T6-flag-slow-pulse",
    ),
    pytest.param(
        report(level="T4", sbp=135, baseline=100), E, {RuleCode.AUTONOMIC_DYSREFLEXIA}, id="T4-bp-35-above"
    ),
    pytest.param(report(level="T4", sbp=125, baseline=110), SC, set(), id="T4-bp-15-above"),
    pytest.param(
        report(level="T4", sbp=122),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA},
        id="T4-bp-122-no-baseline-uses-default",
    ),
    pytest.param(report(level="T8", sbp=150), SC, set(), id="T8-bp-150"),
    pytest.param(report(level="T4", hr=52), E, {RuleCode.AUTONOMIC_DYSREFLEXIA}, id="T4-heart-rate-52"),
    pytest.param(
        report(level="T4", headache=MILD_HEADACHE, sbp=130, baseline=100),
        E,
        {RuleCode.AUTONOMIC_DYSREFLEXIA, RuleCode.EXPECTED_MILD_EFFECT},
        id="T4-mild-headache-and-high-bp",
    ),
    # --- post-puncture headache against meningitis
    pytest.param(
        report(day=2, headache=MILD_HEADACHE, headache_worse_upright="yes", temp=37.2),
        U,
        {RuleCode.POST_PUNCTURE_HEADACHE},
        id="post-puncture-headache-day2",
    ),
    pytest.param(
        report(day=2, route="intravenous", headache=MILD_HEADACHE, headache_worse_upright="yes", temp=37.2),
        SC,
        set(),
        id="positional-headache-after-intravenous",
    ),
    pytest.param(
        report(day=8, headache=("yes", "mild", 24), headache_worse_upright="yes", temp=37.2),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="positional-headache-starting-day7",
    ),
    pytest.param(
        report(day=3, headache=MILD_HEADACHE, headache_worse_upright="yes", new_weakness_or_numbness="yes"),
        E,
        {RuleCode.POST_PUNCTURE_HEADACHE_WITH_DEFICIT, RuleCode.NEW_NEUROLOGICAL_DEFICIT},
        id="post-puncture-headache-with-weakness",
    ),
    pytest.param(
        report(day=3, headache=MILD_HEADACHE, headache_worse_upright="yes", seizure="yes"),
        E,
        {RuleCode.POST_PUNCTURE_HEADACHE_WITH_DEFICIT, RuleCode.SEIZURE},
        id="post-puncture-headache-with-seizure",
    ),
    pytest.param(
        report(day=2, headache=MILD_HEADACHE, headache_worse_upright="yes", fever="yes", temp=38.4),
        E,
        {RuleCode.POSITIONAL_HEADACHE_WITH_FEVER},
        id="positional-headache-with-fever",
    ),
    pytest.param(
        report(day=2, headache=MILD_HEADACHE, headache_worse_upright="yes", fever="dk"),
        E,
        {RuleCode.POSITIONAL_HEADACHE_WITH_FEVER},
        id="positional-headache-fever-dont-know",
    ),
    pytest.param(
        report(fever="yes", temp=38.2, stiff_neck="yes"),
        E,
        {RuleCode.MENINGITIS_OR_INFECTION},
        id="fever-38.2-stiff-neck",
    ),
    pytest.param(
        report(fever="yes", temp=38.0, light_sensitivity="yes"),
        E,
        {RuleCode.MENINGITIS_OR_INFECTION},
        id="fever-exactly-38-light-sensitivity",
    ),
    pytest.param(
        report(fever="yes", temp=38.6, headache=MILD_HEADACHE, headache_not_easing_lying="yes"),
        E,
        {RuleCode.MENINGITIS_OR_INFECTION},
        id="fever-headache-not-easing-lying",
    ),
    pytest.param(
        report(fever="yes", temp=37.9, stiff_neck="yes"),
        U,
        {RuleCode.MENINGEAL_SIGN},
        id="stiff-neck-fever-below-38",
    ),
    pytest.param(
        report(fever="yes", stiff_neck="yes"),
        E,
        {RuleCode.MENINGITIS_OR_INFECTION},
        id="stiff-neck-fever-not-measured",
    ),
    pytest.param(
        report(fever="yes", temp=38.5, stiff_neck="dk"),
        E,
        {RuleCode.MENINGITIS_OR_INFECTION},
        id="fever-38.5-stiff-neck-dont-know",
    ),
    pytest.param(report(confusion="yes"), U, {RuleCode.MENINGEAL_SIGN}, id="confusion-without-fever"),
    # --- epidural haematoma or abscess, new deficits
    pytest.param(
        report(severe_back_pain="yes"), E, {RuleCode.EPIDURAL_HAEMATOMA_OR_ABSCESS}, id="new-severe-back-pain"
    ),
    pytest.param(
        report(new_weakness_or_numbness="yes"),
        E,
        {RuleCode.NEW_NEUROLOGICAL_DEFICIT},
        id="new-weakness-or-numbness",
    ),
    pytest.param(
        report(new_bladder_or_bowel_loss="yes"),
        E,
        {RuleCode.NEW_NEUROLOGICAL_DEFICIT},
        id="new-bladder-bowel-loss",
    ),
    # --- anaphylaxis, including blood pressure relative to baseline
    pytest.param(
        report(swelling_skin_lips_tongue="yes", breathing_difficulty="yes"),
        E,
        {RuleCode.ANAPHYLAXIS, RuleCode.PULMONARY_EMBOLISM},
        id="swelling-and-breathing-difficulty",
    ),
    pytest.param(
        report(swelling_skin_lips_tongue="yes", feeling_faint="yes"),
        E,
        {RuleCode.ANAPHYLAXIS},
        id="swelling-and-feeling-faint",
    ),
    pytest.param(
        report(swelling_skin_lips_tongue="yes"), U, {RuleCode.ALLERGIC_SWELLING}, id="swelling-alone"
    ),
    pytest.param(
        report(swelling_skin_lips_tongue="yes", feeling_faint="dk"),
        E,
        {RuleCode.ANAPHYLAXIS},
        id="swelling-feeling-faint-dont-know",
    ),
    pytest.param(report(day=0.1, sbp=85), E, {RuleCode.ANAPHYLAXIS}, id="bp-85-two-hours-after"),
    pytest.param(
        report(day=0.1, sbp=95, baseline=140), E, {RuleCode.ANAPHYLAXIS}, id="bp-32-percent-below-baseline"
    ),
    pytest.param(report(day=0.1, sbp=100, baseline=140), SC, set(), id="bp-29-percent-below-baseline"),
    pytest.param(report(day=10, sbp=85, baseline=88), SC, set(), id="low-bp-day10-own-baseline"),
    # --- blood clots
    pytest.param(
        report(leg_swollen_warm_discoloured="yes"), U, {RuleCode.DEEP_VEIN_THROMBOSIS}, id="one-leg-swollen"
    ),
    pytest.param(
        report(leg_swollen_warm_discoloured="yes", breathing_difficulty="yes"),
        E,
        {RuleCode.DEEP_VEIN_THROMBOSIS, RuleCode.PULMONARY_EMBOLISM},
        id="leg-swollen-and-breathless",
    ),
    pytest.param(report(chest_pain="yes"), E, {RuleCode.PULMONARY_EMBOLISM}, id="chest-pain"),
    pytest.param(report(coughing_blood="yes"), E, {RuleCode.PULMONARY_EMBOLISM}, id="coughing-blood"),
    pytest.param(report(fainted="yes"), E, {RuleCode.PULMONARY_EMBOLISM}, id="fainted"),
    # --- missing and "don't know" answers
    pytest.param(report(everything=None), U, set(), id="nothing-answered"),
    pytest.param(report(everything="dk"), U, set(), id="everything-dont-know"),
    pytest.param(report(level="T4", pounding_headache="dk"), U, set(), id="T4-pounding-headache-dont-know"),
    pytest.param(report(level="T8", pounding_headache="dk"), SC, set(), id="T8-pounding-headache-dont-know"),
    pytest.param(report(chest_pain=None), U, set(), id="chest-pain-left-out"),
    pytest.param(
        report(headache=("yes", "mild", None), headache_worse_upright="no"),
        R,
        {RuleCode.MILD_EFFECT_PROLONGED},
        id="mild-headache-onset-unknown",
    ),
    pytest.param(
        report(nausea=("yes", None, 3)), U, {RuleCode.MILD_EFFECT_SEVERE}, id="nausea-severity-unknown"
    ),
    pytest.param(
        report(fever=("yes", None, 5)), U, {RuleCode.FEVER_ABOVE_SLIGHT}, id="fever-felt-not-measured"
    ),
    pytest.param(
        report(route="unknown", day=None, headache=MILD_HEADACHE, headache_worse_upright="yes", temp=37.0),
        U,
        {RuleCode.POST_PUNCTURE_HEADACHE},
        id="positional-headache-procedure-unknown",
    ),
    pytest.param(
        report(
            headache="no", pounding_headache=None, headache_worse_upright=None, headache_not_easing_lying=None
        ),
        SC,
        set(),
        id="headache-follow-ups-skipped-after-no",
    ),
]


@pytest.mark.parametrize(("inputs", "expected_level", "expected_codes"), SCENARIOS)
def test_scenario(inputs: TriageInput, expected_level: TriageLevel, expected_codes: set[RuleCode]) -> None:
    outcome = evaluate(inputs, RULESET_2026_1)

    assert outcome.level == expected_level, [f.reason for f in outcome.findings]
    assert expected_codes <= set(outcome.codes)
    assert outcome.ruleset_version == "2026.1"
