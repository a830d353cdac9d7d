"""Product deviations of a lot, with their 45-day regulator-report clock (clinical-facts §6).

Kept beside ``models.py`` (imported at its end) so that module stays small; the model belongs to the
products app because a deviation is about a lot, not about one patient's treatment.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import TimeStamped


class ProductDeviation(TimeStamped):
    lot = models.ForeignKey("products.ProductLot", on_delete=models.PROTECT, related_name="deviations")
    description = models.TextField(_("what deviated"))
    discovered_at = models.DateTimeField(_("discovered"))
    report_due_at = models.DateTimeField(_("regulator report due"))
    reported_at = models.DateTimeField(_("reported to the regulator"), null=True, blank=True)
    regulator_reference = models.CharField(_("regulator reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-discovered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="product_deviation_submitted_once"),
            models.CheckConstraint(condition=~Q(description=""), name="product_deviation_has_description"),
            models.CheckConstraint(
                condition=Q(report_due_at__gt=F("discovered_at")),
                name="product_deviation_due_after_discovery",
            ),
            models.CheckConstraint(
                condition=Q(reported_at__isnull=True) | ~Q(regulator_reference=""),
                name="product_deviation_report_has_reference",
            ),
        ]
        indexes = [models.Index(fields=["report_due_at"])]

    def __str__(self) -> str:
        return f"{self.lot} · {self.discovered_at:%Y-%m-%d} · {self.description[:40]}"

    @property
    def clock_open(self) -> bool:
        return self.reported_at is None

    def days_left(self, now=None) -> int | None:
        """Whole days until the report is due (negative when overdue); None once reported."""
        if not self.clock_open:
            return None
        return math.floor((self.report_due_at - (now or timezone.now())).total_seconds() / 86400)
