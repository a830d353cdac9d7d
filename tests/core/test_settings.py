"""Production mode refuses to start without real secrets, and passes `check --deploy` when given them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# manage.py in processes of their own, on a SQLite file of their own (DATABASE_URL unset): see pyproject.toml.
pytestmark = pytest.mark.own_process

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage(
        "check",
        EXOCLINIC_ENV="production",
        ALLOWED_HOSTS="clinic.example.org",
        EXOCLINIC_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _manage(
        "check",
        EXOCLINIC_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        EXOCLINIC_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_mode_passes_check_deploy_without_warnings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        EXOCLINIC_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="clinic.example.org",
        EXOCLINIC_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_default_database_is_sqlite_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = _manage("shell", "-c", code, EXOCLINIC_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["wal", "60000"]
    assert (tmp_path / "exoclinic.sqlite3").exists()


@pytest.mark.parametrize(
    "weak",
    ["abcde" * 10, "k" * 20 + "9aZ-_x" * 8, "Zx9-" + "q8Rt_w2Lm" * 7, "django-insecure-" + "x1" * 30],
)
def test_production_mode_refuses_a_secret_key_without_real_entropy(tmp_path, weak):
    result = _manage(
        "check",
        EXOCLINIC_ENV="production",
        SECRET_KEY=weak,
        ALLOWED_HOSTS="clinic.example.org",
        EXOCLINIC_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_seed_demo_is_refused_in_production_mode(tmp_path):
    env = dict(
        EXOCLINIC_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="clinic.example.org",
        EXOCLINIC_DATA_DIR=str(tmp_path),
    )
    assert _manage("migrate", "--noinput", **env).returncode == 0
    result = _manage("seed_demo", **env)
    assert result.returncode != 0
    assert "refused in production mode" in result.stderr
