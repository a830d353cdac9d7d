"""Engine inputs: the patient context, checklist answers and vital signs, with their checks and JSON form."""

from __future__ import annotations

import enum
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from exoclinic.core.errors import InvalidInput, translate
from exoclinic.triage.ruleset import (
    SYMPTOMS,
    SYMPTOMS_BY_CODE,
    Answer,
    ProcedureRoute,
    Severity,
    SymptomCode,
    gettext_noop,
)

_ = gettext_noop


class TriageInputError(InvalidInput):
    code = "invalid_triage_input"


def _fail(message: str, key: str, **params: Any) -> TriageInputError:
    """``message`` is a msgid marked with gettext_noop, with named placeholders filled from ``params``;
    it is translated here, when raised, into the reader's language."""
    problem = translate(message) % params if params else translate(message)
    return TriageInputError(
        translate(_("%(field)s: %(problem)s")) % {"field": key, "problem": problem}, field=key
    )


def _enum(kind: type[enum.Enum], value: Any, key: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise _fail(_("must be one of %(choices)s"), key, choices=choices) from None


def _optional_number(value: Any, key: str, low: float, high: float) -> float | None:
    """Checks plausibility (typos, wrong units); these bounds are not clinical thresholds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(_("must be a number"), key)
    if not low <= value <= high:
        raise _fail(_("must be between %(low)s and %(high)s"), key, low=f"{low:g}", high=f"{high:g}")
    return value


# ---------------------------------------------------------------------------------------------- inputs

_LEVEL_PATTERN = re.compile(r"^(?:([CTLS])(\d{1,2})|S4-5|INT)$")
_SEGMENTS = {"C": 8, "T": 12, "L": 5, "S": 5}


@functools.lru_cache(maxsize=512)
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
        raise _fail(_("the procedure is in the future"), "context.days_since_procedure")
    return elapsed.total_seconds() / 86400


@dataclass(frozen=True)
class PatientContext:
    """What the clinic knows about the patient. ``None`` means unknown."""

    injury_level: str | None = None
    at_or_above_t6: bool | None = None  # for when only this is known (for example from the application form)
    days_since_procedure: float | None = None
    procedure_route: ProcedureRoute = ProcedureRoute.UNKNOWN
    baseline_systolic_mmhg: float | None = None
    baseline_heart_rate_bpm: float | None = None  # the patient's own resting pulse, where recorded

    def __post_init__(self) -> None:
        route = _enum(ProcedureRoute, self.procedure_route, "context.procedure_route")
        object.__setattr__(self, "procedure_route", route)
        if self.injury_level is not None:
            if not isinstance(self.injury_level, str):
                raise _fail(_("must be a level such as C5, T4 or L1"), "context.injury_level")
            try:
                derived = injury_at_or_above_t6(self.injury_level)
            except ValueError:
                raise _fail(_("must be a level such as C5, T4 or L1"), "context.injury_level") from None
            if self.at_or_above_t6 is not None and derived is not None and derived != self.at_or_above_t6:
                raise _fail(_("contradicts context.injury_level"), "context.at_or_above_t6")
        if self.at_or_above_t6 is not None and not isinstance(self.at_or_above_t6, bool):
            raise _fail(_("must be true, false or null"), "context.at_or_above_t6")
        days = _optional_number(self.days_since_procedure, "context.days_since_procedure", 0, 36500)
        if days is not None and route == ProcedureRoute.NONE:
            raise _fail(_("must be empty when there was no procedure"), "context.days_since_procedure")
        _optional_number(self.baseline_systolic_mmhg, "context.baseline_systolic_mmhg", 50, 250)
        _optional_number(self.baseline_heart_rate_bpm, "context.baseline_heart_rate_bpm", 25, 150)

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
                raise _fail(_("this question does not ask for severity"), f"{key}.severity")
            object.__setattr__(self, "severity", _enum(Severity, self.severity, f"{key}.severity"))
        for name in ("onset_hours_ago", "duration_hours"):
            if getattr(self, name) is not None and not symptom.asks_onset:
                raise _fail(_("this question does not ask when it started"), f"{key}.{name}")
            _optional_number(getattr(self, name), f"{key}.{name}", 0, 24 * 3650)
        onset, lasted = self.onset_hours_ago, self.duration_hours
        if onset is not None and lasted is not None and lasted > onset:
            raise _fail(_("cannot be longer than the time since it started"), f"{key}.duration_hours")


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


NOTE_MAX_LENGTH = 2000
_SYMPTOM_ORDER = {s.code: i for i, s in enumerate(SYMPTOMS)}


@dataclass(frozen=True)
class TriageInput:
    """Everything a decision is made from. Answers are kept in checklist order; a missing one is unknown."""

    context: PatientContext = field(default_factory=PatientContext)
    answers: tuple[SymptomAnswer, ...] = ()
    vitals: Vitals = field(default_factory=Vitals)
    note: str = ""  # "something else", in the patient's own words: staff read it with the report

    def __post_init__(self) -> None:
        if not isinstance(self.note, str):
            raise _fail(_("must be text"), "note")
        note = self.note.strip()
        if len(note) > NOTE_MAX_LENGTH:
            raise _fail(_("must be at most %(n)s characters"), "note", n=NOTE_MAX_LENGTH)
        object.__setattr__(self, "note", note)
        answers = tuple(sorted(self.answers, key=lambda a: _SYMPTOM_ORDER[SymptomCode(a.code)]))
        codes = [a.code for a in answers]
        if len(set(codes)) != len(codes):
            duplicate = next(c for c in codes if codes.count(c) > 1)
            raise _fail(_("answered twice"), f"answers.{duplicate}")
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
                "baseline_heart_rate_bpm": c.baseline_heart_rate_bpm,
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
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriageInput:
        """Parse the JSON form (also what a page posts); errors name the field."""
        data = _object(data, {"context", "answers", "vitals", "note"}, "input")
        context = _object(
            data.get("context") or {}, {f for f in PatientContext.__dataclass_fields__}, "context"
        )
        vitals = _object(data.get("vitals") or {}, {f for f in Vitals.__dataclass_fields__}, "vitals")
        raw_answers = data.get("answers") or []
        if not isinstance(raw_answers, list):
            raise _fail(_("must be a list"), "answers")
        answers = []
        for i, raw in enumerate(raw_answers):
            entry = _object(raw, {f for f in SymptomAnswer.__dataclass_fields__}, f"answers.{i}")
            if "code" not in entry or "answer" not in entry:
                raise _fail(_("needs code and answer"), f"answers.{i}")
            answers.append(SymptomAnswer(**entry))
        note = data.get("note") or ""
        return cls(
            context=PatientContext(**context), answers=tuple(answers), vitals=Vitals(**vitals), note=note
        )


def _object(data: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _fail(_("must be an object"), where)
    for key in data:
        if key not in allowed:
            raise _fail(_("unknown key"), f"{where}.{key}")
    return data
