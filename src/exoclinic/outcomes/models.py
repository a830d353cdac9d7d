"""Outcome records: scored assessments, the weekly self-rating diary, and the follow-up schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import Patient, TimeStamped

from .indicators import INDICATORS
from .instruments import INSTRUMENTS

INSTRUMENT_CHOICES = [(code, definition.name) for code, definition in INSTRUMENTS.items()]
RATING_FIELDS = tuple(indicator.code for indicator in INDICATORS)


class AssessmentSource(models.TextChoices):
    MANUAL = "manual", _("Entered by a clinician")
    EXAM = "exam", _("ISNCSCI exam")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class Assessment(TimeStamped):
    """One scored instrument at one visit. ``items`` as entered, ``values`` every measure the scoring gave.

    ``follow_up_months`` places it on the patient's schedule: 0 is a baseline (on or before the first
    procedure), N a follow-up point's month, None outside every window.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(_("instrument"), max_length=20, choices=INSTRUMENT_CHOICES)
    taken_on = models.DateField(_("date taken"))
    items = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    band = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=20, default=AssessmentSource.MANUAL)
    source_ref = models.CharField(max_length=100, blank=True)
    follow_up_months = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "source", "source_ref"],
                condition=~Q(source_ref=""),
                name="assessment_one_per_source_ref",
            ),
            models.CheckConstraint(
                condition=Q(instrument__in=list(INSTRUMENTS)), name="assessment_known_instrument"
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "instrument", "taken_on"]),
            models.Index(fields=["instrument", "follow_up_months"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.taken_on} ({self.patient_id})"

    @property
    def definition(self):
        return INSTRUMENTS[self.instrument]


class DiarySource(models.TextChoices):
    DIARY = "diary", _("Weekly diary")
    APPLICATION = "application", _("Treatment application")


def _rating(label):
    return models.PositiveSmallIntegerField(label)


class DiaryEntry(TimeStamped):
    """The patient's own ratings of the six indicators (0-10) for one week; a second entry updates it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary_entries")
    week_start = models.DateField(_("week starting"), help_text=_("Monday of the week, patient's time zone"))
    movement = _rating(_("movement"))
    muscle_relaxation = _rating(_("muscle stiffness and spasms"))
    bowel_bladder = _rating(_("bowel and bladder control"))
    sensation = _rating(_("sensation"))
    pain = _rating(_("pain"))
    rest_strength = _rating(_("sleep and strength"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["week_start"]
        verbose_name_plural = "diary entries"
        constraints = [
            models.UniqueConstraint(fields=["patient", "week_start"], name="diary_one_entry_per_week"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 10}), name=f"diary_{name}_0_10"
                )
                for name in RATING_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"diary {self.patient_id} {self.week_start}"

    @staticmethod
    def ratings_fields() -> tuple[str, ...]:
        return RATING_FIELDS

    @property
    def ratings(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in RATING_FIELDS}


class FollowUpSchedule(TimeStamped):
    """When the patient's follow-up assessments are due, counted from the first procedure."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="follow_up_schedule")
    first_procedure_on = models.DateField(_("first procedure"))

    def __str__(self) -> str:
        return f"follow-up of {self.patient_id} from {self.first_procedure_on}"


class FollowUpPoint(models.Model):
    """A point of the schedule: months 0 is the baseline (due by the first procedure)."""

    schedule = models.ForeignKey(FollowUpSchedule, on_delete=models.CASCADE, related_name="points")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    window_days = models.PositiveSmallIntegerField(default=0)
    completed_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["schedule", "months"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "months"], name="follow_up_point_unique_month"),
        ]
        indexes = [models.Index(fields=["completed_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.months} months, due {self.due_on}"

    @property
    def is_baseline(self) -> bool:
        return self.months == 0
