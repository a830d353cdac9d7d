"""Serious adverse events by the ICH E2A criteria, and the 15-day clock from the report's arrival."""

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import InvalidInput
from exoclinic.treatment import services
from exoclinic.treatment.models import AdverseEvent, AdverseEventStatus
from tests.factories import PASSWORD
from tests.products.factories import released_lot
from tests.treatment.factories import approved_plan_with_consent
from tests.treatment.helpers import record

pytestmark = pytest.mark.django_db

MENINGITIS = "Admitted to hospital with meningitis two days after the injection"


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


@pytest.fixture
def procedure(patient, clinician, clinic):
    plan = approved_plan_with_consent(patient, clinician=clinician)
    return record(
        plan, actor=clinician, lot=released_lot(clinic=clinic), at=timezone.now() - dt.timedelta(days=6)
    )


def _auth(user):
    return {"Authorization": f"Bearer {api_token_issue(user=user)[1]}"}


def _event(**overrides):
    return {
        "ctcae_grade": 3,
        "relatedness": "possible",
        "outcome": "recovering",
        "onset_at": timezone.now() - dt.timedelta(days=4),
        "description": MENINGITIS,
        **overrides,
    }


def test_grade_3_hospitalisation_with_no_criterion_ticked_is_refused_not_saved_as_not_serious(
    patient, clinician, procedure
):
    with pytest.raises(InvalidInput) as refused:
        services.adverse_event_record(actor=clinician, patient=patient, **_event())
    assert refused.value.field == "seriousness_criteria"
    event = services.adverse_event_record(
        actor=clinician, patient=patient, **_event(seriousness_criteria=["hospitalisation"])
    )
    assert event.serious and event.criterion_hospitalisation
    assert event.report_due_at == event.received_at + dt.timedelta(days=15)


def test_any_single_criterion_makes_the_event_serious(patient, clinician, procedure):
    for criterion in (
        "death",
        "life_threatening",
        "hospitalisation",
        "disability",
        "congenital_anomaly",
        "important_medical_event",
    ):
        grade = 5 if criterion == "death" else 2
        outcome = "fatal" if criterion == "death" else "recovering"
        event = services.adverse_event_record(
            actor=clinician,
            patient=patient,
            **_event(ctcae_grade=grade, outcome=outcome, seriousness_criteria=[criterion]),
        )
        assert event.serious and [c.value for c in event.seriousness_criteria] == [criterion]
    mild = services.adverse_event_record(actor=clinician, patient=patient, **_event(ctcae_grade=1))
    assert not mild.serious and mild.report_due_at is None


def test_api_serious_true_without_a_criterion_is_refused_naming_the_field(
    client, clinician, patient, procedure
):
    response = client.post(
        "/api/v1/treatment/adverse-events",
        {
            "patient_id": patient.pk,
            "description": MENINGITIS,
            "onset_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
            "ctcae_grade": 2,
            "serious": True,
            "relatedness": "possible",
        },
        content_type="application/json",
        headers=_auth(clinician),
    )
    assert response.status_code == 400 and response.json()["field"] == "seriousness_criteria"
    assert not AdverseEvent.objects.exists()


def test_patient_report_found_serious_at_review_has_its_clock_from_the_report_arrival(
    client, patient, clinician, procedure
):
    arrived = timezone.now() - dt.timedelta(days=5)
    report = SimpleNamespace(
        patient=patient,
        created_at=arrived,
        outcome_level="emergency",
        summary="Fever 38.6, stiff neck, headache that does not ease lying down",
        pk=77,
        _meta=SimpleNamespace(label_lower="triage.symptomreport"),
    )
    event = services.on_symptom_reported(report)
    assert event.status == AdverseEventStatus.NEEDS_REVIEW and event.received_at == arrived
    # Staff review it five days later through the page and find a hospitalisation.
    assert client.login(email=clinician.email, password=PASSWORD)
    page = client.post(
        f"/staff/treatment/adverse-events/{event.pk}/",
        {
            "action": "assess",
            "submission_key": str(uuid.uuid4()),
            "description": MENINGITIS,
            "onset_at": arrived.astimezone(patient.clinic.tz).strftime("%Y-%m-%dT%H:%M"),
            "ctcae_grade": "3",
            "seriousness_criteria": ["hospitalisation"],
            "relatedness": "possible",
            "outcome": "recovering",
            "lot_code": event.lot_code,
        },
        follow=True,
    )
    text = page.content.decode()
    event.refresh_from_db()
    assert event.serious_since == arrived
    assert event.report_due_at == arrived + dt.timedelta(days=15)
    assert "Requires inpatient hospitalisation or prolongs a stay" in text
    assert "9 days left" in text or "10 days left" in text  # 15 days from arrival, 5 already gone
    due = event.report_due_at.astimezone(patient.clinic.tz).strftime("%Y-%m-%d %H:%M")
    assert due in text
    api = client.get(f"/api/v1/treatment/adverse-events/{event.pk}", headers=_auth(clinician)).json()
    assert api["serious"] is True and api["seriousness_criteria"] == ["hospitalisation"]
    second = dt.timedelta(seconds=1)  # the API gives milliseconds
    assert abs(dt.datetime.fromisoformat(api["report_due_at"]) - (arrived + dt.timedelta(days=15))) < second
    assert abs(dt.datetime.fromisoformat(api["received_at"]) - arrived) < second


def test_staff_page_records_a_serious_event_from_its_criteria(client, patient, clinician, procedure):
    assert client.login(email=clinician.email, password=PASSWORD)
    onset = (timezone.now() - dt.timedelta(hours=3)).astimezone(patient.clinic.tz)
    page = client.post(
        f"/staff/treatment/patients/{patient.pk}/adverse-events/new/",
        {
            "submission_key": str(uuid.uuid4()),
            "description": "Weakness in both legs, lasting",
            "onset_at": onset.strftime("%Y-%m-%dT%H:%M"),
            "ctcae_grade": "3",
            "seriousness_criteria": ["disability"],
            "relatedness": "possible",
            "outcome": "not_recovered",
        },
        follow=True,
    )
    text = page.content.decode()
    assert 'data-testid="reporting-clock"' in text
    assert "Results in persistent or significant disability or incapacity" in text
    assert AdverseEvent.objects.get().serious


def test_adverse_event_page_shows_the_product_deviations_of_its_lot(
    client, patient, clinician, procedure, staff
):
    from exoclinic.products.services import product_deviation_record

    event = services.adverse_event_record(actor=clinician, patient=patient, **_event(ctcae_grade=1))
    deviation = product_deviation_record(
        actor=staff(Role.LAB),
        lot=procedure.lot,
        description="Vials of this lot stored at -60 C for 4 hours",
        discovered_at=timezone.now() - dt.timedelta(days=1),
    )
    assert client.login(email=clinician.email, password=PASSWORD)
    text = " ".join(client.get(f"/staff/treatment/adverse-events/{event.pk}/").content.decode().split())
    assert "1 product deviation" in text
    assert f"deviation report due {deviation.report_due_at.astimezone(patient.clinic.tz):%Y-%m-%d}" in text
