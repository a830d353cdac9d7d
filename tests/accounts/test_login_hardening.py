"""Logins that resist guessing: lockout per account and per address, password reset, idle staff sessions,
password rules; every login event in the audit trail."""

import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from exoclinic.accounts.middleware import LAST_ACTIVITY_KEY
from exoclinic.accounts.models import Role
from exoclinic.core.demo import DEMO_PASSWORD
from exoclinic.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


def _attempt(client, email, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.axes
def test_the_fifth_wrong_password_locks_the_account_even_for_new_addresses(client, staff):
    user = staff(Role.CLINICIAN)
    for n in range(4):
        assert _attempt(client, user.email, "wrong-password", ip=f"10.0.1.{n}").status_code == 200
    assert _attempt(client, user.email, "wrong-password", ip="10.0.1.5").status_code == 429  # the 5th

    response = _attempt(client, user.email.upper(), PASSWORD, ip="10.0.9.9")

    assert response.status_code == 429
    assert "Logging in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="login.failure")
    assert failures.count() == 6
    assert {e.detail["email"] for e in failures} == {user.email}
    assert "wrong-password" not in str(list(failures.values_list("detail", flat=True)))
    assert AuditEvent.objects.filter(action="login.lockout", detail__email=user.email).exists()


@pytest.mark.axes
def test_one_address_guessing_many_accounts_is_locked_out(client, db):
    for n in range(5):
        _attempt(client, f"someone{n}@example.org", "wrong-password", ip="10.0.2.1")
    user = UserFactory()
    assert _attempt(client, user.email, PASSWORD, ip="10.0.2.1").status_code == 429
    # Another address is not affected.
    assert _attempt(client, user.email, PASSWORD, ip="10.0.2.2").status_code == 302


@pytest.mark.axes
def test_a_successful_login_is_audited_with_the_address(client, patient_user):
    assert _attempt(client, patient_user.email, PASSWORD, ip="10.0.3.1").status_code == 302
    event = AuditEvent.objects.get(action="login.success")
    assert event.actor == patient_user and event.ip_address == "10.0.3.1"


def test_the_login_page_links_to_password_reset_and_the_reset_sets_a_new_password(client, patient_user):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page

    response = client.post("/accounts/password-reset/", {"email": patient_user.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [patient_user.email]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    post_to = form.redirect_chain[-1][0]
    weak = client.post(post_to, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    done = client.post(
        post_to, {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    )
    assert done.status_code == 302
    patient_user.refresh_from_db()
    assert patient_user.check_password("a-new-long-passphrase")
    assert AuditEvent.objects.filter(action="password.reset", actor=patient_user).count() == 1
    # The link works once.
    assert "has been used or has expired" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mail.outbox == []


def test_a_staff_session_ends_after_thirty_idle_minutes(client, staff):
    user = staff(Role.COORDINATOR)
    client.force_login(user)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()

    response = client.get("/staff/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.idle_timeout", actor=user).exists()


def test_a_staff_session_used_within_the_idle_time_stays(client, staff):
    client.force_login(staff(Role.COORDINATOR))
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/").status_code == 200


def test_a_patient_session_has_no_idle_timeout(client, patient, patient_user):
    client.force_login(patient_user)
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 3 * 60 * 60
    session.save()
    assert client.get("/portal/").status_code == 200


def test_password_rules_refuse_short_common_and_numeric_passwords_and_accept_the_demo_one(db):
    user = UserFactory(email="ana.garcia@example.org")
    for weak in ("short", "password123", "1234567890123", "ana.garcia@example"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password(DEMO_PASSWORD, UserFactory(email="patient@example.org"))
    validate_password(PASSWORD, user)
