"""The triage vocabulary (levels, answers, severities, routes) and the symptom checklist, as plain data.

Pure Python (no Django). User-facing English text is wrapped in ``gettext_noop`` so ``makemessages`` finds it;
the pages translate it when they render it. ``ruleset`` re-exports everything here.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
    """How the last injection was given. ``near_spinal_cord`` decides the post-puncture and infection rules
    of rule sets from 2026.2 on (``treatment.routes`` holds the same coded list for the records)."""

    LOCAL_INJECTION = "local_injection"
    INTRATHECAL = "intrathecal"
    EPIDURAL = "epidural"
    INTRASPINAL = "intraspinal"
    PERISPINAL = "perispinal"
    PARASPINAL = "paraspinal"
    INTRAVENOUS = "intravenous"
    NONE = "none"  # no procedure yet (for example triage at booking)
    UNKNOWN = "unknown"

    @property
    def near_spinal_cord(self) -> bool | None:
        """True for a route into or next to the spinal canal, None when the route is not known."""
        if self is ProcedureRoute.UNKNOWN:
            return None
        return self in _NEAR_SPINAL_CORD


_NEAR_SPINAL_CORD = frozenset(
    {
        ProcedureRoute.INTRATHECAL,
        ProcedureRoute.EPIDURAL,
        ProcedureRoute.INTRASPINAL,
        ProcedureRoute.PERISPINAL,
        ProcedureRoute.PARASPINAL,
    }
)


class SymptomCode(enum.StrEnum):
    BREATHING_DIFFICULTY = "breathing_difficulty"
    CHEST_PAIN = "chest_pain"
    COUGHING_BLOOD = "coughing_blood"
    FAINTED = "fainted"
    SWELLING_SKIN_LIPS_TONGUE = "swelling_skin_lips_tongue"
    SEIZURE = "seizure"
    NEW_WEAKNESS_OR_NUMBNESS = "new_weakness_or_numbness"
    NEW_BLADDER_OR_BOWEL_LOSS = "new_bladder_or_bowel_loss"
    SEVERE_BACK_PAIN = "severe_back_pain"
    CONFUSION = "confusion"
    HEADACHE = "headache"
    POUNDING_HEADACHE = "pounding_headache"
    HEADACHE_WORSE_UPRIGHT = "headache_worse_upright"
    HEADACHE_NOT_EASING_LYING = "headache_not_easing_lying"
    FLUSHING_OR_SWEATING_ABOVE_INJURY = "flushing_or_sweating_above_injury"
    BLURRED_VISION = "blurred_vision"
    SLOW_PULSE = "slow_pulse"
    STIFF_NECK = "stiff_neck"
    LIGHT_SENSITIVITY = "light_sensitivity"
    FEVER = "fever"
    VERY_UNWELL = "very_unwell"
    HIVES_ITCHING_RASH = "hives_itching_rash"
    SITE_DISCHARGE = "site_discharge"
    SITE_SPREADING_REDNESS = "site_spreading_redness"
    LEG_SWOLLEN_WARM_DISCOLOURED = "leg_swollen_warm_discoloured"
    FEELING_FAINT = "feeling_faint"
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
    red_flag: bool = False  # asked first: a "yes" alone can make the report an emergency or urgent

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "label": self.label,
            "question": self.question,
            "asks_severity": self.asks_severity,
            "asks_onset": self.asks_onset,
            "parent": self.parent.value if self.parent else None,
            "red_flag": self.red_flag,
        }


S = SymptomCode
_ = gettext_noop

# Form order: the questions whose "yes" alone is an emergency or urgent come first (issue 17).
SYMPTOMS: tuple[Symptom, ...] = (
    Symptom(
        S.BREATHING_DIFFICULTY,
        _("sudden breathlessness or difficulty breathing"),
        _("Are you suddenly breathless, or finding it hard to breathe?"),
        red_flag=True,
    ),
    Symptom(S.CHEST_PAIN, _("chest pain"), _("Do you have chest pain?"), red_flag=True),
    Symptom(S.COUGHING_BLOOD, _("coughing blood"), _("Are you coughing up blood?"), red_flag=True),
    Symptom(S.FAINTED, _("fainting"), _("Have you fainted (passed out)?"), red_flag=True),
    Symptom(
        S.SWELLING_SKIN_LIPS_TONGUE,
        _("swelling of the skin, lips or tongue"),
        _("Is your skin, face, lips or tongue swelling?"),
        red_flag=True,
    ),
    Symptom(S.SEIZURE, _("seizure"), _("Have you had a seizure (fit)?"), red_flag=True),
    Symptom(
        S.NEW_WEAKNESS_OR_NUMBNESS,
        _("new or worsening weakness or numbness"),
        _("Do you have new or worsening weakness or numbness anywhere (arms, legs, body)?"),
        red_flag=True,
    ),
    Symptom(
        S.NEW_BLADDER_OR_BOWEL_LOSS,
        _("new loss of bladder or bowel control"),
        _("Have you newly lost control of your bladder or bowel (different from your usual)?"),
        red_flag=True,
    ),
    Symptom(
        S.SEVERE_BACK_PAIN,
        _("new severe back pain"),
        _("Do you have new, severe pain in your back?"),
        red_flag=True,
    ),
    Symptom(
        S.CONFUSION,
        _("confusion"),
        _("Are you confused, or does someone with you say you are not your usual self?"),
        red_flag=True,
    ),
    Symptom(
        S.HEADACHE,
        _("headache"),
        _("Do you have a headache?"),
        asks_severity=True,
        asks_onset=True,
        red_flag=True,
    ),
    Symptom(
        S.POUNDING_HEADACHE,
        _("pounding headache"),
        _("Is it a pounding headache?"),
        parent=S.HEADACHE,
        red_flag=True,
    ),
    Symptom(
        S.HEADACHE_WORSE_UPRIGHT,
        _("headache worse upright, better lying flat"),
        _("Is the headache worse when you sit or stand up, and better when you lie flat?"),
        parent=S.HEADACHE,
        red_flag=True,
    ),
    Symptom(
        S.HEADACHE_NOT_EASING_LYING,
        _("headache that does not ease lying down"),
        _("Does the headache stay the same or get worse when you lie down?"),
        parent=S.HEADACHE,
        red_flag=True,
    ),
    Symptom(
        S.FLUSHING_OR_SWEATING_ABOVE_INJURY,
        _("flushing or sweating above the injury"),
        _("Is your skin flushed (red) or sweating above the level of your injury?"),
        red_flag=True,
    ),
    Symptom(S.BLURRED_VISION, _("blurred vision"), _("Is your vision blurred?"), red_flag=True),
    Symptom(
        S.SLOW_PULSE,
        _("slow pulse"),
        _("Is your pulse slower than usual (if you or someone with you can check it)?"),
        red_flag=True,
    ),
    Symptom(
        S.STIFF_NECK,
        _("stiff neck"),
        _("Is your neck stiff, or painful when you bend your head forward?"),
        red_flag=True,
    ),
    Symptom(S.LIGHT_SENSITIVITY, _("light sensitivity"), _("Does light hurt your eyes?"), red_flag=True),
    Symptom(
        S.FEVER,
        _("fever"),
        _("Do you have a fever, or feel hot and shivery? (If you can, measure your temperature.)"),
        asks_onset=True,
    ),
    Symptom(
        S.VERY_UNWELL,
        _("feeling very unwell"),
        _("Do you feel very unwell (much worse than a usual cold or tiredness)?"),
    ),
    Symptom(
        S.HIVES_ITCHING_RASH,
        _("hives, itching or rash"),
        _("Do you have hives (raised itchy bumps), itching or a rash?"),
    ),
    Symptom(
        S.SITE_DISCHARGE,
        _("pus or discharge where the injection was given"),
        _("Is there pus or any other discharge (fluid) coming from where the injection was given?"),
    ),
    Symptom(
        S.SITE_SPREADING_REDNESS,
        _("spreading redness, red streaks, or growing warmth or swelling at the injection site"),
        _(
            "Around where the injection was given, is redness spreading or growing, are there red streaks, "
            "or is it getting warmer or more swollen?"
        ),
    ),
    Symptom(
        S.LEG_SWOLLEN_WARM_DISCOLOURED,
        _("one leg swollen, warm or discoloured"),
        _("Is one leg swollen, warm, or a different colour from the other? (It may not hurt.)"),
    ),
    Symptom(S.FEELING_FAINT, _("feeling faint"), _("Do you feel faint or light-headed?")),
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

# Symptoms a rule set of logic 1 (version 2026.1) knew; later questions are ignored when it replays a report.
LOGIC_1_SYMPTOMS: frozenset[SymptomCode] = frozenset(SymptomCode) - {
    S.VERY_UNWELL,
    S.HIVES_ITCHING_RASH,
    S.SITE_DISCHARGE,
    S.SITE_SPREADING_REDNESS,
}

# Severity in concrete words, per question (the engine keeps mild / moderate / severe).
SEVERITY_WORDS: Mapping[SymptomCode, Mapping[Severity, str]] = {
    S.HEADACHE: {
        Severity.MILD: _("Mild: you notice it, but you can carry on as usual"),
        Severity.MODERATE: _("Moderate: it stops you doing things, or wakes you at night"),
        Severity.SEVERE: _("Severe: the worst headache of your life, or it came on suddenly like a blow"),
    },
    S.NAUSEA: {
        Severity.MILD: _("Mild: queasy, but you can eat and drink"),
        Severity.MODERATE: _("Moderate: you have been sick, but you can keep fluids down"),
        Severity.SEVERE: _("Severe: you cannot keep fluids down"),
    },
    S.INJECTION_SITE_PAIN: {
        Severity.MILD: _("Mild: sore to touch"),
        Severity.MODERATE: _("Moderate: it hurts when you move, or wakes you at night"),
        Severity.SEVERE: _("Severe: it hurts all the time, even at rest"),
    },
}


def checklist() -> list[dict[str, Any]]:
    """The checklist in form order as JSON-ready data (English text; translate it when rendering)."""
    out = []
    for s in SYMPTOMS:
        entry = s.to_dict()
        if s.code in SEVERITY_WORDS:
            entry["severity_words"] = {str(k): v for k, v in SEVERITY_WORDS[s.code].items()}
        out.append(entry)
    return out


del S, _
