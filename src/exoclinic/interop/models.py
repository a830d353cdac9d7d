"""Bulk Data exports (HL7 FHIR Bulk Data Access IG): one row per kick-off, files under PRIVATE_MEDIA_ROOT."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class BulkExport(models.Model):
    """An export asked for by one user; only that user polls it and downloads its files, until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey(
        "core.Clinic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Group/{clinic}/$export; empty for Patient/$export (every clinic the user is staff of).",
    )
    types = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()
    base_url = models.TextField()
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    patients_total = models.PositiveIntegerField(default=0)
    patients_done = models.PositiveIntegerField(default=0)
    output = models.JSONField(default=list, blank=True)  # [{"type": ..., "count": ...}]
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"export {self.id} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    CONFIRMED = "confirmed", "Imported"
    DISCARDED = "discarded", "Discarded"


class ReferralImport(models.Model):
    """A FHIR Bundle a clinician uploaded from another system: validated, reviewed, then imported or not."""

    clinic = models.ForeignKey("core.Clinic", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, help_text="Where the referral came from, e.g. the hospital.")
    bundle = models.JSONField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    patient = models.ForeignKey(
        "core.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_patient = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"referral import {self.pk} ({self.status})"
