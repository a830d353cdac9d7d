"""The patient's own copy: the FHIR Bundle and the PDF summary, for the patient or a caregiver, audited."""

from exoclinic.core.models import AuditEvent
from exoclinic.treatment.models import Procedure
from tests.factories import PatientFactory, UserFactory
from tests.pdf import pdf_text

from .conftest import validate


def test_caregiver_downloads_the_linked_patients_bundle_and_summary(demo, client):
    from exoclinic.accounts.models import User

    caregiver = User.objects.get(email="caregiver@example.org")
    treated = Procedure.objects.first().patient
    assert treated.caregiver_id == caregiver.pk  # the demo's caregiver acts for the treated patient
    client.force_login(caregiver)
    page = client.get("/portal/my-record/")
    assert page.status_code == 200
    assert f"?patient={treated.pk}" in page.content.decode()

    response = client.get("/portal/my-record/record.json", {"patient": treated.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    bundle = response.json()
    validate(bundle)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Procedure", "AdverseEvent", "Consent", "Appointment", "Observation"} <= kinds

    pdf = client.get("/portal/my-record/summary.pdf", {"patient": treated.pk})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    procedure = Procedure.objects.get(patient=treated)
    assert procedure.lot_code in text
    for heading in (
        "My progress",
        "Appointments",
        "Treatments",
        "Side effects and adverse events",
        "Consents",
    ):
        assert heading in text
    assert "Mild headache" in text

    formats = AuditEvent.objects.filter(actor=caregiver, patient=treated, action="record.download")
    assert sorted(formats.values_list("detail__format", flat=True)) == ["fhir-json", "pdf"]


def test_nobody_downloads_a_record_they_do_not_act_for(patient, clinic, client):
    stranger = PatientFactory(clinic=clinic)
    client.force_login(patient.user)
    assert client.get("/portal/my-record/record.json", {"patient": stranger.pk}).status_code == 404
    assert client.get("/portal/my-record/summary.pdf", {"patient": stranger.pk}).status_code == 404
    client.force_login(UserFactory())  # a user with no patient record
    assert client.get("/portal/my-record/summary.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="record.download").exists()


def test_the_download_page_needs_a_login(db, client):
    response = client.get("/portal/my-record/")
    assert response.status_code == 302 and "login" in response["Location"]
