"""Staff pages: upload a referral (FHIR Bundle), review it with the possible matches, import or discard."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exoclinic.core.errors import InvalidInput
from exoclinic.core.policy import staff_clinics
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from . import importing


class ReferralForm(forms.Form):
    clinic = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Clinic"))
    source = forms.CharField(
        label=gettext_lazy("Referred by"),
        max_length=200,
        help_text=gettext_lazy(
            "The hospital or clinic the record comes from; kept with every imported record."
        ),
    )
    file = forms.FileField(label=gettext_lazy("FHIR Bundle (JSON)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = staff_clinics(user, importing.IMPORTER_ROLES)
        if self.fields["clinic"].queryset.count() == 1:
            self.fields["clinic"].initial = self.fields["clinic"].queryset.first()


@staff_required
def referral_upload(request):
    if not staff_clinics(request.user, importing.IMPORTER_ROLES).exists():
        raise Http404
    form = ReferralForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = importing.referral_upload(
                actor=request.user,
                clinic=form.cleaned_data["clinic"],
                raw=upload.read(importing.MAX_BYTES + 1),
                file_name=upload.name,
                source=form.cleaned_data["source"],
            )
        except importing.BundleProblems as exc:
            problems = exc.problems
            form.add_error("file", exc.message)
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("interop:referral-review", record.pk)
    return render(request, "interop/referral_upload.html", {"form": form, "problems": problems})


@staff_required
@domain_errors_as_http
def referral_review(request, import_id):
    upload = importing.referral_get(user=request.user, import_id=import_id)
    referral = importing.referral_read(json.dumps(upload.bundle).encode())
    matches = importing.possible_matches(upload, referral)
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            importing.referral_discard(actor=request.user, upload=upload)
            messages.success(request, _("The referral was discarded; nothing was imported."))
            return redirect("interop:referral-upload")
        choice = request.POST.get("match", "")
        if choice == "new" or (choice.isdigit() and any(p.pk == int(choice) for p in matches)):
            try:
                patient = importing.referral_confirm(
                    actor=request.user, upload=upload, match_id=None if choice == "new" else int(choice)
                )
            except InvalidInput as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    _("The referral was imported into %(name)s's record.") % {"name": patient.full_name},
                )
                return redirect("staff:patient", patient.pk)
        else:
            error = _("Choose a new patient or one of the possible matches.")
    return render(
        request,
        "interop/referral_review.html",
        {"upload": upload, "referral": referral, "matches": matches, "error": error},
    )
