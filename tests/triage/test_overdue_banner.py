"""The staff home warns when escalations are overdue: the worker that runs them is down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.triage import services
from exoclinic.triage.models import TriageAlert
from tests.triage.factories import AD_HEADACHE, OnCallShiftFactory, answers

BANNER = 'data-testid="overdue-escalations"'


@pytest.fixture
def coordinator(clinic, staff):
    first = staff(Role.COORDINATOR)
    second = staff(Role.CLINICIAN)
    now = timezone.now()
    for position, user in enumerate((first, second), start=1):
        OnCallShiftFactory(
            clinic=clinic,
            user=user,
            position=position,
            starts_at=now - dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=1),
        )
    return first


@pytest.fixture
def alert(patient, patient_user, coordinator, django_capture_on_commit_callbacks) -> TriageAlert:
    """An emergency alert raised now (escalation after 5 minutes), its task queued in memory."""
    with django_capture_on_commit_callbacks(execute=True):
        report = services.symptom_report_submit(
            actor=patient_user, patient=patient, answers=answers(AD_HEADACHE), now=timezone.now()
        )
    alert = TriageAlert.objects.get(report=report)
    assert alert.level == "emergency" and len(alert.chain) == 2
    return alert


def _notified_minutes_ago(alert, minutes):
    TriageAlert.objects.filter(pk=alert.pk).update(notified_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_staff_home_shows_a_banner_when_an_escalation_is_overdue(client, coordinator, alert):
    _notified_minutes_ago(alert, 9)  # due after 5, safety net every minute: 4 minutes late
    client.force_login(coordinator)
    page = client.get("/staff/").content.decode()
    assert BANNER in page
    assert "One alert escalation is overdue" in page
    assert "background worker" in page
    assert "9 minutes ago" in page


def test_no_banner_while_the_escalation_is_not_yet_due_or_just_due(client, coordinator, alert):
    client.force_login(coordinator)
    assert BANNER not in client.get("/staff/").content.decode()
    _notified_minutes_ago(alert, 6)  # one minute past due: the worker may be about to run it
    assert BANNER not in client.get("/staff/").content.decode()


def test_no_banner_for_an_acknowledged_alert_or_one_with_nobody_left_to_call(client, coordinator, alert):
    _notified_minutes_ago(alert, 30)
    TriageAlert.objects.filter(pk=alert.pk).update(escalation_step=1)  # the last person in the chain
    client.force_login(coordinator)
    assert BANNER not in client.get("/staff/").content.decode()
    TriageAlert.objects.filter(pk=alert.pk).update(escalation_step=0)
    services.alert_acknowledge(actor=coordinator, alert=alert)
    assert BANNER not in client.get("/staff/").content.decode()


def test_staff_of_another_clinic_see_no_banner(client, other_clinic, staff, alert):
    _notified_minutes_ago(alert, 30)
    client.force_login(staff(Role.COORDINATOR, at=other_clinic))
    assert BANNER not in client.get("/staff/").content.decode()
