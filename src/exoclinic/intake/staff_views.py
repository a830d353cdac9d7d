"""The clinic's review pages under /staff/applications/: the queue and one application with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exoclinic.core.audit import audit_patient_reads
from exoclinic.core.errors import DomainError, InvalidInput, InvalidTransition
from exoclinic.core.read_audit import audit_staff_reads
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from . import conf, selectors, services
from .forms import AssignForm, DecisionForm, MessageForm
from .models import ApplicationStatus
from .steps import answer_rows

FLAG_FILTERS = [
    ("", _("Any")),
    ("needs_attention", _("Needs attention")),
    ("to_confirm", _("To confirm")),
    ("information", _("Information")),
    ("none", _("No flags")),
]


@staff_required
@domain_errors_as_http
def queue(request):
    filters = {
        "status": request.GET.get("status", "open"),
        "flag": request.GET.get("flag", ""),
        "older_than": request.GET.get("older_than", ""),
        "mine": request.GET.get("mine", "") == "1",
    }
    error = None
    applications = []
    try:
        older = filters["older_than"].strip()
        if older and not older.isdigit():
            raise InvalidInput(_("Enter a whole number of days."), field="older_than")
        applications = list(
            selectors.application_queue(
                user=request.user,
                status=filters["status"],
                flag=filters["flag"],
                older_than_days=int(older) if older else None,
                assigned_to_me=filters["mine"],
            )[:500]
        )
    except InvalidInput as exc:
        error = exc
    audit_staff_reads(user=request.user, rows=applications, purpose="application_queue")
    return render(
        request,
        "intake/staff/queue.html",
        {
            "applications": applications,
            "filters": filters,
            "error": error,
            "statuses": [("open", _("Open (not decided)")), ("", _("All"))]
            + list(ApplicationStatus.choices[1:]),
            "flag_filters": FLAG_FILTERS,
        },
    )


def _reviewers(application):
    return (
        get_user_model()
        .objects.filter(
            memberships__clinic=application.clinic,
            memberships__role__in=services.REVIEWER_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _detail(request, application, **forms):
    policy = conf.eligibility_policy()
    matches = selectors.possible_patient_matches(application) if application.is_open else []
    if matches:  # staff read these records to compare them
        audit_patient_reads(actor=request.user, patients=[m.patient for m in matches], purpose="intake_match")
    context = {
        "application": application,
        "summary": answer_rows(application),
        "uploads": application.uploads.all(),
        "thread": application.messages.select_related("author"),
        "notes": application.notes.select_related("author"),
        "policy": policy,
        "assign_form": forms.get("assign")
        or AssignForm(
            initial={"reviewer": str(application.assigned_to_id or "")}, reviewers=_reviewers(application)
        ),
        "note_form": forms.get("note") or MessageForm(prefix="note"),
        "message_form": forms.get("message") or MessageForm(prefix="message"),
        "info_form": forms.get("request_info") or MessageForm(prefix="info"),
        "decision_form": forms.get("decide") or DecisionForm(matches=matches),
        "matches": matches,
        "is_open": application.is_open,
    }
    from exoclinic.outcomes.indicators import INDICATORS

    context["ratings"] = [(ind, application.self_ratings.get(ind.code)) for ind in INDICATORS]
    return render(request, "intake/staff/detail.html", context, status=400 if forms else 200)


@staff_required
@domain_errors_as_http
def detail(request, pk: int):
    application = selectors.application_get(user=request.user, application_id=pk, purpose="review")
    return _detail(request, application)


@require_POST
@staff_required
@domain_errors_as_http
def action(request, pk: int, name: str):
    application = selectors.application_get(user=request.user, application_id=pk, purpose=f"action:{name}")
    actor = request.user
    form = None
    try:
        if name == "start-review":
            services.application_start_review(actor=actor, application=application)
            done = _("Review started.")
        elif name == "assign":
            form = AssignForm(request.POST, reviewers=_reviewers(application))
            if not form.is_valid():
                return _detail(request, application, assign=form)
            chosen = form.cleaned_data["reviewer"]
            reviewer = _reviewers(application).filter(pk=chosen).first() if chosen else None
            services.application_assign(actor=actor, application=application, reviewer=reviewer)
            done = _("Reviewer assigned.")
        elif name in ("note", "message", "request-info"):
            prefix = {"note": "note", "message": "message", "request-info": "info"}[name]
            form = MessageForm(request.POST, prefix=prefix)
            key = name.replace("-", "_")
            if not form.is_valid():
                return _detail(request, application, **{key: form})
            body = form.cleaned_data["body"]
            if name == "note":
                services.application_note_add(actor=actor, application=application, body=body)
                done = _("Note added.")
            elif name == "message":
                services.application_message_send(actor=actor, application=application, body=body)
                done = _("Message sent to the applicant.")
            else:
                services.application_request_info(actor=actor, application=application, body=body)
                done = _("Question sent; the application waits for the applicant's answer.")
        elif name == "decide":
            form = DecisionForm(request.POST, matches=selectors.possible_patient_matches(application))
            if not form.is_valid():
                return _detail(request, application, decide=form)
            services.application_decide(
                actor=actor,
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                patient_choice=form.cleaned_data.get("patient") or None,
            )
            done = _("Decision recorded and sent to the applicant.")
        else:
            from django.http import Http404

            raise Http404
    except DomainError as exc:
        if form is not None and not isinstance(exc, InvalidTransition):
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            key = name.replace("-", "_")
            return _detail(request, application, **{key: form})
        messages.error(request, exc.message)
        return redirect("intake:staff-detail", pk=pk)
    messages.success(request, done)
    return redirect("intake:staff-detail", pk=pk)
