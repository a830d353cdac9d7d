"""Bulk Data export: kick-off, polling (202 with X-Progress, then the manifest), NDJSON files, expiry."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.interop.export import exports_expire
from exoclinic.interop.models import BulkExport
from tests.factories import PatientFactory

from .conftest import add_assessments, validate


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def huey_immediate():
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _kickoff(client, path, raw, **params):
    return client.get(path, params, HTTP_PREFER="respond-async", **_auth(raw))


@pytest.fixture
def clinic_records(clinic, staff):
    clinician = staff(Role.CLINICIAN)
    patients = [PatientFactory(clinic=clinic) for _ in range(3)]
    for patient in patients:
        add_assessments(patient, n=2)
    return clinician, patients


def test_group_export_runs_through_kickoff_polling_and_download(
    clinic, clinic_records, client, token, huey_immediate, django_capture_on_commit_callbacks, settings
):
    settings.EXOCLINIC_FHIR = {"EXPORT_CHUNK": 2}  # three patients: two chunks
    clinician, patients = clinic_records
    raw = token(clinician)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _kickoff(client, f"/fhir/r4/Group/{clinic.pk}/$export", raw)
    assert response.status_code == 202
    status_url = response["Content-Location"]
    assert "/fhir/r4/$export-status/" in status_url

    waiting = client.get(status_url, **_auth(raw))
    assert waiting.status_code == 202
    assert waiting["X-Progress"].startswith("queued")

    for callback in queued:  # the commit happens: Huey (immediate in tests) runs the writer
        callback()
    done = client.get(status_url, **_auth(raw))
    assert done.status_code == 200
    manifest = done.json()
    assert manifest["requiresAccessToken"] is True
    counts = {o["type"]: o["count"] for o in manifest["output"]}
    assert counts["Patient"] == 3 and counts["Observation"] == 18 and counts["Condition"] == 3

    for output in manifest["output"]:
        file = client.get(output["url"], **_auth(raw))
        assert file.status_code == 200
        assert file["Content-Type"] == "application/fhir+ndjson"
        lines = b"".join(file.streaming_content).decode().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            assert type(validate(json.loads(line))).__name__ == output["type"]

    audited = AuditEvent.objects.filter(
        actor=clinician, action="patient.view", detail__purpose="fhir.$export"
    )
    assert sorted(audited.values_list("patient_id", flat=True)) == sorted(p.pk for p in patients)


def test_another_clinics_staff_cannot_export_poll_or_download(
    clinic,
    other_clinic,
    clinic_records,
    staff,
    client,
    token,
    huey_immediate,
    django_capture_on_commit_callbacks,
):
    clinician, _patients = clinic_records
    with django_capture_on_commit_callbacks(execute=True):
        response = _kickoff(client, "/fhir/r4/Patient/$export", token(clinician), _type="Patient,Observation")
    status_url = response["Content-Location"]
    manifest = client.get(status_url, **_auth(token(clinician))).json()
    assert {o["type"] for o in manifest["output"]} == {"Patient", "Observation"}

    outsider = token(staff(Role.CLINICIAN, at=other_clinic))
    assert client.get(status_url, **_auth(outsider)).status_code == 404
    assert client.get(manifest["output"][0]["url"], **_auth(outsider)).status_code == 404
    assert _kickoff(client, f"/fhir/r4/Group/{clinic.pk}/$export", outsider).status_code == 404
    assert client.get(manifest["output"][0]["url"]).status_code == 401  # the files need the token too


def test_lab_staff_and_patients_cannot_start_an_export(clinic, patient, staff, client, token):
    assert _kickoff(client, f"/fhir/r4/Group/{clinic.pk}/$export", token(staff(Role.LAB))).status_code == 403
    assert _kickoff(client, "/fhir/r4/Patient/$export", token(patient.user)).status_code == 403
    assert not BulkExport.objects.exists()


@pytest.mark.parametrize(
    "params, headers, expression",
    [
        ({}, {}, "Prefer"),
        ({"_type": "Medication"}, {"HTTP_PREFER": "respond-async"}, "_type"),
        ({"_since": "yesterday"}, {"HTTP_PREFER": "respond-async"}, "_since"),
        ({"_outputFormat": "text/csv"}, {"HTTP_PREFER": "respond-async"}, "_outputFormat"),
        ({"_elements": "id"}, {"HTTP_PREFER": "respond-async"}, "_elements"),
    ],
)
def test_a_bad_kickoff_is_a_400_naming_what_is_wrong(
    clinic_records, client, token, params, headers, expression
):
    clinician, _patients = clinic_records
    response = client.get("/fhir/r4/Patient/$export", params, **headers, **_auth(token(clinician)))
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == [expression]


def test_since_exports_only_what_changed_after_it(
    clinic_records, client, token, huey_immediate, django_capture_on_commit_callbacks
):
    clinician, _patients = clinic_records
    future = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with django_capture_on_commit_callbacks(execute=True):
        response = _kickoff(client, "/fhir/r4/Patient/$export", token(clinician), _since=future)
    assert client.get(response["Content-Location"], **_auth(token(clinician))).json()["output"] == []


def test_files_expire_after_the_set_time(
    clinic_records, client, token, huey_immediate, django_capture_on_commit_callbacks, settings
):
    settings.EXOCLINIC_FHIR = {"EXPORT_EXPIRES_HOURS": 2}
    clinician, _patients = clinic_records
    raw = token(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        status_url = _kickoff(client, "/fhir/r4/Patient/$export", raw, _type="Patient")["Content-Location"]
    export = BulkExport.objects.get()
    assert (
        dt.timedelta(hours=1, minutes=59) < export.expires_at - export.completed_at <= dt.timedelta(hours=2)
    )
    url = client.get(status_url, **_auth(raw)).json()["output"][0]["url"]

    assert exports_expire(now=export.expires_at + dt.timedelta(seconds=1)) == 1
    BulkExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(status_url, **_auth(raw)).status_code == 410
    assert client.get(url, **_auth(raw)).status_code == 410
    from exoclinic.interop.export import export_dir

    assert not export_dir(export).exists()


def test_staff_who_left_the_clinic_no_longer_reach_their_export(
    clinic, clinic_records, client, token, huey_immediate, django_capture_on_commit_callbacks
):
    from exoclinic.accounts.models import StaffMembership

    clinician, _patients = clinic_records
    raw = token(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        status_url = _kickoff(client, "/fhir/r4/Patient/$export", raw, _type="Patient")["Content-Location"]
    url = client.get(status_url, **_auth(raw)).json()["output"][0]["url"]
    StaffMembership.objects.filter(user=clinician).delete()
    assert client.get(status_url, **_auth(raw)).status_code == 404
    assert client.get(url, **_auth(raw)).status_code == 404
