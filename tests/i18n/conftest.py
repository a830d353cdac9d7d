import pytest
from django.db import transaction

from tests.security.world import build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """The access matrix's world (the demo clinic, a second clinic, one user per role), built once for this
    folder inside a transaction rolled back at the end, so tests elsewhere never see it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
