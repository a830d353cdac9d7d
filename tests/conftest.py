import pytest
from hypothesis import HealthCheck, settings

from tests.factories import ClinicFactory, PatientFactory, StaffFactory, UserFactory

# Shared machines are noisy: no per-example deadline and no "too slow" health check, so a busy machine never
# fails a property test; the number of examples stays Hypothesis's default.
settings.register_profile("exoclinic", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("exoclinic")


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English: a request in Spanish leaves Spanish active in the thread, and a factory's
    ``name=`` on a translated model would then write the Spanish column (django-modeltranslation)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _login_hardening(request, settings):
    """The staff second factor and the failed-login lockout are off unless a test asks for them with
    ``@pytest.mark.mfa`` or ``@pytest.mark.axes``: most tests log staff in with ``force_login`` and
    ``client.login``. To log in with a passed second factor, use ``tests.mfa.verified_login``."""
    settings.EXOCLINIC_STAFF_MFA_REQUIRED = request.node.get_closest_marker("mfa") is not None
    settings.AXES_ENABLED = request.node.get_closest_marker("axes") is not None


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def other_clinic(db):
    return ClinicFactory()


@pytest.fixture
def patient_user(db):
    return UserFactory()


@pytest.fixture
def patient(clinic, patient_user):
    return PatientFactory(clinic=clinic, user=patient_user)


@pytest.fixture
def staff(clinic):
    """staff("clinician") -> a user with that role at the clinic."""

    def make(role, at=None, **kwargs):
        return StaffFactory(role=role, clinic=at or clinic, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in Django's cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _static_pages_in_tmp(settings, tmp_path):
    """seed_demo and render_static_pages write the deploy-time error pages here, never into var/."""
    settings.STATIC_PAGES_DIR = tmp_path / "static-pages"


@pytest.fixture(autouse=True)
def _huey_immediate():
    """Huey runs tasks at once in memory in every test (e-mails go through a task), never in var/."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    HUEY.storage.flush_all()
    yield HUEY
    HUEY.immediate = before


# Tests of pure functions over plain data (no database): the ISNCSCI classifier and the triage engine.
PURE_TEST_FILES = (
    "tests/isncsci/",
    "tests/triage/test_properties.py",
    "tests/triage/test_engine.py",
    "tests/triage/test_scenarios.py",
    "tests/triage/test_scenarios_2026_1.py",
)


# The longest files (minutes each), started first: pytest-xdist hands out whole files in collection order, so
# a long file left to the end would keep one process busy while the other waits.
LONG_TEST_FILES = (
    "tests/security/test_route_matrix.py",
    "tests/security/test_route_matrix_second_half.py",
    "tests/triage/test_properties.py",
    "tests/browser/test_accessibility.py",
)


def pytest_collection_modifyitems(config, items):
    root = config.rootpath

    def relative(item) -> str:
        return item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""

    for item in items:
        if relative(item).startswith(PURE_TEST_FILES) and "db" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pure)
    # A stable sort: the order inside each file, and of the other files, is kept.
    items.sort(key=lambda item: LONG_TEST_FILES.index(r) if (r := relative(item)) in LONG_TEST_FILES else 99)
