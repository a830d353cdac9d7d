"""Treatment applications over JSON: submit, read one's own status, and the clinic's review."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import Clinic
from exoclinic.core.read_audit import audit_staff_reads
from exoclinic.core.schemas import ErrorOut
from exoclinic.core.selectors import public_clinic

from . import selectors, services
from .models import Decision, TreatmentApplication
from .schemas import ApplicationIn, DetailOut, QueueItemOut, ReplyIn, StatusOut, TransitionIn
from .steps import STEPS

router = Router(tags=["intake"])


def _messages(application: TreatmentApplication) -> list[dict]:
    return [
        {"direction": m.direction, "body": m.body, "created_at": m.created_at}
        for m in application.messages.all()
    ]


def _status(application: TreatmentApplication) -> dict:
    return {
        "id": application.pk,
        "reference": application.reference,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "decision_reason": application.decision_reason,
        "messages": _messages(application),
    }


def _queue_item(application: TreatmentApplication) -> dict:
    assigned = application.assigned_to
    return {
        "id": application.pk,
        "reference": application.reference,
        "status": application.status,
        "patient_name": application.patient_name,
        "submitted_at": application.submitted_at,
        "flag_level": application.flag_level,
        "assigned_to": assigned.email if assigned else None,
    }


def _detail(application: TreatmentApplication) -> dict:
    answers = {name: getattr(application, name) for step in STEPS for name in step.fields}
    answers = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in answers.items()}
    return {
        **_queue_item(application),
        "clinic_id": application.clinic_id,
        "answers": answers,
        "flags": [{k: f[k] for k in ("code", "severity", "reason", "field")} for f in application.flags],
        "decided_at": application.decided_at,
        "decision_reason": application.decision_reason,
        "patient_id": application.patient_id,
        "messages": _messages(application),
        "uploads": [u.original_name for u in application.uploads.all()],
    }


@router.post(
    "/applications",
    auth=None,
    response={200: StatusOut, 201: StatusOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def application_submit(request: HttpRequest, payload: ApplicationIn):
    """Submit a complete application. The same idempotency key answers 200 with the same application."""
    data = payload.model_dump()
    key, slug = data.pop("idempotency_key"), data.pop("clinic")
    clinic = Clinic.objects.filter(slug=slug).first() if slug else public_clinic()
    if clinic is None:
        raise NotFound(_("No such clinic."), field="clinic")
    data = {
        k: ("" if v is None and k not in ("date_of_injury", "last_cell_treatment_on") else v)
        for k, v in data.items()
    }
    application, created = services.application_submit_complete(
        clinic=clinic, data=data, idempotency_key=key, actor=request.user
    )
    return Status(201 if created else 200, _status(application))


@router.get("/applications/mine", response=list[StatusOut])
def applications_mine(request: HttpRequest):
    """The logged-in person's own applications (same e-mail, or their patient record)."""
    return [_status(a) for a in selectors.applications_of_user(request.auth).prefetch_related("messages")]


@router.post(
    "/applications/mine/{application_id}/reply",
    response={200: StatusOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def application_reply(request: HttpRequest, application_id: int, payload: ReplyIn):
    application = selectors.applications_of_user(request.auth).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    services.application_reply(application=application, body=payload.body, actor=request.auth)
    application.refresh_from_db()
    return _status(application)


@router.get("/applications/review", response={200: list[QueueItemOut], 400: ErrorOut})
def application_queue(
    request: HttpRequest, status: str = "open", flag: str = "", older_than_days: int | None = None
):
    """The clinic's queue: ``status`` (open or a status), ``flag`` (severity, code or none), age in days."""
    queue = selectors.application_queue(
        user=request.auth, status=status, flag=flag, older_than_days=older_than_days
    )
    queue = list(queue[:500])
    audit_staff_reads(user=request.auth, rows=queue, purpose="api_application_queue")
    return [_queue_item(a) for a in queue]


@router.get("/applications/review/{application_id}", response={200: DetailOut, 404: ErrorOut})
def application_detail(request: HttpRequest, application_id: int):
    return _detail(selectors.application_get(user=request.auth, application_id=application_id, purpose="api"))


@router.post(
    "/applications/review/{application_id}/transitions",
    response={200: DetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def application_transition(request: HttpRequest, application_id: int, payload: TransitionIn):
    """Move an application on: start_review, request_info (text = question), message, accept, decline
    (text = reason)."""
    user = request.auth
    application = selectors.application_get(
        user=user, application_id=application_id, purpose="api_transition"
    )
    if payload.action == "start_review":
        services.application_start_review(actor=user, application=application)
    elif payload.action == "request_info":
        services.application_request_info(actor=user, application=application, body=payload.text)
    elif payload.action == "message":
        services.application_message_send(actor=user, application=application, body=payload.text)
    elif payload.action in ("accept", "decline"):
        decision = Decision.ACCEPT if payload.action == "accept" else Decision.DECLINE
        services.application_decide(
            actor=user,
            application=application,
            decision=decision,
            reason=payload.text,
            patient_choice=payload.patient,
        )
    else:
        raise InvalidInput(_("Unknown action."), field="action")
    application.refresh_from_db()
    return _detail(application)
