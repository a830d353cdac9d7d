"""The triage vocabulary, the symptom checklist and the versioned rule set, all as plain data.

Pure Python (no Django): the Django admin stores a rule set as JSON and calls ``validate_ruleset`` on it;
the engine (the ``engine`` package) takes a ``RuleSet`` as an argument. Every clinical number comes from
docs/clinical-facts §4 or is a parameter marked *unconfirmed* in docs/triage.md.

User-facing English text is wrapped in ``gettext_noop`` so ``makemessages`` finds it; the pages translate it
when they render it.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from exoclinic.core.errors import InvalidInput, translate

from .symptoms import (
    LOGIC_1_SYMPTOMS,
    SEVERITY_WORDS,
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    Answer,
    ProcedureRoute,
    Severity,
    Symptom,
    SymptomCode,
    TriageLevel,
    checklist,
    gettext_noop,
)

__all__ = [
    "DEFAULT_RULESET",
    "LOGIC_1_SYMPTOMS",
    "RULESET_2026_1",
    "RULESET_2026_2",
    "RULE_DEFINITIONS",
    "SEVERITY_WORDS",
    "SYMPTOMS",
    "SYMPTOMS_BY_CODE",
    "UNCONFIRMED_PARAMETERS",
    "Answer",
    "ProcedureRoute",
    "RuleCode",
    "RuleSet",
    "RuleSetError",
    "Severity",
    "Symptom",
    "SymptomCode",
    "TriageLevel",
    "checklist",
    "gettext_noop",
    "ruleset_with",
    "validate_ruleset",
]

S = SymptomCode
_ = gettext_noop


class RuleCode(enum.StrEnum):
    AUTONOMIC_DYSREFLEXIA = "autonomic_dysreflexia"
    MENINGITIS_OR_INFECTION = "meningitis_or_infection"
    MENINGEAL_SIGN = "meningeal_sign"
    POSITIONAL_HEADACHE_WITH_FEVER = "positional_headache_with_fever"
    POST_PUNCTURE_HEADACHE = "post_puncture_headache"
    POST_PUNCTURE_HEADACHE_WITH_DEFICIT = "post_puncture_headache_with_deficit"
    SEIZURE = "seizure"
    EPIDURAL_HAEMATOMA_OR_ABSCESS = "epidural_haematoma_or_abscess"
    NEW_NEUROLOGICAL_DEFICIT = "new_neurological_deficit"
    ANAPHYLAXIS = "anaphylaxis"
    ALLERGIC_SWELLING = "allergic_swelling"
    PULMONARY_EMBOLISM = "pulmonary_embolism"
    DEEP_VEIN_THROMBOSIS = "deep_vein_thrombosis"
    FEVER_ABOVE_SLIGHT = "fever_above_slight"
    MILD_EFFECT_SEVERE = "mild_effect_severe"
    MILD_EFFECT_STRONGER_THAN_EXPECTED = "mild_effect_stronger_than_expected"
    MILD_EFFECT_PROLONGED = "mild_effect_prolonged"
    EXPECTED_MILD_EFFECT = "expected_mild_effect"
    # From logic 2 (rule set 2026.2) on.
    HEADACHE_AT_OR_ABOVE_T6 = "headache_at_or_above_t6"
    HEADACHE_AT_OR_ABOVE_T6_PRESSURE_NORMAL = "headache_at_or_above_t6_pressure_normal"
    HEADACHE_WITH_NEUROLOGICAL_SIGN = "headache_with_neurological_sign"
    POST_PUNCTURE_HEADACHE_PERSISTENT = "post_puncture_headache_persistent"
    ALLERGIC_SKIN_REACTION = "allergic_skin_reaction"
    INJECTION_SITE_INFECTION = "injection_site_infection"
    INJECTION_SITE_INFECTION_WITH_FEVER = "injection_site_infection_with_fever"
    FAINT_SOON_AFTER_INJECTION = "faint_soon_after_injection"
    VITAL_SIGN_OUT_OF_RANGE = "vital_sign_out_of_range"
    PATIENT_NOTE = "patient_note"
    OTHER_REPORTED_SIGN = "other_reported_sign"


@dataclass(frozen=True)
class RuleDefinition:
    """What a rule set may change about a rule. Rules whose level §4 fixes cannot go below it or be off."""

    code: RuleCode
    default_level: TriageLevel
    min_level: TriageLevel
    red_flag: bool  # a "cannot be excluded" result of a red flag raises the outcome (see docs/triage.md)
    can_disable: bool
    since_logic: int = 1


L = TriageLevel
RULE_DEFINITIONS: Mapping[RuleCode, RuleDefinition] = {
    d.code: d
    for d in (
        RuleDefinition(RuleCode.AUTONOMIC_DYSREFLEXIA, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.MENINGITIS_OR_INFECTION, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.MENINGEAL_SIGN, L.URGENT, L.ROUTINE, False, True),
        RuleDefinition(RuleCode.POSITIONAL_HEADACHE_WITH_FEVER, L.EMERGENCY, L.URGENT, True, False),
        RuleDefinition(RuleCode.POST_PUNCTURE_HEADACHE, L.URGENT, L.URGENT, True, False),
        RuleDefinition(RuleCode.POST_PUNCTURE_HEADACHE_WITH_DEFICIT, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.SEIZURE, L.EMERGENCY, L.URGENT, True, False),
        RuleDefinition(RuleCode.EPIDURAL_HAEMATOMA_OR_ABSCESS, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.NEW_NEUROLOGICAL_DEFICIT, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.ANAPHYLAXIS, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.ALLERGIC_SWELLING, L.URGENT, L.ROUTINE, True, True),
        RuleDefinition(RuleCode.PULMONARY_EMBOLISM, L.EMERGENCY, L.EMERGENCY, True, False),
        RuleDefinition(RuleCode.DEEP_VEIN_THROMBOSIS, L.URGENT, L.URGENT, True, False),
        RuleDefinition(RuleCode.FEVER_ABOVE_SLIGHT, L.URGENT, L.ROUTINE, False, True),
        RuleDefinition(RuleCode.MILD_EFFECT_SEVERE, L.URGENT, L.ROUTINE, False, True),
        RuleDefinition(RuleCode.MILD_EFFECT_STRONGER_THAN_EXPECTED, L.ROUTINE, L.ROUTINE, False, True),
        RuleDefinition(RuleCode.MILD_EFFECT_PROLONGED, L.ROUTINE, L.ROUTINE, False, True),
        RuleDefinition(RuleCode.EXPECTED_MILD_EFFECT, L.SELF_CARE, L.SELF_CARE, False, True),
        RuleDefinition(RuleCode.HEADACHE_AT_OR_ABOVE_T6, L.URGENT, L.URGENT, True, False, 2),
        RuleDefinition(
            RuleCode.HEADACHE_AT_OR_ABOVE_T6_PRESSURE_NORMAL, L.ROUTINE, L.ROUTINE, False, False, 2
        ),
        RuleDefinition(RuleCode.HEADACHE_WITH_NEUROLOGICAL_SIGN, L.URGENT, L.URGENT, True, False, 2),
        RuleDefinition(RuleCode.POST_PUNCTURE_HEADACHE_PERSISTENT, L.URGENT, L.URGENT, True, False, 2),
        RuleDefinition(RuleCode.ALLERGIC_SKIN_REACTION, L.URGENT, L.URGENT, True, False, 2),
        RuleDefinition(RuleCode.INJECTION_SITE_INFECTION, L.URGENT, L.URGENT, True, False, 2),
        RuleDefinition(
            RuleCode.INJECTION_SITE_INFECTION_WITH_FEVER, L.EMERGENCY, L.EMERGENCY, True, False, 2
        ),
        RuleDefinition(RuleCode.FAINT_SOON_AFTER_INJECTION, L.URGENT, L.ROUTINE, False, False, 2),
        RuleDefinition(RuleCode.VITAL_SIGN_OUT_OF_RANGE, L.URGENT, L.ROUTINE, False, False, 2),
        RuleDefinition(RuleCode.PATIENT_NOTE, L.ROUTINE, L.ROUTINE, False, False, 2),
        RuleDefinition(RuleCode.OTHER_REPORTED_SIGN, L.ROUTINE, L.ROUTINE, False, False, 2),
    )
}


def rule_codes(logic: int) -> tuple[RuleCode, ...]:
    """The rules a rule set of this logic has, in evaluation order."""
    return tuple(code for code in RuleCode if RULE_DEFINITIONS[code].since_logic <= logic)


@dataclass(frozen=True)
class RuleConfig:
    enabled: bool
    level: TriageLevel


@dataclass(frozen=True)
class RuleParameters:
    """Thresholds and symptom groups. Values marked "unconfirmed" are defaults the facts do not give."""

    # From clinical-facts §4.
    meningitis_fever_c: float = 38.0
    post_puncture_onset_days: float = 5.0
    ad_systolic_rise_mmhg: float = 20.0
    anaphylaxis_systolic_below_mmhg: float = 90.0
    anaphylaxis_drop_fraction: float = 0.30
    spinal_routes: tuple[ProcedureRoute, ...] = (ProcedureRoute.INTRATHECAL,)  # logic 1 only
    post_puncture_persistent_hours: float = 72.0  # logic 2: "still present after 72 hours"
    # Unconfirmed defaults (docs/triage.md says why each value was chosen).
    default_baseline_systolic_mmhg: float = 100.0
    slow_pulse_below_bpm: float = 60.0
    slight_fever_upper_c: float = 38.0
    expected_effect_days: float = 3.0
    expected_effect_max_severity: Severity = Severity.MILD
    anaphylaxis_window_hours: float = 24.0
    unresolved_red_flag_level: TriageLevel = TriageLevel.URGENT
    # Logic 2, unconfirmed: own-baseline pulse and vital signs far outside the normal range.
    slow_pulse_below_baseline_bpm: float = 10.0
    hypotension_systolic_below_mmhg: float = 80.0
    hypertensive_crisis_systolic_mmhg: float = 180.0
    hypertensive_crisis_diastolic_mmhg: float = 120.0
    bradycardia_below_bpm: float = 40.0
    tachycardia_from_bpm: float = 120.0
    hypothermia_at_or_below_c: float = 35.0
    # Which checklist answers count as signs of which rule.
    ad_signs: tuple[SymptomCode, ...] = (
        S.POUNDING_HEADACHE,
        S.FLUSHING_OR_SWEATING_ABOVE_INJURY,
        S.BLURRED_VISION,
        S.SLOW_PULSE,
    )
    meningitis_signs: tuple[SymptomCode, ...] = (
        S.STIFF_NECK,
        S.LIGHT_SENSITIVITY,
        S.CONFUSION,
        S.HEADACHE_NOT_EASING_LYING,
    )
    meningeal_signs_alone: tuple[SymptomCode, ...] = (S.STIFF_NECK, S.LIGHT_SENSITIVITY, S.CONFUSION)
    epidural_signs: tuple[SymptomCode, ...] = (S.SEVERE_BACK_PAIN,)
    deficit_signs: tuple[SymptomCode, ...] = (S.NEW_WEAKNESS_OR_NUMBNESS, S.NEW_BLADDER_OR_BOWEL_LOSS)
    anaphylaxis_swelling_signs: tuple[SymptomCode, ...] = (S.SWELLING_SKIN_LIPS_TONGUE,)
    anaphylaxis_systemic_signs: tuple[SymptomCode, ...] = (S.BREATHING_DIFFICULTY, S.FEELING_FAINT)
    pe_signs: tuple[SymptomCode, ...] = (S.BREATHING_DIFFICULTY, S.CHEST_PAIN, S.COUGHING_BLOOD, S.FAINTED)
    dvt_signs: tuple[SymptomCode, ...] = (S.LEG_SWOLLEN_WARM_DISCOLOURED,)
    expected_effects: tuple[SymptomCode, ...] = (S.HEADACHE, S.FEVER, S.NAUSEA, S.INJECTION_SITE_PAIN)
    # Logic 2 sign groups (clinical-facts §4 bullets on headaches, skin reactions and site infection).
    headache_neurological_signs: tuple[SymptomCode, ...] = (
        S.BLURRED_VISION,
        S.LIGHT_SENSITIVITY,
        S.STIFF_NECK,
        S.CONFUSION,
        S.SEIZURE,
        S.NEW_WEAKNESS_OR_NUMBNESS,
        S.NEW_BLADDER_OR_BOWEL_LOSS,
    )
    allergic_skin_signs: tuple[SymptomCode, ...] = (S.HIVES_ITCHING_RASH,)
    site_infection_signs: tuple[SymptomCode, ...] = (S.SITE_DISCHARGE, S.SITE_SPREADING_REDNESS)
    sepsis_signs: tuple[SymptomCode, ...] = (S.VERY_UNWELL,)
    severe_is_urgent_effects: tuple[SymptomCode, ...] = (S.HEADACHE,)


_LOGIC_1_ONLY = frozenset({"spinal_routes"})
_LOGIC_2_PARAMETERS = frozenset(
    {
        "post_puncture_persistent_hours",
        "slow_pulse_below_baseline_bpm",
        "hypotension_systolic_below_mmhg",
        "hypertensive_crisis_systolic_mmhg",
        "hypertensive_crisis_diastolic_mmhg",
        "bradycardia_below_bpm",
        "tachycardia_from_bpm",
        "hypothermia_at_or_below_c",
        "headache_neurological_signs",
        "allergic_skin_signs",
        "site_infection_signs",
        "sepsis_signs",
        "severe_is_urgent_effects",
    }
)
LOGICS = (1, 2)


def parameter_names(logic: int) -> frozenset[str]:
    """The parameter keys a rule set of this logic stores (every one must be present)."""
    names = frozenset(f.name for f in fields(RuleParameters))
    if logic == 1:
        return names - _LOGIC_2_PARAMETERS
    return names - _LOGIC_1_ONLY


UNCONFIRMED_PARAMETERS: frozenset[str] = frozenset(
    {
        "default_baseline_systolic_mmhg",
        "slow_pulse_below_bpm",
        "slight_fever_upper_c",
        "expected_effect_days",
        "expected_effect_max_severity",
        "anaphylaxis_window_hours",
        "unresolved_red_flag_level",
        "slow_pulse_below_baseline_bpm",
        "hypotension_systolic_below_mmhg",
        "hypertensive_crisis_systolic_mmhg",
        "hypertensive_crisis_diastolic_mmhg",
        "bradycardia_below_bpm",
        "tachycardia_from_bpm",
        "hypothermia_at_or_below_c",
        "severe_is_urgent_effects",
    }
)


@dataclass(frozen=True)
class RuleSet:
    """A rule-set version. ``logic`` is the generation of the rule formulas it was written for: 1 is version
    2026.1 (kept so its decisions replay), 2 adds the rules of issue 15 and 19 (docs/triage.md)."""

    version: str
    parameters: RuleParameters = field(default_factory=RuleParameters)
    rules: tuple[tuple[RuleCode, RuleConfig], ...] = ()
    logic: int = 1

    def rule(self, code: RuleCode) -> RuleConfig:
        for rule_code, config in self.rules:
            if rule_code == code:
                return config
        definition = RULE_DEFINITIONS[code]
        return RuleConfig(enabled=True, level=definition.default_level)

    def to_dict(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        names = parameter_names(self.logic)
        for f in fields(RuleParameters):
            if f.name not in names:
                continue
            value = getattr(self.parameters, f.name)
            if isinstance(value, tuple):
                value = [str(v) for v in value]
            elif isinstance(value, TriageLevel):
                value = value.code
            elif isinstance(value, enum.Enum):
                value = value.value
            params[f.name] = value
        rules = {
            str(code): {"enabled": self.rule(code).enabled, "level": self.rule(code).level.code}
            for code in rule_codes(self.logic)
        }
        data: dict[str, Any] = {"version": self.version, "parameters": params, "rules": rules}
        if self.logic != 1:  # version 2026.1 was stored without the key; it keeps meaning logic 1
            data["logic"] = self.logic
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        return validate_ruleset(data)


RULESET_2026_1 = RuleSet(
    version="2026.1",
    rules=tuple((code, RuleConfig(True, RULE_DEFINITIONS[code].default_level)) for code in rule_codes(1)),
)

RULESET_2026_2 = RuleSet(
    version="2026.2",
    logic=2,
    parameters=RuleParameters(
        slow_pulse_below_bpm=50.0,  # unconfirmed: many people with tetraplegia rest at 50-60 (issue 19)
        unresolved_red_flag_level=TriageLevel.ROUTINE,  # an open question alone is not urgent (issue 19)
    ),
    rules=tuple((code, RuleConfig(True, RULE_DEFINITIONS[code].default_level)) for code in rule_codes(2)),
)

# New reports use the latest version; old reports replay with the version they name.
DEFAULT_RULESET = RULESET_2026_2
BUILT_IN_RULESETS: Mapping[str, RuleSet] = {r.version: r for r in (RULESET_2026_1, RULESET_2026_2)}


class RuleSetError(InvalidInput):
    code = "invalid_ruleset"


_NUMBER_BOUNDS: Mapping[str, tuple[float, float]] = {
    # Sanity bounds that catch typos and unit mix-ups, not clinical thresholds.
    "meningitis_fever_c": (37.0, 40.0),
    "post_puncture_onset_days": (1.0, 30.0),
    "ad_systolic_rise_mmhg": (5.0, 60.0),
    "anaphylaxis_systolic_below_mmhg": (60.0, 120.0),
    "anaphylaxis_drop_fraction": (0.05, 0.6),
    "default_baseline_systolic_mmhg": (70.0, 160.0),
    "slow_pulse_below_bpm": (30.0, 80.0),
    "slight_fever_upper_c": (37.0, 40.0),
    "expected_effect_days": (0.5, 30.0),
    "anaphylaxis_window_hours": (1.0, 168.0),
    "post_puncture_persistent_hours": (12.0, 240.0),
    "slow_pulse_below_baseline_bpm": (0.0, 40.0),
    "hypotension_systolic_below_mmhg": (50.0, 110.0),
    "hypertensive_crisis_systolic_mmhg": (140.0, 260.0),
    "hypertensive_crisis_diastolic_mmhg": (90.0, 160.0),
    "bradycardia_below_bpm": (25.0, 60.0),
    "tachycardia_from_bpm": (90.0, 200.0),
    "hypothermia_at_or_below_c": (32.0, 36.5),
}

_SIGN_GROUPS = (
    "ad_signs",
    "meningitis_signs",
    "meningeal_signs_alone",
    "epidural_signs",
    "deficit_signs",
    "anaphylaxis_swelling_signs",
    "anaphylaxis_systemic_signs",
    "pe_signs",
    "dvt_signs",
    "expected_effects",
    "headache_neurological_signs",
    "allergic_skin_signs",
    "site_infection_signs",
    "sepsis_signs",
)


def _fail(message: str, key: str, **params: Any) -> RuleSetError:
    """``message`` is a msgid marked with gettext_noop, with named placeholders filled from ``params``;
    it is translated here, when raised, into the reader's language."""
    problem = translate(message) % params if params else translate(message)
    return RuleSetError(
        translate(gettext_noop("%(field)s: %(problem)s")) % {"field": key, "problem": problem}, field=key
    )


def _check_keys(data: Any, expected: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _fail(gettext_noop("must be an object"), where or "ruleset")
    prefix = f"{where}." if where else ""
    for key in data:
        if key not in expected:
            raise _fail(gettext_noop("unknown key"), f"{prefix}{key}")
    for key in sorted(expected):
        if key not in data:
            raise _fail(gettext_noop("missing"), f"{prefix}{key}")
    return data


def _level(value: Any, key: str) -> TriageLevel:
    try:
        return TriageLevel.from_code(value)
    except ValueError:
        raise _fail(
            gettext_noop("must be one of %(choices)s"),
            key,
            choices=", ".join(level.code for level in TriageLevel),
        ) from None


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(gettext_noop("must be a number"), key)
    low, high = _NUMBER_BOUNDS[key.rsplit(".", 1)[-1]]
    if not low <= value <= high:
        raise _fail(
            gettext_noop("must be between %(low)s and %(high)s"), key, low=f"{low:g}", high=f"{high:g}"
        )
    return float(value)


def _parameters(data: Any, logic: int) -> RuleParameters:
    names = set(parameter_names(logic))
    data = _check_keys(data, names, "parameters")
    values: dict[str, Any] = {}
    for name in names:
        key = f"parameters.{name}"
        raw = data[name]
        if name in _NUMBER_BOUNDS:
            values[name] = _number(raw, key)
        elif name == "spinal_routes":
            values[name] = _code_list(raw, key, ProcedureRoute, allow_empty=True)
            if ProcedureRoute.NONE in values[name] or ProcedureRoute.UNKNOWN in values[name]:
                raise _fail(gettext_noop("may list only real procedure routes"), key)
        elif name == "expected_effect_max_severity":
            try:
                values[name] = Severity(raw)
            except ValueError:
                raise _fail(
                    gettext_noop("must be one of %(choices)s"),
                    key,
                    choices=", ".join(s.value for s in Severity),
                ) from None
        elif name == "unresolved_red_flag_level":
            values[name] = _level(raw, key)
            if values[name] < TriageLevel.ROUTINE:
                raise _fail(
                    gettext_noop("must be routine or higher: an unanswered red flag is never self-care"), key
                )
        elif name in _SIGN_GROUPS:
            values[name] = _code_list(raw, key, SymptomCode, allow_empty=False)
        elif name == "severe_is_urgent_effects":
            values[name] = _code_list(raw, key, SymptomCode, allow_empty=True)
        else:  # pragma: no cover - every field is handled above
            raise _fail(gettext_noop("not handled"), key)
    if values["slight_fever_upper_c"] > values["meningitis_fever_c"]:
        raise _fail(
            gettext_noop("must not be above parameters.meningitis_fever_c"), "parameters.slight_fever_upper_c"
        )
    return RuleParameters(**values)


def _code_list(raw: Any, key: str, kind: type[enum.StrEnum], *, allow_empty: bool) -> tuple:
    if not isinstance(raw, list | tuple) or (not raw and not allow_empty):
        raise _fail(
            gettext_noop("must be a non-empty list") if not allow_empty else gettext_noop("must be a list"),
            key,
        )
    codes = []
    for item in raw:
        try:
            codes.append(kind(item))
        except ValueError:
            raise _fail(gettext_noop("unknown code %(code)s"), key, code=repr(item)) from None
    if len(set(codes)) != len(codes):
        raise _fail(gettext_noop("lists a code twice"), key)
    return tuple(codes)


def _rules(data: Any, logic: int) -> tuple[tuple[RuleCode, RuleConfig], ...]:
    data = _check_keys(data, {str(code) for code in rule_codes(logic)}, "rules")
    rules = []
    for code in rule_codes(logic):
        key = f"rules.{code}"
        entry = _check_keys(data[str(code)], {"enabled", "level"}, key)
        definition = RULE_DEFINITIONS[code]
        if not isinstance(entry["enabled"], bool):
            raise _fail(gettext_noop("must be true or false"), f"{key}.enabled")
        if not entry["enabled"] and not definition.can_disable:
            raise _fail(
                gettext_noop("is a red flag from clinical-facts §4 and cannot be switched off"),
                f"{key}.enabled",
            )
        level = _level(entry["level"], f"{key}.level")
        if level < definition.min_level:
            raise _fail(
                gettext_noop("must be %(level)s or higher"), f"{key}.level", level=definition.min_level.code
            )
        rules.append((code, RuleConfig(enabled=entry["enabled"], level=level)))
    return tuple(rules)


def validate_ruleset(data: Mapping[str, Any]) -> RuleSet:
    """Build a ``RuleSet`` from its JSON form, or raise ``RuleSetError`` naming the offending key.

    Every key must be present: a stored rule set then means the same thing whatever the code's defaults are.
    ``DEFAULT_RULESET.to_dict()`` is the template to start from.
    """
    logic = data.get("logic", 1) if isinstance(data, Mapping) else 1
    if isinstance(logic, bool) or logic not in LOGICS:
        raise _fail(
            gettext_noop("must be one of %(choices)s"), "logic", choices=", ".join(str(n) for n in LOGICS)
        )
    keys = {"version", "parameters", "rules"} | ({"logic"} if logic != 1 else set())
    data = _check_keys(data, keys, "")
    version = data["version"]
    if not isinstance(version, str) or not version.strip() or len(version) > 40:
        raise _fail(gettext_noop("must be a non-empty text of at most 40 characters"), "version")
    return RuleSet(
        version=version.strip(),
        parameters=_parameters(data["parameters"], logic),
        rules=_rules(data["rules"], logic),
        logic=logic,
    )


def ruleset_with(ruleset: RuleSet, *, version: str, **parameters: Any) -> RuleSet:
    """A validated copy with other parameters and a new version (for tests and for drafting a version)."""
    draft = replace(ruleset, version=version, parameters=replace(ruleset.parameters, **parameters))
    return validate_ruleset(draft.to_dict())


del S, L, _
