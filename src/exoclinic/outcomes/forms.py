"""Forms generated from the instrument definitions, and the weekly diary form.

The forms only collect values: ranges and allowed answers are checked by the instrument's scoring, whose
``ScoringError`` names each bad item, so the page and the API refuse the same things with the same words.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .indicators import INDICATORS
from .instruments import InstrumentDefinition


class InstrumentForm(forms.Form):
    taken_on = forms.DateField(
        label=_("Date taken"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, definition: InstrumentDefinition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        if not self.is_bound:
            self.initial["submission"] = uuid.uuid4().hex
        for item in definition.items:
            label = item.label
            if item.choices:
                choices = [(choice.text, f"{choice.text}: {choice.label}") for choice in item.choices]
                if not item.required:
                    choices = [("", _("not assessed"))] + choices
                else:
                    choices = [("", _("choose"))] + choices
                field = forms.ChoiceField(label=label, choices=choices, required=False)
            elif item.parser is not None or item.special:
                field = forms.CharField(label=label, required=False, max_length=30)
            else:
                unit = f" ({item.unit})" if item.unit else ""
                field = forms.CharField(
                    label=f"{label}{unit}",
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    help_text=item.allowed_text(),
                )
            self.fields[f"item_{item.key}"] = field

    def items(self) -> dict:
        data = self.cleaned_data
        out = {}
        for item in self.definition.items:
            value = data.get(f"item_{item.key}")
            if value not in (None, ""):
                out[item.key] = value
        return out

    def add_scoring_errors(self, problems: list[dict]) -> None:
        for problem in problems:
            name = f"item_{problem['field']}"
            self.add_error(name if name in self.fields else None, problem["message"])


class DiaryForm(forms.Form):
    """Six whole numbers 0-10; the service checks them (``indicators.validate_ratings``)."""

    def __init__(self, *args, week_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"] = forms.ChoiceField(
            label=_("Which week?"),
            choices=list(week_choices),
            required=False,
            help_text=_("Missed last week? You can still fill it in."),
        )
        for indicator in INDICATORS:
            self.fields[indicator.code] = forms.CharField(
                label=indicator.question,
                required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric", "step": 1}),
                help_text=_("0 = %(low)s, 10 = %(high)s") % {"low": indicator.low, "high": indicator.high},
            )
        self.fields["note"] = forms.CharField(
            label=_("Anything else this week? (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def ratings(self) -> dict:
        return {indicator.code: self.cleaned_data.get(indicator.code) for indicator in INDICATORS}
