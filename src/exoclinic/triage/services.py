"""Triage writes: rule-set versions, symptom reports and the alerts they raise, acknowledgement, escalation.

Each service runs in one transaction with its audit row; e-mails, Huey tasks and the ``symptom_reported``
hook run only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.accounts.models import StaffMembership, User
from exoclinic.core import hooks
from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from exoclinic.core.models import Clinic, Patient
from exoclinic.core.notify import send_templated_email
from exoclinic.core.outbox import after_commit, enqueue_after_commit
from exoclinic.core.policy import PATIENT_READER_ROLES, acts_for, require_staff

from . import conf
from .context import patient_context
from .engine import SymptomAnswer, TriageInput, TriageLevel, Vitals, evaluate
from .models import ALERT_LEVELS, OnCallShift, ReportSource, SymptomReport, TriageAlert, TriageRuleSet
from .ruleset import DEFAULT_RULESET, validate_ruleset

logger = logging.getLogger(__name__)

DEFAULT_CHANGE_NOTE = "Default rule set shipped with exoclinic (docs/triage.md)."


# ------------------------------------------------------------------------------------------- rule sets


def may_edit_rules(user) -> bool:
    """The medical director of any clinic (rule sets are installation-wide), or a superuser."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or StaffMembership.objects.filter(user=user, is_medical_director=True).exists()


def ruleset_ensure_active() -> TriageRuleSet:
    """The active rule set; on a fresh installation, the default version becomes the active one."""
    active = TriageRuleSet.objects.filter(is_active=True).first()
    if active is not None:
        return active
    with transaction.atomic():
        ruleset, created = TriageRuleSet.objects.get_or_create(
            version=DEFAULT_RULESET.version,
            defaults={"data": DEFAULT_RULESET.to_dict(), "change_note": DEFAULT_CHANGE_NOTE},
        )
        if not TriageRuleSet.objects.select_for_update().filter(is_active=True).exists():
            TriageRuleSet.objects.filter(pk=ruleset.pk).update(is_active=True)
            ruleset.is_active = True
            audit_record(actor=None, action="triage_ruleset.activate", target=ruleset)
    return TriageRuleSet.objects.get(is_active=True)


def ruleset_publish(
    *, actor, data: Mapping[str, Any], change_note: str, activate: bool = True
) -> TriageRuleSet:
    """Store a new version (old versions are never edited) and, by default, make it the active one."""
    if not may_edit_rules(actor):
        raise PermissionDenied(_("Only the medical director may change the triage rules."))
    if not change_note or not change_note.strip():
        raise InvalidInput(_("Say what changed and why."), field="change_note")
    rules = validate_ruleset(data)
    with transaction.atomic():
        if TriageRuleSet.objects.filter(version=rules.version).exists():
            raise Conflict(
                _("Version %(version)s exists already: give the new version a new name.")
                % {"version": rules.version},
                field="version",
            )
        if activate:
            TriageRuleSet.objects.select_for_update().filter(is_active=True).update(is_active=False)
        ruleset = TriageRuleSet.objects.create(
            version=rules.version,
            data=rules.to_dict(),
            change_note=change_note.strip(),
            author=actor,
            is_active=activate,
        )
        audit_record(
            actor=actor,
            action="triage_ruleset.publish",
            target=ruleset,
            detail={"version": ruleset.version, "active": activate},
        )
    return ruleset


def ruleset_activate(*, actor, ruleset: TriageRuleSet) -> TriageRuleSet:
    if not may_edit_rules(actor):
        raise PermissionDenied(_("Only the medical director may change the triage rules."))
    with transaction.atomic():
        TriageRuleSet.objects.select_for_update().filter(is_active=True).update(is_active=False)
        TriageRuleSet.objects.filter(pk=ruleset.pk).update(is_active=True)
        audit_record(actor=actor, action="triage_ruleset.activate", target=ruleset)
    ruleset.refresh_from_db()
    return ruleset


# ------------------------------------------------------------------------------------ symptom reports


def _may_report_for(actor, patient: Patient) -> bool:
    return actor.is_authenticated and acts_for(actor, patient)


def symptom_report_submit(
    *,
    actor,
    patient: Patient,
    answers: Iterable[SymptomAnswer],
    vitals: Vitals | None = None,
    now: dt.datetime | None = None,
    source: str = ReportSource.PORTAL,
    submission_key: uuid.UUID | None = None,
    note: str = "",
) -> SymptomReport:
    """Triage a patient's answers with the active rule set, store everything, and alert staff if needed.

    A ``note`` (the patient's own words) goes to staff with the report: when nothing else raises an alert,
    it raises one at its level (at least routine), so the on-call rota reads it. Only the patient or their
    caregiver reports. A repeated ``submission_key`` (a double submit) returns
    the first report instead of storing a second.
    """
    if not _may_report_for(actor, patient):
        raise NotFound()
    if submission_key is not None:
        existing = SymptomReport.objects.filter(submission_key=submission_key, patient=patient).first()
        if existing is not None:
            return existing
    now = now or timezone.now()
    inputs = TriageInput(
        context=patient_context(patient, now=now),
        answers=tuple(answers),
        vitals=vitals or Vitals(),
        note=note,
    )
    ruleset_row = ruleset_ensure_active()
    outcome = evaluate(inputs, validate_ruleset(ruleset_row.data))
    try:
        with transaction.atomic():
            report = SymptomReport.objects.create(
                clinic=patient.clinic,
                patient=patient,
                submitted_by=actor,
                submitted_at=now,
                source=source,
                ruleset=ruleset_row,
                inputs=inputs.to_dict(),
                outcome=outcome.to_dict(),
                level=outcome.level.code,
                submission_key=submission_key or uuid.uuid4(),
            )
            audit_record(
                actor=actor,
                action="symptom_report.submit",
                target=report,
                patient=patient,
                detail={"level": report.level, "ruleset": ruleset_row.version},
            )
            if report.level in ALERT_LEVELS or inputs.note:
                _alert_raise(report, now=now)
            for hook in hooks.symptom_reported:
                after_commit(lambda hook=hook: hook(report), what=f"symptom_reported hook {hook.__name__}")
    except IntegrityError:
        if submission_key is None:
            raise
        return SymptomReport.objects.get(submission_key=submission_key, patient=patient)
    return report


# ---------------------------------------------------------------------------------------------- alerts


def escalation_chain(clinic: Clinic, *, at: dt.datetime) -> list[int]:
    """Who is called, in order: the rota on call at ``at`` (by position), then the medical director(s)."""
    on_call = (
        OnCallShift.objects.filter(clinic=clinic, starts_at__lte=at, ends_at__gt=at)
        .order_by("position", "starts_at", "id")
        .values_list("user_id", flat=True)
    )
    directors = (
        StaffMembership.objects.filter(clinic=clinic, is_medical_director=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    chain: list[int] = []
    for user_id in [*on_call, *directors]:
        if user_id not in chain:
            chain.append(user_id)
    return chain


def _history(alert: TriageAlert, event: str, at: dt.datetime, **extra) -> None:
    alert.history = [
        *alert.history,
        {"event": event, "at": at.isoformat(), "step": alert.escalation_step, **extra},
    ]


def _notify(alert: TriageAlert, *, at: dt.datetime) -> None:
    """E-mail the person at the current step (the clinic's address when nobody is on the rota)."""
    user = None
    if alert.escalation_step < len(alert.chain):
        user = User.objects.filter(pk=alert.chain[alert.escalation_step]).first()
    alert.escalated_to = user
    alert.notified_at = at
    to = user.email if user else alert.clinic.email
    _history(alert, "notified", at, to=to or "", user_id=user.pk if user else None)
    if to:
        send_templated_email(
            to=to,
            name="triage/email/alert",
            context={
                "alert": alert,
                "clinic": alert.clinic,
                "patient": alert.report.patient,
                "escalated": alert.escalation_step > 0,
                "minutes": round(conf.escalate_after_minutes(alert.level)),
                "path": reverse("triage:alerts"),
            },
        )
    else:
        logger.error("Triage alert %s: nobody on call and no clinic e-mail address", alert.pk)
    _schedule_escalation(alert)


def _schedule_escalation(alert: TriageAlert) -> None:
    if alert.escalation_step + 1 >= len(alert.chain):
        return  # the last person in the chain: nobody to escalate to
    delay = conf.escalate_after_minutes(alert.level) * 60
    alert_id, step = alert.pk, alert.escalation_step

    from .tasks import escalate_alert

    # A queue that refuses it (Redis down) leaves it in the outbox, run when due by the drain.
    enqueue_after_commit(
        escalate_alert, args=(alert_id, step), delay=delay, id=f"triage-escalate-{alert_id}-{step}"
    )


def _alert_raise(report: SymptomReport, *, now: dt.datetime) -> TriageAlert:
    alert = TriageAlert.objects.create(
        clinic=report.clinic,
        report=report,
        level=report.level,
        raised_at=now,
        notified_at=now,
        chain=escalation_chain(report.clinic, at=now),
    )
    _history(alert, "raised", now)
    _notify(alert, at=now)
    alert.save()
    audit_record(actor=None, action="triage_alert.raise", target=alert, patient=report.patient)
    return alert


def alert_acknowledge(*, actor, alert: TriageAlert, now: dt.datetime | None = None) -> TriageAlert:
    """Record who acknowledged the alert and when. Only staff of the alert's clinic who read charts."""
    require_staff(actor, alert.clinic_id, PATIENT_READER_ROLES)
    now = now or timezone.now()
    with transaction.atomic():
        alert = TriageAlert.objects.select_for_update().select_related("report__patient").get(pk=alert.pk)
        if alert.is_acknowledged:
            who = alert.acknowledged_by.get_full_name() if alert.acknowledged_by else ""
            raise InvalidTransition(_("Already acknowledged by %(who)s.") % {"who": who})
        alert.acknowledged_by = actor
        alert.acknowledged_at = now
        _history(alert, "acknowledged", now, user_id=actor.pk)
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "history"])
        audit_record(
            actor=actor, action="triage_alert.acknowledge", target=alert, patient=alert.report.patient
        )
    return alert


def alert_escalate(*, alert_id: int, from_step: int, now: dt.datetime | None = None) -> bool:
    """Move an unacknowledged alert from ``from_step`` to the next person, if its time is up.

    Re-checks everything under a row lock, so an acknowledged alert never escalates and a step never
    runs twice (a second call for the same step finds the alert at a later step and does nothing).
    """
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            TriageAlert.objects.select_for_update()
            .select_related("clinic", "report__patient")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or alert.is_acknowledged or alert.escalation_step != from_step:
            return False
        due = alert.notified_at + dt.timedelta(minutes=conf.escalate_after_minutes(alert.level))
        if now < due or alert.escalation_step + 1 >= len(alert.chain):
            return False
        alert.escalation_step += 1
        _history(alert, "escalated", now)
        _notify(alert, at=now)
        alert.save(update_fields=["escalation_step", "escalated_to", "notified_at", "history"])
        audit_record(
            actor=None,
            action="triage_alert.escalate",
            target=alert,
            patient=alert.report.patient,
            detail={"step": alert.escalation_step, "to": alert.escalated_to_id},
        )
    return True


def alerts_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Safety net for a lost scheduled task: escalate every unacknowledged alert whose time is up."""
    now = now or timezone.now()
    shortest = min(conf.escalate_after_minutes(level) for level in ALERT_LEVELS)
    candidates = TriageAlert.objects.filter(
        acknowledged_at__isnull=True, notified_at__lte=now - dt.timedelta(minutes=shortest)
    ).values_list("pk", "escalation_step")
    return sum(alert_escalate(alert_id=pk, from_step=step, now=now) for pk, step in candidates)


__all__ = [
    "TriageLevel",
    "alert_acknowledge",
    "alert_escalate",
    "alerts_escalate_overdue",
    "escalation_chain",
    "may_edit_rules",
    "ruleset_activate",
    "ruleset_ensure_active",
    "ruleset_publish",
    "symptom_report_submit",
]
