"""manage.py backup: a copy of the database and the uploads that restores to the same data."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import PatientFactory


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_the_patients_and_the_uploaded_files(settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy (PostgreSQL: pg_dump, see the README)")
    uploads = tmp_path / "private"
    (uploads / "intake").mkdir(parents=True)
    (uploads / "intake" / "mri-report.pdf").write_bytes(b"%PDF-1.4 report bytes")
    settings.PRIVATE_MEDIA_ROOT = uploads
    patient = PatientFactory(record_number="BK-0001", last_name="Dvořák")

    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    tarball = out.getvalue().strip()
    assert tarball.startswith(str(tmp_path / "backups" / "exoclinic-")) and tarball.endswith(".tar.gz")

    restored = tmp_path / "restored"
    with tarfile.open(tarball) as tar:
        tar.extractall(restored, filter="data")
    manifest = json.loads((restored / "manifest.json").read_text())
    assert manifest["database"] == "sqlite" and "exoclinic.sqlite3" in manifest["files"]
    db = sqlite3.connect(restored / "exoclinic.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    row = db.execute("SELECT id, last_name FROM core_patient WHERE record_number = 'BK-0001'").fetchone()
    assert row == (patient.pk, "Dvořák")
    db.close()
    assert (restored / "private" / "intake" / "mri-report.pdf").read_bytes() == b"%PDF-1.4 report bytes"


@pytest.mark.django_db(transaction=True)
def test_a_write_after_the_backup_is_not_in_it(settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "none"
    PatientFactory(record_number="BK-BEFORE")
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    PatientFactory(record_number="BK-AFTER")
    with tarfile.open(out.getvalue().strip()) as tar:
        tar.extractall(tmp_path / "r", filter="data")
    db = sqlite3.connect(tmp_path / "r" / "exoclinic.sqlite3")
    numbers = {n for (n,) in db.execute("SELECT record_number FROM core_patient")}
    db.close()
    assert "BK-BEFORE" in numbers and "BK-AFTER" not in numbers


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_backup_holds_a_pg_dump_that_pg_restore_reads(settings, tmp_path):
    import shutil
    import subprocess

    if connection.vendor != "postgresql" or not shutil.which("pg_restore"):
        pytest.skip("needs PostgreSQL and its client tools")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "none"
    PatientFactory(record_number="BK-PG-1")
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    with tarfile.open(out.getvalue().strip()) as tar:
        tar.extractall(tmp_path / "r", filter="data")
    assert json.loads((tmp_path / "r" / "manifest.json").read_text())["files"] == ["database.pgdump"]
    dump = tmp_path / "r" / "database.pgdump"
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public core_patient" in listing.stdout
    data = subprocess.run(
        ["pg_restore", "--data-only", "--table", "core_patient", "-f", "-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "BK-PG-1" in data.stdout
