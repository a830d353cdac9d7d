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

from exoclinic.core.errors import InvalidInput


def gettext_noop(message: str) -> str:
    """Marks text for translation without translating it (same name as Django's, so makemessages finds it)."""
    return message


class TriageLevel(enum.IntEnum):
    """How soon someone must act; ordered, so ``max()`` gives the most urgent."""

    SELF_CARE = 0
    ROUTINE = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]

    @classmethod
    def from_code(cls, code: str) -> TriageLevel:
        try:
            return cls[str(code).upper()]
        except KeyError:
            raise ValueError(f"unknown triage level {code!r}") from None


_LEVEL_LABELS = {
    TriageLevel.SELF_CARE: gettext_noop("Self-care"),
    TriageLevel.ROUTINE: gettext_noop("Routine"),
    TriageLevel.URGENT: gettext_noop("Urgent"),
    TriageLevel.EMERGENCY: gettext_noop("Emergency"),
}


class Answer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # "don't know"; a missing answer means the same


class Severity(enum.StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.MILD: 0, Severity.MODERATE: 1, Severity.SEVERE: 2}


class ProcedureRoute(enum.StrEnum):
    LOCAL_INJECTION = "local_injection"
    INTRATHECAL = "intrathecal"
    INTRAVENOUS = "intravenous"
    NONE = "none"  # no procedure yet (for example triage at booking)
    UNKNOWN = "unknown"


class SymptomCode(enum.StrEnum):
    HEADACHE = "headache"
    POUNDING_HEADACHE = "pounding_headache"
    HEADACHE_WORSE_UPRIGHT = "headache_worse_upright"
    HEADACHE_NOT_EASING_LYING = "headache_not_easing_lying"
    FLUSHING_OR_SWEATING_ABOVE_INJURY = "flushing_or_sweating_above_injury"
    BLURRED_VISION = "blurred_vision"
    SLOW_PULSE = "slow_pulse"
    FEVER = "fever"
    STIFF_NECK = "stiff_neck"
    LIGHT_SENSITIVITY = "light_sensitivity"
    CONFUSION = "confusion"
    SEIZURE = "seizure"
    SEVERE_BACK_PAIN = "severe_back_pain"
    NEW_WEAKNESS_OR_NUMBNESS = "new_weakness_or_numbness"
    NEW_BLADDER_OR_BOWEL_LOSS = "new_bladder_or_bowel_loss"
    SWELLING_SKIN_LIPS_TONGUE = "swelling_skin_lips_tongue"
    BREATHING_DIFFICULTY = "breathing_difficulty"
    FEELING_FAINT = "feeling_faint"
    FAINTED = "fainted"
    CHEST_PAIN = "chest_pain"
    COUGHING_BLOOD = "coughing_blood"
    LEG_SWOLLEN_WARM_DISCOLOURED = "leg_swollen_warm_discoloured"
    NAUSEA = "nausea"
    INJECTION_SITE_PAIN = "injection_site_pain"


@dataclass(frozen=True)
class Symptom:
    """One checklist question. A follow-up (``parent`` set) is asked only when the parent is not "no"."""

    code: SymptomCode
    label: str  # short noun phrase used in reasons ("pounding headache")
    question: str
    asks_severity: bool = False
    asks_onset: bool = False  # onset (hours or days ago) and how long it has lasted
    parent: SymptomCode | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "label": self.label,
            "question": self.question,
            "asks_severity": self.asks_severity,
            "asks_onset": self.asks_onset,
            "parent": self.parent.value if self.parent else None,
        }


S = SymptomCode
_ = gettext_noop

SYMPTOMS: tuple[Symptom, ...] = (
    Symptom(S.HEADACHE, _("headache"), _("Do you have a headache?"), asks_severity=True, asks_onset=True),
    Symptom(S.POUNDING_HEADACHE, _("pounding headache"), _("Is it a pounding headache?"), parent=S.HEADACHE),
    Symptom(
        S.HEADACHE_WORSE_UPRIGHT,
        _("headache worse upright, better lying flat"),
        _("Is the headache worse when you sit or stand up, and better when you lie flat?"),
        parent=S.HEADACHE,
    ),
    Symptom(
        S.HEADACHE_NOT_EASING_LYING,
        _("headache that does not ease lying down"),
        _("Does the headache stay the same or get worse when you lie down?"),
        parent=S.HEADACHE,
    ),
    Symptom(
        S.FLUSHING_OR_SWEATING_ABOVE_INJURY,
        _("flushing or sweating above the injury"),
        _("Is your skin flushed (red) or sweating above the level of your injury?"),
    ),
    Symptom(S.BLURRED_VISION, _("blurred vision"), _("Is your vision blurred?")),
    Symptom(
        S.SLOW_PULSE,
        _("slow pulse"),
        _("Is your pulse slower than usual (if you or someone with you can check it)?"),
    ),
    Symptom(
        S.FEVER,
        _("fever"),
        _("Do you have a fever, or feel hot and shivery? (If you can, measure your temperature.)"),
        asks_onset=True,
    ),
    Symptom(
        S.STIFF_NECK, _("stiff neck"), _("Is your neck stiff, or painful when you bend your head forward?")
    ),
    Symptom(S.LIGHT_SENSITIVITY, _("light sensitivity"), _("Does light hurt your eyes?")),
    Symptom(
        S.CONFUSION,
        _("confusion"),
        _("Are you confused, or does someone with you say you are not your usual self?"),
    ),
    Symptom(S.SEIZURE, _("seizure"), _("Have you had a seizure (fit)?")),
    Symptom(S.SEVERE_BACK_PAIN, _("new severe back pain"), _("Do you have new, severe pain in your back?")),
    Symptom(
        S.NEW_WEAKNESS_OR_NUMBNESS,
        _("new or worsening weakness or numbness"),
        _("Do you have new or worsening weakness or numbness anywhere (arms, legs, body)?"),
    ),
    Symptom(
        S.NEW_BLADDER_OR_BOWEL_LOSS,
        _("new loss of bladder or bowel control"),
        _("Have you newly lost control of your bladder or bowel (different from your usual)?"),
    ),
    Symptom(
        S.SWELLING_SKIN_LIPS_TONGUE,
        _("swelling of the skin, lips or tongue"),
        _("Is your skin, face, lips or tongue swelling?"),
    ),
    Symptom(
        S.BREATHING_DIFFICULTY,
        _("sudden breathlessness or difficulty breathing"),
        _("Are you suddenly breathless, or finding it hard to breathe?"),
    ),
    Symptom(S.FEELING_FAINT, _("feeling faint"), _("Do you feel faint or light-headed?")),
    Symptom(S.FAINTED, _("fainting"), _("Have you fainted (passed out)?")),
    Symptom(S.CHEST_PAIN, _("chest pain"), _("Do you have chest pain?")),
    Symptom(S.COUGHING_BLOOD, _("coughing blood"), _("Are you coughing up blood?")),
    Symptom(
        S.LEG_SWOLLEN_WARM_DISCOLOURED,
        _("one leg swollen, warm or discoloured"),
        _("Is one leg swollen, warm, or a different colour from the other? (It may not hurt.)"),
    ),
    Symptom(
        S.NAUSEA,
        _("nausea"),
        _("Do you feel sick (nausea), or have you been sick?"),
        asks_severity=True,
        asks_onset=True,
    ),
    Symptom(
        S.INJECTION_SITE_PAIN,
        _("pain or redness where the injection was given"),
        _("Is there pain, redness or discomfort where the injection was given?"),
        asks_severity=True,
        asks_onset=True,
    ),
)

SYMPTOMS_BY_CODE: Mapping[SymptomCode, Symptom] = {s.code: s for s in SYMPTOMS}


def checklist() -> list[dict[str, Any]]:
    """The checklist in form order as JSON-ready data (English text; translate it when rendering)."""
    return [s.to_dict() for s in SYMPTOMS]


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


@dataclass(frozen=True)
class RuleDefinition:
    """What a rule set may change about a rule. Rules whose level §4 fixes cannot go below it or be off."""

    code: RuleCode
    default_level: TriageLevel
    min_level: TriageLevel
    red_flag: bool  # a "cannot be excluded" result of a red flag raises the outcome (see docs/triage.md)
    can_disable: bool


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
    )
}


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
    spinal_routes: tuple[ProcedureRoute, ...] = (ProcedureRoute.INTRATHECAL,)
    # Unconfirmed defaults (docs/triage.md says why each value was chosen).
    default_baseline_systolic_mmhg: float = 100.0
    slow_pulse_below_bpm: float = 60.0
    slight_fever_upper_c: float = 38.0
    expected_effect_days: float = 3.0
    expected_effect_max_severity: Severity = Severity.MILD
    anaphylaxis_window_hours: float = 24.0
    unresolved_red_flag_level: TriageLevel = TriageLevel.URGENT
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


UNCONFIRMED_PARAMETERS: frozenset[str] = frozenset(
    {
        "default_baseline_systolic_mmhg",
        "slow_pulse_below_bpm",
        "slight_fever_upper_c",
        "expected_effect_days",
        "expected_effect_max_severity",
        "anaphylaxis_window_hours",
        "unresolved_red_flag_level",
    }
)


@dataclass(frozen=True)
class RuleSet:
    version: str
    parameters: RuleParameters = field(default_factory=RuleParameters)
    rules: tuple[tuple[RuleCode, RuleConfig], ...] = ()

    def rule(self, code: RuleCode) -> RuleConfig:
        for rule_code, config in self.rules:
            if rule_code == code:
                return config
        definition = RULE_DEFINITIONS[code]
        return RuleConfig(enabled=True, level=definition.default_level)

    def to_dict(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for f in fields(RuleParameters):
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
            for code in RuleCode
        }
        return {"version": self.version, "parameters": params, "rules": rules}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        return validate_ruleset(data)


DEFAULT_RULESET = RuleSet(
    version="2026.1",
    rules=tuple((code, RuleConfig(True, d.default_level)) for code, d in RULE_DEFINITIONS.items()),
)


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
)


def _fail(message: str, key: str) -> RuleSetError:
    return RuleSetError(f"{key}: {message}", field=key)


def _check_keys(data: Any, expected: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _fail("must be an object", where or "ruleset")
    prefix = f"{where}." if where else ""
    for key in data:
        if key not in expected:
            raise _fail("unknown key", f"{prefix}{key}")
    for key in sorted(expected):
        if key not in data:
            raise _fail("missing", f"{prefix}{key}")
    return data


def _level(value: Any, key: str) -> TriageLevel:
    try:
        return TriageLevel.from_code(value)
    except ValueError:
        raise _fail(f"must be one of {', '.join(level.code for level in TriageLevel)}", key) from None


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail("must be a number", key)
    low, high = _NUMBER_BOUNDS[key.rsplit(".", 1)[-1]]
    if not low <= value <= high:
        raise _fail(f"must be between {low:g} and {high:g}", key)
    return float(value)


def _parameters(data: Any) -> RuleParameters:
    names = {f.name for f in fields(RuleParameters)}
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
                raise _fail("may list only real procedure routes", key)
        elif name == "expected_effect_max_severity":
            try:
                values[name] = Severity(raw)
            except ValueError:
                raise _fail(f"must be one of {', '.join(s.value for s in Severity)}", key) from None
        elif name == "unresolved_red_flag_level":
            values[name] = _level(raw, key)
            if values[name] < TriageLevel.ROUTINE:
                raise _fail("must be routine or higher: an unanswered red flag is never self-care", key)
        elif name in _SIGN_GROUPS:
            values[name] = _code_list(raw, key, SymptomCode, allow_empty=False)
        else:  # pragma: no cover - every field is handled above
            raise _fail("not handled", key)
    if values["slight_fever_upper_c"] > values["meningitis_fever_c"]:
        raise _fail("must not be above parameters.meningitis_fever_c", "parameters.slight_fever_upper_c")
    return RuleParameters(**values)


def _code_list(raw: Any, key: str, kind: type[enum.StrEnum], *, allow_empty: bool) -> tuple:
    if not isinstance(raw, list | tuple) or (not raw and not allow_empty):
        raise _fail("must be a non-empty list" if not allow_empty else "must be a list", key)
    codes = []
    for item in raw:
        try:
            codes.append(kind(item))
        except ValueError:
            raise _fail(f"unknown code {item!r}", key) from None
    if len(set(codes)) != len(codes):
        raise _fail("lists a code twice", key)
    return tuple(codes)


def _rules(data: Any) -> tuple[tuple[RuleCode, RuleConfig], ...]:
    data = _check_keys(data, {str(code) for code in RuleCode}, "rules")
    rules = []
    for code in RuleCode:
        key = f"rules.{code}"
        entry = _check_keys(data[str(code)], {"enabled", "level"}, key)
        definition = RULE_DEFINITIONS[code]
        if not isinstance(entry["enabled"], bool):
            raise _fail("must be true or false", f"{key}.enabled")
        if not entry["enabled"] and not definition.can_disable:
            raise _fail("is a red flag from clinical-facts §4 and cannot be switched off", f"{key}.enabled")
        level = _level(entry["level"], f"{key}.level")
        if level < definition.min_level:
            raise _fail(f"must be {definition.min_level.code} or higher", f"{key}.level")
        rules.append((code, RuleConfig(enabled=entry["enabled"], level=level)))
    return tuple(rules)


def validate_ruleset(data: Mapping[str, Any]) -> RuleSet:
    """Build a ``RuleSet`` from its JSON form, or raise ``RuleSetError`` naming the offending key.

    Every key must be present: a stored rule set then means the same thing whatever the code's defaults are.
    ``DEFAULT_RULESET.to_dict()`` is the template to start from.
    """
    data = _check_keys(data, {"version", "parameters", "rules"}, "")
    version = data["version"]
    if not isinstance(version, str) or not version.strip() or len(version) > 40:
        raise _fail("must be a non-empty text of at most 40 characters", "version")
    return RuleSet(
        version=version.strip(), parameters=_parameters(data["parameters"]), rules=_rules(data["rules"])
    )


def ruleset_with(ruleset: RuleSet, *, version: str, **parameters: Any) -> RuleSet:
    """A validated copy with other parameters and a new version (for tests and for drafting a version)."""
    draft = replace(ruleset, version=version, parameters=replace(ruleset.parameters, **parameters))
    return validate_ruleset(draft.to_dict())


del S, L, _
