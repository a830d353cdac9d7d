import pytest
from django.db import transaction

from .world import build_world

MATRIX_COUNTS = {"requests": 0, "routes": set(), "roles": set()}


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """The demo clinic and a second clinic, built once for this folder inside a transaction rolled back at
    the end, so tests elsewhere never see it; each test still runs in its own savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter):
    if MATRIX_COUNTS["requests"]:
        terminalreporter.write_line(
            f"access matrix: {len(MATRIX_COUNTS['roles'])} roles x {len(MATRIX_COUNTS['routes'])} routes"
            f" = {MATRIX_COUNTS['requests']} requests"
        )
