"""API tokens expire and may be read-only."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from exoclinic.accounts.models import ApiToken, Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import InvalidInput
from exoclinic.core.models import AuditEvent


def _bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_expires_after_ninety_days_by_default(client, staff):
    token, raw = api_token_issue(user=staff(Role.CLINICIAN))
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.get("/api/v1/me", headers=_bearer(raw))
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_a_read_only_token_reads_but_every_write_is_refused(client, patient, staff):
    _, raw = api_token_issue(user=staff(Role.CLINICIAN), read_only=True)
    assert client.get(f"/api/v1/patients/{patient.pk}", headers=_bearer(raw)).status_code == 200

    response = client.patch(
        f"/api/v1/patients/{patient.pk}",
        {"phone": "+34 600 000 111"},
        "application/json",
        headers=_bearer(raw),
    )

    assert response.status_code == 403 and response.json()["code"] == "read_only_token"
    patient.refresh_from_db()
    assert patient.phone != "+34 600 000 111"


def test_a_read_write_token_may_write(client, patient, staff):
    _, raw = api_token_issue(user=staff(Role.CLINICIAN))
    response = client.patch(
        f"/api/v1/patients/{patient.pk}",
        {"phone": "+34 600 000 111"},
        "application/json",
        headers=_bearer(raw),
    )
    assert response.status_code == 200


def test_issue_token_takes_days_and_read_only_and_audits_them(staff, capsys):
    user = staff(Role.LAB)
    call_command("issue_token", user.email, "--days", "7", "--read-only")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=user)
    assert raw.startswith(token.prefix) and token.read_only
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert AuditEvent.objects.get(action="token.issue").detail == {
        "user": user.email,
        "days": 7,
        "read_only": True,
    }


def test_a_token_lifetime_outside_one_day_to_a_year_is_refused(staff):
    user = staff(Role.LAB)
    with pytest.raises(InvalidInput) as refused:
        api_token_issue(user=user, days=0)
    assert refused.value.field == "days"
    with pytest.raises(CommandError, match="1 to 366 days"):
        call_command("issue_token", user.email, "--days", "400")
