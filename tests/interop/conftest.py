import datetime as dt

import pytest
from django.core.management import call_command

from exoclinic.accounts.services import api_token_issue
from exoclinic.outcomes.models import Assessment, DiaryEntry


def fhir_models():
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class


def validate(resource: dict):
    """Validate one resource with the fhir.resources R4B model of its type; returns the model."""
    return fhir_models()(resource["resourceType"]).model_validate(resource)


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo clinic, seeded once per module inside a transaction rolled back after the module."""
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", quiet=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_module, db):
    """Each test runs in its own savepoint on top of the seeded demo."""


@pytest.fixture
def token():
    def make(user) -> str:
        return api_token_issue(user=user, name="test")[1]

    return make


def add_assessments(patient, n: int = 3):
    """n weekly SCIM III and pain results and diary entries for a patient."""
    start = dt.date(2024, 1, 1)
    for i in range(n):
        day = start + dt.timedelta(days=7 * i)
        Assessment.objects.create(
            patient=patient,
            instrument="scim3",
            taken_on=day,
            values={"total": 40 + i, "self_care": 8, "respiration_sphincter": 22, "mobility": 10 + i},
        )
        Assessment.objects.create(patient=patient, instrument="pain", taken_on=day, values={"average": 6})
        DiaryEntry.objects.create(
            patient=patient,
            week_start=day,
            movement=3,
            muscle_relaxation=4,
            bowel_bladder=5,
            sensation=4,
            pain=6,
            rest_strength=5,
        )
