"""What the server sends from the demo data validates with fhir.resources (R4B), kind by kind."""

import pytest

from exoclinic.accounts.models import User
from exoclinic.interop.sources import KINDS
from exoclinic.treatment.models import Procedure

from .conftest import validate


def _all(client, kind):
    response = client.get(f"/fhir/r4/{kind}", {"_count": 500})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    bundle = response.json()
    validate(bundle)
    return [entry["resource"] for entry in bundle.get("entry", [])]


def test_every_resource_kind_from_the_demo_validates_and_has_an_instance(demo, client):
    client.force_login(User.objects.get(email="clinician@example.org"))
    for kind in KINDS:
        resources = _all(client, kind)
        assert resources, f"the demo has no {kind}"
        for resource in resources:
            assert resource["resourceType"] == kind
            validate(resource)


def test_everything_of_the_treated_demo_patient_has_the_main_kinds_and_validates(demo, client):
    treated = Procedure.objects.first().patient
    client.force_login(User.objects.get(email="clinician@example.org"))
    response = client.get(f"/fhir/r4/Patient/{treated.pk}/$everything")
    assert response.status_code == 200
    bundle = response.json()
    validate(bundle)
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "Condition", "Observation", "Procedure", "Appointment", "AdverseEvent"} <= kinds
    for entry in bundle["entry"]:
        validate(entry["resource"])
        assert entry["fullUrl"].endswith(f"{entry['resource']['resourceType']}/{entry['resource']['id']}")


def test_patient_reads_own_demo_record_including_the_record_summary_document(demo, client):
    patient_user = User.objects.get(email="patient@example.org")
    client.force_login(patient_user)
    documents = _all(client, "DocumentReference")
    urls = [d["content"][0]["attachment"]["url"] for d in documents]
    assert any("/portal/my-record/summary.pdf" in url for url in urls)
    assert {d["subject"]["reference"] for d in documents} == {f"Patient/{patient_user.patient.pk}"}


def test_observations_carry_loinc_where_one_exists_and_isncsci_components(demo, client):
    client.force_login(User.objects.get(email="clinician@example.org"))
    observations = _all(client, "Observation")
    pain = [o for o in observations if o["code"]["text"].startswith("Pain")]
    assert pain and all(
        o["code"]["coding"][0]
        == {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
        for o in pain
    )
    isncsci = [o for o in observations if o["code"]["coding"][0]["code"] == "isncsci"]
    component_codes = {c["code"]["coding"][0]["code"] for o in isncsci for c in o["component"]}
    assert {
        "isncsci.uems",
        "isncsci.lems",
        "isncsci.lt_total",
        "isncsci.pp_total",
        "isncsci.ais",
        "isncsci.nli",
    } <= component_codes
    assert any(code.startswith("isncsci.zpp_") for code in component_codes)  # from the demo's exams
    scim = next(o for o in observations if o["code"]["coding"][0]["code"] == "scim3")
    assert {c["code"]["coding"][0]["code"] for c in scim["component"]} >= {
        "scim3.self_care",
        "scim3.respiration_sphincter",
        "scim3.mobility",
    }
    vitals = [o for o in observations if o["category"][0]["coding"][0]["code"] == "vital-signs"]
    codes = {c["code"]["coding"][0]["code"] for o in vitals for c in o.get("component", [])}
    assert {"8480-6", "8462-4", "8867-4"} <= codes
    assert any(o["code"]["coding"][0]["code"] == "baseline-systolic" for o in vitals)


def test_capability_statement_is_r4_readable_without_login_and_lists_what_is_served(client):
    response = client.get("/fhir/r4/metadata")
    assert response.status_code == 200
    statement = response.json()
    validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    listed = {r["type"] for r in statement["rest"][0]["resource"]}
    assert listed == set(KINDS) | {"Group"}
    observation = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Observation")
    assert {p["name"] for p in observation["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "_count",
        "patient",
        "subject",
        "code",
        "date",
        "status",
        "category",
    }


@pytest.mark.parametrize("kind", ["Procedure", "BiologicallyDerivedProduct", "AdverseEvent", "CarePlan"])
def test_treatment_resources_name_route_lot_grade_and_end_times(demo, client, kind):
    client.force_login(User.objects.get(email="clinician@example.org"))
    resource = _all(client, kind)[0]
    if kind == "Procedure":
        route = resource["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        assert route == "local_injection" and resource["bodySite"][0]["text"]
    elif kind == "BiologicallyDerivedProduct":
        systems = {i["system"]: i["value"] for i in resource["identifier"]}
        lot = systems["https://exoclinic.org/fhir/sid/lot-code"]
        assert systems["https://exoclinic.org/fhir/sid/unit-code"].startswith(lot + "/")
        assert resource["processing"][0]["description"].startswith("QC release")
        assert resource["collection"]["source"]["identifier"]["value"]
    elif kind == "AdverseEvent":
        grades = {c["system"]: c["code"] for c in resource["severity"]["coding"]}
        assert grades["https://exoclinic.org/fhir/CodeSystem/ctcae-grade"] == "1"
        assert resource["seriousness"]["coding"][0]["code"] == "non-serious"
        assert resource["suspectEntity"][0]["instance"]["display"].startswith("Lot ")
    else:
        ends = [
            a["detail"]["scheduledPeriod"]["end"]
            for a in resource["activity"]
            if "scheduledPeriod" in a["detail"]
        ]
        assert len(ends) == 3
