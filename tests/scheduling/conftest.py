import datetime as dt

import pytest
from huey.contrib.djhuey import HUEY

from tests.factories import ClinicFactory, PatientFactory, UserFactory

from .factories import AppointmentTypeFactory, practitioner

# Monday 1 March 2027, 08:00 UTC (09:00 in Madrid): every test passes this as "now".
NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _huey_in_memory():
    """Tasks queue in memory for the test (never in the shared var/huey.sqlite3)."""
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def frozen_clock(monkeypatch):
    """For code that reads the clock itself (the API, the pages): it is NOW."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def madrid(db):
    return ClinicFactory(time_zone="Europe/Madrid")


@pytest.fixture
def physician(madrid):
    """Dr. House-hours: Monday to Friday 09:00-13:00 and 15:00-17:00, Madrid time."""
    from .factories import add_hours

    doc = practitioner(madrid, title="Physician", hours=((0, 5), "09:00", "13:00"), full_name="Dr. Ada Alba")
    add_hours(madrid, ((0, 5), "15:00", "17:00"), practitioner=doc)
    return doc


@pytest.fixture
def consultation(madrid):
    return AppointmentTypeFactory(clinic=madrid, name="Consultation in person", duration_minutes=60)


@pytest.fixture
def booker(madrid):
    """A patient of the Madrid clinic with a login: returns (patient, user)."""
    user = UserFactory()
    return PatientFactory(clinic=madrid, user=user), user


def at(day: str, hhmm: str, tz="Europe/Madrid") -> dt.datetime:
    """A local wall-clock time as an aware datetime."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=ZoneInfo(tz))
