import datetime as dt
import uuid

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.products.models import LotStatus
from exoclinic.treatment.models import Procedure
from tests import openapi
from tests.products.factories import ProductLotFactory, make_units, released_lot
from tests.treatment.factories import ConsentTextFactory, approved_plan_with_consent, plan_for
from tests.treatment.helpers import VITALS


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
def clinician(staff):
    return staff(Role.CLINICIAN)


def test_clinician_creates_and_approves_a_plan_patient_consents_through_the_api(
    client, doc, clinician, patient, patient_user
):
    auth = bearer(clinician)
    payload = {
        "patient_id": patient.pk,
        "route": "intrathecal",
        "target_site": "Lumbar puncture L3-L4",
        "dose": "2 mL",
        "rationale": "Chronic injury",
        "alternatives_discussed": "Stem cell therapy",
        "concurrent_therapies": ["physiotherapy"],
        "active_infection": "unknown",
    }
    from exoclinic.treatment import services

    services.therapy_catalogue_ensure(actor=clinician, clinic=patient.clinic)
    created = check(
        doc,
        client.post("/api/v1/treatment/plans", payload, content_type="application/json", headers=auth),
        "/api/v1/treatment/plans",
        "post",
        201,
    )
    assert created["status"] == "draft" and {i["rule"] for i in created["checklist"]} == {
        "active_infection",
        "pregnancy",
    }
    approved = check(
        doc,
        client.post(f"/api/v1/treatment/plans/{created['id']}/approve", headers=auth),
        "/api/v1/treatment/plans/{plan_id}/approve",
        "post",
        200,
    )
    assert approved["status"] == "approved" and approved["approved_at"]
    ConsentTextFactory(clinic=patient.clinic, version="v9")
    signed = check(
        doc,
        client.post(
            f"/api/v1/treatment/plans/{created['id']}/consent",
            {"version": "v9", "accepted": True},
            content_type="application/json",
            headers=bearer(patient_user),
        ),
        "/api/v1/treatment/plans/{plan_id}/consent",
        "post",
        200,
    )
    assert signed["consent"]["version"] == "v9" and signed["consent"]["method"] == "portal"
    listing = check(
        doc,
        client.get("/api/v1/treatment/plans", {"patient_id": patient.pk}, headers=bearer(patient_user)),
        "/api/v1/treatment/plans",
        "get",
        200,
    )
    assert [p["id"] for p in listing] == [created["id"]]


def test_a_bad_plan_answers_400_naming_the_field(client, doc, clinician, patient):
    from exoclinic.treatment import services

    services.therapy_catalogue_ensure(actor=clinician, clinic=patient.clinic)
    payload = {
        "patient_id": patient.pk,
        "route": "oral",
        "target_site": "x",
        "dose": "1",
        "rationale": "r",
        "alternatives_discussed": "a",
    }
    body = check(
        doc,
        client.post(
            "/api/v1/treatment/plans", payload, content_type="application/json", headers=bearer(clinician)
        ),
        "/api/v1/treatment/plans",
        "post",
        400,
    )
    assert body["field"] == "route"


def procedure_payload(plan, lot_code):
    patient = plan.patient
    return {
        "plan_id": plan.pk,
        "submission_key": str(uuid.uuid4()),
        "performed_at": timezone.now().isoformat(),
        "identity_full_name": patient.full_name,
        "identity_date_of_birth": patient.date_of_birth.isoformat(),
        "lot_code": lot_code,
        "dose": "1 mL",
        "route": "local_injection",
        "site": "Paraspinal",
        "level": "T4",
        "vitals_before": VITALS,
        "vitals_after": VITALS,
    }


def test_procedure_through_the_api_refuses_an_unreleased_lot_then_records(client, doc, clinician, patient):
    plan = approved_plan_with_consent(patient, clinician=clinician)
    auth = bearer(clinician)
    quarantined = ProductLotFactory(clinic=patient.clinic, status=LotStatus.QUARANTINE)
    make_units(quarantined, 1)
    refused = check(
        doc,
        client.post(
            "/api/v1/treatment/procedures",
            procedure_payload(plan, quarantined.code),
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/treatment/procedures",
        "post",
        400,
    )
    assert refused["field"] == "lot_code" and "quarantine" in refused["message"]
    lot = released_lot(clinic=patient.clinic)
    body = check(
        doc,
        client.post(
            "/api/v1/treatment/procedures",
            procedure_payload(plan, lot.code),
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/treatment/procedures",
        "post",
        201,
    )
    assert body["lot_code"] == lot.code and body["unit_code"].startswith(lot.code)
    check(
        doc,
        client.get(f"/api/v1/treatment/procedures/{body['id']}", headers=auth),
        "/api/v1/treatment/procedures/{procedure_id}",
        "get",
        200,
    )
    aftercare = check(
        doc,
        client.get(f"/api/v1/aftercare/patients/{patient.pk}", headers=auth),
        "/api/v1/aftercare/patients/{patient_id}",
        "get",
        200,
    )
    assert {r["kind"] for r in aftercare["restrictions"] if r["in_force"]} == {
        "no_anti_inflammatory",
        "no_strenuous_activity",
        "no_cardio_exercise",
    }


def test_procedure_without_consent_answers_409(client, doc, clinician, patient):
    from exoclinic.treatment import services

    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    body = check(
        doc,
        client.post(
            "/api/v1/treatment/procedures",
            procedure_payload(plan, released_lot(clinic=patient.clinic).code),
            content_type="application/json",
            headers=bearer(clinician),
        ),
        "/api/v1/treatment/procedures",
        "post",
        409,
    )
    assert body["field"] == "consent" and not Procedure.objects.exists()


def test_adverse_events_through_the_api_with_lot_filter_and_lab_sees_none(
    client, doc, clinician, patient, staff
):
    from tests.treatment.helpers import record

    plan = approved_plan_with_consent(patient, clinician=clinician)
    lot = released_lot(clinic=patient.clinic)
    record(plan, actor=clinician, lot=lot, at=timezone.now() - dt.timedelta(days=2))
    auth = bearer(clinician)
    created = check(
        doc,
        client.post(
            "/api/v1/treatment/adverse-events",
            {
                "patient_id": patient.pk,
                "description": "Fever",
                "onset_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
                "ctcae_grade": 3,
                "seriousness_criteria": ["hospitalisation"],
                "relatedness": "possible",
            },
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/treatment/adverse-events",
        "post",
        201,
    )
    assert created["lot_code"] == lot.code and created["report_due_at"]
    listing = check(
        doc,
        client.get("/api/v1/treatment/adverse-events", {"lot": lot.code}, headers=auth),
        "/api/v1/treatment/adverse-events",
        "get",
        200,
    )
    assert [e["id"] for e in listing] == [created["id"]]
    lab = bearer(staff(Role.LAB))
    assert client.get("/api/v1/treatment/adverse-events", headers=lab).json() == []
    assert client.get(f"/api/v1/treatment/adverse-events/{created['id']}", headers=lab).status_code == 404
    assessed = check(
        doc,
        client.post(
            f"/api/v1/treatment/adverse-events/{created['id']}/assess",
            {"outcome": "recovered"},
            content_type="application/json",
            headers=auth,
        ),
        "/api/v1/treatment/adverse-events/{event_id}/assess",
        "post",
        200,
    )
    assert assessed["outcome"] == "recovered"


def test_the_api_shows_a_pending_reconsent_and_the_patient_renews_it(
    client, doc, clinician, patient, patient_user
):
    from exoclinic.core.models import AuditEvent
    from exoclinic.treatment import services
    from tests.factories import PatientFactory, UserFactory

    plan = approved_plan_with_consent(patient, clinician=clinician)
    services.consent_text_publish(
        actor=clinician, clinic=patient.clinic, version="2027-01", title="Consent", body="New text."
    )
    path = "/api/v1/treatment/plans/{plan_id}"
    shown = check(
        doc, client.get(f"/api/v1/treatment/plans/{plan.pk}", headers=bearer(patient_user)), path, "get", 200
    )
    assert shown["consent"]["version_in_force"] == "2026-1" and shown["consent"]["renewal_due"] is True

    stranger = UserFactory()
    PatientFactory(clinic=patient.clinic, user=stranger)
    renew = f"/api/v1/treatment/plans/{plan.pk}/consent/renew"
    body = {"version": "2027-01", "accepted": True}
    refused = client.post(renew, body, content_type="application/json", headers=bearer(stranger))
    assert refused.status_code == 404
    stale = client.post(
        renew,
        {"version": "2026-1", "accepted": True},
        content_type="application/json",
        headers=bearer(patient_user),
    )
    assert stale.status_code == 409 and stale.json()["field"] == "consent_text"
    renewed = check(
        doc,
        client.post(renew, body, content_type="application/json", headers=bearer(patient_user)),
        "/api/v1/treatment/plans/{plan_id}/consent/renew",
        "post",
        200,
    )
    assert renewed["consent"]["version_in_force"] == "2027-01" and renewed["consent"]["renewal_due"] is False
    assert renewed["consent"]["version"] == "2026-1", "the first signature keeps its version"
    assert AuditEvent.objects.filter(action="consent.renew", actor=patient_user).count() == 1
    listing = check(
        doc,
        client.get("/api/v1/treatment/plans", {"patient_id": patient.pk}, headers=bearer(clinician)),
        "/api/v1/treatment/plans",
        "get",
        200,
    )
    assert listing[0]["consent"]["renewal_due"] is False
