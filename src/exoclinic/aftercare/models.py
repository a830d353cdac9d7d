"""Aftercare: per-therapy templates, and the plan each procedure starts (restrictions and check-ins)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import ClinicOwned, Patient, PatientMedication, TimeStamped


class RestrictionKind(models.TextChoices):
    NO_ANTI_INFLAMMATORY = "no_anti_inflammatory", _("No anti-inflammatory medication")
    NO_STRENUOUS_ACTIVITY = "no_strenuous_activity", _("No strenuous or stressful activity")
    NO_CARDIO_EXERCISE = "no_cardio_exercise", _("No cardiovascular exercise")
    OTHER = "other", _("Other")


class DurationUnit(models.TextChoices):
    # Hours are elapsed time; days and weeks are counted on the patient's calendar, so a clock change does
    # not move the end by an hour.
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    PLAN_PERIOD = "plan_period", _("the period set in the treatment plan")


class AftercareTemplate(ClinicOwned):
    therapy = models.OneToOneField(
        "treatment.Therapy", on_delete=models.CASCADE, related_name="aftercare_template"
    )
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class RestrictionTemplate(models.Model):
    template = models.ForeignKey(AftercareTemplate, on_delete=models.CASCADE, related_name="restrictions")
    kind = models.CharField(max_length=25, choices=RestrictionKind.choices)
    title = models.CharField(max_length=200)
    advice = models.TextField(blank=True)
    duration = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    unit = models.CharField(max_length=12, choices=DurationUnit.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit="plan_period") | Q(duration__isnull=False), name="restriction_has_duration"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CheckInTemplate(models.Model):
    template = models.ForeignKey(AftercareTemplate, on_delete=models.CASCADE, related_name="check_ins")
    title = models.CharField(max_length=200)
    after_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1000)])

    class Meta:
        ordering = ["after_days", "id"]

    def __str__(self) -> str:
        return self.title


class AftercarePlan(ClinicOwned):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="aftercare_plans")
    procedure = models.OneToOneField(
        "treatment.Procedure", on_delete=models.PROTECT, related_name="aftercare_plan"
    )
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"Aftercare · {self.patient.full_name} · {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self):
        return max((r.ends_at for r in self.restrictions.all()), default=self.starts_at)


class Restriction(models.Model):
    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="restrictions")
    kind = models.CharField(max_length=25, choices=RestrictionKind.choices)
    title = models.CharField(max_length=200)
    advice = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["ends_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="restriction_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def in_force(self, at) -> bool:
        return self.starts_at <= at < self.ends_at


class CheckIn(models.Model):
    """A portal task: the patient tells the clinic how they are on a given day after the procedure."""

    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="check_ins")
    title = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feeling = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return self.title


class MedicationWarning(TimeStamped):
    """An anti-inflammatory drug was added while the restriction against it was in force."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medication_warnings")
    medication = models.ForeignKey(PatientMedication, on_delete=models.CASCADE, related_name="+")
    restriction = models.ForeignKey(Restriction, on_delete=models.CASCADE, related_name="warnings")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["medication", "restriction"], name="medication_warning_once")
        ]

    def __str__(self) -> str:
        return f"{self.medication} · {self.restriction}"
