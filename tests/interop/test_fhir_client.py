"""A real FHIR client library (fhirpy) reads the server over HTTP: search, read, paging, $everything."""

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from exoclinic.accounts.models import Role
from tests.factories import PatientFactory, StaffFactory

from .conftest import add_assessments, validate


@pytest.fixture
def records(transactional_db, clinic):
    clinician = StaffFactory(role=Role.CLINICIAN, clinic=clinic)
    patients = [PatientFactory(clinic=clinic) for _ in range(3)]
    for patient in patients:
        add_assessments(patient, n=3)
    return clinician, patients


def _client(live_server, user, token):
    return SyncFHIRClient(f"{live_server.url}/fhir/r4", authorization=f"Bearer {token(user)}")


def test_fhirpy_searches_reads_and_pages_through_observations(live_server, records, token):
    clinician, patients = records
    client = _client(live_server, clinician, token)
    first = patients[0]

    found = client.resources("Observation").search(patient=f"Patient/{first.pk}", code="scim3").fetch()
    assert len(found) == 3
    assert {o["subject"]["reference"] for o in found} == {f"Patient/{first.pk}"}

    read = client.reference("Patient", str(first.pk)).to_resource()
    assert read["identifier"][0]["value"] == first.record_number
    validate(read.serialize())

    paged = client.resources("Observation").limit(4).fetch_all()  # follows the Bundle's next links
    assert len(paged) == 27
    assert len({o["id"] for o in paged}) == 27

    by_id = client.resources("Patient").search(_id=str(first.pk)).fetch()
    assert [p["id"] for p in by_id] == [str(first.pk)]


def test_fhirpy_gets_everything_of_a_patient_and_404_for_another_clinics_patient(
    live_server, records, token, other_clinic
):
    clinician, patients = records
    client = _client(live_server, clinician, token)
    bundle = client.execute(f"Patient/{patients[1].pk}/$everything", method="get")
    validate(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("Observation") == 9 and "Patient" in kinds and "Condition" in kinds

    stranger = PatientFactory(clinic=other_clinic)
    with pytest.raises(ResourceNotFound):
        client.reference("Patient", str(stranger.pk)).to_resource()


def test_fhirpy_sees_the_operation_outcome_of_a_bad_search(live_server, records, token):
    clinician, _patients = records
    client = _client(live_server, clinician, token)
    with pytest.raises(OperationOutcome) as raised:
        client.resources("Observation").search(colour="blue").fetch()
    assert "colour" in str(raised.value)
