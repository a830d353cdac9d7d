"""Forms of the lab pages. They parse input only; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Collection,
    NotificationMethod,
    NotificationStatus,
    ProductType,
    ProductUnit,
    QcSpecification,
    RecallClass,
    SourceKind,
    StorageUnit,
    UnitStatus,
)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def local_datetime_field(label, **kwargs) -> forms.DateTimeField:
    # Entered in the clinic's zone: the views activate it while parsing and rendering.
    return forms.DateTimeField(
        label=label,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        **kwargs,
    )


class SubmissionKeyMixin(forms.Form):
    """A hidden key so a double-submitted form creates one record."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class LotRegisterForm(SubmissionKeyMixin):
    product_type = forms.ModelChoiceField(label=_("Product type"), queryset=ProductType.objects.none())
    collection = forms.ModelChoiceField(label=_("Parent collection"), queryset=Collection.objects.none())
    manufactured_on = forms.DateField(label=_("Manufactured on"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput())
    unit_count = forms.IntegerField(label=_("Number of units (vials)"), min_value=1, max_value=999)
    volume_ml = forms.DecimalField(
        label=_("Volume per unit (mL)"), min_value=0, max_digits=8, decimal_places=3
    )
    particles_per_ml = forms.DecimalField(
        label=_("Particle concentration on the label (particles/mL)"),
        help_text=_("For example 1E11 or 100000000000."),
        max_digits=30,
        decimal_places=0,
    )
    protein_ug_per_ml = forms.DecimalField(
        label=_("Protein (µg/mL)"), required=False, max_digits=12, decimal_places=3
    )
    storage_unit = forms.ModelChoiceField(
        label=_("Stored in"), queryset=StorageUnit.objects.none(), required=False
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_type"].queryset = ProductType.objects.filter(clinic=clinic)
        self.fields["collection"].queryset = Collection.objects.filter(clinic=clinic)
        self.fields["storage_unit"].queryset = StorageUnit.objects.filter(clinic=clinic, active=True)


class QcResultForm(SubmissionKeyMixin):
    specification = forms.ModelChoiceField(label=_("Test"), queryset=QcSpecification.objects.none())
    value = forms.CharField(
        label=_("Result"),
        max_length=60,
        help_text=_("A number (with < or > for a detection limit, e.g. < 0.05) or the text answer."),
    )
    tested_at = local_datetime_field(_("Tested at"))

    def __init__(self, *args, lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specification"].queryset = QcSpecification.objects.filter(
            product_type_id=lot.product_type_id, active=True
        )
        self.fields["specification"].label_from_instance = lambda s: f"{s.name} ({s.as_spec().describe()})"


class ReleaseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Re-enter your password to sign the release in your name."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RecallForm(forms.Form):
    recall_class = forms.ChoiceField(
        label=_("Recall class"), choices=RecallClass.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NotificationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in NotificationStatus.choices if c[0] != NotificationStatus.PENDING],
    )
    method = forms.ChoiceField(label=_("How"), choices=NotificationMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class UnitActionForm(forms.Form):
    ACTIONS = [("move", _("Move to storage")), ("thaw", _("Thaw")), ("discard", _("Discard"))]
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=ProductUnit.objects.none())
    step = forms.ChoiceField(label=_("Action"), choices=ACTIONS)  # not "action": that names the form
    storage_unit = forms.ModelChoiceField(
        label=_("To storage (for a move)"), queryset=StorageUnit.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note (reason, for a discard)"), required=False, max_length=300)

    def __init__(self, *args, lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = lot.units.filter(status__in=[UnitStatus.AVAILABLE, UnitStatus.HELD])
        self.fields["unit"].label_from_instance = lambda u: f"{u.sequence:03d} ({u.get_status_display()})"
        self.fields["storage_unit"].queryset = StorageUnit.objects.filter(
            clinic_id=lot.clinic_id, active=True
        )


class ReadingForm(forms.Form):
    measured_at = local_datetime_field(_("Measured at"))
    celsius = forms.DecimalField(label=_("Temperature (°C)"), max_digits=6, decimal_places=2)


class ReadingsImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns measured_at and celsius. Times without a UTC offset are read in the clinic's time zone. "
            "If any line is wrong, nothing is imported and each wrong line is named."
        ),
    )


class CorrectiveActionForm(forms.Form):
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done and what was decided about the held units."),
    )


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    identifier = forms.CharField(
        label=_("Identifier"), max_length=60, help_text=_("The bank's or donor's code. No names.")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class SourceTestForm(forms.Form):
    name = forms.CharField(label=_("Test"), max_length=120)
    result = forms.CharField(label=_("Result"), max_length=120)
    acceptable = forms.TypedChoiceField(
        label=_("Acceptable"), choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    tested_on = forms.DateField(label=_("Tested on"), widget=DateInput())


class EligibilityForm(forms.Form):
    eligibility = forms.ChoiceField(
        label=_("Decision"), choices=[("eligible", _("Eligible")), ("ineligible", _("Not eligible"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CollectionForm(forms.Form):
    reference = forms.CharField(label=_("Collection reference"), max_length=60)
    collected_at = local_datetime_field(_("Collected at"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class DeviationForm(SubmissionKeyMixin):
    description = forms.CharField(label=_("What deviated"), widget=forms.Textarea(attrs={"rows": 3}))
    discovered_at = local_datetime_field(_("Discovered"))


class DeviationReportedForm(forms.Form):
    deviation = forms.IntegerField(widget=forms.HiddenInput)
    regulator_reference = forms.CharField(label=_("Report reference"), max_length=100)
