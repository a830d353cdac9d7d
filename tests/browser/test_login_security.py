"""A staff member sets up the second factor, logs out, logs in with a code, and a wrong code is refused."""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import PermissionDenied
from tests.factories import StaffFactory
from tests.mfa import next_code

pytestmark = [pytest.mark.browser, pytest.mark.mfa]


def test_staff_enrol_totp_log_out_and_log_in_with_a_code_and_a_wrong_code_is_refused(
    page, login, transactional_db
):
    user = StaffFactory(email="nuria@example.org", role=Role.CLINICIAN, is_staff=True)

    # First login: the password alone leads to the set-up page, not to staff pages, the admin or a token.
    login(page, "nuria@example.org")
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    for guarded in ("/admin/", "/staff/"):  # the last one is where set-up continues
        page.goto(guarded)
        expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    with pytest.raises(PermissionDenied):
        api_token_issue(user=user)

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(next_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("heading", name="Staff workspace")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    # Second login: a wrong code is refused and staff pages stay closed.
    login(page, "nuria@example.org")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    page.goto("/staff/")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()

    time.sleep(1.5)  # django-otp slows guessing: after one wrong code the next is checked a second later
    page.get_by_label("Code").fill(next_code(device))
    page.get_by_role("button", name="Verify").click()
    # Back where the last guarded page sent us: the admin, now open.
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    assert "/admin/" in page.url
    page.goto("/staff/")
    expect(page.get_by_role("heading", name="Staff workspace")).to_be_visible()
    token, raw = api_token_issue(user=user)
    assert raw.startswith("exo_")
