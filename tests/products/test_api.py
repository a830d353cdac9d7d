"""Products API through HTTP, checked against the project's OpenAPI document."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.products import services
from exoclinic.products.models import LotStatus
from tests import openapi
from tests.factories import PASSWORD, PatientFactory

from .factories import (
    PASSING_RESULTS,
    CollectionFactory,
    ProductLotFactory,
    ProductTypeFactory,
    make_units,
    released_lot,
    typical_specifications,
)


@pytest.fixture
def doc(client, db):
    return client.get("/api/v1/openapi.json").json()


def bearer(user):
    _, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def check(doc, response, path, method, status):
    assert response.status_code == status, response.content
    openapi.check(response.json(), openapi.response_schema(doc, path, method, status), doc)
    return response.json()


@pytest.fixture
def lab(staff):
    return staff(Role.LAB)


@pytest.fixture
def lot(clinic):
    lot = ProductLotFactory(clinic=clinic)
    make_units(lot, 2)
    typical_specifications(lot.product_type)
    return lot


def test_openapi_lists_the_products_endpoints(doc):
    assert {
        "/api/v1/lots",
        "/api/v1/lots/{lot_id}",
        "/api/v1/lots/{lot_id}/qc-results",
        "/api/v1/lots/{lot_id}/release",
        "/api/v1/lots/{lot_id}/recipients",
        "/api/v1/lots/{lot_id}/recall",
        "/api/v1/recalls",
        "/api/v1/recall-notifications/{notification_id}",
    } <= set(doc["paths"])


def test_lab_registers_a_lot_records_results_and_releases_it(client, doc, lab, clinic):
    auth = bearer(lab)
    product_type = ProductTypeFactory(clinic=clinic)
    typical_specifications(product_type)
    created = check(
        doc,
        client.post(
            "/api/v1/lots",
            {
                "clinic_id": clinic.pk,
                "product_type_id": product_type.pk,
                "collection_id": CollectionFactory(clinic=clinic).pk,
                "manufactured_on": "2026-11-01",
                "expires_on": "2027-11-01",
                "unit_count": 2,
                "volume_ml": 1.0,
                "particles_per_ml": 1e11,
            },
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/lots",
        "post",
        201,
    )
    assert created["status"] == "quarantine" and created["units_available"] == 2
    lot_path = f"/api/v1/lots/{created['id']}"

    refused = client.post(
        f"{lot_path}/release", {"password": PASSWORD}, content_type="application/json", headers=auth
    )
    body = check(doc, refused, "/api/v1/lots/{lot_id}/release", "post", 400)
    assert body["field"] == "qc" and "missing results" in body["message"]

    for code, value in PASSING_RESULTS.items():
        check(
            doc,
            client.post(
                f"{lot_path}/qc-results",
                {"test": code, "value": value, "tested_at": "2026-11-20T09:00:00Z"},
                content_type="application/json",
                headers=auth,
            ),
            "/api/v1/lots/{lot_id}/qc-results",
            "post",
            201,
        )
    status = check(
        doc, client.get(f"{lot_path}/release", headers=auth), "/api/v1/lots/{lot_id}/release", "get", 200
    )
    assert status["releasable"] is True
    released = check(
        doc,
        client.post(
            f"{lot_path}/release", {"password": PASSWORD}, content_type="application/json", headers=auth
        ),
        "/api/v1/lots/{lot_id}/release",
        "post",
        200,
    )
    assert released["status"] == "released" and released["released_by"] == (lab.full_name or lab.email)
    results = check(
        doc,
        client.get(f"{lot_path}/qc-results", headers=auth),
        "/api/v1/lots/{lot_id}/qc-results",
        "get",
        200,
    )
    assert {r["test"] for r in results} == set(PASSING_RESULTS)


def test_a_result_that_does_not_fit_the_test_answers_400_naming_the_field(client, doc, lab, lot):
    response = client.post(
        f"/api/v1/lots/{lot.pk}/qc-results",
        {"test": "endotoxin", "value": "high", "tested_at": "2026-11-20T09:00:00Z"},
        content_type="application/json",
        headers=bearer(lab),
    )
    assert check(doc, response, "/api/v1/lots/{lot_id}/qc-results", "post", 400)["field"] == "value"


def test_a_clinician_reads_lots_but_may_not_release(client, doc, staff, lot):
    auth = bearer(staff(Role.CLINICIAN))
    listing = check(doc, client.get("/api/v1/lots", headers=auth), "/api/v1/lots", "get", 200)
    assert [item["code"] for item in listing] == [lot.code]
    response = client.post(
        f"/api/v1/lots/{lot.pk}/release",
        {"password": PASSWORD},
        content_type="application/json",
        headers=auth,
    )
    assert check(doc, response, "/api/v1/lots/{lot_id}/release", "post", 403)["code"] == "forbidden"


def test_another_clinic_and_a_patient_get_404_and_see_no_lots(
    client, doc, staff, other_clinic, patient_user, lot
):
    for outsider in (staff(Role.LAB, at=other_clinic), patient_user):
        auth = bearer(outsider)
        assert client.get("/api/v1/lots", headers=auth).json() == []
        for template in ("/api/v1/lots/{lot_id}", "/api/v1/lots/{lot_id}/recipients"):
            response = client.get(template.format(lot_id=lot.pk), headers=auth)
            assert check(doc, response, template, "get", 404)["code"] == "not_found"


def test_recall_through_the_api_lists_recipients_and_tracks_notification(client, doc, lab, clinic, staff):
    lot = released_lot(clinic=clinic, units=2)
    patient = PatientFactory(clinic=clinic)
    services.unit_administer(
        actor=staff(Role.CLINICIAN), lot=lot, patient=patient, at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    )
    auth = bearer(lab)
    recipients = check(
        doc,
        client.get(f"/api/v1/lots/{lot.pk}/recipients", headers=auth),
        "/api/v1/lots/{lot_id}/recipients",
        "get",
        200,
    )
    assert [(r["patient_id"], r["administered_at"]) for r in recipients] == [
        (patient.pk, "2026-11-02T09:00:00Z")
    ]

    recall = check(
        doc,
        client.post(
            f"/api/v1/lots/{lot.pk}/recall",
            {"recall_class": "I", "reason": "Sterility retest positive"},
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/lots/{lot_id}/recall",
        "post",
        201,
    )
    assert (recall["recipients"], recall["pending"]) == (1, 1)
    lot.refresh_from_db()
    assert lot.status == LotStatus.RECALLED
    again = client.post(
        f"/api/v1/lots/{lot.pk}/recall",
        {"recall_class": "I", "reason": "x"},
        content_type="application/json",
        headers=auth,
    )
    assert check(doc, again, "/api/v1/lots/{lot_id}/recall", "post", 409)["code"] == "invalid_transition"

    notification_id = client.get(f"/api/v1/lots/{lot.pk}/recipients", headers=auth).json()[0][
        "notification_id"
    ]
    updated = check(
        doc,
        client.post(
            f"/api/v1/recall-notifications/{notification_id}",
            {"status": "notified", "method": "phone"},
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/recall-notifications/{notification_id}",
        "post",
        200,
    )
    assert updated["status"] == "notified"
    listing = check(doc, client.get("/api/v1/recalls", headers=auth), "/api/v1/recalls", "get", 200)
    assert [(r["lot_code"], r["pending"]) for r in listing] == [(lot.code, 0)]


def test_a_second_lab_user_reviews_a_result_through_the_api(client, doc, lab, lot, staff, other_clinic):
    result = services.qc_result_record(
        actor=lab,
        lot=lot,
        specification=lot.product_type.qc_specifications.get(code="endotoxin"),
        value="0.1",
        tested_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )
    path = "/api/v1/qc-results/{result_id}/review"
    own = client.post(path.format(result_id=result.pk), headers=bearer(lab))
    assert check(doc, own, path, "post", 400)["field"] == "reviewer"
    outsider = client.post(path.format(result_id=result.pk), headers=bearer(staff(Role.LAB, at=other_clinic)))
    check(doc, outsider, path, "post", 404)
    reviewer = staff(Role.LAB)
    body = check(
        doc, client.post(path.format(result_id=result.pk), headers=bearer(reviewer)), path, "post", 200
    )
    assert body["reviewer"] == (reviewer.full_name or reviewer.email)
