from django import forms
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import Patient


class ContactDetailsForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "email",
            "phone",
            "address",
            "preferred_contact_method",
            "preferred_language",
            "time_zone",
            "emergency_contact_name",
            "emergency_contact_phone",
            "emergency_contact_relationship",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].help_text = _(
            "IANA name, e.g. Europe/Madrid. Leave empty to use the clinic's."
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
