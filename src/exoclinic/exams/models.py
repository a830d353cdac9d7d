"""ISNCSCI exams: the worksheet as entered (interchange format), its classification, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import ClinicOwned, Patient


class IsncsciExam(ClinicOwned):
    """One ISNCSCI exam of a patient, classified by the ``isncsci`` package when stored.

    ``exam`` and ``result`` hold the reference implementation's JSON shapes; the key figures are copied
    into columns for listing (they are strings: a total may be "ND", a level "C5,C6", a grade "B,C").
    A correction keeps the replaced state in ``IsncsciExamVersion`` and raises ``version``.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="isncsci_exams")
    examined_at = models.DateTimeField(_("examined at"))
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("examiner")
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="isncsci_exams",
        verbose_name=_("visit"),
        help_text=_("The visit the exam was taken at, when it was booked in the calendar."),
    )
    exam = models.JSONField(_("exam"))
    comments = models.TextField(_("comments"), blank=True)
    result = models.JSONField(_("classification result"))
    ais = models.CharField(_("AIS grade"), max_length=20)
    nli = models.CharField(_("neurological level of injury"), max_length=120)
    uems = models.CharField(_("upper extremity motor score"), max_length=8)
    lems = models.CharField(_("lower extremity motor score"), max_length=8)
    light_touch = models.CharField(_("light touch total"), max_length=8)
    pin_prick = models.CharField(_("pin prick total"), max_length=8)
    version = models.PositiveIntegerField(default=1)
    # A form or API client sends a fresh key per exam, so a double submit stores one exam.
    submission_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-examined_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="isncsci_exam_one_per_submission",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="isncsci_exam_version_positive"),
        ]
        indexes = [models.Index(fields=["patient", "examined_at"])]

    def __str__(self) -> str:
        return f"ISNCSCI {self.examined_at:%Y-%m-%d} AIS {self.ais} NLI {self.nli} ({self.patient_id})"


class IsncsciExamVersion(models.Model):
    """A state of an exam that a correction replaced: what it said, and who replaced it, when and why."""

    exam_record = models.ForeignKey(IsncsciExam, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    examined_at = models.DateTimeField()
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exam = models.JSONField()
    comments = models.TextField(blank=True)
    result = models.JSONField()
    ais = models.CharField(max_length=20)
    nli = models.CharField(max_length=120)
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for the correction"))

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["exam_record", "version"], name="isncsci_exam_version_unique"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="isncsci_exam_version_has_reason"),
        ]

    def __str__(self) -> str:
        return f"exam {self.exam_record_id} v{self.version}"
