"""Documents are judged by their bytes, size-limited, stored privately and opened only by those allowed."""

import pytest
from django.conf import settings as django_settings

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput, InvalidTransition
from exoclinic.core.models import AuditEvent
from exoclinic.intake import filecheck, services
from exoclinic.intake.models import ApplicationUpload
from tests.intake.factories import jpeg_bytes, pdf_bytes, png_bytes, submitted

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [(pdf_bytes(), "application/pdf"), (png_bytes(), "image/png"), (jpeg_bytes(), "image/jpeg")],
)
def test_real_documents_are_recognised_by_their_bytes(data, kind):
    assert filecheck.detect(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        b"%PDF-1.4 but never finished",
        png_bytes()[:-6],  # cut short
        png_bytes()[:30] + b"X" + png_bytes()[31:],  # damaged: checksum no longer matches
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"\xff\xd8\xff\xe0 not a real jpeg",
        jpeg_bytes()[:-2],  # no end marker
        b"GIF89a...",
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(filecheck.NotAllowed):
        filecheck.detect(data)


@pytest.fixture
def draft(clinic):
    application, _ = services.application_start(
        clinic=clinic, data={"for_self": True, "first_name": "A", "last_name": "B", "email": "a@example.org"}
    )
    return application


def test_a_renamed_exe_is_refused_however_it_is_named(draft):
    with pytest.raises(InvalidInput) as exc:
        services.upload_add(application=draft, name="mri-report.pdf", data=EXE)
    assert exc.value.field == "file"
    assert "not a PDF, JPEG or PNG" in exc.value.message
    assert not ApplicationUpload.objects.exists()


def test_a_document_is_stored_privately_under_a_random_name(draft):
    upload = services.upload_add(application=draft, name="../../etc/Informe MRI.pdf", data=pdf_bytes())
    assert upload.original_name == "Informe MRI.pdf"
    assert upload.content_type == "application/pdf"
    path = upload.file.path
    assert path.startswith(str(django_settings.PRIVATE_MEDIA_ROOT))
    assert "Informe" not in path
    assert not path.startswith(str(django_settings.STATIC_ROOT))


def test_per_file_and_total_limits_are_settings(draft, settings):
    settings.EXOCLINIC_INTAKE_MAX_FILE_BYTES = 100
    with pytest.raises(InvalidInput, match="larger than"):
        services.upload_add(application=draft, name="big.png", data=png_bytes(400, 400) + b"\x00" * 200)
    settings.EXOCLINIC_INTAKE_MAX_FILE_BYTES = 10_000
    settings.EXOCLINIC_INTAKE_MAX_TOTAL_BYTES = len(pdf_bytes()) * 2 + 5
    services.upload_add(application=draft, name="a.pdf", data=pdf_bytes())
    services.upload_add(application=draft, name="b.pdf", data=pdf_bytes())
    with pytest.raises(InvalidInput, match="Together"):
        services.upload_add(application=draft, name="c.pdf", data=pdf_bytes())


def test_documents_cannot_be_added_to_a_submitted_application_until_asked(clinic, staff):
    application = submitted(clinic)
    with pytest.raises(InvalidTransition):
        services.upload_add(application=application, name="a.png", data=png_bytes())
    coordinator = staff(Role.COORDINATOR)
    services.application_start_review(actor=coordinator, application=application)
    services.application_request_info(actor=coordinator, application=application, body="MRI please")
    assert services.upload_add(application=application, name="a.png", data=png_bytes()).pk


def test_downloads_only_for_the_applicant_and_the_clinics_staff_each_audited(
    client, clinic, other_clinic, staff
):
    application = submitted(clinic)
    coordinator = staff(Role.COORDINATOR)
    services.application_start_review(actor=coordinator, application=application)
    services.application_request_info(actor=coordinator, application=application, body="MRI please")
    upload = services.upload_add(application=application, name="mri.png", data=png_bytes())
    url = f"/apply/documents/{upload.pk}/"

    assert client.get(url).status_code == 404  # a stranger
    client.force_login(staff(Role.COORDINATOR, at=other_clinic))
    assert client.get(url).status_code == 404  # another clinic's staff
    client.force_login(staff(Role.LAB))
    assert client.get(url).status_code == 404  # lab staff of the clinic
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png" and "attachment" in response["Content-Disposition"]
    client.logout()
    raw = services.link_issue(application=application)
    client.get(f"/apply/link/{raw}/")
    assert client.get(url).status_code == 200  # the applicant, through their link
    downloads = AuditEvent.objects.filter(action="application_upload.download", record_id=str(upload.pk))
    assert [e.detail["as"] for e in downloads.order_by("id")] == ["staff", "applicant"]


def test_expired_drafts_are_deleted_with_their_documents(draft, clinic):
    import datetime as dt
    import os

    from django.utils import timezone

    from exoclinic.intake.tasks import purge_expired_drafts

    upload = services.upload_add(application=draft, name="a.pdf", data=pdf_bytes())
    path = upload.file.path
    kept = submitted(clinic)
    assert purge_expired_drafts(now=timezone.now()) == 0
    assert purge_expired_drafts(now=draft.draft_expires_at + dt.timedelta(seconds=1)) == 1
    assert not os.path.exists(path)
    assert not ApplicationUpload.objects.exists()
    kept.refresh_from_db()  # submitted applications never expire
