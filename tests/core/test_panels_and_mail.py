import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from exoclinic.accounts.models import Role
from exoclinic.core import panels
from exoclinic.core.notify import send_templated_email


@pytest.fixture
def staff_panel():
    def fn(request):
        return panels.Panel(template="core/test_panel.html", context={"text": f"Hello {request.user.email}"})

    panels.register("staff", fn)
    yield
    panels._panels["staff"].remove(fn)


def test_registered_panels_show_on_the_staff_home(client, staff, staff_panel, tmp_path, settings):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "test_panel.html").write_text("<p class='panel'>{{ panel.text }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    user = staff(Role.COORDINATOR)
    client.force_login(user)
    assert f"<p class='panel'>Hello {user.email}</p>" in client.get(reverse("staff:home")).content.decode()


def test_templated_mail_leaves_only_after_commit_and_in_the_recipients_language(
    tmp_path, settings, db, django_capture_on_commit_callbacks
):
    (tmp_path / "m_subject.txt").write_text("{% load i18n %}{% translate 'January' %} {{ n }}\n")
    (tmp_path / "m_body.txt").write_text("Body {{ n }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_templated_email(to="a@example.org", name="m", context={"n": 1})
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(to="a@example.org", name="m", context={"n": 2}, language="es")
        assert mail.outbox == []
    sent = [(m.subject, m.body, m.to) for m in mail.outbox]
    assert sent == [("enero 2", "Body 2", ["a@example.org"])]
