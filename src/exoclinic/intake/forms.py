"""One form per step of the application, and the reviewer's forms. Rules live in the services."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import LEVEL_CHOICES, Condition
from exoclinic.outcomes.indicators import INDICATORS, SCALE

from .models import Answer, Decision, Goal, TreatmentApplication, UploadKind
from .steps import BY_KEY

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TEXT = forms.Textarea(attrs={"rows": 3})
_TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class AboutForm(forms.ModelForm):
    for_self = forms.TypedChoiceField(
        label=_("Who is filling in this form?"),
        choices=[("yes", _("I am the patient")), ("no", _("I am filling it in for the patient"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    time_zone = forms.ChoiceField(label=_("Patient's time zone"), choices=[(z, z) for z in _TIME_ZONES])

    class Meta:
        model = TreatmentApplication
        fields = list(BY_KEY["about"].fields)  # the step decides which answers it holds
        widgets = {"date_of_birth": _DATE}
        help_texts = {
            "filler_name": _("Only if you fill this in for someone else."),
            "email": _("We send a link to continue the application to this address."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["for_self"] = "yes" if self.instance.for_self else "no"
        for name, message in (
            ("first_name", _("Enter the patient's first name.")),
            ("last_name", _("Enter the patient's last name.")),
            ("date_of_birth", _("Enter the patient's date of birth.")),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean(self):
        data = super().clean()
        if data.get("for_self") is False:
            for name, message in (
                ("filler_name", _("Enter your name.")),
                ("filler_relationship", _("Say how you are related to the patient.")),
                ("filler_email", _("Enter your e-mail address.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        elif data.get("for_self") and not data.get("email"):
            self.add_error("email", _("Enter your e-mail address."))
        return data


class ConditionForm(forms.ModelForm):
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices, widget=forms.RadioSelect)
    neurological_level = forms.ChoiceField(
        label=_("Level of injury"),
        choices=LEVEL_CHOICES,
        required=False,
        help_text=_("As written in the medical report (e.g. C5, T10); leave 'Not known' if unsure."),
    )

    class Meta:
        model = TreatmentApplication
        fields = list(BY_KEY["condition"].fields)  # the step decides which answers it holds
        widgets = {"date_of_injury": _DATE, "condition_description": _TEXT, "surgeries": _TEXT}
        help_texts = {
            "condition_description": _(
                "For a condition other than spinal cord injury: what it is and since when."
            ),
            "surgeries": _("Operations on the spine or related to the condition, with years."),
        }

    def clean(self):
        data = super().clean()
        if data.get("condition") == Condition.OTHER and not (data.get("condition_description") or "").strip():
            self.add_error("condition_description", _("Describe the condition."))
        return data


class FunctionForm(forms.Form):
    """The six self-rated indicators (outcomes.indicators), 0 to 10: the first entry of the progress diary."""

    def __init__(self, *args, instance: TreatmentApplication | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ratings = instance.self_ratings if instance else {}
        for indicator in INDICATORS:
            self.fields[indicator.code] = forms.TypedChoiceField(
                label=indicator.question,
                choices=[("", _("Choose"))] + [(n, str(n)) for n in SCALE],
                coerce=int,
                help_text=_("0 = %(low)s, 10 = %(high)s") % {"low": indicator.low, "high": indicator.high},
                error_messages={"required": _("Choose a number from 0 to 10.")},
            )
            if indicator.code in ratings:
                self.initial[indicator.code] = ratings[indicator.code]

    def step_data(self) -> dict:
        return {"self_ratings": {ind.code: self.cleaned_data[ind.code] for ind in INDICATORS}}


class HealthForm(forms.ModelForm):
    class Meta:
        model = TreatmentApplication
        fields = list(BY_KEY["health"].fields)  # the step decides which answers it holds
        labels = {
            "active_infection": _(
                "Do you have an infection now (for example fever, urinary or skin infection)?"
            ),
            "pregnant": _("Are you pregnant, or could you be?"),
            "active_cancer": _("Do you have a cancer that is being treated or not in remission?"),
            "bleeding_disorder": _("Do you have a bleeding disorder?"),
            "medications": _("Medications you take, with doses"),
            "takes_anticoagulants": _("Do you take blood thinners (anticoagulants)?"),
            "takes_anti_inflammatories": _("Do you take anti-inflammatory drugs (e.g. ibuprofen)?"),
            "takes_immunosuppressants": _("Do you take drugs that suppress the immune system?"),
            "allergies": _("Allergies"),
            "past_treatments": _("Treatments you had for the condition"),
            "earlier_cell_treatment": _("Have you had stem cell or exosome treatment before?"),
            "last_cell_treatment_on": _("If yes: date of the last one"),
            "current_therapies": _("Therapies you do now (e.g. physiotherapy)"),
        }
        widgets = {
            "last_cell_treatment_on": _DATE,
            "medications": _TEXT,
            "allergies": _TEXT,
            "past_treatments": _TEXT,
            "current_therapies": _TEXT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and set(Answer.values) <= {
                c[0] for c in field.choices
            }:
                field.choices = Answer.choices
                field.widget = forms.RadioSelect(choices=Answer.choices)
                field.required = True
                field.error_messages["required"] = _('Answer this question ("Not sure" is an answer).')


class GoalsForm(forms.Form):
    RANKS = 5

    goals_own_words = forms.CharField(
        label=_("Your goals in your own words"),
        required=False,
        widget=_TEXT,
        help_text=_("What would make a difference in your daily life?"),
    )
    expectations = forms.CharField(
        label=_("What do you expect from treatment?"),
        required=False,
        widget=_TEXT,
        help_text=_("The clinic measures change; it cannot promise any result."),
    )

    def __init__(self, *args, instance: TreatmentApplication | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— none —"))] + list(Goal.choices)
        ordinals = [
            _("Most important goal"),
            _("Second goal"),
            _("Third goal"),
            _("Fourth goal"),
            _("Fifth goal"),
        ]
        ranked = {}
        for i in range(self.RANKS):
            ranked[f"goal_{i + 1}"] = forms.ChoiceField(label=ordinals[i], choices=choices, required=i == 0)
        ranked["goal_1"].error_messages["required"] = _("Choose at least one goal.")
        self.fields = {**ranked, **self.fields}
        if instance is not None:
            for i, code in enumerate(instance.goals[: self.RANKS]):
                self.initial[f"goal_{i + 1}"] = code
            self.initial["goals_own_words"] = instance.goals_own_words
            self.initial["expectations"] = instance.expectations

    def clean(self):
        data = super().clean()
        seen = set()
        for i in range(self.RANKS):
            code = data.get(f"goal_{i + 1}")
            if code and code in seen:
                self.add_error(f"goal_{i + 1}", _("You chose this goal already."))
            seen.add(code)
        return data

    def step_data(self) -> dict:
        goals = [self.cleaned_data[f"goal_{i + 1}"] for i in range(self.RANKS)]
        return {
            "goals": [g for g in goals if g],
            "goals_own_words": self.cleaned_data["goals_own_words"],
            "expectations": self.cleaned_data["expectations"],
        }


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=UploadKind.choices)
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class ConsentForm(forms.ModelForm):
    class Meta:
        model = TreatmentApplication
        fields = list(BY_KEY["consent"].fields)  # the step decides which answers it holds
        labels = {
            "consent_contact": _("I agree that the clinic contacts me about this application."),
            "privacy_acknowledged": _("I have read the privacy notice."),
            "research_consent": _(
                "Optional: my data may be used, without my name, for research on outcomes."
            ),
        }
        help_texts = {
            "privacy_acknowledged": _(
                "The clinic keeps your answers and documents to review your application, shows them only to "
                "its staff, and keeps a record of every access."
            ),
            "research_consent": _("You can say no; it changes nothing about your application."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_contact"].required = True
        self.fields["privacy_acknowledged"].required = True
        self.fields["consent_contact"].error_messages["required"] = _(
            "We need your consent to contact you about the application."
        )
        self.fields["privacy_acknowledged"].error_messages["required"] = _(
            "Please read and acknowledge the privacy notice."
        )


STEP_FORMS = {
    "about": AboutForm,
    "condition": ConditionForm,
    "function": FunctionForm,
    "health": HealthForm,
    "goals": GoalsForm,
    "consent": ConsentForm,
}


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why are you withdrawing? (optional)"), required=False, widget=_TEXT)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant receives this reason by e-mail."),
    )

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        if matches:
            # Staff decide, never the system: link to one of the possible records, or create a new one.
            self.fields["patient"] = forms.ChoiceField(
                label=_("Patient record, if accepted"),
                widget=forms.RadioSelect,
                required=False,
                choices=[
                    (
                        str(m.patient.pk),
                        _("Link to %(record)s %(name)s (%(evidence)s)")
                        % {
                            "record": m.patient.record_number,
                            "name": f"{m.patient.first_name} {m.patient.last_name}",
                            "evidence": ", ".join(m.evidence_text),
                        },
                    )
                    for m in matches
                ]
                + [("new", _("Create a new patient record"))],
                help_text=_(
                    "Compare the records above before linking: a record's e-mail is what its patient typed."
                ),
            )


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Reviewer"), required=False)

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", _("— nobody —"))] + [
            (str(u.pk), u.full_name or u.email) for u in reviewers
        ]
