"""What the applicant does: start a draft, save steps, come back by link, upload, submit, reply, withdraw.

The applicant usually has no account: ``actor`` is None (or the logged-in user). Access is granted by the
caller (a link token, the session that created the draft, or an account whose e-mail matches).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from exoclinic.core.models import Clinic
from exoclinic.core.notify import send_templated_email
from exoclinic.core.outbox import after_commit

from .. import conf, filecheck
from ..eligibility import SPINAL_CORD_INJURY, ApplicationAnswers, eligibility_flags
from ..models import (
    OPEN_STATUSES,
    Answer,
    ApplicationLink,
    ApplicationMessage,
    ApplicationStatus,
    ApplicationUpload,
    MessageDirection,
    TreatmentApplication,
    UploadKind,
)
from ..steps import BY_KEY, missing_answers

_REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _new_reference(now: dt.datetime) -> str:
    while True:
        ref = f"A{now:%y}-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
        if not TreatmentApplication.objects.filter(reference=ref).exists():
            return ref


def link_issue(*, application: TreatmentApplication, now: dt.datetime | None = None) -> str:
    """A new link token for the applicant (the raw token is only ever in the e-mail); keep the hash."""
    now = _now(now)
    days = conf.draft_days() if application.status == ApplicationStatus.DRAFT else conf.status_link_days()
    raw = secrets.token_urlsafe(32)
    ApplicationLink.objects.create(
        application=application,
        token_hash=_hash(raw),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return raw


def link_resolve(*, token: str, now: dt.datetime | None = None) -> TreatmentApplication:
    """The application a link opens; NotFound when the link is unknown, expired, or its draft expired."""
    now = _now(now)
    link = (
        ApplicationLink.objects.select_related("application__clinic")
        .filter(token_hash=_hash(token or ""), expires_at__gt=now)
        .first()
    )
    if link is None:
        raise NotFound(_("This link is unknown or has expired."))
    application = link.application
    if application.status == ApplicationStatus.DRAFT and application.draft_expires_at <= now:
        raise NotFound(_("This draft has expired."))
    return application


def _link_url(raw: str) -> str:
    from django.urls import reverse

    return reverse("intake:link", args=[raw])


_quiet = contextvars.ContextVar("intake_quiet_mail", default=False)


@contextlib.contextmanager
def without_mail():
    """Demo data: make the records without writing to the (made-up) applicants."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _email(application: TreatmentApplication, name: str, **context) -> None:
    to = application.contact_email
    if not to or _quiet.get():
        return
    send_templated_email(
        to=to,
        name=f"intake/email/{name}",
        context={"application": application, "clinic": application.clinic, **context},
        language=application.preferred_language,
    )


def _validated(application: TreatmentApplication, fields) -> None:
    try:
        application.full_clean(exclude=[f.name for f in application._meta.fields if f.name not in fields])
    except ValidationError as exc:
        name, errors = next(iter(exc.error_dict.items()))
        raise InvalidInput(" ".join(m for e in errors for m in e.messages), field=name) from exc
    today = timezone.localdate()
    for name in ("date_of_birth", "date_of_injury", "last_cell_treatment_on"):
        value = getattr(application, name)
        if name in fields and value and value > today:
            raise InvalidInput(_("This date is in the future."), field=name)


def _set_consent_times(application: TreatmentApplication, now: dt.datetime) -> None:
    for name in ("consent_contact", "privacy_acknowledged", "research_consent"):
        stamp = f"{name}_at"
        if getattr(application, name) and not getattr(application, stamp):
            setattr(application, stamp, now)
        if not getattr(application, name):
            setattr(application, stamp, None)


def application_start(
    *, clinic: Clinic, data: dict, actor=None, now: dt.datetime | None = None
) -> tuple[TreatmentApplication, str]:
    """Open a draft with the first step's answers and e-mail the applicant a link to come back to it."""
    now = _now(now)
    with transaction.atomic():
        application = TreatmentApplication(clinic=clinic, created_at=now, status_changed_at=now)
        _apply(application, "about", data, now)
        application.steps_done = ["about"]
        application.draft_expires_at = now + dt.timedelta(days=conf.draft_days())
        application.save()
        raw = link_issue(application=application, now=now)
        audit_record(actor=actor, action="application.start", target=application)
        _email(application, "resume_link", link=_link_url(raw), expires=application.draft_expires_at)
    return application, raw


def _apply(application: TreatmentApplication, step: str, data: dict, now: dt.datetime) -> None:
    fields = BY_KEY[step].fields
    unknown = set(data) - set(fields)
    if unknown:
        raise InvalidInput(_("Unknown answer."), field=sorted(unknown)[0])
    for name, value in data.items():
        setattr(application, name, value)
    if step == "about" and not application.email and not application.filler_email:
        raise InvalidInput(
            _("Enter an e-mail address, so we can send you a link back to your application."),
            field="email" if application.for_self else "filler_email",
        )
    if step == "function" and application.self_ratings:
        from exoclinic.outcomes.indicators import validate_ratings

        application.self_ratings = validate_ratings(application.self_ratings)
    if step == "goals" and len(set(application.goals)) != len(application.goals):
        raise InvalidInput(_("Choose each goal only once."), field="goal_2")
    _set_consent_times(application, now)
    _validated(application, fields)


def application_save_step(
    *, application: TreatmentApplication, step: str, data: dict, actor=None, now: dt.datetime | None = None
) -> TreatmentApplication:
    """Save one step of a draft; the draft's expiry moves on from now."""
    now = _now(now)
    with transaction.atomic():
        locked = TreatmentApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise InvalidTransition(_("This application was already submitted."))
        _apply(locked, step, data, now)
        if step not in locked.steps_done:
            locked.steps_done = [*locked.steps_done, step]
        locked.draft_expires_at = now + dt.timedelta(days=conf.draft_days())
        locked.save()
        audit_record(actor=actor, action="application.save_step", target=locked, detail={"step": step})
    return locked


def application_send_link(*, application: TreatmentApplication, now: dt.datetime | None = None) -> None:
    """E-mail the applicant a fresh link (to finish a draft, or to see a submitted application)."""
    with transaction.atomic():
        raw = link_issue(application=application, now=now)
        name = "resume_link" if application.status == ApplicationStatus.DRAFT else "status_link"
        _email(application, name, link=_link_url(raw), expires=application.draft_expires_at)


def upload_add(
    *,
    application: TreatmentApplication,
    name: str,
    data: bytes,
    kind: str = UploadKind.MEDICAL_REPORT,
    actor=None,
    now: dt.datetime | None = None,
) -> ApplicationUpload:
    """Store a document if its bytes are a PDF, JPEG or PNG within the size limits. Drafts, or on request."""
    now = _now(now)
    if kind not in UploadKind.values:
        raise InvalidInput(_("Choose the kind of document."), field="kind")
    if not data:
        raise InvalidInput(_("The file is empty."), field="file")
    limit = conf.max_file_bytes()
    if len(data) > limit:
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}, field="file"
        )
    try:
        content_type = filecheck.detect(data)
    except filecheck.NotAllowed as exc:
        raise InvalidInput(
            _("%(reason)s Upload a PDF, JPEG or PNG file.") % {"reason": exc}, field="file"
        ) from None
    with transaction.atomic():
        locked = TreatmentApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status not in (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED):
            raise InvalidTransition(_("Documents can be added to a draft, or when the clinic asks for them."))
        existing = locked.uploads.aggregate(total=Sum("size"), count=Count("id"))
        if (existing["count"] or 0) >= conf.max_files():
            raise InvalidInput(_("You have uploaded the most files allowed."), field="file")
        if (existing["total"] or 0) + len(data) > conf.max_total_bytes():
            raise InvalidInput(
                _("Together the files would be larger than %(mb)s MB.")
                % {"mb": round(conf.max_total_bytes() / 1024 / 1024, 1)},
                field="file",
            )
        safe_name = (name or "document").replace("\\", "/").rsplit("/", 1)[-1][:200] or "document"
        upload = ApplicationUpload(
            application=locked,
            kind=kind,
            original_name=safe_name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_at=now,
        )
        # The stored name is random: the applicant's file name never reaches the file system.
        upload.file.save(
            f"{uuid.uuid4().hex}{filecheck.EXTENSIONS[content_type]}", ContentFile(data), save=False
        )
        try:
            upload.save()
        except IntegrityError:
            upload.file.delete(save=False)
            raise
        audit_record(
            actor=actor,
            action="application_upload.add",
            target=upload,
            clinic=locked.clinic,
            detail={"application": locked.pk, "type": content_type, "size": len(data)},
        )
    return upload


def upload_remove(*, application: TreatmentApplication, upload_id: int, actor=None) -> None:
    with transaction.atomic():
        locked = TreatmentApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise InvalidTransition(_("Documents of a submitted application stay with it."))
        upload = locked.uploads.filter(pk=upload_id).first()
        if upload is None:
            raise NotFound()
        audit_record(
            actor=actor,
            action="application_upload.remove",
            target=upload,
            clinic=locked.clinic,
            detail={"application": locked.pk},
        )
        stored = upload.file.name
        upload.delete()
        after_commit(lambda: upload.file.storage.delete(stored), what="upload file removed")


def eligibility_answers(application: TreatmentApplication) -> ApplicationAnswers:
    def yes_no(value: str) -> bool | None:
        return {Answer.YES: True, Answer.NO: False}.get(value)

    return ApplicationAnswers(
        date_of_birth=application.date_of_birth,
        condition=SPINAL_CORD_INJURY if application.condition == "sci" else application.condition,
        date_of_injury=application.date_of_injury,
        active_infection=yes_no(application.active_infection),
        pregnant=yes_no(application.pregnant),
        active_cancer=yes_no(application.active_cancer),
        bleeding_disorder=yes_no(application.bleeding_disorder),
        anticoagulants=yes_no(application.takes_anticoagulants),
        earlier_cell_or_exosome_treatment=yes_no(application.earlier_cell_treatment),
        last_cell_or_exosome_treatment=application.last_cell_treatment_on,
    )


def _store_flags(application: TreatmentApplication, today: dt.date) -> None:
    flags = eligibility_flags(eligibility_answers(application), today=today, policy=conf.eligibility_policy())
    application.flags = [
        {
            "code": str(f.code),
            "severity": str(f.severity),
            "reason": f.reason,
            "field": f.field,
            "params": dict(f.params),
        }
        for f in flags
    ]
    application.flag_level = str(flags[0].severity) if flags else ""
    # Severities and codes in one searchable text (",needs_attention,pregnancy,"): the queue filters on both.
    terms = [str(f.severity) for f in flags] + [str(f.code) for f in flags]
    application.flag_codes = "," + ",".join(dict.fromkeys(terms)) + "," if flags else ""


def application_submit(
    *, application: TreatmentApplication, submit_key: str = "", actor=None, now: dt.datetime | None = None
) -> tuple[TreatmentApplication, bool]:
    """Submit a draft: check every required answer, give it a reference, compute the eligibility flags.

    Idempotent: submitting an application that is already submitted returns it unchanged. Returns
    (application, newly_submitted).
    """
    now = _now(now)
    with transaction.atomic():
        locked = (
            TreatmentApplication.objects.select_for_update().select_related("clinic").get(pk=application.pk)
        )
        if locked.status != ApplicationStatus.DRAFT:
            return locked, False
        missing = missing_answers(locked)
        if missing:
            field, message = missing[0]
            raise InvalidInput(str(message), field=field)
        if (
            submit_key
            and TreatmentApplication.objects.filter(submit_key=submit_key).exclude(pk=locked.pk).exists()
        ):
            raise Conflict(_("This submission key belongs to another application."), field="submit_key")
        locked.submit_key = submit_key or uuid.uuid4().hex
        locked.status = ApplicationStatus.SUBMITTED
        locked.submitted_at = locked.status_changed_at = now
        locked.reference = _new_reference(now)
        locked.draft_expires_at = None
        _store_flags(locked, now.astimezone(locked.clinic.tz).date())
        locked.save()
        audit_record(
            actor=actor,
            action="application.submit",
            target=locked,
            detail={"reference": locked.reference, "flags": [f["code"] for f in locked.flags]},
        )
        raw = link_issue(application=locked, now=now)
        _email(locked, "submitted", link=_link_url(raw))
    return locked, True


def application_submit_complete(
    *, clinic: Clinic, data: dict, idempotency_key: str, actor=None, now: dt.datetime | None = None
) -> tuple[TreatmentApplication, bool]:
    """One-shot submit (the API): the same key always answers with the same application."""
    now = _now(now)
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 64:
        raise InvalidInput(_("Send an idempotency key of 8 to 64 characters."), field="idempotency_key")
    existing = TreatmentApplication.objects.filter(submit_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            application = TreatmentApplication(clinic=clinic, created_at=now, status_changed_at=now)
            for step in BY_KEY.values():
                part = {name: data[name] for name in step.fields if name in data}
                if part:
                    _apply(application, step.key, part, now)
            unknown = set(data) - {name for step in BY_KEY.values() for name in step.fields}
            if unknown:
                raise InvalidInput(_("Unknown answer."), field=sorted(unknown)[0])
            application.steps_done = [step.key for step in BY_KEY.values()]
            application.draft_expires_at = now + dt.timedelta(days=conf.draft_days())
            application.save()
            audit_record(actor=actor, action="application.start", target=application, detail={"via": "api"})
            return application_submit(application=application, submit_key=key, actor=actor, now=now)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its application.
        existing = TreatmentApplication.objects.filter(submit_key=key).first()
        if existing is None:
            raise
        return existing, False


def _transition(locked: TreatmentApplication, allowed, to: str, now: dt.datetime) -> str:
    if locked.status not in allowed:
        raise InvalidTransition(
            _("An application that is %(status)s cannot be changed this way.")
            % {"status": locked.get_status_display().lower()},
            field="status",
        )
    before = locked.status
    locked.status = to
    locked.status_changed_at = now
    return before


def application_reply(
    *, application: TreatmentApplication, body: str, actor=None, now: dt.datetime | None = None
) -> ApplicationMessage:
    """The applicant answers the clinic; an application waiting for information goes back to review."""
    now = _now(now)
    if not (body or "").strip():
        raise InvalidInput(_("Write your message."), field="body")
    with transaction.atomic():
        locked = TreatmentApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status not in OPEN_STATUSES:
            raise InvalidTransition(
                _("This application is closed; contact the clinic directly."), field="body"
            )
        detail = {}
        if locked.status == ApplicationStatus.INFO_REQUESTED:
            detail["from"] = _transition(
                locked, {ApplicationStatus.INFO_REQUESTED}, ApplicationStatus.IN_REVIEW, now
            )
            detail["to"] = locked.status
            locked.save()
        message = ApplicationMessage.objects.create(
            application=locked,
            direction=MessageDirection.FROM_APPLICANT,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            body=body.strip(),
            created_at=now,
        )
        audit_record(actor=actor, action="application.reply", target=locked, detail=detail)
        if locked.assigned_to and locked.assigned_to.email:
            send_templated_email(
                to=locked.assigned_to.email,
                name="intake/email/reply_to_reviewer",
                context={"application": locked, "clinic": locked.clinic},
            )
    return message


def application_withdraw(
    *, application: TreatmentApplication, reason: str = "", actor=None, now: dt.datetime | None = None
) -> TreatmentApplication:
    now = _now(now)
    with transaction.atomic():
        locked = TreatmentApplication.objects.select_for_update().get(pk=application.pk)
        before = _transition(locked, OPEN_STATUSES, ApplicationStatus.WITHDRAWN, now)
        locked.decision_reason = (reason or "").strip()
        locked.save()
        audit_record(
            actor=actor,
            action="application.withdraw",
            target=locked,
            detail={"from": before, "to": locked.status},
        )
    return locked
