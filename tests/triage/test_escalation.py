"""Acknowledgement and escalation: next on the rota, then the medical director; never twice, never late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidTransition, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.triage import services
from exoclinic.triage.models import TriageAlert
from exoclinic.triage.tasks import escalate_alert
from tests.triage.factories import AD_HEADACHE, OnCallShiftFactory, S, answers

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=n)


@pytest.fixture
def rota(clinic, staff):
    first = staff(Role.COORDINATOR)
    second = staff(Role.CLINICIAN)
    director = staff(Role.CLINICIAN, is_medical_director=True)
    OnCallShiftFactory(clinic=clinic, user=first, position=1)
    OnCallShiftFactory(clinic=clinic, user=second, position=2)
    return first, second, director


@pytest.fixture
def raise_alert(patient, patient_user, django_capture_on_commit_callbacks):
    def make(yes=AD_HEADACHE) -> TriageAlert:
        with django_capture_on_commit_callbacks(execute=True):
            report = services.symptom_report_submit(
                actor=patient_user, patient=patient, answers=answers(yes), now=NOW
            )
        mail.outbox.clear()
        return TriageAlert.objects.get(report=report)

    return make


def run_task(alert, step, at, capture):
    with capture(execute=True):
        return escalate_alert.call_local(alert.pk, step, at.isoformat())


def test_raising_an_alert_schedules_the_first_escalation_after_the_configured_minutes(
    rota, raise_alert, huey_in_memory
):
    alert = raise_alert()
    scheduled = huey_in_memory.scheduled()
    assert [(t.name, t.args) for t in scheduled] == [("escalate_alert", (alert.pk, 0))]
    assert scheduled[0].id == f"triage-escalate-{alert.pk}-0"


def test_acknowledged_in_time_the_alert_never_escalates(
    rota, raise_alert, django_capture_on_commit_callbacks
):
    first, _second, _director = rota
    alert = raise_alert()
    services.alert_acknowledge(actor=first, alert=alert, now=minutes(3))
    assert run_task(alert, 0, minutes(5), django_capture_on_commit_callbacks) is False
    alert.refresh_from_db()
    assert alert.escalation_step == 0 and alert.escalated_to == first
    assert (alert.acknowledged_by, alert.acknowledged_at) == (first, minutes(3))
    assert mail.outbox == []


def test_unacknowledged_goes_to_the_next_on_the_rota_then_the_medical_director(
    rota, raise_alert, django_capture_on_commit_callbacks, huey_in_memory
):
    _first, second, director = rota
    alert = raise_alert()  # emergency: 5 minutes per step by default
    assert run_task(alert, 0, minutes(5), django_capture_on_commit_callbacks) is True
    alert.refresh_from_db()
    assert (alert.escalation_step, alert.escalated_to) == (1, second)
    assert [m.to for m in mail.outbox] == [[second.email]] and "ESCALATED" in mail.outbox[0].subject
    assert ("escalate_alert", (alert.pk, 1)) in [(t.name, t.args) for t in huey_in_memory.scheduled()]

    assert run_task(alert, 1, minutes(10), django_capture_on_commit_callbacks) is True
    alert.refresh_from_db()
    assert (alert.escalation_step, alert.escalated_to) == (2, director)
    assert mail.outbox[-1].to == [director.email]
    assert [e["event"] for e in alert.history] == [
        "raised",
        "notified",
        "escalated",
        "notified",
        "escalated",
        "notified",
    ]
    # The medical director is the last step: nothing further to run.
    assert run_task(alert, 2, minutes(60), django_capture_on_commit_callbacks) is False
    assert AuditEvent.objects.filter(action="triage_alert.escalate").count() == 2


def test_a_step_never_runs_twice(rota, raise_alert, django_capture_on_commit_callbacks):
    alert = raise_alert()
    assert run_task(alert, 0, minutes(6), django_capture_on_commit_callbacks) is True
    assert run_task(alert, 0, minutes(7), django_capture_on_commit_callbacks) is False
    alert.refresh_from_db()
    assert alert.escalation_step == 1 and len(mail.outbox) == 1


def test_a_task_run_early_does_nothing(rota, raise_alert, django_capture_on_commit_callbacks):
    alert = raise_alert()
    assert run_task(alert, 0, minutes(4.9), django_capture_on_commit_callbacks) is False
    alert.refresh_from_db()
    assert alert.escalation_step == 0


def test_urgent_alerts_wait_longer_and_the_minutes_are_a_setting(
    rota, raise_alert, django_capture_on_commit_callbacks, settings
):
    alert = raise_alert({S.LEG_SWOLLEN_WARM_DISCOLOURED: "yes"})
    assert alert.level == "urgent"
    assert run_task(alert, 0, minutes(29), django_capture_on_commit_callbacks) is False
    settings.EXOCLINIC_TRIAGE = {"ESCALATE_AFTER_MINUTES": {"urgent": 15}}
    assert run_task(alert, 0, minutes(15), django_capture_on_commit_callbacks) is True


def test_the_periodic_safety_net_escalates_overdue_alerts_once(
    rota, raise_alert, django_capture_on_commit_callbacks
):
    alert = raise_alert()
    with django_capture_on_commit_callbacks(execute=True):
        escalated = services.alerts_escalate_overdue(now=minutes(6))
        again = services.alerts_escalate_overdue(now=minutes(6))
    assert (escalated, again) == (1, 0)
    alert.refresh_from_db()
    assert alert.escalation_step == 1


def test_only_staff_of_the_clinic_who_read_charts_acknowledge(rota, raise_alert, staff, other_clinic):
    alert = raise_alert()
    with pytest.raises(NotFound):
        services.alert_acknowledge(actor=staff(Role.CLINICIAN, at=other_clinic), alert=alert)
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=staff(Role.LAB), alert=alert)
    alert.refresh_from_db()
    assert not alert.is_acknowledged


def test_a_second_acknowledgement_is_refused_and_keeps_the_first(rota, raise_alert):
    first, second, _director = rota
    alert = raise_alert()
    services.alert_acknowledge(actor=first, alert=alert, now=minutes(2))
    with pytest.raises(InvalidTransition):
        services.alert_acknowledge(actor=second, alert=alert, now=minutes(3))
    alert.refresh_from_db()
    assert alert.acknowledged_by == first
    assert AuditEvent.objects.filter(action="triage_alert.acknowledge").count() == 1
