import pytest

from tests.factories import ClinicFactory, PatientFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
