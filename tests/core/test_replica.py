"""Report reads go to the replica when one is configured; reads inside a transaction stay on the primary."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from exoclinic.accounts.models import Role
from exoclinic.core.models import Clinic
from exoclinic.core.replica import report_database
from exoclinic.outcomes.cohort import CohortFilters, cohort_summary, research_rows
from tests.outcomes.test_cohort import _scim, _treated


@pytest.fixture
def replica(settings, transactional_db):
    """A second alias, ``replica``: a test mirror of the default test database (the same data on another
    connection), configured for this test only."""
    default = connections["default"].settings_dict
    config = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    settings.DATABASES = {**settings.DATABASES, "replica": config}
    # The connection object is made once from the alias; the test case then treats it as one made by the
    # code under test (allowed), not as a configured database it was not told about.
    connections.settings["replica"] = config
    connections["replica"]
    del connections.settings["replica"]
    yield "replica"
    connections["replica"].close()
    del connections["replica"]


@pytest.fixture
def treated(clinic, staff):
    clinician = staff(Role.CLINICIAN)
    patient, first = _treated(
        clinic, clinician, 420, research_consent=True, research_consent_at=dt.datetime.now(dt.UTC)
    )
    _scim(clinician, patient, first)
    _scim(clinician, patient, first + dt.timedelta(days=365), total_change=6)
    return Clinic.objects.filter(pk=clinic.pk)


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


@pytest.mark.django_db(transaction=True)
def test_cohort_summary_and_research_export_read_from_the_replica(replica, treated):
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        summary = cohort_summary(clinics=treated, filters=CohortFilters(point=12))
        rows = list(research_rows(clinics=treated))
    scim = next(m for m in summary.measures if m.code == "scim3.total")
    assert (summary.patients, scim.measured) == (1, 1)
    assert rows and {row[9] for row in rows} >= {"scim3.total"}
    replica_sql = _tables(on_replica.captured_queries)
    assert "core_patient" in replica_sql and "outcomes_assessment" in replica_sql
    assert "outcomes_followuppoint" in replica_sql
    default_sql = _tables(on_default.captured_queries)
    assert "outcomes_assessment" not in default_sql and "core_patient" not in default_sql


@pytest.mark.django_db(transaction=True)
def test_a_report_read_inside_a_transaction_stays_on_the_primary(replica, treated):
    with transaction.atomic(), CaptureQueriesContext(connections["replica"]) as on_replica:
        assert report_database() == "default"
        summary = cohort_summary(clinics=treated, filters=CohortFilters(point=12))
    assert summary.patients == 1
    assert on_replica.captured_queries == []
    assert report_database() == "replica"


@pytest.mark.django_db
def test_without_a_replica_reports_read_the_primary(treated):
    assert report_database() == "default"
    assert cohort_summary(clinics=treated, filters=CohortFilters(point=12)).patients == 1


def test_database_replica_url_adds_a_replica_alias_mirrored_in_tests():
    env = {**os.environ, "DATABASE_REPLICA_URL": "postgres://reader:secret@replica.internal:5432/exoclinic"}
    code = (
        "import json, exoclinic.settings as s; r = s.DATABASES['replica'];"
        "print(json.dumps([r['HOST'], r['NAME'], r['TEST']['MIRROR'], r['ENGINE']]))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [
        "replica.internal",
        "exoclinic",
        "default",
        "django.db.backends.postgresql",
    ]
