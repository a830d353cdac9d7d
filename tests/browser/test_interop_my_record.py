"""A patient finds "Download my record" in the portal and downloads the PDF summary and the FHIR Bundle."""

import json

import pytest

from tests.factories import PatientFactory
from tests.interop.conftest import add_assessments

pytestmark = pytest.mark.browser


def test_patient_downloads_the_summary_and_the_fhir_bundle(
    transactional_db, page, login, clinic, patient_user
):
    patient = PatientFactory(clinic=clinic, user=patient_user)
    add_assessments(patient, n=2)
    login(page, patient_user.email)
    page.goto("/portal/")
    page.get_by_role("link", name="Download my record").first.click()
    assert page.get_by_role("heading", name="Download my record").is_visible()

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Summary to read (PDF)").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == f"record-{patient.record_number}.pdf"
    with open(pdf.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    with page.expect_download() as json_download:
        page.get_by_role("link", name="Full record for another system (FHIR JSON)").click()
    with open(json_download.value.path()) as f:
        bundle = json.load(f)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["entry"][0]["resource"] == {**bundle["entry"][0]["resource"], "id": str(patient.pk)}
    assert sum(e["resource"]["resourceType"] == "Observation" for e in bundle["entry"]) == 6
