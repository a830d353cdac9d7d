import pytest


@pytest.fixture(autouse=True)
def huey_in_memory():
    """Huey in immediate mode keeps tasks due later in an in-memory schedule (never the real queue)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    HUEY.storage.flush_all()
    yield HUEY
    HUEY.immediate = False
