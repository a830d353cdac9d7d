"""Plain-language reasons and advice (English, marked for translation).

Reasons are built from several marked pieces and the report's values, so a page cannot look them up in a
catalogue afterwards: ``_reason`` takes ``translate`` (identity by default, which is what is stored) and
translates each piece before filling it in. Advice items are whole messages; pages translate them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from exoclinic.triage.ruleset import (
    SYMPTOMS_BY_CODE,
    Answer,
    RuleCode,
    Severity,
    SymptomCode,
    TriageLevel,
    gettext_noop,
)

from .logic import Judgement, Truth, _Facts
from .outcome import _EFFECT_ESCALATIONS, RuleFinding, RuleStatus

_ = gettext_noop

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
    RuleCode.HEADACHE_AT_OR_ABOVE_T6: _(
        "Any headache, however mild, can be the first sign of autonomic dysreflexia when {risk}, until a "
        "blood pressure reading says otherwise. Measure your blood pressure now and report it."
    ),
    RuleCode.HEADACHE_AT_OR_ABOVE_T6_PRESSURE_NORMAL: _(
        "A headache when {risk}: the blood pressure you measured is not raised, so it is not autonomic "
        "dysreflexia now, but the clinic should know. Measure again if the headache gets worse."
    ),
    RuleCode.HEADACHE_WITH_NEUROLOGICAL_SIGN: _(
        "After an injection near the spinal cord, a headache together with a change in vision, a stiff "
        "neck, confusion, a seizure or a new weakness or numbness needs an urgent review, whatever its "
        "severity."
    ),
    RuleCode.POST_PUNCTURE_HEADACHE_PERSISTENT: _(
        "A headache after an injection near the spinal cord that is still there after {hours:g} hours, or "
        "at any time after day {days:g}, needs an urgent review (a treatment such as a blood patch may be "
        "needed), whatever its severity."
    ),
    RuleCode.ALLERGIC_SKIN_REACTION: _(
        "Hives, itching or a rash after an injection can be an allergic reaction and needs a review today."
    ),
    RuleCode.INJECTION_SITE_INFECTION: _(
        "Pus or discharge, spreading redness, red streaks, or growing warmth or swelling where the "
        "injection was given can mean an infection and needs an urgent review."
    ),
    RuleCode.INJECTION_SITE_INFECTION_WITH_FEVER: _(
        "Signs of infection where the injection was given together with a fever or feeling very unwell can "
        "mean the infection is spreading (sepsis)."
    ),
    RuleCode.FAINT_SOON_AFTER_INJECTION: _(
        "Feeling faint within hours of an injection can be the start of an allergic reaction or a drop in "
        "blood pressure and needs an urgent review."
    ),
    RuleCode.VITAL_SIGN_OUT_OF_RANGE: _(
        "A measurement far outside the normal range needs a review whatever the injury level or the day."
    ),
    RuleCode.PATIENT_NOTE: _("You described something in your own words: the clinic's staff will read it."),
    RuleCode.OTHER_REPORTED_SIGN: _(
        "You reported a sign that is not one of the effects expected after the treatment: the clinic "
        "should know about it."
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
    "note": _("your own description"),
}

_OUT_OF_RANGE_LABELS: Mapping[str, tuple[str, str, str]] = {
    # name: (message, which reading, which limit)
    "vitals.hypotension": (
        _("systolic blood pressure {value:g} mmHg, below {limit:g} (low blood pressure)"),
        "systolic_mmhg",
        "hypotension_systolic_below_mmhg",
    ),
    "vitals.hypertensive_crisis": (
        _("systolic blood pressure {value:g} mmHg, at or above {limit:g} (very high blood pressure)"),
        "systolic_mmhg",
        "hypertensive_crisis_systolic_mmhg",
    ),
    "vitals.hypertensive_crisis_diastolic": (
        _("diastolic blood pressure {value:g} mmHg, at or above {limit:g} (very high blood pressure)"),
        "diastolic_mmhg",
        "hypertensive_crisis_diastolic_mmhg",
    ),
    "vitals.bradycardia": (
        _("pulse {value:g} per minute, below {limit:g} (very slow)"),
        "heart_rate_bpm",
        "bradycardia_below_bpm",
    ),
    "vitals.tachycardia": (
        _("pulse {value:g} per minute, at or above {limit:g} (very fast)"),
        "heart_rate_bpm",
        "tachycardia_from_bpm",
    ),
    "vitals.hypothermia": (
        _("temperature {value:g} °C, at or below {limit:g} (too low)"),
        "temperature_c",
        "hypothermia_at_or_below_c",
    ),
}


_SEVERITY_WORDS: Mapping[Severity, str] = {
    Severity.MILD: _("mild"),
    Severity.MODERATE: _("moderate"),
    Severity.SEVERE: _("severe"),
}

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _describe(name: str, facts: _Facts, t: Translate = _same) -> str:
    if name in SYMPTOMS_BY_CODE:
        return t(SYMPTOMS_BY_CODE[SymptomCode(name)].label)
    if name.startswith("answers."):
        _prefix, code, attribute = name.split(".")
        label = t(SYMPTOMS_BY_CODE[SymptomCode(code)].label)
        what = t(_("how severe")) if attribute == "severity" else t(_("when it started"))
        return f"{what}: {label}"
    v = facts.vitals
    if name == "vitals.temperature_c" and v.temperature_c is not None:
        return t(_("temperature {t:g} °C")).format(t=v.temperature_c)
    if name == "vitals.systolic_mmhg" and v.systolic_mmhg is not None:
        text = t(_INPUT_LABELS[name]).format(
            sbp=v.systolic_mmhg, rise=v.systolic_mmhg - facts.baseline, baseline=facts.baseline
        )
        if facts.context.baseline_systolic_mmhg is None:
            text += t(
                _(
                    " (no baseline recorded, so the default is used; baselines after spinal cord injury "
                    "are often 90-110, so 120 may already be high)"
                )
            )
        return text
    if name == "vitals.systolic_mmhg_low" and v.systolic_mmhg is not None:
        return t(_INPUT_LABELS[name]).format(
            sbp=v.systolic_mmhg,
            limit=facts.p.anaphylaxis_systolic_below_mmhg,
            drop=facts.p.anaphylaxis_drop_fraction * 100,
            baseline=facts.baseline,
        )
    if name == "vitals.heart_rate_bpm" and v.heart_rate_bpm is not None:
        text = t(_INPUT_LABELS[name]).format(rate=v.heart_rate_bpm)
        if facts.logic >= 2 and facts.context.baseline_heart_rate_bpm is not None:
            text += t(_(" (below the patient's own resting pulse of {own:g} by more than {drop:g})")).format(
                own=facts.context.baseline_heart_rate_bpm, drop=facts.p.slow_pulse_below_baseline_bpm
            )
        return text
    if name in _OUT_OF_RANGE_LABELS:
        message, reading, limit = _OUT_OF_RANGE_LABELS[name]
        return t(message).format(value=getattr(v, reading), limit=getattr(facts.p, limit))
    return t(_INPUT_LABELS[name]) if name in _INPUT_LABELS else name


def _reason(
    code: RuleCode, status: RuleStatus, counted: bool, j: Judgement, facts: _Facts, t: Translate = _same
) -> str:
    p = facts.p
    if facts.context.ad_risk is None:
        risk = t(_("the injury level is not known, so it is treated as at or above T6"))
    else:
        risk = t(_("the injury is at or above T6"))
    text = t(_RULE_REASONS[code]).format(
        risk=risk,
        fever=p.meningitis_fever_c,
        days=p.post_puncture_onset_days
        if code in (RuleCode.POST_PUNCTURE_HEADACHE, RuleCode.POST_PUNCTURE_HEADACHE_PERSISTENT)
        else p.expected_effect_days,
        slight=p.slight_fever_upper_c,
        hours=p.post_puncture_persistent_hours,
        severity=t(_SEVERITY_WORDS[p.expected_effect_max_severity]),
    )
    signs = ", ".join(_describe(s, facts, t) for s in sorted(j.signs))
    unknowns = ", ".join(_describe(u, facts, t) for u in sorted(j.unknowns))
    if status is RuleStatus.FIRES:
        return f"{text} {t(_SIGNS_FOUND).format(signs=signs)}" if signs else text
    if counted:
        return f"{text} {t(_COUNTED_OPEN).format(unknowns=unknowns, signs=signs)}"
    return f"{text} {t(_UNRESOLVED).format(unknowns=unknowns)}"


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
# Logic 2 (rule set 2026.2 on).
_SELF_CARE_REPORTED = _(
    "What you reported is expected after the treatment and does not need a visit now; the reasons below say "
    "what was found."
)
_WATCH_FOR = _(
    "Watch for: a fever of 38 °C or more, a headache that gets worse or does not ease lying down, a stiff "
    "neck, new weakness or numbness, breathing difficulty, or spreading redness or pus where the injection "
    "was given. If any of these appears, answer again or call the clinic."
)
_MEASURE_BLOOD_PRESSURE = _(
    "Measure your blood pressure now (or ask someone to) and enter it: a headache above T6 can be "
    "autonomic dysreflexia, and the reading decides."
)
_NOTE_READ = _("The clinic's staff will read what you wrote in your own words.")
_PRESSURE_SIGNS = frozenset({RuleCode.AUTONOMIC_DYSREFLEXIA, RuleCode.HEADACHE_AT_OR_ABOVE_T6})


def _advice(level: TriageLevel, findings: list[RuleFinding], facts: _Facts) -> tuple[str, ...]:
    counted = {f.code for f in findings if f.counted_as_positive}
    steps: list[str] = []
    if RuleCode.AUTONOMIC_DYSREFLEXIA in counted:
        steps.extend(_AD_FIRST_AID)
    reported = facts.logic >= 2 and _anything_reported(findings, facts)
    if level is TriageLevel.SELF_CARE and reported:
        steps.append(_SELF_CARE_REPORTED)
    else:
        steps.append(_HEADLINES[level])
    if facts.logic >= 2 and counted & _PRESSURE_SIGNS and facts.vitals.systolic_mmhg is None:
        steps.append(_MEASURE_BLOOD_PRESSURE)
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
    if facts.logic >= 2 and facts.inputs.note:
        steps.append(_NOTE_READ)
    if level < TriageLevel.EMERGENCY:
        steps.append(_WATCH_FOR if facts.logic >= 2 and level < TriageLevel.URGENT else _WATCH)
    return tuple(steps)


def _anything_reported(findings: list[RuleFinding], facts: _Facts) -> bool:
    """A "yes", a reading out of range or a note: then the page never says "no warning signs"."""
    if facts.inputs.note or any(a is Answer.YES for a in facts.answers.values()):
        return True
    return any(f.counted_as_positive for f in findings)
