"""Product deviations of a lot with their 45-day report clock (clinical-facts §6): service, page, API."""

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import InvalidInput, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.products import services
from exoclinic.products.models import ProductDeviation
from tests import openapi
from tests.factories import PASSWORD

from .factories import released_lot

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"Authorization": f"Bearer {api_token_issue(user=user)[1]}"}


def test_a_deviation_of_a_lot_is_due_45_days_after_its_discovery_and_stops_when_reported(clinic, staff):
    lab = staff(Role.LAB)
    lot = released_lot(clinic=clinic)
    discovered = timezone.now() - dt.timedelta(days=10)
    deviation = services.product_deviation_record(
        actor=lab, lot=lot, description="Shipped at -60 C, specification -80 C", discovered_at=discovered
    )
    assert deviation.lot == lot
    assert deviation.report_due_at == discovered + dt.timedelta(days=45)
    assert deviation.days_left(discovered + dt.timedelta(days=44, hours=1)) == 0
    assert deviation.days_left(discovered + dt.timedelta(days=46)) == -1
    assert AuditEvent.objects.filter(action="product_deviation.record", record_id=str(deviation.pk)).exists()
    reported = services.product_deviation_mark_reported(actor=lab, deviation=deviation, reference="BPDR-7")
    assert reported.reported_at is not None and reported.days_left() is None


def test_a_deviation_needs_a_description_and_a_discovery_not_in_the_future(clinic, other_clinic, staff):
    lab, lot = staff(Role.LAB), released_lot(clinic=clinic)
    with pytest.raises(InvalidInput) as empty:
        services.product_deviation_record(actor=lab, lot=lot, description=" ", discovered_at=timezone.now())
    assert empty.value.field == "description"
    with pytest.raises(InvalidInput) as future:
        services.product_deviation_record(
            actor=lab, lot=lot, description="x", discovered_at=timezone.now() + dt.timedelta(days=1)
        )
    assert future.value.field == "discovered_at"
    with pytest.raises(NotFound):  # staff of another clinic do not see the lot
        services.product_deviation_record(
            actor=staff(Role.LAB, at=other_clinic), lot=lot, description="x", discovered_at=timezone.now()
        )
    with pytest.raises(PermissionDenied):  # coordinators read lots but do not record deviations
        services.product_deviation_record(
            actor=staff(Role.COORDINATOR), lot=lot, description="x", discovered_at=timezone.now()
        )
    assert not ProductDeviation.objects.exists()


def test_staff_record_a_deviation_on_the_lot_page_and_see_its_clock(client, clinic, staff):
    lab = staff(Role.LAB)
    lot = released_lot(clinic=clinic)
    assert client.login(email=lab.email, password=PASSWORD)
    discovered = (timezone.now() - dt.timedelta(days=5)).astimezone(clinic.tz)
    page = client.post(
        f"/staff/products/lots/{lot.pk}/deviations/",
        {
            "action": "record",
            "description": "Label printed with the wrong expiry date",
            "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    text = page.content.decode()
    due = (discovered.replace(second=0, microsecond=0) + dt.timedelta(days=45)).strftime("%Y-%m-%d %H:%M")
    assert "Label printed with the wrong expiry date" in text and due in text
    assert "40 days left" in text or "39 days left" in text
    listing = client.get("/staff/products/deviations/").content.decode()
    assert lot.code in listing and "Label printed with the wrong expiry date" in listing
    refused = client.post(
        f"/staff/products/lots/{lot.pk}/deviations/",
        {"action": "record", "description": "", "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M")},
    )
    assert refused.status_code == 200 and ProductDeviation.objects.count() == 1


def test_deviations_through_the_api_checked_against_the_openapi_document(client, clinic, staff):
    doc = client.get("/api/v1/openapi.json").json()
    lab = staff(Role.LAB)
    lot = released_lot(clinic=clinic)
    discovered = timezone.now() - dt.timedelta(days=2)
    response = client.post(
        f"/api/v1/lots/{lot.pk}/deviations",
        {"description": "Storage excursion to -65 C for 3 hours", "discovered_at": discovered.isoformat()},
        content_type="application/json",
        headers=_auth(lab),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    path = "/api/v1/lots/{lot_id}/deviations"
    openapi.check(body, openapi.response_schema(doc, path, "post", 201), doc)
    assert body["lot_code"] == lot.code and body["days_left"] in (42, 43)
    due = dt.datetime.fromisoformat(body["report_due_at"])
    assert abs(due - (discovered + dt.timedelta(days=45))) < dt.timedelta(seconds=1)
    bad = client.post(
        f"/api/v1/lots/{lot.pk}/deviations",
        {"description": "", "discovered_at": discovered.isoformat()},
        content_type="application/json",
        headers=_auth(lab),
    )
    assert bad.status_code == 400 and bad.json()["field"] == "description"
    listing = client.get("/api/v1/product-deviations?open_only=true", headers=_auth(lab)).json()
    assert [d["id"] for d in listing] == [body["id"]]
    done = client.post(
        f"/api/v1/product-deviations/{body['id']}/reported",
        {"regulator_reference": "BPDR-2026-1"},
        content_type="application/json",
        headers=_auth(lab),
    ).json()
    assert done["reported_at"] and done["days_left"] is None
    assert client.get("/api/v1/product-deviations?open_only=true", headers=_auth(lab)).json() == []
