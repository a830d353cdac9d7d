"""The staff second factor: set-up at first login, a code at each login, the admin, the API and tokens."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import PermissionDenied
from exoclinic.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.mfa import confirmed_device, next_code, verified_login

pytestmark = pytest.mark.mfa


def _log_in(client, user):
    return client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}, follow=True)


def test_first_staff_login_offers_set_up_and_a_first_code_opens_the_workspace(client, staff):
    user = staff(Role.CLINICIAN)
    response = _log_in(client, user)
    assert response.redirect_chain[-1][0].startswith("/accounts/mfa/setup/")
    page = response.content.decode()
    assert "<svg" in page and "<script" not in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get("/staff/").status_code == 302

    response = client.post("/accounts/mfa/setup/", {"code": next_code(device), "next": "/staff/"})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa.enrol", actor=user).count() == 1
    # Shown once: the set-up page now asks for nothing and shows no codes.
    assert not any(code in client.get("/accounts/mfa/").content.decode() for code in codes)


def test_a_wrong_first_code_confirms_nothing(client, staff):
    user = staff(Role.COORDINATOR)
    _log_in(client, user)
    response = client.post("/accounts/mfa/setup/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/staff/").status_code == 302


def test_without_the_second_factor_staff_pages_admin_and_session_api_are_refused(client, staff):
    user = staff(Role.ADMIN, is_staff=True, is_superuser=True)
    confirmed_device(user)
    client.force_login(user)

    staff_page = client.get("/staff/")
    admin_page = client.get("/admin/")
    api = client.get("/api/v1/patients")

    assert staff_page.status_code == 302 and staff_page["Location"].startswith("/accounts/mfa/verify/")
    assert admin_page.status_code == 302 and admin_page["Location"].startswith("/accounts/mfa/verify/")
    assert api.status_code == 401
    # Any other signed-in page too; the public pages and logging out stay open.
    assert client.get("/book/")["Location"].startswith("/accounts/mfa/verify/")
    assert client.get("/portal/")["Location"].startswith("/accounts/mfa/verify/")
    assert client.get("/emergency/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_a_code_at_login_opens_staff_pages_admin_and_the_api(client, staff):
    user = staff(Role.ADMIN, is_staff=True, is_superuser=True)
    device = confirmed_device(user)
    response = _log_in(client, user)
    assert response.redirect_chain[-1][0].startswith("/accounts/mfa/verify/")

    response = client.post("/accounts/mfa/verify/", {"code": next_code(device), "next": "/staff/"})

    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/patients").status_code == 200
    assert AuditEvent.objects.filter(action="login.success", actor=user).exists()


def test_a_wrong_code_is_refused_and_audited(client, staff):
    user = staff(Role.CLINICIAN)
    confirmed_device(user)
    client.force_login(user)
    response = client.post("/accounts/mfa/verify/", {"code": "123456", "next": "/staff/"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action="mfa.failure", actor=user).count() == 1


def test_a_recovery_code_works_once_and_its_use_is_audited(client, staff):
    user = staff(Role.CLINICIAN)
    _log_in(client, user)
    device = TOTPDevice.objects.get(user=user)
    codes = client.post("/accounts/mfa/setup/", {"code": next_code(device)}).context["codes"]
    client.post("/accounts/logout/")

    _log_in(client, user)
    assert client.post("/accounts/mfa/verify/", {"code": codes[0], "next": "/staff/"}).status_code == 302
    assert client.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(action="mfa.recovery_code_used", actor=user)
    assert event.detail == {"remaining": 9}

    client.post("/accounts/logout/")
    _log_in(client, user)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert client.post("/accounts/mfa/verify/", {"code": codes[0]}).status_code == 400


def test_removing_the_second_factor_is_audited_and_staff_must_set_it_up_again(client, staff):
    user = staff(Role.CLINICIAN)
    verified_login(client, user)
    response = client.post("/accounts/mfa/", {"action": "remove"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="mfa.remove", actor=user).count() == 1
    assert client.get("/staff/")["Location"].startswith("/accounts/mfa/setup/")


def test_patients_are_not_asked_for_a_second_factor_but_may_set_one_up(client, patient, patient_user):
    client.force_login(patient_user)
    assert client.get("/portal/").status_code == 200
    assert "Set up a second factor" in client.get("/accounts/mfa/").content.decode()

    device = TOTPDevice.objects.create(user=patient_user, confirmed=True, name="phone")
    assert client.get("/portal/")["Location"].startswith("/accounts/mfa/verify/")
    client.post("/accounts/mfa/verify/", {"code": next_code(device)})
    assert client.get("/portal/").status_code == 200


def test_a_clinic_may_turn_the_patient_offer_off(client, patient_user, settings):
    settings.EXOCLINIC = {**settings.EXOCLINIC, "PATIENT_MFA": "off"}
    client.force_login(patient_user)
    assert "does not offer a second factor" in client.get("/accounts/mfa/").content.decode()
    assert client.get("/accounts/mfa/setup/").status_code == 302


def test_a_token_is_issued_only_to_a_user_with_a_confirmed_device(staff, capsys):
    user = staff(Role.CLINICIAN)
    with pytest.raises(PermissionDenied) as refused:
        api_token_issue(user=user)
    assert refused.value.code == "mfa_required"
    with pytest.raises(CommandError, match="second factor"):
        call_command("issue_token", user.email)

    confirmed_device(user)
    call_command("issue_token", user.email)
    assert capsys.readouterr().out.startswith("exo_")
    assert AuditEvent.objects.filter(action="token.issue", actor=user).count() == 1


def test_demo_staff_have_a_published_secret_and_demo_totp_prints_a_working_code(client, capsys, db):
    call_command("seed_demo", "--quiet")
    call_command("demo_totp", "clinician@example.org")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()

    client.post("/accounts/login/", {"username": "clinician@example.org", "password": "exoclinic-demo-2026"})
    response = client.post("/accounts/mfa/verify/", {"code": code, "next": "/staff/"})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert not TOTPDevice.objects.filter(user__email="patient@example.org").exists()


def test_demo_codes_and_demo_devices_never_exist_in_production_mode(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--quiet")  # no demo data at all in production mode
    assert not TOTPDevice.objects.exists()
    with pytest.raises(CommandError, match="production"):
        call_command("demo_totp", "clinician@example.org")


def test_demo_totp_never_prints_a_code_for_a_real_secret(db):
    user = UserFactory()
    confirmed_device(user)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", user.email)


def test_the_readme_prints_the_demo_secret_that_seed_demo_installs():
    from pathlib import Path

    from exoclinic.accounts.demo import demo_secret_b32

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"`{demo_secret_b32()}`" in readme
