"""``manage.py backup``: a consistent copy of the database and the uploads in one timestamped tarball.

SQLite: the online backup API copies the database page by page while the server keeps running (writers
wait a moment, readers not at all), so the copy is one committed state, never a file caught mid-write; the
Huey queue file is copied the same way. PostgreSQL: ``pg_dump -Fc`` (custom format, for ``pg_restore``).
The uploads folder (``PRIVATE_MEDIA_ROOT``) is added as it is. Written to ``var/backups/`` by default:

    exoclinic-20261202T150000Z.tar.gz
        manifest.json            when, which database, what is inside
        exoclinic.sqlite3        (SQLite) or database.pgdump (PostgreSQL)
        huey.sqlite3             (SQLite queue, when present)
        private/...              the uploads

How to restore is in the README ("Back up and restore").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def _sqlite_copy(source: sqlite3.Connection, target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=1024)  # in steps: other connections write between them
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
    if result != "ok":
        raise CommandError(f"The copy of {target.name} fails its integrity check: {result}")


class Command(BaseCommand):
    help = "Write the database and the uploads to var/backups/exoclinic-<UTC time>.tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="", help="folder for the tarball (default var/backups)")

    def handle(self, *args, output, **options):
        out_dir = Path(output) if output else Path(settings.DATA_DIR) / "backups"
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = out_dir / f"exoclinic-{stamp}.tar.gz"
        connection = connections["default"]
        manifest = {"created_at": stamp, "database": connection.vendor, "files": []}
        with tempfile.TemporaryDirectory(dir=out_dir) as work:
            work_dir = Path(work)
            if connection.vendor == "sqlite":
                connection.ensure_connection()
                _sqlite_copy(connection.connection, work_dir / "exoclinic.sqlite3")
                manifest["files"].append("exoclinic.sqlite3")
                queue = Path(settings.HUEY.get("filename", "")) if settings.HUEY.get("filename") else None
                if queue and queue.exists():
                    source = sqlite3.connect(queue)
                    try:
                        _sqlite_copy(source, work_dir / "huey.sqlite3")
                    finally:
                        source.close()
                    manifest["files"].append("huey.sqlite3")
            elif connection.vendor == "postgresql":
                self._pg_dump(connection.settings_dict, work_dir / "database.pgdump")
                manifest["files"].append("database.pgdump")
            else:
                raise CommandError(f"No backup for the {connection.vendor} database.")
            (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            partial = target.with_suffix(".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(work_dir / "manifest.json", arcname="manifest.json")
                for name in manifest["files"]:
                    tar.add(work_dir / name, arcname=name)
                uploads = Path(settings.PRIVATE_MEDIA_ROOT)
                if uploads.is_dir():
                    tar.add(uploads, arcname="private")
            partial.rename(target)  # a tarball under its final name is complete
        target.chmod(0o600)  # patient data: readable by the owner only
        self.stdout.write(str(target))

    def _pg_dump(self, db: dict, target: Path) -> None:
        if not shutil.which("pg_dump"):
            raise CommandError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
        env = {**os.environ}
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = str(db["PASSWORD"])
        command = ["pg_dump", "-Fc", "-f", str(target), "--dbname", db["NAME"]]
        for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if db.get(key):
                command += [flag, str(db[key])]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
