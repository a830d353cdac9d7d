"""The symptom checklist as a form, generated from ``SYMPTOMS``.

Triage answers first (issue 17): every field is optional and a blank is "don't know", so a submit with only
the worrying answers gets its answer at once (an unknown never lowers the level). The red-flag questions come
first (``SYMPTOMS`` order). Severity is asked in concrete words (``SEVERITY_WORDS``). Vital signs are
optional: a reading not taken is not a sign. "Something else" is free text that staff read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .engine import Answer, PatientContext, ProcedureRoute, Severity, SymptomAnswer, TriageInputError, Vitals
from .engine.inputs import NOTE_MAX_LENGTH
from .ruleset import SEVERITY_WORDS, SYMPTOMS, Symptom

ANSWER_CHOICES = [
    (Answer.YES.value, _("Yes")),
    (Answer.NO.value, _("No")),
    (Answer.UNKNOWN.value, _("Don't know")),
]
SEVERITY_CHOICES = [
    (Severity.MILD.value, _("Mild")),
    (Severity.MODERATE.value, _("Moderate")),
    (Severity.SEVERE.value, _("Severe")),
]
UNIT_CHOICES = [("hours", _("hours ago")), ("days", _("days ago"))]

# Plausibility bounds of the engine's inputs, repeated here so the form names the field (not clinical limits).
VITALS = (
    ("temperature_c", _("Temperature (°C)"), 30, 45, "0.1"),
    ("systolic_mmhg", _("Blood pressure, upper number (systolic, mmHg)"), 40, 300, "1"),
    ("diastolic_mmhg", _("Blood pressure, lower number (diastolic, mmHg)"), 20, 200, "1"),
    ("heart_rate_bpm", _("Pulse (beats per minute)"), 15, 250, "1"),
)


@dataclass
class Question:
    symptom: Symptom
    answer: forms.BoundField
    severity: forms.BoundField | None
    onset: forms.BoundField | None
    onset_unit: forms.BoundField | None
    ends_red_flags: bool = False  # the last red-flag question: a submit button follows it

    @property
    def errors(self) -> list[str]:
        out = []
        for bound in (self.answer, self.severity, self.onset, self.onset_unit):
            if bound is not None:
                out.extend(bound.errors)
        return out


class SymptomChecklistForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = uuid.uuid4()
        for s in SYMPTOMS:
            self.fields[f"answer_{s.code}"] = forms.ChoiceField(
                label=gettext(s.question),
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,  # a blank is "don't know"
            )
            if s.asks_severity:
                words = SEVERITY_WORDS.get(s.code)
                choices = (
                    [(sev.value, gettext(words[sev])) for sev in Severity] if words else SEVERITY_CHOICES
                )
                self.fields[f"severity_{s.code}"] = forms.ChoiceField(
                    label=_("How bad is it?"),
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=False,
                )
            if s.asks_onset:
                self.fields[f"onset_{s.code}"] = forms.DecimalField(
                    label=_("When did it start?"),
                    min_value=0,
                    max_value=3650,
                    decimal_places=1,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
                )
                self.fields[f"onset_unit_{s.code}"] = forms.ChoiceField(
                    label=_("Unit"), choices=UNIT_CHOICES, initial="hours", required=False
                )
        for name, label, low, high, step in VITALS:
            self.fields[name] = forms.DecimalField(
                label=label,
                min_value=low,
                max_value=high,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": step}),
            )
        self.fields["note"] = forms.CharField(
            label=_("Something else? Describe it in your own words"),
            help_text=_("Anything the questions do not cover. The clinic's staff read it with your answers."),
            max_length=NOTE_MAX_LENGTH,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def questions(self) -> list[Question]:
        out = []
        last_red_flag = max(i for i, s in enumerate(SYMPTOMS) if s.red_flag)
        for i, s in enumerate(SYMPTOMS):
            out.append(
                Question(
                    symptom=s,
                    answer=self[f"answer_{s.code}"],
                    severity=self[f"severity_{s.code}"] if s.asks_severity else None,
                    onset=self[f"onset_{s.code}"] if s.asks_onset else None,
                    onset_unit=self[f"onset_unit_{s.code}"] if s.asks_onset else None,
                    ends_red_flags=i == last_red_flag,
                )
            )
        return out

    def vitals_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, *_rest in VITALS]

    def note(self) -> str:
        return self.cleaned_data.get("note") or ""

    def symptom_answers(self) -> tuple[SymptomAnswer, ...]:
        data = self.cleaned_data
        out = []
        for s in SYMPTOMS:
            answer = data.get(f"answer_{s.code}")
            if not answer:
                continue  # blank: "don't know" (or a follow-up not asked under a "no")
            severity = onset = None
            if answer == Answer.YES:
                severity = data.get(f"severity_{s.code}") or None if s.asks_severity else None
                if s.asks_onset and data.get(f"onset_{s.code}") is not None:
                    value = float(data[f"onset_{s.code}"])
                    onset = value * 24 if data.get(f"onset_unit_{s.code}") == "days" else value
            out.append(SymptomAnswer(code=s.code, answer=answer, severity=severity, onset_hours_ago=onset))
        return tuple(out)

    def vitals(self) -> Vitals:
        data = self.cleaned_data
        return Vitals(
            **{name: float(data[name]) if data.get(name) is not None else None for name, *_rest in VITALS}
        )

    def add_engine_error(self, exc: TriageInputError) -> None:
        """Show an input error from the engine next to the field it names."""
        field = exc.field or ""
        parts = field.split(".")
        name = None
        if parts[0] == "vitals" and len(parts) == 2:
            name = parts[1]
        elif parts[0] == "answers" and len(parts) == 3:
            name = f"onset_{parts[1]}" if parts[2] in ("onset_hours_ago", "duration_hours") else None
            name = f"severity_{parts[1]}" if parts[2] == "severity" else name
        self.add_error(name if name in self.fields else None, exc.message)


class SelfCheckForm(SymptomChecklistForm):
    """The anonymous self-check also asks what the clinic would otherwise know from the record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        context_fields = {
            "at_or_above_t6": forms.ChoiceField(
                label=_("Is your spinal cord injury at T6 or above (at chest level or higher)?"),
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,  # a blank is "don't know": counted as at or above T6
            ),
            "days_since_injection": forms.DecimalField(
                label=_("How many days ago was your last injection at the clinic?"),
                help_text=_("Leave empty if you don't know or had none."),
                min_value=0,
                max_value=3650,
                decimal_places=1,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
            ),
        }
        self.fields = {**context_fields, **self.fields}

    def patient_context(self) -> PatientContext:
        t6 = self.cleaned_data.get("at_or_above_t6") or Answer.UNKNOWN
        days = self.cleaned_data.get("days_since_injection")
        return PatientContext(
            at_or_above_t6={Answer.YES: True, Answer.NO: False}.get(Answer(t6)),
            days_since_procedure=float(days) if days is not None else None,
            procedure_route=ProcedureRoute.UNKNOWN,
        )
