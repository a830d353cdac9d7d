"""HTML forms for treatment pages. They parse and label; the services decide."""

from __future__ import annotations

import uuid
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import LEVEL_CHOICES

from .models import (
    AdverseOutcome,
    ConcurrentTherapy,
    CtcaeGrade,
    Relatedness,
    Route,
    SeriousnessCriterion,
    Tristate,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input; the view validates inside ``timezone.override(zone)`` to read it there."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", [LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)


def local_now(tz: zoneinfo.ZoneInfo) -> str:
    return timezone.now().astimezone(tz).strftime(LOCAL_INPUT)


class PlanForm(forms.Form):
    therapy = forms.ChoiceField(label=_("Therapy"))
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    target_site = forms.CharField(label=_("Target site"), max_length=200)
    target_level = forms.ChoiceField(label=_("Target level"), choices=LEVEL_CHOICES, required=False)
    planned_sessions = forms.IntegerField(label=_("Planned sessions"), min_value=1, max_value=50, initial=1)
    session_interval_days = forms.IntegerField(
        label=_("Days between sessions"), min_value=1, max_value=365, required=False
    )
    first_session_on = forms.DateField(
        label=_("First session planned on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dose = forms.CharField(label=_("Dose per session"), max_length=200)
    concurrent_therapies = forms.MultipleChoiceField(
        label=_("Concurrent therapies"),
        choices=ConcurrentTherapy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concurrent_therapies_note = forms.CharField(
        label=_("Concurrent therapies, detail"), max_length=500, required=False
    )
    rationale = forms.CharField(label=_("Physician's rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    alternatives_discussed = forms.CharField(
        label=_("Alternatives discussed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    anti_inflammatory_avoid_days = forms.IntegerField(
        label=_("Days to avoid anti-inflammatory medication after each session"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_(
            "Set per plan. Left empty, the clinic's default applies (clinic policy, not a clinical fact)."
        ),
    )
    active_infection = forms.ChoiceField(label=_("Active infection"), choices=Tristate.choices)
    pregnancy = forms.ChoiceField(label=_("Pregnancy"), choices=Tristate.choices)

    def __init__(self, *args, therapies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapy"].choices = [(str(t.pk), t.name) for t in therapies]


class ConsentInClinicForm(forms.Form):
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    witness_name = forms.CharField(label=_("Witness"), max_length=200)
    accepted_at = LocalDateTimeField(label=_("Signed at"))


class ConsentTextForm(forms.Form):
    """A version is never edited once published, so its Spanish is published with it."""

    version = forms.CharField(label=_("Version"), max_length=20)
    title = forms.CharField(label=_("Title (English)"), max_length=200)
    body = forms.CharField(
        label=_("Text the patient reads and signs (English)"), widget=forms.Textarea(attrs={"rows": 12})
    )
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=200, required=False)
    body_es = forms.CharField(
        label=_("Text the patient reads and signs (Spanish)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_(
            "Patients who read Spanish see this text; without it they see the English. A published version "
            "cannot be changed, so write the Spanish before publishing."
        ),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("title_es", "").strip()) != bool(data.get("body_es", "").strip()):
            field = "body_es" if data.get("title_es", "").strip() else "title_es"
            self.add_error(field, _("Give both the Spanish title and the Spanish text, or neither."))
        return data


class ConsentAcceptForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    accepted = forms.BooleanField(
        label=_("I have read this text, my questions were answered, and I consent to the treatment plan."),
        required=True,
    )


class ConsentRenewForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    accepted = forms.BooleanField(
        label=_(
            "I have read the new version of the text and I consent to go on with the treatment under it."
        ),
        required=True,
    )


class ProcedureForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    identity_full_name = forms.CharField(
        label=_("Patient's full name, as the patient states it"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    identity_date_of_birth = forms.DateField(
        label=_("Patient's date of birth, as the patient states it"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    lot_code = forms.CharField(
        label=_("Lot code (scan or type)"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    performed_at = LocalDateTimeField(label=_("Performed at"))
    dose = forms.CharField(label=_("Dose given"), max_length=200)
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    site = forms.CharField(label=_("Site"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    before_systolic = forms.IntegerField(label=_("Before: systolic pressure (mmHg)"))
    before_diastolic = forms.IntegerField(label=_("Before: diastolic pressure (mmHg)"))
    before_heart_rate = forms.IntegerField(label=_("Before: heart rate (/min)"))
    before_temperature_c = forms.DecimalField(
        label=_("Before: temperature (°C)"), required=False, decimal_places=1
    )
    before_spo2 = forms.IntegerField(label=_("Before: oxygen saturation (%)"), required=False)
    after_systolic = forms.IntegerField(label=_("After: systolic pressure (mmHg)"))
    after_diastolic = forms.IntegerField(label=_("After: diastolic pressure (mmHg)"))
    after_heart_rate = forms.IntegerField(label=_("After: heart rate (/min)"))
    after_temperature_c = forms.DecimalField(
        label=_("After: temperature (°C)"), required=False, decimal_places=1
    )
    after_spo2 = forms.IntegerField(label=_("After: oxygen saturation (%)"), required=False)
    immediate_reactions = forms.CharField(
        label=_("Immediate reactions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    appointment = forms.ChoiceField(label=_("Treatment-session appointment"), required=False)

    def __init__(self, *args, routes=(), appointments=(), **kwargs):
        super().__init__(*args, **kwargs)
        if routes:
            self.fields["route"].choices = routes
        if appointments:
            self.fields["appointment"].choices = [("", _("None"))] + list(appointments)
        else:
            del self.fields["appointment"]

    def vitals(self, prefix: str) -> dict:
        names = ("systolic", "diastolic", "heart_rate", "temperature_c", "spo2")
        return {n: self.cleaned_data.get(f"{prefix}_{n}") for n in names}


class AdverseEventForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    onset_at = LocalDateTimeField(label=_("Onset"))
    ctcae_grade = forms.TypedChoiceField(
        label=_("CTCAE grade"), choices=[("", "—")] + CtcaeGrade.choices, coerce=int, empty_value=None
    )
    seriousness_criteria = forms.MultipleChoiceField(
        label=_("Seriousness criteria (ICH E2A): any one makes the event serious"),
        choices=SeriousnessCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Grade 4 counts as life-threatening and grade 5 as death without ticking."),
    )
    no_seriousness_criteria = forms.BooleanField(
        label=_("None of these applies"),
        required=False,
        help_text=_("Required for a grade 3 event with no criterion ticked."),
    )
    relatedness = forms.ChoiceField(
        label=_("Relatedness to the product"), choices=[("", "—")] + Relatedness.choices
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AdverseOutcome.choices)
    lot_code = forms.CharField(
        label=_("Lot"),
        max_length=40,
        required=False,
        help_text=_("Left empty: the lot of the last procedure before the onset."),
    )


class RegulatorReportForm(forms.Form):
    regulator_reference = forms.CharField(
        label=_("Report reference (e.g. MedWatch 3500A number)"), max_length=100
    )


class AdverseEventFilterForm(forms.Form):
    lot = forms.CharField(label=_("Lot"), required=False)
    since = forms.DateField(
        label=_("Onset from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Onset up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
