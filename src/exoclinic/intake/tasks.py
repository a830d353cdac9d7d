"""Drafts that nobody came back to are deleted with their documents once they expire."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import ApplicationStatus, TreatmentApplication, private_storage


def purge_expired_drafts(now: dt.datetime | None = None) -> int:
    """Delete expired drafts and their files; returns how many drafts went."""
    now = now or timezone.now()
    expired = TreatmentApplication.objects.filter(status=ApplicationStatus.DRAFT, draft_expires_at__lte=now)
    count = 0
    for application in expired:
        names = [u.file.name for u in application.uploads.all()]
        with transaction.atomic():
            application.delete()
        for name in names:
            private_storage.delete(name)
        count += 1
    return count


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_expired_drafts_daily() -> int:
    return purge_expired_drafts()
