"""Import of a referral: a FHIR Bundle validated, reviewed, then imported into a new or a chosen patient."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent, Patient
from exoclinic.interop.models import ReferralImport
from exoclinic.outcomes.models import Assessment
from exoclinic.outcomes.services import assessment_record
from tests.factories import PatientFactory

ISNCSCI = {
    "uems": 14,
    "lems": 0,
    "total_motor": 14,
    "lt_total": 60,
    "pp_total": 52,
    "ais": "B",
    "nli": "C5",
    "motor_level_right": "C5",
    "motor_level_left": "C5",
    "sensory_level_right": "C5",
    "sensory_level_left": "C5",
}


@pytest.fixture
def referral_bundle(other_clinic, staff, client):
    """What another exoclinic installation sends: its $everything of a patient, cut to the referral kinds."""
    hospital_clinician = staff(Role.CLINICIAN, at=other_clinic)
    referred = PatientFactory(
        clinic=other_clinic,
        first_name="Lucía",
        last_name="Ortega",
        sci_ais_grade="B",
        sci_neurological_level="C5",
        sci_date_of_injury=dt.date(2023, 5, 2),
        sci_cause="Diving",
    )
    assessment_record(
        actor=hospital_clinician,
        patient=referred,
        instrument="isncsci",
        items=ISNCSCI,
        taken_on=dt.date(2024, 2, 1),
    )
    client.force_login(hospital_clinician)
    bundle = client.get(f"/fhir/r4/Patient/{referred.pk}/$everything").json()
    client.logout()
    bundle["entry"] = [
        e for e in bundle["entry"] if e["resource"]["resourceType"] in ("Patient", "Condition", "Observation")
    ]
    return referred, bundle


def _upload(client, bundle, clinic, source="Hospital Central"):
    raw = json.dumps(bundle).encode() if isinstance(bundle, dict) else bundle
    return client.post(
        "/staff/referrals/import/",
        {
            "clinic": clinic.pk,
            "source": source,
            "file": SimpleUploadedFile("referral.json", raw, "application/json"),
        },
    )


def test_a_referral_is_reviewed_then_imported_into_a_new_patient(clinic, staff, client, referral_bundle):
    referred, bundle = referral_bundle
    clinician = staff(Role.CLINICIAN)
    client.force_login(clinician)
    response = _upload(client, bundle, clinic)
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert "Lucía" in review.content.decode() and "isncsci" in review.content.decode()
    assert not Patient.objects.filter(clinic=clinic).exists()  # nothing imported before confirmation

    done = client.post(response["Location"], {"action": "confirm", "match": "new"})
    patient = Patient.objects.get(clinic=clinic)
    assert done.status_code == 302 and done["Location"] == f"/staff/patients/{patient.pk}/"
    assert (patient.first_name, patient.sci_neurological_level, patient.sci_ais_grade) == ("Lucía", "C5", "B")
    assert patient.sci_date_of_injury == dt.date(2023, 5, 2) and patient.sci_cause == "Diving"
    imported = Assessment.objects.get(patient=patient)
    assert imported.source == "fhir_import" and imported.source_ref.startswith("referral-")
    assert imported.values["ais"] == "B" and imported.values["uems"] == 14
    record = ReferralImport.objects.get()
    assert record.source == "Hospital Central" and record.patient == patient and record.created_patient
    assert AuditEvent.objects.filter(action="referral.import", patient=patient, actor=clinician).exists()


def test_a_possible_match_is_shown_and_only_used_when_chosen(clinic, staff, client, referral_bundle):
    _referred, bundle = referral_bundle
    existing = PatientFactory(
        clinic=clinic,
        first_name="Lucia",
        last_name="ortega",
        date_of_birth=dt.date(1985, 6, 15),
        sci_cause="",
    )
    client.force_login(staff(Role.CLINICIAN))
    review_url = _upload(client, bundle, clinic)["Location"]
    page = client.get(review_url).content.decode()
    assert existing.record_number in page and "a possible match" in page

    refused = client.post(review_url, {"action": "confirm"})  # no choice made: nothing is merged silently
    assert refused.status_code == 200 and "Choose a new patient" in refused.content.decode()
    assert not Assessment.objects.filter(patient=existing).exists()

    client.post(review_url, {"action": "confirm", "match": str(existing.pk)})
    assert Patient.objects.filter(clinic=clinic).count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Lucia"  # what the record says is kept
    assert existing.sci_cause == "Diving"  # an empty field is filled from the referral
    assert Assessment.objects.get(patient=existing).source == "fhir_import"


def test_a_bad_bundle_gets_every_problem_listed_and_nothing_is_stored(clinic, staff, client, referral_bundle):
    _referred, bundle = referral_bundle
    observation = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    for component in observation["component"]:
        if component["code"]["coding"][0]["code"] == "isncsci.uems":
            component["valueQuantity"]["value"] = 99
    bundle["entry"].append(
        {
            "resource": {
                "resourceType": "Observation",
                "id": "x",
                "status": "final",
                "code": {"text": "Mood"},
                "subject": {"reference": "Patient/elsewhere"},
            }
        }
    )
    bundle["entry"].append({"resource": {"resourceType": "Medication", "id": "m"}})
    client.force_login(staff(Role.CLINICIAN))
    page = _upload(client, bundle, clinic).content.decode()
    assert "Nothing was imported" in page
    assert "Upper-extremity motor score (UEMS) takes a whole number from 0 to 50 or ND; got 99" in page
    assert "its subject is not the Bundle&#x27;s Patient" in page
    assert "only Patient, Condition and Observation can be imported" in page
    assert not ReferralImport.objects.exists() and not Patient.objects.filter(clinic=clinic).exists()


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"not json", "The file is not JSON"),
        (b'{"resourceType": "Patient"}', "is not a FHIR Bundle"),
        (b'{"resourceType": "Bundle", "type": "collection", "entry": []}', "exactly one Patient"),
    ],
)
def test_files_that_are_not_referral_bundles_are_refused_with_a_reason(clinic, staff, client, raw, message):
    client.force_login(staff(Role.CLINICIAN))
    assert message in _upload(client, raw, clinic).content.decode()
    assert not ReferralImport.objects.exists()


def test_only_clinicians_of_the_clinic_may_import(clinic, other_clinic, staff, client, referral_bundle):
    _referred, bundle = referral_bundle
    client.force_login(staff(Role.COORDINATOR))
    assert client.get("/staff/referrals/import/").status_code == 404
    client.force_login(staff(Role.CLINICIAN))
    review_url = _upload(client, bundle, clinic)["Location"]
    client.force_login(staff(Role.CLINICIAN, at=other_clinic))
    assert client.get(review_url).status_code == 404
