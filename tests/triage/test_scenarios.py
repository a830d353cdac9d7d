"""Clinical scenarios for the default rule set (2026.2), derived from clinical-facts.md §4 at its boundaries.

Written from the facts file, not from the engine's output: each group quotes the §4 line it comes from.
Every report starts from a fully answered checklist with every answer "no", a T8 injury, no baseline
recorded (the default of 100 mmHg is used) and an intrathecal injection one day ago; each row names only what
differs. Answers are "yes", "no", "dk" (don't know), ``None`` (left out), or a tuple (answer, severity, onset
hours ago[, hours it has lasted]).
"""

from __future__ import annotations

import pytest

from exoclinic.triage.engine import PatientContext, SymptomAnswer, TriageInput, Vitals, evaluate
from exoclinic.triage.ruleset import DEFAULT_RULESET, SYMPTOMS, RuleCode, TriageLevel

E, U, R, SC = TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.ROUTINE, TriageLevel.SELF_CARE
C = RuleCode
_ANSWERS = {"yes": "yes", "no": "no", "dk": "unknown"}


def report(
    *,
    level: str | None = "T8",
    day: float | None = 1.0,
    route: str = "intrathecal",
    baseline: float | None = None,
    baseline_hr: float | None = None,
    temp: float | None = None,
    sbp: float | None = None,
    dbp: float | None = None,
    hr: float | None = None,
    everything: str | None = "no",
    note: str = "",
    **answers,
) -> TriageInput:
    given: dict[str, object] = dict.fromkeys((s.code.value for s in SYMPTOMS), everything)
    given.update(answers)
    built = []
    for code, value in given.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            answer, severity, onset, *lasted = value
            built.append(
                SymptomAnswer(
                    code,
                    _ANSWERS[answer],
                    severity=severity,
                    onset_hours_ago=onset,
                    duration_hours=lasted[0] if lasted else None,
                )
            )
        else:
            built.append(SymptomAnswer(code, _ANSWERS[value]))
    context = PatientContext(
        injury_level=level,
        days_since_procedure=None if route == "none" else day,
        procedure_route=route,
        baseline_systolic_mmhg=baseline,
        baseline_heart_rate_bpm=baseline_hr,
    )
    return TriageInput(context=context, answers=tuple(built), vitals=Vitals(temp, sbp, dbp, hr), note=note)


def mild(onset: float = 6, lasted: float | None = None) -> tuple:
    return ("yes", "mild", onset) if lasted is None else ("yes", "mild", onset, lasted)


def row(inputs: TriageInput, level: TriageLevel, codes: set[RuleCode] | None = None, *, id: str):
    return pytest.param(inputs, level, codes or set(), id=id)


SCENARIOS = [
    # --- nothing reported: the only case where "no warning signs" may be said
    row(report(), SC, id="all-no-T8-day1"),
    row(report(level="T4"), SC, id="all-no-T4-day1"),
    row(report(route="none", level="C6"), SC, id="all-no-at-booking"),
]

# §4 "Autonomic dysreflexia: at risk when the injury is at or above T6. Signs: pounding headache, flushing or
# sweating above the injury, blurred vision, slow pulse" (emergency: "sit upright, ... call for help").
AD_SIGNS = {
    "pounding_headache": {"headache": mild(), "pounding_headache": "yes"},
    "flushing": {"flushing_or_sweating_above_injury": "yes"},
    "blurred_vision": {"blurred_vision": "yes"},
    "slow_pulse": {"slow_pulse": "yes"},
}
for injury in ("C5", "T6", "T6,T7", None):
    for sign, answers in AD_SIGNS.items():
        SCENARIOS.append(
            row(report(level=injury, **answers), E, {C.AUTONOMIC_DYSREFLEXIA}, id=f"ad-{sign}-at-{injury}")
        )
for sign, answers in AD_SIGNS.items():  # T7 is below T6: not at risk, but a reported sign is never "nothing"
    SCENARIOS.append(row(report(level="T7", **answers), R, id=f"ad-{sign}-at-T7-is-not-ad"))

# §4 "systolic pressure 20-40 mmHg above the person's baseline (SCI baselines are often 90-110, so 120
# systolic may already be high)": +20 is the boundary; with no baseline recorded the default 100 is used.
SCENARIOS += [
    row(report(level="T4", sbp=119), SC, id="ad-no-baseline-119-is-below-plus-20"),
    row(report(level="T4", sbp=120), E, {C.AUTONOMIC_DYSREFLEXIA}, id="ad-no-baseline-120-is-plus-20"),
    row(report(level="T4", baseline=90, sbp=109), SC, id="ad-baseline-90-109"),
    row(report(level="T4", baseline=90, sbp=110), E, {C.AUTONOMIC_DYSREFLEXIA}, id="ad-baseline-90-110"),
    row(report(level="T4", baseline=130, sbp=149), SC, id="ad-baseline-130-149"),
    row(report(level="T4", baseline=130, sbp=150), E, {C.AUTONOMIC_DYSREFLEXIA}, id="ad-baseline-130-150"),
    row(report(level="T6", sbp=120), E, {C.AUTONOMIC_DYSREFLEXIA}, id="ad-T6-120"),
    row(report(level="T7", sbp=150), SC, id="ad-T7-150-no-risk"),
    row(report(level=None, sbp=121), E, {C.AUTONOMIC_DYSREFLEXIA}, id="ad-level-unknown-121"),
    row(
        report(level="T4", headache=mild(), pounding_headache="yes", sbp=190, dbp=110, everything="dk"),
        E,
        {C.AUTONOMIC_DYSREFLEXIA},
        id="ad-issue-17-partial-report",
    ),
]

# §4 "slow pulse" (no number): issue 19 asks for the patient's own resting pulse where recorded; without it
# the unconfirmed default is below 50 (many people with tetraplegia rest at 50-60).
SCENARIOS += [
    row(report(level="T4", hr=59), SC, id="pulse-59-at-T4-is-not-an-emergency"),
    row(report(level="T4", hr=50), SC, id="pulse-50-at-T4-no-baseline"),
    row(report(level="T4", hr=49), E, {C.AUTONOMIC_DYSREFLEXIA}, id="pulse-49-at-T4-no-baseline"),
    row(report(level="T4", baseline_hr=70, hr=60), SC, id="pulse-60-own-baseline-70"),
    row(
        report(level="T4", baseline_hr=70, hr=59), E, {C.AUTONOMIC_DYSREFLEXIA}, id="pulse-59-own-baseline-70"
    ),
    row(report(level="T4", baseline_hr=55, hr=46), SC, id="pulse-46-own-baseline-55"),
]

# §4 "Infection or meningitis ...: fever >= 38 C with stiff neck, light sensitivity, confusion, or a headache
# that does not ease lying down" (emergency, whatever the route).
MENINGEAL = {
    "stiff_neck": {"stiff_neck": "yes"},
    "light_sensitivity": {"light_sensitivity": "yes"},
    "confusion": {"confusion": "yes"},
    "headache_not_easing": {"headache": mild(), "headache_not_easing_lying": "yes"},
}
for sign, answers in MENINGEAL.items():
    SCENARIOS.append(
        row(report(temp=38.0, **answers), E, {C.MENINGITIS_OR_INFECTION}, id=f"mening-{sign}-38.0")
    )
    SCENARIOS.append(
        row(
            report(route="local_injection", temp=38.4, **answers),
            E,
            {C.MENINGITIS_OR_INFECTION},
            id=f"mening-{sign}-local-route",
        )
    )
SCENARIOS += [
    row(report(temp=37.9, stiff_neck="yes"), U, {C.MENINGEAL_SIGN}, id="mening-stiff-neck-37.9"),
    row(report(temp=37.9, confusion="yes"), U, {C.MENINGEAL_SIGN}, id="mening-confusion-37.9"),
    row(
        report(fever=("yes", None, 5), stiff_neck="yes"),
        E,
        {C.MENINGITIS_OR_INFECTION},
        id="mening-felt-fever",
    ),
]

# §4 "A headache that is worse upright and better lying flat, without fever, starting within 5 days, is
# post-puncture headache (urgent review, not emergency) unless it comes with a new deficit or seizure."
POSITIONAL = {"headache": mild(), "headache_worse_upright": "yes"}
for route in ("intrathecal", "epidural", "intraspinal", "perispinal", "paraspinal"):
    SCENARIOS.append(
        row(
            report(day=2, route=route, temp=37.0, **POSITIONAL),
            U,
            {C.POST_PUNCTURE_HEADACHE},
            id=f"pdph-{route}",
        )
    )
SCENARIOS += [
    row(report(day=5, temp=37.0, headache=mild(1), headache_worse_upright="yes"), U, id="pdph-day-5"),
    row(report(day=2, temp=37.9, **POSITIONAL), U, {C.POST_PUNCTURE_HEADACHE}, id="pdph-37.9-no-fever"),
    row(
        report(day=2, temp=38.0, **POSITIONAL),
        E,
        {C.POSITIONAL_HEADACHE_WITH_FEVER},
        id="pdph-with-fever-38.0",
    ),
    row(
        report(day=2, temp=37.0, new_weakness_or_numbness="yes", **POSITIONAL),
        E,
        {C.POST_PUNCTURE_HEADACHE_WITH_DEFICIT},
        id="pdph-with-new-weakness",
    ),
    row(
        report(day=2, temp=37.0, new_bladder_or_bowel_loss="yes", **POSITIONAL),
        E,
        {C.POST_PUNCTURE_HEADACHE_WITH_DEFICIT},
        id="pdph-with-bladder-loss",
    ),
    row(
        report(day=2, temp=37.0, seizure="yes", **POSITIONAL),
        E,
        {C.POST_PUNCTURE_HEADACHE_WITH_DEFICIT},
        id="pdph-with-seizure",
    ),
    row(
        report(day=2, route="local_injection", temp=37.0, **POSITIONAL),
        R,
        id="positional-after-local-injection",
    ),
    row(report(day=2, route="intravenous", temp=37.0, **POSITIONAL), R, id="positional-after-intravenous"),
    row(report(day=None, route="unknown", temp=37.0, **POSITIONAL), U, id="positional-route-unknown"),
]

# §4 "Post-puncture headache normally eases within days (ICHD-3 7.2.1: onset within 5 days of the puncture);
# one still present after 72 hours of rest and fluids, or at any time past day 5, needs urgent review ...
# whatever the severity."
SCENARIOS += [
    row(
        report(day=6, temp=37.0, headache=mild(30), headache_worse_upright="yes"),
        U,
        id="pdph-day-6-began-day-4",
    ),
    row(
        report(day=6, temp=37.0, headache=mild(10), headache_worse_upright="yes"),
        U,
        {C.POST_PUNCTURE_HEADACHE_PERSISTENT},
        id="pdph-positional-past-day-5",
    ),
    row(report(day=3, headache=mild(72)), SC, id="headache-72h-exactly-is-not-past"),
    row(
        report(day=3.5, headache=mild(84)),
        U,
        {C.POST_PUNCTURE_HEADACHE_PERSISTENT},
        id="headache-since-the-puncture-84h",
    ),
    row(report(day=3.5, headache=mild(60)), R, {C.MILD_EFFECT_PROLONGED}, id="headache-60h-on-day-3.5"),
    row(
        report(day=5.5, headache=mild(20)),
        U,
        {C.POST_PUNCTURE_HEADACHE_PERSISTENT},
        id="headache-began-day-4.7-present-day-5.5",
    ),
    row(report(day=5.5, headache=("yes", "mild", None)), U, id="headache-day-5.5-onset-unknown"),
    row(
        report(day=5, headache=mild(100)), U, {C.POST_PUNCTURE_HEADACHE_PERSISTENT}, id="headache-100h-day-5"
    ),
    row(report(day=5, headache=mild(10)), R, {C.MILD_EFFECT_PROLONGED}, id="headache-10h-on-day-5"),
    row(
        report(day=6, route="local_injection", headache=mild(30)),
        R,
        id="headache-day-6-after-local-injection",
    ),
]
for severity in ("mild", "moderate", "severe"):
    SCENARIOS.append(
        row(
            report(day=6, headache=("yes", severity, 30)),
            U,
            {C.POST_PUNCTURE_HEADACHE_PERSISTENT},
            id=f"headache-past-day-5-{severity}",
        )
    )

# §4 "After a spinal or intrathecal procedure, a headache together with a visual disturbance, stiff neck,
# confusion, seizure or new deficit is at least urgent, whatever severity is picked."
NEURO = {
    "blurred_vision": ({"blurred_vision": "yes"}, U),
    "stiff_neck": ({"stiff_neck": "yes"}, U),
    "confusion": ({"confusion": "yes"}, U),
    "seizure": ({"seizure": "yes"}, E),
    "new_weakness": ({"new_weakness_or_numbness": "yes"}, E),
}
for sign, (answers, expected) in NEURO.items():
    for severity in ("mild", "moderate", "severe"):
        SCENARIOS.append(
            row(
                report(headache=("yes", severity, 6), temp=37.0, **answers),
                expected,
                {C.HEADACHE_WITH_NEUROLOGICAL_SIGN},
                id=f"headache-{severity}-with-{sign}",
            )
        )
SCENARIOS.append(
    row(
        report(route="local_injection", headache=mild(), blurred_vision="yes"),
        R,
        id="headache-with-blurred-vision-after-local-injection",
    )
)

# §4 "At or above T6 (or level unknown), any headache, however mild, is possible autonomic dysreflexia until a
# blood pressure reading says otherwise: never self-care; tell the patient to measure blood pressure now".
for injury in ("C5", "T6", "T6,T7", None):
    SCENARIOS.append(
        row(
            report(level=injury, headache=mild()),
            U,
            {C.HEADACHE_AT_OR_ABOVE_T6},
            id=f"mild-headache-at-{injury}",
        )
    )
SCENARIOS += [
    row(report(level="T7", headache=mild()), SC, {C.EXPECTED_MILD_EFFECT}, id="mild-headache-at-T7"),
    row(report(level="T6", headache=mild(), sbp=110), R, id="mild-headache-T6-pressure-110"),
    row(report(level="T6", headache=mild(), sbp=119), R, id="mild-headache-T6-pressure-119"),
    row(
        report(level="T6", headache=mild(), sbp=120), E, {C.AUTONOMIC_DYSREFLEXIA}, id="mild-headache-T6-120"
    ),
    row(report(level="T4", baseline=90, headache=mild(), sbp=109), R, id="mild-headache-baseline-90-109"),
    row(report(level="T4", baseline=90, headache=mild(), sbp=110), E, id="mild-headache-baseline-90-110"),
]

# §4 "Epidural haematoma or abscess: new severe back pain, progressive weakness or numbness, new loss of
# bladder or bowel control: emergency."
for sign in ("severe_back_pain", "new_weakness_or_numbness", "new_bladder_or_bowel_loss"):
    SCENARIOS.append(row(report(**{sign: "yes"}), E, id=f"epidural-{sign}"))
    SCENARIOS.append(
        row(report(route="local_injection", day=10, **{sign: "yes"}), E, id=f"epidural-{sign}-day-10")
    )

# §4 "Anaphylaxis: minutes to hours after the injection; skin or lip/tongue swelling with breathing difficulty
# or faintness; systolic < 90 or > 30% below baseline: emergency."
SCENARIOS += [
    row(
        report(swelling_skin_lips_tongue="yes", breathing_difficulty="yes"),
        E,
        {C.ANAPHYLAXIS},
        id="anaph-breath",
    ),
    row(report(swelling_skin_lips_tongue="yes", feeling_faint="yes"), E, {C.ANAPHYLAXIS}, id="anaph-faint"),
    row(report(swelling_skin_lips_tongue="yes"), U, {C.ALLERGIC_SWELLING}, id="swelling-alone"),
    row(
        report(swelling_skin_lips_tongue="yes", breathing_difficulty="dk"),
        E,
        id="swelling-breathing-dont-know",
    ),
    row(report(day=0.05, route="intravenous", sbp=89), E, {C.ANAPHYLAXIS}, id="anaph-systolic-89-1h-after"),
    row(report(day=0.05, route="intravenous", sbp=90), SC, id="anaph-systolic-90-1h-after"),
    row(report(day=0.5, baseline=140, sbp=97), E, {C.ANAPHYLAXIS}, id="anaph-31pc-below-baseline-140"),
    row(report(day=0.5, baseline=140, sbp=98), SC, id="anaph-30pc-below-baseline-140"),
    row(
        report(day=0.05, route="intravenous", feeling_faint="yes"),
        U,
        {C.FAINT_SOON_AFTER_INJECTION},
        id="faint-1h",
    ),
    row(report(day=3, feeling_faint="yes"), R, {C.OTHER_REPORTED_SIGN}, id="faint-day-3"),
]

# §4 "Deep vein thrombosis or pulmonary embolism: one leg swollen, warm or discoloured (pain may be absent
# below the injury); sudden breathlessness, chest pain, coughing blood, fainting: emergency for PE signs."
for sign in ("breathing_difficulty", "chest_pain", "coughing_blood", "fainted"):
    SCENARIOS.append(row(report(**{sign: "yes"}), E, {C.PULMONARY_EMBOLISM}, id=f"pe-{sign}"))
SCENARIOS += [
    row(report(leg_swollen_warm_discoloured="yes"), U, {C.DEEP_VEIN_THROMBOSIS}, id="dvt-leg"),
    row(report(level="L1", day=20, leg_swollen_warm_discoloured="yes"), U, id="dvt-leg-L1-day-20"),
]

# §4 "Expected mild effects: transient headache, slight fever, nausea, local pain or redness at the site,
# for a few days" (slight fever and duration unconfirmed: below 38.0 C, 3 days).
SCENARIOS += [
    row(report(headache=mild()), SC, {C.EXPECTED_MILD_EFFECT}, id="mild-headache-T8-day-1"),
    row(report(nausea=mild()), SC, {C.EXPECTED_MILD_EFFECT}, id="mild-nausea-day-1"),
    row(report(injection_site_pain=mild()), SC, {C.EXPECTED_MILD_EFFECT}, id="mild-site-pain-day-1"),
    row(report(fever=("yes", None, 5), temp=37.9), SC, {C.EXPECTED_MILD_EFFECT}, id="fever-37.9"),
    row(report(fever=("yes", None, 5), temp=38.0), U, {C.FEVER_ABOVE_SLIGHT}, id="fever-38.0"),
    row(report(fever=("yes", None, 5)), SC, {C.EXPECTED_MILD_EFFECT}, id="fever-felt-not-measured-day-1"),
    row(report(nausea=("yes", "severe", 5)), R, {C.MILD_EFFECT_STRONGER_THAN_EXPECTED}, id="nausea-severe"),
    row(report(injection_site_pain=("yes", "severe", 5)), R, id="site-pain-severe"),
    row(report(headache=("yes", "moderate", 5)), R, id="headache-moderate-T8"),
    row(report(headache=("yes", "severe", 5)), U, {C.MILD_EFFECT_SEVERE}, id="headache-worst-of-life-T8"),
    row(report(day=4, nausea=mild(80)), R, {C.MILD_EFFECT_PROLONGED}, id="nausea-80h-day-4"),
    row(report(day=3, headache=mild(20)), SC, id="mild-headache-day-3"),
    row(report(route="none", nausea=mild()), R, {C.MILD_EFFECT_PROLONGED}, id="nausea-with-no-procedure"),
]

# §4 "Rule: an unknown or missing answer never lowers the urgency" and issue 19: a report that leaves
# questions out is not urgent by that alone (routine: the clinic checks with the patient).
SCENARIOS += [
    row(report(everything="dk"), R, id="everything-dont-know"),
    row(report(everything=None), R, id="nothing-answered-api"),
    row(report(level="T4", headache="no", pounding_headache="dk"), R, id="pounding-dont-know-T4"),
    row(report(level="T4", headache=mild(), pounding_headache="dk"), U, id="headache-pounding-dk-T4"),
    row(report(fever="dk", stiff_neck="yes"), E, id="stiff-neck-fever-dont-know"),
]

# §4 "Rule: the patient's own severity word (mild, moderate, severe) never lowers a red flag."
for severity in ("mild", "moderate", "severe"):
    SCENARIOS += [
        row(
            report(level="T4", headache=("yes", severity, 2), pounding_headache="yes"),
            E,
            id=f"pounding-{severity}-T4",
        ),
        row(
            report(day=2, temp=37.0, headache=("yes", severity, 6), headache_worse_upright="yes"),
            U,
            id=f"pdph-{severity}",
        ),
        row(report(level="C6", headache=("yes", severity, 2)), U, id=f"headache-{severity}-C6"),
    ]

# §4 "Allergic skin reactions: hives, itching or rash alone after an injection: same-day review; with lip or
# tongue swelling, breathing difficulty, faintness or low pressure: emergency."
SCENARIOS += [
    row(report(hives_itching_rash="yes"), U, {C.ALLERGIC_SKIN_REACTION}, id="hives-alone"),
    row(report(route="local_injection", day=10, hives_itching_rash="yes"), U, id="hives-day-10"),
    row(
        report(hives_itching_rash="yes", swelling_skin_lips_tongue="yes"),
        E,
        {C.ANAPHYLAXIS},
        id="hives-swelling",
    ),
    row(report(hives_itching_rash="yes", breathing_difficulty="yes"), E, id="hives-breathing"),
    row(report(hives_itching_rash="yes", feeling_faint="yes"), E, {C.ANAPHYLAXIS}, id="hives-faint"),
    row(report(day=3, hives_itching_rash="yes", sbp=85), E, {C.ANAPHYLAXIS}, id="hives-systolic-85"),
    row(report(day=3, hives_itching_rash="yes", sbp=95), U, id="hives-systolic-95"),
]

# §4 "Injection-site infection: pus or discharge, redness that spreads or grows after 48 hours, red streaks,
# increasing warmth or swelling: urgent; with fever or feeling very unwell: emergency (sepsis signs)."
for sign in ("site_discharge", "site_spreading_redness"):
    SCENARIOS += [
        row(report(day=3, **{sign: "yes"}), U, {C.INJECTION_SITE_INFECTION}, id=f"site-{sign}"),
        row(report(day=3, temp=37.9, **{sign: "yes"}), U, id=f"site-{sign}-37.9"),
        row(
            report(day=3, temp=38.0, **{sign: "yes"}),
            E,
            {C.INJECTION_SITE_INFECTION_WITH_FEVER},
            id=f"site-{sign}-38",
        ),
        row(report(day=3, very_unwell="yes", **{sign: "yes"}), E, id=f"site-{sign}-very-unwell"),
        row(report(day=3, fever=("yes", None, 5), **{sign: "yes"}), E, id=f"site-{sign}-felt-fever"),
    ]

# §4 "Anything the patient describes in their own words that no checklist item covers is read by staff: it
# never lowers the level and is never left unseen."
SCENARIOS += [
    row(report(note="My left foot is cold"), R, {C.PATIENT_NOTE}, id="note-only"),
    row(report(everything=None, note="I feel odd"), R, {C.PATIENT_NOTE}, id="note-nothing-else-answered"),
    row(report(level="T4", headache=mild(), pounding_headache="yes", note="x"), E, id="note-does-not-lower"),
]

# Issue 19: vital signs far outside the normal range are a finding at any level and any day (thresholds are
# unconfirmed settings): systolic below 80 or from 180, diastolic from 120, pulse below 40 or from 120,
# temperature 35.0 C or less.
SCENARIOS += [
    row(report(day=3, sbp=80), SC, id="systolic-80"),
    row(report(day=3, sbp=79), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="systolic-79"),
    row(report(day=3, sbp=60), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="systolic-60-after-24h"),
    row(report(sbp=179), SC, id="systolic-179-T8"),
    row(report(sbp=180), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="systolic-180-T8"),
    row(report(sbp=220), U, id="systolic-220-T8"),
    row(report(dbp=119), SC, id="diastolic-119"),
    row(report(dbp=120), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="diastolic-120"),
    row(report(hr=40), SC, id="pulse-40-T8"),
    row(report(hr=39), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="pulse-39-T8"),
    row(report(hr=35), U, id="pulse-35-T8"),
    row(report(hr=119), SC, id="pulse-119"),
    row(report(hr=120), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="pulse-120"),
    row(report(hr=150), U, id="pulse-150"),
    row(report(temp=35.1), SC, id="temperature-35.1"),
    row(report(temp=35.0), U, {C.VITAL_SIGN_OUT_OF_RANGE}, id="temperature-35.0"),
    row(report(level="T4", hr=35), E, {C.AUTONOMIC_DYSREFLEXIA, C.VITAL_SIGN_OUT_OF_RANGE}, id="pulse-35-T4"),
]

# Issue 19: a "yes" to any checklist sign is never "no warning signs" (what §4 does not rank is routine).
SCENARIOS += [
    row(
        report(route="local_injection", day=10, blurred_vision="yes"),
        R,
        {C.OTHER_REPORTED_SIGN},
        id="blurred-T8",
    ),
    row(report(flushing_or_sweating_above_injury="yes"), R, {C.OTHER_REPORTED_SIGN}, id="flushing-T8"),
    row(report(slow_pulse="yes"), R, {C.OTHER_REPORTED_SIGN}, id="slow-pulse-T8"),
    row(report(very_unwell="yes"), R, {C.OTHER_REPORTED_SIGN}, id="very-unwell-alone"),
]


def test_the_table_has_at_least_120_rows_from_the_facts() -> None:
    assert len(SCENARIOS) >= 120


@pytest.mark.parametrize(("inputs", "expected_level", "expected_codes"), SCENARIOS)
def test_scenario(inputs: TriageInput, expected_level: TriageLevel, expected_codes: set[RuleCode]) -> None:
    outcome = evaluate(inputs, DEFAULT_RULESET)

    assert outcome.level == expected_level, [f.reason for f in outcome.findings]
    assert expected_codes <= set(outcome.codes), outcome.codes
    assert outcome.ruleset_version == "2026.2"
    reported = any(a.answer == "yes" for a in inputs.answers) or inputs.note or outcome.findings
    assert ("Your answers show no warning signs." in outcome.advice) is (not reported)
