"""The instruments added for the minimum outcome set (NBSS full and short form, SCI-SET) reach FHIR as
Observations that validate, with their score and items as components."""

import datetime as dt

from exoclinic.accounts.models import Role
from exoclinic.outcomes import services
from tests.factories import PatientFactory, StaffFactory

from .conftest import validate


def test_nbss_and_sci_set_results_are_fhir_observations(client, clinic, token):
    clinician = StaffFactory(role=Role.CLINICIAN, clinic=clinic)
    patient = PatientFactory(clinic=clinic)
    day = dt.date.today() - dt.timedelta(days=3)
    recorded = {
        "nbss": {"incontinence": 10, "storage_voiding": 7, "consequences": 5, "quality_of_life": 2},
        "nbss_sf": {"total": 12},
        "sciset": {f"item{i}": (i % 7) - 3 for i in range(1, 36)},
    }
    for instrument, items in recorded.items():
        services.assessment_record(
            actor=clinician, patient=patient, instrument=instrument, items=items, taken_on=day
        )
    response = client.get(
        f"/fhir/r4/Observation?patient={patient.pk}&_count=50",
        HTTP_AUTHORIZATION=f"Bearer {token(clinician)}",
    )
    assert response.status_code == 200
    observations = [entry["resource"] for entry in response.json().get("entry", [])]
    codes = {c["code"] for o in observations for c in o["code"]["coding"]}
    assert {"nbss", "nbss_sf", "sciset"} <= codes
    for observation in observations:
        validate(observation)
    nbss = next(o for o in observations if any(c["code"] == "nbss" for c in o["code"]["coding"]))
    assert nbss["subject"]["reference"] == f"Patient/{patient.pk}"
    assert nbss.get("component") or "valueQuantity" in nbss
