"""Rule-set versions, symptom reports with their stored outcome, the on-call rota and alerts to staff.

Every report keeps its inputs, its outcome and the rule-set version that produced it, so a past decision can
be re-run and explained. Rule-set versions are never edited: a change is a new version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import Clinic, Patient, TimeStamped

from .ruleset import SYMPTOMS, TriageLevel


class Level(models.TextChoices):
    SELF_CARE = TriageLevel.SELF_CARE.code, _("Self-care")
    ROUTINE = TriageLevel.ROUTINE.code, _("Routine")
    URGENT = TriageLevel.URGENT.code, _("Urgent")
    EMERGENCY = TriageLevel.EMERGENCY.code, _("Emergency")


ALERT_LEVELS = (Level.EMERGENCY, Level.URGENT)


class TriageRuleSet(models.Model):
    """One version of the triage rules, installation-wide. Exactly one version is active at a time."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    data = models.JSONField(_("rules"), help_text=_("The rule set as JSON (validated on save)."))
    change_note = models.TextField(
        _("change note"), help_text=_("What changed from the previous version, and why.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("triage rule set")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="triage_ruleset_one_active"
            ),
            models.CheckConstraint(condition=~Q(change_note=""), name="triage_ruleset_has_change_note"),
        ]

    def __str__(self) -> str:
        return f"{self.version}{' (active)' if self.is_active else ''}"


class ReportSource(models.TextChoices):
    PORTAL = "portal", _("Portal")
    API = "api", _("API")


class SymptomReport(models.Model):
    """A patient's answers, triaged: the inputs, the outcome and the rule-set version, as they were."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="symptom_reports")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Patient or caregiver."),
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, choices=ReportSource.choices, default=ReportSource.PORTAL)
    ruleset = models.ForeignKey(TriageRuleSet, on_delete=models.PROTECT, related_name="reports")
    inputs = models.JSONField(help_text=_("TriageInput.to_dict(): context, answers and vitals as evaluated."))
    outcome = models.JSONField(help_text=_("TriageOutcome.to_dict(): level, findings and advice as shown."))
    level = models.CharField(max_length=12, choices=Level.choices)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["patient", "-submitted_at"])]

    def __str__(self) -> str:
        return f"{self.patient} · {self.submitted_at:%Y-%m-%d %H:%M} · {self.level}"

    @property
    def triage_level(self) -> TriageLevel:
        return TriageLevel.from_code(self.level)

    # Read by other apps through core.hooks.symptom_reported (treatment records a patient-reported event).
    @property
    def created_at(self):
        return self.submitted_at

    @property
    def outcome_level(self) -> str:
        return self.level

    @property
    def summary(self) -> str:
        """The symptoms answered "yes", in the checklist's words (English, as stored)."""
        labels = {s.code.value: s.label for s in SYMPTOMS}
        present = [
            labels.get(a["code"], a["code"]) for a in self.inputs.get("answers", []) if a["answer"] == "yes"
        ]
        return "Symptom report: " + (", ".join(present) if present else "no symptom answered yes") + "."


class OnCallShift(TimeStamped):
    """Who is on call at a clinic, when, and in which order alerts go to them (1 first, then 2, ...)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    position = models.PositiveSmallIntegerField(
        _("order"),
        default=1,
        help_text=_("1 is called first; an unacknowledged alert goes to 2, then 3, ..."),
    )

    class Meta:
        ordering = ["clinic", "starts_at", "position"]
        verbose_name = _("on-call shift")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="oncall_ends_after_start"),
            models.CheckConstraint(condition=Q(position__gte=1), name="oncall_position_positive"),
        ]
        indexes = [models.Index(fields=["clinic", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user} #{self.position} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class TriageAlert(models.Model):
    """Raised for an emergency or urgent report. Escalates along the rota until someone acknowledges it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    report = models.OneToOneField(SymptomReport, on_delete=models.PROTECT, related_name="alert")
    level = models.CharField(max_length=12, choices=Level.choices)
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalation_step = models.PositiveSmallIntegerField(
        default=0, help_text=_("0: first person on call; each escalation adds one.")
    )
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who was last notified."),
    )
    notified_at = models.DateTimeField(
        default=timezone.now, help_text=_("When the current step was notified.")
    )
    chain = models.JSONField(default=list, help_text=_("User ids to notify in order, fixed when raised."))
    history = models.JSONField(
        default=list, help_text=_("Raised, notified, escalated, acknowledged: in order.")
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="triage_alert_ack_who_and_when",
            ),
            # Routine only for a report whose note in the patient's own words must be read (issue 15).
            models.CheckConstraint(
                condition=Q(level__in=["emergency", "urgent", "routine"]), name="triage_alert_level"
            ),
        ]
        indexes = [models.Index(fields=["clinic", "acknowledged_at", "-raised_at"])]

    def __str__(self) -> str:
        return f"{self.level} alert for report {self.report_id}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def minutes_to_acknowledge(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return (self.acknowledged_at - self.raised_at).total_seconds() / 60
