"""The lab pages under /staff/products/, through HTTP as a browser would post them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.products import services
from exoclinic.products.models import LotStatus, TemperatureReading, UnitStatus
from tests.factories import PASSWORD, PatientFactory

from .factories import (
    PASSING_RESULTS,
    CollectionFactory,
    ProductLotFactory,
    ProductTypeFactory,
    StorageUnitFactory,
    make_units,
    released_lot,
    typical_specifications,
)


@pytest.fixture
def lab(staff):
    return staff(Role.LAB)


@pytest.fixture
def lot(clinic):
    lot = ProductLotFactory(clinic=clinic)
    make_units(lot, 2)
    typical_specifications(lot.product_type)
    return lot


def post_qc(client, lot, code, value, tested_at="2026-11-20T10:00"):
    spec = lot.product_type.qc_specifications.get(code=code)
    return client.post(
        f"/staff/products/lots/{lot.pk}/",
        {"action": "qc", "specification": spec.pk, "value": value, "tested_at": tested_at},
        follow=True,
    )


def test_lab_sees_the_products_link_and_a_clinician_does_not(client, lab, staff):
    client.force_login(lab)
    assert b'href="/staff/products/"' in client.get("/staff/").content
    client.force_login(staff(Role.CLINICIAN))
    assert b'href="/staff/products/"' not in client.get("/staff/").content


def test_lab_registers_a_lot_and_it_starts_in_quarantine(client, lab, clinic):
    client.force_login(lab)
    form = client.get("/staff/products/lots/new/").context["form"]
    data = {
        "submission_key": str(form["submission_key"].initial),
        "product_type": ProductTypeFactory(clinic=clinic).pk,
        "collection": CollectionFactory(clinic=clinic).pk,
        "manufactured_on": "2026-11-01",
        "expires_on": "2027-11-01",
        "unit_count": "4",
        "volume_ml": "1.5",
        "particles_per_ml": "1E11",
    }
    response = client.post("/staff/products/lots/new/", data, follow=True)
    again = client.post("/staff/products/lots/new/", data, follow=True)  # double submit
    lot = response.context["lot"]
    assert again.context["lot"] == lot
    assert lot.status == LotStatus.QUARANTINE and lot.units.count() == 4
    assert b"Quarantine" in response.content


def test_a_refused_lot_keeps_every_value_and_names_the_field(client, lab, clinic):
    client.force_login(lab)
    response = client.post(
        "/staff/products/lots/new/",
        {
            "product_type": ProductTypeFactory(clinic=clinic).pk,
            "collection": CollectionFactory(clinic=clinic).pk,
            "manufactured_on": "2026-11-01",
            "expires_on": "2026-10-01",
            "unit_count": "4",
            "volume_ml": "1.5",
            "particles_per_ml": "1E11",
        },
    )
    form = response.context["form"]
    assert form.errors["expires_on"] == ["The expiry date is before the manufacturing date."]
    assert b'value="2026-10-01"' in response.content and b'value="1.5"' in response.content


def test_lab_enters_results_and_sees_the_computed_verdict(client, lab, lot):
    client.force_login(lab)
    response = post_qc(client, lot, "endotoxin", "0.8")
    assert "Endotoxin: 0.8 EU/mL does not meet &lt; 0.5 EU/mL" in response.content.decode()
    assert lot.qc_results.get().passed is False
    response = post_qc(client, lot, "endotoxin", "lots")
    assert response.context["qc_form"].errors["value"][0].startswith("Endotoxin needs a number")


def test_release_on_the_page_needs_passing_results_and_the_password(client, lab, lot):
    client.force_login(lab)
    response = client.post(f"/staff/products/lots/{lot.pk}/", {"action": "release", "password": PASSWORD})
    assert "missing results: Sterility" in response.context["release_form"].non_field_errors()[0]
    for code, value in PASSING_RESULTS.items():
        post_qc(client, lot, code, value)
    response = client.post(f"/staff/products/lots/{lot.pk}/", {"action": "release", "password": "wrong"})
    assert response.context["release_form"].errors["password"]
    response = client.post(
        f"/staff/products/lots/{lot.pk}/", {"action": "release", "password": PASSWORD}, follow=True
    )
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED and lot.released_by == lab
    assert f"Lot {lot.code} released." in response.content.decode()


def test_entered_times_are_read_in_the_clinics_zone(client, lab, lot):
    client.force_login(lab)
    post_qc(client, lot, "sterility", "negative", tested_at="2026-07-01T10:00")  # Madrid summer time
    assert lot.qc_results.get().tested_at == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)


def test_lot_page_shows_each_units_path(client, lab, clinic, staff):
    freezer = StorageUnitFactory(clinic=clinic, name="Freezer A")
    lot = released_lot(clinic=clinic, units=1, storage_unit=freezer)
    patient = PatientFactory(clinic=clinic, record_number="REC-77777")
    services.unit_administer(
        actor=staff(Role.CLINICIAN), lot=lot, patient=patient, at=dt.datetime.now(dt.UTC)
    )
    client.force_login(lab)
    page = client.get(f"/staff/products/lots/{lot.pk}/").content.decode()
    path = page[page.index('<ol class="custody">') :]
    assert (
        path.index("Received") < path.index("Stored") < path.index("Dispensed") < path.index("Administered")
    )
    assert "patient REC-77777" in path


@pytest.mark.parametrize(
    "path",
    [
        "/staff/products/lots/{id}/",
        "/staff/products/lots/{id}/recall/",
        "/staff/products/lots/{id}/recipients.csv",
    ],
)
def test_another_clinics_staff_and_patients_get_404(client, lot, staff, other_clinic, patient_user, path):
    for outsider in (staff(Role.LAB, at=other_clinic), patient_user):
        client.force_login(outsider)
        assert client.get(path.format(id=lot.pk)).status_code == 404


def test_recall_page_lists_recipients_starts_a_recall_and_tracks_notification(client, lab, clinic, staff):
    lot = released_lot(clinic=clinic, units=2)
    patient = PatientFactory(clinic=clinic, first_name="Ana", last_name="García", phone="+34 600 111 222")
    services.unit_administer(
        actor=staff(Role.CLINICIAN), lot=lot, patient=patient, at=dt.datetime.now(dt.UTC)
    )
    client.force_login(lab)
    page = client.get(f"/staff/products/lots/{lot.pk}/recall/").content.decode()
    assert "Ana García" in page and "+34 600 111 222" in page

    response = client.post(
        f"/staff/products/lots/{lot.pk}/recall/",
        {"action": "recall", "recall_class": "I", "reason": "Sterility retest positive"},
        follow=True,
    )
    lot.refresh_from_db()
    assert lot.status == LotStatus.RECALLED
    assert "Not yet notified" in response.content.decode()

    notification = lot.recall.notifications.get()
    client.post(
        f"/staff/products/lots/{lot.pk}/recall/",
        {"action": "notify", "notification": notification.pk, "status": "notified", "method": "phone"},
    )
    notification.refresh_from_db()
    assert notification.status == "notified" and notification.updated_by == lab


def test_recall_without_a_reason_is_refused_on_the_page(client, lab, clinic):
    lot = released_lot(clinic=clinic)
    client.force_login(lab)
    response = client.post(
        f"/staff/products/lots/{lot.pk}/recall/", {"action": "recall", "recall_class": "II"}
    )
    assert response.context["recall_form"].errors["reason"]
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED


def test_recipients_export_as_csv_with_contact_details_and_is_audited(client, clinic, staff):
    lot = released_lot(clinic=clinic)
    patient = PatientFactory(clinic=clinic, phone="=cmd()", email="ana@example.org")
    services.unit_administer(
        actor=staff(Role.CLINICIAN), lot=lot, patient=patient, at=dt.datetime.now(dt.UTC)
    )
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(f"/staff/products/lots/{lot.pk}/recipients.csv")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("lot,unit,administered_at,record_number,name")
    assert lot.code in lines[1] and "ana@example.org" in lines[1]
    assert "'=cmd()" in lines[1]  # a formula is not run by the spreadsheet
    assert AuditEvent.objects.filter(actor=coordinator, action="patient.view", patient=patient).exists()


def test_csv_import_with_bad_lines_names_them_on_the_page_and_imports_nothing(client, lab, clinic):
    freezer = StorageUnitFactory(clinic=clinic)
    client.force_login(lab)
    upload = SimpleUploadedFile(
        "readings.csv", b"measured_at,celsius\n2026-11-20T08:00Z,-80\n2026-11-20T09:00Z,warm\n", "text/csv"
    )
    response = client.post(f"/staff/products/storage/{freezer.pk}/", {"action": "import", "file": upload})
    assert "Line 3: celsius &#x27;warm&#x27; is not a temperature in °C." in response.content.decode()
    assert not TemperatureReading.objects.exists()


def test_excursion_entered_on_the_page_holds_units_until_the_corrective_action(client, lab, clinic):
    freezer = StorageUnitFactory(clinic=clinic, min_celsius=-90, max_celsius=-70)
    lot = released_lot(clinic=clinic, units=1, storage_unit=freezer)
    client.force_login(lab)
    client.post(
        f"/staff/products/storage/{freezer.pk}/",
        {"action": "reading", "measured_at": "2026-11-20T09:00", "celsius": "-40"},
    )
    assert lot.units.get().status == UnitStatus.HELD
    assert b"Temperature excursion" in client.get("/staff/products/storage/").content
    excursion = freezer.excursions.get()
    client.post(
        f"/staff/products/storage/{freezer.pk}/",
        {
            "action": "resolve",
            "excursion": excursion.pk,
            "corrective_action": "Power restored; units assessed.",
        },
    )
    assert lot.units.get().status == UnitStatus.AVAILABLE


def test_lab_registers_a_source_with_tests_and_a_collection(client, lab):
    client.force_login(lab)
    response = client.post(
        "/staff/products/sources/",
        {"kind": "cell_bank", "identifier": "MCB-7", "description": "UC-MSC"},
        follow=True,
    )
    source = response.context["source"]
    url = f"/staff/products/sources/{source.pk}/"
    refused = client.post(url, {"action": "eligibility", "eligibility": "eligible"})
    assert "Record the screening tests" in refused.context["eligibility_form"].errors["eligibility"][0]
    client.post(
        url,
        {
            "action": "test",
            "name": "HIV-1/2",
            "result": "negative",
            "acceptable": "yes",
            "tested_on": "2026-10-01",
        },
    )
    client.post(url, {"action": "eligibility", "eligibility": "eligible"})
    client.post(url, {"action": "collection", "reference": "COL-1", "collected_at": "2026-10-05T09:00"})
    source.refresh_from_db()
    assert source.eligibility == "eligible"
    assert source.collections.get().reference == "COL-1"


def test_a_second_lab_user_marks_a_result_reviewed_and_the_analyst_cannot(client, lab, lot, staff):
    client.force_login(lab)
    post_qc(client, lot, "endotoxin", "0.1")
    result = lot.qc_results.get()
    assert b"Mark Endotoxin reviewed" not in client.get(f"/staff/products/lots/{lot.pk}/").content
    refused = client.post(
        f"/staff/products/lots/{lot.pk}/", {"action": "review", "result": result.pk}, follow=True
    )
    assert "someone other than the analyst" in refused.content.decode()

    reviewer = staff(Role.LAB)
    client.force_login(reviewer)
    client.post(f"/staff/products/lots/{lot.pk}/", {"action": "review", "result": result.pk})
    result.refresh_from_db()
    assert result.reviewer == reviewer and result.reviewed_at is not None


def test_lab_moves_thaws_and_discards_units_and_the_path_shows_each_step(client, lab, clinic):
    freezer = StorageUnitFactory(clinic=clinic, name="Freezer A")
    fridge = StorageUnitFactory(clinic=clinic, name="Fridge B", min_celsius=2, max_celsius=8)
    lot = released_lot(clinic=clinic, units=2, storage_unit=freezer)
    one, two = lot.units.all()
    client.force_login(lab)
    url = f"/staff/products/lots/{lot.pk}/"

    client.post(url, {"action": "unit", "unit": one.pk, "step": "move", "storage_unit": fridge.pk})
    client.post(url, {"action": "unit", "unit": one.pk, "step": "thaw"})
    refused = client.post(url, {"action": "unit", "unit": two.pk, "step": "discard", "note": ""})
    assert refused.context["unit_form"].errors["note"] == ["Say why the unit is discarded."]
    client.post(url, {"action": "unit", "unit": two.pk, "step": "discard", "note": "Vial cracked"})

    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.storage_unit, one.status, two.status) == (fridge, UnitStatus.AVAILABLE, UnitStatus.DISCARDED)
    kinds = list(one.custody_events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["received", "stored", "moved", "thawed"]
    assert "Vial cracked" in client.get(url).content.decode()


def test_lot_list_finds_a_lot_by_its_code_typed_without_dashes(client, lab, clinic):
    wanted, other = released_lot(clinic=clinic), released_lot(clinic=clinic)
    client.force_login(lab)
    typed = wanted.code.replace("-", " ").lower()
    lots = list(client.get("/staff/products/", {"q": typed}).context["lots"])
    assert lots == [wanted] and other not in lots
