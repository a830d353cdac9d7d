from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core import panels, services
from exoclinic.core.errors import InvalidInput
from exoclinic.core.timeline import patient_timeline
from exoclinic.core.views import domain_errors_as_http, request_acting_patient

from .forms import ContactDetailsForm
from .selectors import portal_patients


def _acting_patient(request):
    return request_acting_patient(request, required=False)


@login_required
def home(request):
    patients = list(portal_patients(user=request.user))
    cards = [
        {"patient": p, "timeline": patient_timeline(p), "is_self": p.user_id == request.user.pk}
        for p in patients
    ]
    return render(
        request, "portal/home.html", {"cards": cards, "panels": panels.panels_for("portal", request)}
    )


@login_required
@domain_errors_as_http
def profile(request):
    patient = _acting_patient(request)
    if patient is None:
        raise Http404
    form = ContactDetailsForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        asked = form.cleaned_data["email"]
        try:
            saved = services.patient_update(
                actor=request.user,
                patient=patient,
                data={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your contact details were saved."))
            if saved.pending_email and saved.pending_email == asked:
                messages.info(
                    request,
                    _(
                        "We sent a link to %(email)s. The new address counts once you open it; until then "
                        "we keep writing to %(old)s."
                    )
                    % {"email": asked, "old": saved.email or "-"},
                )
            return redirect(f"{request.path}?patient={patient.pk}")
    return render(request, "portal/profile.html", {"form": form, "patient": patient})


@login_required
@require_POST
@domain_errors_as_http
def research_consent_withdraw(request):
    patient = _acting_patient(request)
    if patient is None:
        raise Http404
    services.patient_research_consent_withdraw(actor=request.user, patient=patient)
    messages.success(request, _("Your consent to research use is withdrawn."))
    return redirect(f"{reverse('portal:profile')}?patient={patient.pk}")


@login_required
@domain_errors_as_http
def email_confirm(request, token: str):
    """The link from the verification mail: the new address counts from now on."""
    try:
        patient = services.patient_email_confirm(actor=request.user, token=token)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("portal:profile")
    messages.success(request, _("Your new e-mail address is confirmed."))
    return redirect(f"{reverse('portal:profile')}?patient={patient.pk}")
