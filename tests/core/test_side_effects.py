"""Mail, Redis or the queue failing never costs the patient the emergency advice, and nothing is lost:
once the service is back, the outbox drain sends every mail and runs every escalation exactly once.

These tests commit for real (transactional), so the after-commit steps run inside the request as they do
in production."""

from __future__ import annotations

import datetime as dt

import pytest
import redis
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.exceptions import HueyException

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.models import OutboxMessage, OutboxStatus
from exoclinic.core.outbox import drain_outbox
from exoclinic.triage.models import TriageAlert
from tests.factories import ClinicFactory, PatientFactory, StaffFactory, UserFactory
from tests.triage.factories import AD_HEADACHE, OnCallShiftFactory, answers, form_data

pytestmark = pytest.mark.django_db(transaction=True)

REFUSING_SMTP = "tests.core.mail_backends.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db):
    clinic = ClinicFactory(emergency_phone="+34 910 555 010", emergency_services_number="112")
    first = StaffFactory(role=Role.COORDINATOR, clinic=clinic)
    second = StaffFactory(role=Role.CLINICIAN, clinic=clinic)
    now = timezone.now()
    for position, user in ((1, first), (2, second)):
        OnCallShiftFactory(
            clinic=clinic,
            user=user,
            position=position,
            starts_at=now - dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=1),
        )
    user = UserFactory()
    patient = PatientFactory(clinic=clinic, user=user)
    return clinic, patient, user, first, second


def _queue_down(monkeypatch, error):
    def refuse(task):
        raise error

    monkeypatch.setattr(HUEY, "enqueue", refuse)


def _report_on_the_portal(client, user):
    client.force_login(user)
    return client.post("/portal/symptoms/", form_data(AD_HEADACHE), follow=True)


def _report_through_the_api(client, patient, user):
    _, raw = api_token_issue(user=user)
    body = {
        "patient_id": patient.pk,
        "answers": [
            {"code": a.code.value, "answer": a.answer.value, "severity": a.severity}
            for a in answers(AD_HEADACHE)
        ],
    }
    return client.post(
        "/api/v1/triage/reports",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def _assert_portal_advice(response, clinic):
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sit upright" in html
    assert clinic.emergency_phone in html


def _time_passes(minutes: int) -> dt.datetime:
    """The alert was raised ``minutes`` ago: move its clock back, return the drain's 'now'."""
    TriageAlert.objects.update(notified_at=timezone.now() - dt.timedelta(minutes=minutes))
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_smtp_refusing_the_portal_report_still_shows_the_advice_and_the_alert_mail_goes_once_later(
    client, settings, world
):
    clinic, _patient, user, first, _second = world
    settings.EMAIL_BACKEND = REFUSING_SMTP

    response = _report_on_the_portal(client, user)

    _assert_portal_advice(response, clinic)
    alert = TriageAlert.objects.get()
    assert mail.outbox == []
    pending = OutboxMessage.objects.get(kind="mail")
    assert pending.status == OutboxStatus.PENDING and pending.attempts == 1
    scheduled = {t.name: t for t in HUEY.scheduled()}
    assert scheduled["escalate_alert"].id == f"triage-escalate-{alert.pk}-0"
    retry = scheduled["deliver_outbox_message"]  # Huey's own retry of the mail, a minute later

    settings.EMAIL_BACKEND = LOCMEM  # the mail server is back
    later = timezone.now() + dt.timedelta(minutes=2)
    assert drain_outbox(now=later) == 1
    assert drain_outbox(now=later) == 0
    assert retry.execute() is False  # the retry finds the mail sent: no second copy
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert OutboxMessage.objects.get().status == OutboxStatus.DONE


@pytest.mark.parametrize(
    "error",
    [redis.exceptions.ConnectionError("Error 111 connecting to redis"), HueyException("queue broken")],
    ids=["redis-down", "huey-raising"],
)
def test_queue_refusing_the_api_report_still_answers_the_advice_and_the_escalation_runs_once_later(
    client, settings, monkeypatch, world, error
):
    clinic, patient, user, first, second = world
    settings.EMAIL_BACKEND = LOCMEM
    _queue_down(monkeypatch, error)

    response = _report_through_the_api(client, patient, user)

    assert response.status_code == 201
    body = response.json()
    assert body["level"] == "emergency" and body["advice"][0].startswith("Sit upright")
    assert body["clinic_emergency_phone"] == clinic.emergency_phone
    alert = TriageAlert.objects.get()
    kept = OutboxMessage.objects.order_by("kind")
    assert [(m.kind, m.name) for m in kept] == [
        ("mail", "triage/email/alert"),
        ("task", "exoclinic.triage.tasks.escalate_alert"),
    ]
    assert kept[1].payload["args"] == [alert.pk, 0] and kept[1].key == f"triage-escalate-{alert.pk}-0"
    assert mail.outbox == []

    monkeypatch.undo()  # the queue is back
    settings.EMAIL_BACKEND = LOCMEM
    now = _time_passes(minutes=10)
    assert drain_outbox(now=now) == 2  # the first alert mail, then the escalation step
    assert drain_outbox(now=now) == 0
    alert.refresh_from_db()
    assert alert.escalation_step == 1 and alert.escalated_to == second
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]


def test_a_failing_symptom_hook_neither_breaks_the_answer_nor_skips_the_escalation(
    client, settings, monkeypatch, world
):
    from exoclinic.core import hooks

    clinic, _patient, user, _first, _second = world
    settings.EMAIL_BACKEND = LOCMEM

    def broken(report):
        raise RuntimeError("hook failed")

    monkeypatch.setattr(hooks, "symptom_reported", [broken, *hooks.symptom_reported])
    response = _report_on_the_portal(client, user)

    _assert_portal_advice(response, clinic)
    alert = TriageAlert.objects.get()
    assert len(mail.outbox) == 1
    assert [t.id for t in HUEY.scheduled()] == [f"triage-escalate-{alert.pk}-0"]


def test_a_booking_is_confirmed_to_the_patient_whatever_mail_and_the_queue_do(client, settings, monkeypatch):
    from exoclinic.scheduling.models import Appointment
    from tests.scheduling.factories import AppointmentTypeFactory, practitioner

    clinic = ClinicFactory(time_zone="Europe/Madrid")
    practitioner(clinic, hours=((0, 5), "09:00", "13:00"))
    kind = AppointmentTypeFactory(clinic=clinic, duration_minutes=60)
    user = UserFactory()
    PatientFactory(clinic=clinic, user=user, email=user.email)
    _, raw = api_token_issue(user=user)
    settings.EMAIL_BACKEND = REFUSING_SMTP
    _queue_down(monkeypatch, redis.exceptions.ConnectionError("Error 111"))

    response = client.post(
        "/api/v1/appointments",
        {"appointment_type": kind.pk, "start": "2027-03-02T10:00:00+01:00"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed"
    appointment = Appointment.objects.get()
    # the queue refused the booking's one follow-up task (hand the e-mail over, schedule the reminders):
    # the outbox keeps it, due at once
    kept = OutboxMessage.objects.filter(kind="task")
    assert [(m.name, m.payload["args"]) for m in kept] == [
        (
            "exoclinic.scheduling.tasks.after_booking",
            [appointment.pk, 0, OutboxMessage.objects.get(kind="mail").pk],
        )
    ]
    monkeypatch.undo()
    settings.EMAIL_BACKEND = LOCMEM
    assert drain_outbox(now=timezone.now()) == 2  # the confirmation, and the follow-up task
    assert drain_outbox(now=timezone.now()) == 0
    assert [(m.to, m.attachments[0].get_filename().endswith(".ics")) for m in mail.outbox] == [
        ([user.email], True)
    ]  # once: the follow-up's hand-over finds the e-mail sent
    reminders = {t.id: t for t in HUEY.scheduled() if t.id.startswith("scheduling-reminder-")}
    assert set(reminders) == {
        f"scheduling-reminder-{appointment.pk}-1440-0",
        f"scheduling-reminder-{appointment.pk}-120-0",
    }
    assert all(t.eta < appointment.start.replace(tzinfo=None) for t in reminders.values())
