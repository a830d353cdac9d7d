"""The applicant's pages: the step form, the link back, confirmation, status, documents, first password."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core.errors import DomainError, InvalidInput, NotFound
from exoclinic.core.models import Clinic
from exoclinic.core.selectors import public_clinic
from exoclinic.core.views import domain_errors_as_http

from . import conf, filecheck, selectors, services
from .forms import STEP_FORMS, FunctionForm, GoalsForm, MessageForm, UploadForm, WithdrawForm
from .models import ApplicationStatus, TreatmentApplication
from .steps import BY_KEY, STEP_OF_FIELD, STEPS, answer_rows, missing_answers, next_step

DRAFT_KEY = "intake_draft"
GRANTED_KEY = "intake_granted"


def _granted(request) -> list[int]:
    return list(request.session.get(GRANTED_KEY, []))


def _grant(request, application: TreatmentApplication, *, as_draft: bool) -> None:
    request.session[GRANTED_KEY] = sorted(set(_granted(request)) | {application.pk})
    if as_draft:
        request.session[DRAFT_KEY] = application.pk


def _session_application(request) -> TreatmentApplication | None:
    pk = request.session.get(DRAFT_KEY)
    if not pk or pk not in _granted(request):
        return None
    application = TreatmentApplication.objects.select_related("clinic").filter(pk=pk).first()
    expired = application and application.draft_expires_at and application.draft_expires_at <= timezone.now()
    if application is None or (application.status == ApplicationStatus.DRAFT and expired):
        return None
    return application


def _clinic_for(request) -> Clinic:
    slug = request.GET.get("clinic") or request.POST.get("clinic") or ""
    clinic = Clinic.objects.filter(slug=slug).first() if slug else public_clinic()
    if clinic is None:
        raise Http404
    return clinic


def _step_of(field: str | None) -> str:
    from exoclinic.outcomes.indicators import BY_CODE

    if field in BY_CODE:
        return "function"
    if field and field.startswith("goal_"):
        return "goals"
    return STEP_OF_FIELD.get(field or "", "about")


def _form_for(step: str, application: TreatmentApplication | None, clinic: Clinic, data=None):
    form_class = STEP_FORMS[step]
    if form_class in (FunctionForm, GoalsForm):
        return form_class(data, instance=application)
    kwargs = {"instance": application} if application else {}
    if step == "about" and application is None:
        kwargs["initial"] = {"time_zone": clinic.time_zone, "for_self": "yes"}
    return form_class(data, **kwargs)


def _step_data(step: str, form) -> dict:
    if hasattr(form, "step_data"):
        return form.step_data()
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


def start(request):
    application = _session_application(request)
    clinic = application.clinic if application else _clinic_for(request)
    return render(
        request,
        "intake/start.html",
        {"draft": application, "apply_clinic": clinic, "draft_days": conf.draft_days(), "steps": STEPS},
    )


@require_POST
def start_over(request):
    request.session.pop(DRAFT_KEY, None)
    return redirect("intake:apply")


def _render_step(request, step, application, clinic, form=None, **extra):
    return render(
        request,
        f"intake/step_{step}.html" if step in ("documents", "review") else "intake/step.html",
        {
            "step": BY_KEY[step],
            "steps": STEPS,
            "application": application,
            "apply_clinic": clinic,
            "form": form,
            **extra,
        },
    )


@domain_errors_as_http
def step(request, step: str):
    if step not in BY_KEY:
        raise Http404
    application = _session_application(request)
    if application is None and step != "about":
        return redirect("intake:apply")
    if application is not None and application.status != ApplicationStatus.DRAFT:
        return redirect("intake:confirmation")
    clinic = application.clinic if application else _clinic_for(request)
    if step == "documents":
        return _documents(request, application, clinic)
    if step == "review":
        return _review(request, application, clinic)
    form = _form_for(step, application, clinic, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if application is None:
                application, _raw = services.application_start(
                    clinic=clinic, data=_step_data(step, form), actor=request.user
                )
                _grant(request, application, as_draft=True)
                messages.info(
                    request,
                    _("Your draft is saved. We e-mailed you a link to come back to it for %(days)s days.")
                    % {"days": conf.draft_days()},
                )
            else:
                services.application_save_step(
                    application=application, step=step, data=_step_data(step, form), actor=request.user
                )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if "save_later" in request.POST:
                return _saved_for_later(request, application)
            return redirect("intake:step", step=next_step(step))
    return _render_step(request, step, application, clinic, form)


def _saved_for_later(request, application):
    services.application_send_link(application=application)
    return render(
        request,
        "intake/saved.html",
        {"application": application, "apply_clinic": application.clinic, "draft_days": conf.draft_days()},
    )


def _documents(request, application, clinic):
    form = UploadForm()
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.upload_remove(
                    application=application, upload_id=int(request.POST["remove"] or 0), actor=request.user
                )
            except (DomainError, ValueError):
                messages.error(request, _("That document could not be removed."))
            return redirect("intake:step", step="documents")
        if "upload" in request.POST:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    services.upload_add(
                        application=application,
                        name=upload.name,
                        data=upload.read(conf.max_file_bytes() + 1),
                        kind=form.cleaned_data["kind"],
                        actor=request.user,
                    )
                except InvalidInput as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, _("%(name)s was added.") % {"name": upload.name})
                    return redirect("intake:step", step="documents")
        elif "save_later" in request.POST:
            return _saved_for_later(request, application)
        else:
            services.application_save_step(
                application=application, step="documents", data={}, actor=request.user
            )
            return redirect("intake:step", step=next_step("documents"))
    return _render_step(
        request,
        "documents",
        application,
        clinic,
        form,
        uploads=application.uploads.all(),
        max_file_mb=round(conf.max_file_bytes() / 1024 / 1024, 1),
        max_total_mb=round(conf.max_total_bytes() / 1024 / 1024, 1),
    )


def _review(request, application, clinic):
    error = None
    if request.method == "POST":
        try:
            application, _new = services.application_submit(
                application=application, submit_key=request.POST.get("submit_key", ""), actor=request.user
            )
        except InvalidInput as exc:
            error = {"message": exc.message, "field": exc.field, "step": _step_of(exc.field)}
        except DomainError as exc:
            error = {"message": exc.message, "field": exc.field, "step": "review"}
        else:
            return redirect("intake:confirmation")
    missing = [
        {"field": f, "message": m, "step": BY_KEY[_step_of(f)]} for f, m in missing_answers(application)
    ]
    return _render_step(
        request,
        "review",
        application,
        clinic,
        None,
        error=error,
        missing=missing,
        submit_key=request.POST.get("submit_key") or uuid.uuid4().hex,
        uploads=application.uploads.all(),
        summary=answer_rows(application),
    )


def link(request, token: str):
    """The link from an e-mail: back to the draft, or to the submitted application's status."""
    try:
        application = services.link_resolve(token=token)
    except NotFound:
        return render(request, "intake/link_expired.html", {"draft_days": conf.draft_days()}, status=404)
    is_draft = application.status == ApplicationStatus.DRAFT
    _grant(request, application, as_draft=is_draft)
    if not is_draft:
        return redirect("intake:status", pk=application.pk)
    remaining = [s.key for s in STEPS if s.key not in application.steps_done]
    return redirect("intake:step", step=remaining[0] if remaining else "review")


def confirmation(request):
    application = _session_application(request)
    if application is None or application.status == ApplicationStatus.DRAFT:
        return redirect("intake:apply")
    return render(
        request, "intake/confirmation.html", {"application": application, "apply_clinic": application.clinic}
    )


def _applicant_application(request, pk: int) -> TreatmentApplication:
    application = get_object_or_404(TreatmentApplication.objects.select_related("clinic"), pk=pk)
    if application.status == ApplicationStatus.DRAFT or not selectors.applicant_may_open(
        request.user, application, _granted(request)
    ):
        raise Http404
    return application


def status(request, pk: int):
    application = _applicant_application(request, pk)
    reply_form = MessageForm(request.POST if request.method == "POST" and "body" in request.POST else None)
    upload_form = UploadForm()
    if request.method == "POST":
        try:
            if "body" in request.POST and reply_form.is_valid():
                services.application_reply(
                    application=application, body=reply_form.cleaned_data["body"], actor=request.user
                )
                messages.success(request, _("Your message was sent to the clinic."))
                return redirect("intake:status", pk=pk)
            if "upload" in request.POST:
                upload_form = UploadForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    upload = upload_form.cleaned_data["file"]
                    services.upload_add(
                        application=application,
                        name=upload.name,
                        data=upload.read(conf.max_file_bytes() + 1),
                        kind=upload_form.cleaned_data["kind"],
                        actor=request.user,
                    )
                    messages.success(request, _("%(name)s was added.") % {"name": upload.name})
                    return redirect("intake:status", pk=pk)
        except DomainError as exc:
            target = upload_form if "upload" in request.POST else reply_form
            target.add_error(exc.field if exc.field in target.fields else None, exc.message)
    return render(
        request,
        "intake/status.html",
        {
            "application": application,
            "apply_clinic": application.clinic,
            "thread": application.messages.all(),
            "uploads": application.uploads.all(),
            "reply_form": reply_form,
            "upload_form": upload_form,
            "withdraw_form": WithdrawForm(),
        },
    )


@require_POST
@domain_errors_as_http
def withdraw(request, pk: int):
    application = _applicant_application(request, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.application_withdraw(
            application=application, reason=form.cleaned_data.get("reason", ""), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("intake:status", pk=pk)


@domain_errors_as_http
def document(request, pk: int):
    """A document for its applicant or the clinic's reviewers, sent as a download; each one audited."""
    upload = selectors.upload_get(user=request.user, upload_id=pk, granted_ids=_granted(request))
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=filecheck.download_name(upload.original_name, upload.content_type),
        content_type=upload.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invitation link of an accepted applicant: choose a password, then straight into the portal."""

    template_name = "intake/welcome.html"
    post_reset_login = True
    # Two backends (django-axes first): the login after the new password names the one that checks it.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.applicant_password_set(user=form.user)
        messages.success(self.request, _("Your password is set. Welcome."))
        return response
