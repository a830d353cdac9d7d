"""NBSS (full and short form), SCI-SET, and MAS per muscle group and side on the progress page."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.outcomes import services
from exoclinic.outcomes.instruments import ScoringError, get_instrument
from exoclinic.outcomes.models import Assessment
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SCI_SET_ALL = {f"item{i}": 0 for i in range(1, 36)}


def _refusal(code, items) -> ScoringError:
    with pytest.raises(ScoringError) as refused:
        get_instrument(code).score(items)
    return refused.value


def test_nbss_domains_give_the_published_total_from_0_to_74():
    nbss = get_instrument("nbss")
    low = nbss.score({"incontinence": 0, "storage_voiding": 0, "consequences": 0})
    high = nbss.score({"incontinence": 29, "storage_voiding": 22, "consequences": 23, "quality_of_life": 4})
    assert low.total == 0 and high.total == 74 and high.values["quality_of_life"] == 4
    example = nbss.score({"incontinence": 10, "storage_voiding": 7, "consequences": 5, "quality_of_life": 2})
    assert example.values == {
        "total": 22,
        "incontinence": 10,
        "storage_voiding": 7,
        "consequences": 5,
        "quality_of_life": 2,
    }
    assert _refusal("nbss", {"incontinence": 30, "storage_voiding": 0, "consequences": 0}).field == (
        "incontinence"
    )
    assert _refusal("nbss", {"incontinence": 1, "storage_voiding": 0}).field == "consequences"


def test_nbss_short_form_total_runs_0_to_28():
    short = get_instrument("nbss_sf")
    assert short.score({"total": 0}).total == 0 and short.score({"total": "28"}).total == 28
    assert _refusal("nbss_sf", {"total": 29}).field == "total"
    assert _refusal("nbss_sf", {"total": 3, "quality_of_life": 5}).field == "quality_of_life"


def test_sci_set_is_the_mean_of_applicable_items_leaving_not_applicable_out():
    sciset = get_instrument("sciset")
    assert sciset.score({**SCI_SET_ALL, **{f"item{i}": -3 for i in range(1, 36)}}).total == -3
    assert sciset.score({f"item{i}": 3 for i in range(1, 36)}).total == 3
    # 33 applicable answers summing to -11, two not applicable: mean -1/3, never counted as zeros.
    answers = {
        **SCI_SET_ALL,
        "item1": "NA",
        "item2": "n/a",
        "item3": -3,
        "item4": -3,
        "item5": -3,
        "item6": -2,
    }
    score = sciset.score(answers)
    assert score.values == {"score": -0.33, "applicable": 33}
    assert score.items["item1"] == "na"


def test_sci_set_refuses_values_outside_minus_3_to_3_missing_items_and_all_not_applicable():
    assert _refusal("sciset", {**SCI_SET_ALL, "item7": 4}).field == "item7"
    missing = dict(SCI_SET_ALL)
    del missing["item35"]
    assert _refusal("sciset", missing).field == "item35"
    assert _refusal("sciset", dict.fromkeys(SCI_SET_ALL, "NA")).field == "items"


def test_integer_2_where_a_mas_grade_is_expected_is_read_as_grade_2_not_as_the_code_of_1_plus():
    mas = get_instrument("mas")
    typed = mas.score({"knee_extensors_left": 2})
    assert typed.items["knee_extensors_left"] == "2"
    assert typed.values["knee_extensors_left"] == 3  # grade "2" is analysis code 3
    assert mas.score({"knee_extensors_left": "1+"}).values["knee_extensors_left"] == 2


def _record(actor, patient, instrument, items, on):
    return services.assessment_record(
        actor=actor, patient=patient, instrument=instrument, items=items, taken_on=on
    )


def test_progress_page_shows_mas_per_muscle_group_in_grades_with_the_change_of_each_group(
    client, patient, staff
):
    clinician = staff(Role.CLINICIAN)
    _record(
        clinician,
        patient,
        "mas",
        {"knee_extensors_left": "2", "elbow_flexors_right": "3"},
        dt.date(2025, 1, 5),
    )
    _record(
        clinician,
        patient,
        "mas",
        {"knee_extensors_left": "1+", "hip_adductors_right": "4"},
        dt.date(2025, 7, 5),
    )
    assert client.login(email=clinician.email, password=PASSWORD)
    page = " ".join(client.get(f"/staff/patients/{patient.pk}/progress/").content.decode().split())
    assert 'data-testid="measure-mas.knee_extensors_left"' in page
    assert "Knee extensors, left (Modified Ashworth) went down by 1 grade, from grade 2 to grade 1+" in page
    # A group measured once has no change; maxima of different groups are never compared.
    assert 'data-testid="measure-mas.hip_adductors_right"' in page
    assert "Highest Modified Ashworth grade" not in page and "mas.max" not in page
    assert "<td>grade 1+</td>" in page
    api = client.get(
        f"/api/v1/patients/{patient.pk}/progress",
        headers={"Authorization": f"Bearer {api_token_issue(user=clinician)[1]}"},
    ).json()
    knee = next(
        s for b in api["indicators"] for s in b["series"] if s["measure"] == "mas.knee_extensors_left"
    )
    assert knee["baseline"]["shown"] == "grade 2" and knee["latest"]["shown"] == "grade 1+"
    assert knee["change"]["change"] == -1


def test_nbss_and_sci_set_are_recorded_through_the_form_placed_on_the_schedule_and_shown(
    client, patient, staff
):
    clinician = staff(Role.CLINICIAN)
    services.follow_up_schedule_sync(actor=None, patient=patient, first_procedure=dt.date(2025, 1, 10))
    assert client.login(email=clinician.email, password=PASSWORD)
    for on, incontinence in (("2025-01-08", 12), ("2025-04-10", 8)):
        response = client.post(
            f"/staff/patients/{patient.pk}/assessments/nbss/new/",
            {
                "taken_on": on,
                "submission": f"nbss-{on}",
                "item_incontinence": incontinence,
                "item_storage_voiding": 6,
                "item_consequences": 4,
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
    sci_set = {f"item_item{i}": "1" for i in range(1, 36)}
    response = client.post(
        f"/staff/patients/{patient.pk}/assessments/sciset/new/",
        {**sci_set, "item_item9": "na", "taken_on": "2025-01-08", "submission": "s1"},
    )
    assert response.status_code == 302
    placed = dict(Assessment.objects.filter(instrument="nbss").values_list("taken_on", "follow_up_months"))
    assert placed == {dt.date(2025, 1, 8): 0, dt.date(2025, 4, 10): 3}
    page = " ".join(client.get(f"/staff/patients/{patient.pk}/progress/").content.decode().split())
    assert "NBSS total went down by 4 points, from 22 to 18" in page
    assert 'data-testid="measure-sciset.score"' in page
