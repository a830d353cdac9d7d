"""The natural-recovery caveat (clinical facts §3) per measure, on the progress page and in both PDF reports,
and the refusal of assessment dates that cannot be right (before the injury, in the future)."""

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import InvalidInput
from exoclinic.exams.services import isncsci_exam_record
from exoclinic.outcomes import services
from exoclinic.outcomes.instruments import get_instrument
from exoclinic.outcomes.models import Assessment
from tests.factories import PASSWORD, PatientFactory, UserFactory
from tests.outcomes.factories import AssessmentFactory, isncsci_items, scim_items
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


def _page_text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _patient_with_login(clinic, **fields):
    user = UserFactory()
    return PatientFactory(clinic=clinic, user=user, **fields), user


def _everywhere(client, patient, user, clinician) -> dict[str, str]:
    """The progress page and the report, for the patient and for staff."""
    client.login(email=user.email, password=PASSWORD)
    seen = {
        "portal page": _page_text(client.get("/portal/progress/")),
        "patient pdf": _pdf_text(client.get("/portal/progress/report.pdf")),
    }
    client.logout()
    client.login(email=clinician.email, password=PASSWORD)
    seen["staff page"] = _page_text(client.get(f"/staff/patients/{patient.pk}/progress/"))
    seen["clinical pdf"] = _pdf_text(client.get(f"/staff/patients/{patient.pk}/progress/report.pdf"))
    return seen


def test_uems_gain_of_ten_without_an_injury_date_says_it_cannot_be_judged(client, clinic, staff):
    patient, user = _patient_with_login(clinic, sci_date_of_injury=None)
    clinician = staff(Role.CLINICIAN)
    for taken_on, uems in ((dt.date(2025, 1, 5), 20), (dt.date(2025, 7, 5), 30)):
        services.assessment_record(
            actor=clinician,
            patient=patient,
            instrument="isncsci",
            items=isncsci_items(uems=uems, total_motor=uems),
            taken_on=taken_on,
        )
    for where, text in _everywhere(client, patient, user, clinician).items():
        assert "went up by 10 points" in text, where
        assert "No date of injury is recorded, so this change cannot be judged against natural recovery" in (
            text
        ), where
    client.logout()
    api = client.get(
        f"/api/v1/patients/{patient.pk}/progress",
        headers={"Authorization": f"Bearer {api_token_issue(user=clinician)[1]}"},
    ).json()
    uems = next(s for block in api["indicators"] for s in block["series"] if s["measure"] == "isncsci.uems")
    assert uems["recovery_caveat"] == "no_injury_date"
    assert api["natural_recovery_note"].startswith("No date of injury is recorded")


def test_scim_baseline_four_months_after_injury_keeps_its_caveat_when_pain_has_a_later_baseline(
    client, clinic, staff
):
    patient, user = _patient_with_login(clinic, sci_date_of_injury=dt.date(2024, 1, 10))
    scim = get_instrument("scim3")
    for taken_on, items, months in (
        (dt.date(2024, 5, 10), scim_items(), 0),  # 4 months after the injury
        (dt.date(2025, 7, 10), scim_items(mobility_indoors=8, mobility_moderate=6), 12),  # +10 points
    ):
        AssessmentFactory(
            patient=patient,
            instrument="scim3",
            taken_on=taken_on,
            items=items,
            values=scim.score(items).values,
            follow_up_months=months,
        )
    # A later baseline of another instrument, 14 months after the injury: it must not hide SCIM's caveat.
    AssessmentFactory(patient=patient, taken_on=dt.date(2025, 3, 10), follow_up_months=0)
    AssessmentFactory(
        patient=patient,
        taken_on=dt.date(2025, 7, 10),
        items={"average": 3},
        values={"average": 3},
        follow_up_months=12,
    )
    for where, text in _everywhere(client, patient, user, staff(Role.CLINICIAN)).items():
        assert "reaching the 10-point substantial change" in text, where
        assert "The baseline of this measure was taken 4 months after the injury" in text, where
        # Pain's baseline is 14 months after the injury: no caveat is attached to it.
        assert text.count("The baseline of this measure was taken") == 4, where  # the 4 SCIM measures


def test_exam_dated_before_the_injury_is_refused_in_the_form_the_api_and_the_exam_service(
    client, clinic, staff
):
    patient, _ = _patient_with_login(clinic, sci_date_of_injury=dt.date(2024, 6, 1))
    clinician = staff(Role.CLINICIAN)
    client.login(email=clinician.email, password=PASSWORD)
    form = {f"item_{key}": value for key, value in scim_items().items()}
    page = client.post(
        f"/staff/patients/{patient.pk}/assessments/scim3/new/",
        {**form, "taken_on": "2024-05-31", "submission": "x"},
    )
    assert page.status_code == 200
    assert "is before the date of injury 2024-06-01" in page.content.decode()
    api = client.post(
        f"/api/v1/patients/{patient.pk}/assessments",
        {"instrument": "scim3", "items": scim_items(), "taken_on": "2024-05-31"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_token_issue(user=clinician)[1]}"},
    )
    assert api.status_code == 400
    assert api.json()["field"] == "taken_on" and "date of injury" in api.json()["message"]
    future = client.post(
        f"/api/v1/patients/{patient.pk}/assessments",
        {
            "instrument": "scim3",
            "items": scim_items(),
            "taken_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_token_issue(user=clinician)[1]}"},
    )
    assert future.status_code == 400 and future.json()["field"] == "taken_on"
    with pytest.raises(InvalidInput) as refused:
        isncsci_exam_record(
            actor=clinician,
            patient=patient,
            examined_at=timezone.make_aware(dt.datetime(2024, 5, 20, 10, 0)),
            exam={},
        )
    assert refused.value.field == "examined_at"
    assert not Assessment.objects.exists()
