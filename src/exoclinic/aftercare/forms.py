from django import forms
from django.utils.translation import gettext_lazy as _


class CheckInForm(forms.Form):
    feeling = forms.ChoiceField(
        label=_("Compared with before the treatment, how do you feel?"),
        choices=[("better", _("Better")), ("same", _("About the same")), ("worse", _("Worse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything you want the clinic to know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
