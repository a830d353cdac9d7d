from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BookingQuestionsForm(forms.Form):
    mobility_needs = forms.CharField(
        label=_("Mobility or transfer needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: power wheelchair, transfer board, hoist needed, can stand with support."),
    )
    caregiver_attending = forms.BooleanField(label=_("A caregiver will come with me"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter needed (language)"),
        required=False,
        max_length=60,
        help_text=_("Leave empty if you do not need one."),
    )
    notes = forms.CharField(
        label=_("Anything else the clinic should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class WaitlistForm(forms.Form):
    earliest = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    latest = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("earliest") and data.get("latest") and data["latest"] < data["earliest"]:
            self.add_error("latest", _("The end date is before the start date."))
        return data
