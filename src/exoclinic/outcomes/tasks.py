"""Background jobs: follow-up schedules kept in step with procedures, and patient reminders."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from exoclinic.core.models import Patient

from . import conf, integrations, services


def sync_schedules() -> int:
    """Create or move schedules for patients whose first procedure is recorded (daily)."""
    facts = integrations.cohort_treatment_facts(Patient.objects.values_list("pk", flat=True))
    synced = 0
    if facts:
        patients = Patient.objects.filter(pk__in=list(facts)).select_related("clinic")
        for patient in patients:
            first = facts[patient.pk].get("first_procedure_at")
            if first is not None:
                services.follow_up_schedule_sync(actor=None, patient=patient, first_procedure=first)
                synced += 1
        return synced
    for patient in Patient.objects.select_related("clinic"):  # no treatment facts: ask the timeline
        if services.follow_up_schedule_sync(actor=None, patient=patient) is not None:
            synced += 1
    return synced


@db_periodic_task(crontab(minute="15", hour="2"))
def follow_up_schedules_sync_daily() -> int:
    return sync_schedules()


@db_periodic_task(crontab(minute="0", hour="8"))
def follow_up_reminders_daily() -> int:
    return services.follow_up_reminders_send(today=timezone.now().date())


def _diary_cron():
    weekday = int(conf.get("DIARY_REMINDER_WEEKDAY")) % 7  # cron: 0 is Sunday, ISO 7 is Sunday
    return crontab(minute="0", hour=str(int(conf.get("DIARY_REMINDER_HOUR"))), day_of_week=str(weekday))


@db_periodic_task(_diary_cron())
def diary_reminders_weekly() -> int:
    return services.diary_reminders_send(today=timezone.now().date())


@db_task()
def follow_up_schedule_sync_for(patient_id: int) -> None:
    patient = Patient.objects.select_related("clinic").filter(pk=patient_id).first()
    if patient is not None:
        services.follow_up_schedule_sync(actor=None, patient=patient)
