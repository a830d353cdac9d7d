"""The lowest non-key muscle at every level from C5 to S1 (thoracic levels and L1 included), through the
stateless API and the worksheet, classified as the reference (npm isncsci 2.0.6) classifies it."""

from __future__ import annotations

import json
import os
import re

import pytest

from exoclinic.accounts.models import Role
from exoclinic.exams.models import IsncsciExam
from isncsci import NON_KEY_MUSCLE_LEVELS
from tests.exams.factories import complete_t6_exam
from tests.exams.test_api import CLASSIFY, post
from tests.exams.test_views import worksheet_post
from tests.isncsci.reference_oracle import ReferenceUnavailable, classify_with_reference

pytestmark = pytest.mark.django_db
NON_KEY = "lowestNonKeyMuscleWithMotorFunction"


def reference_result(exam: dict) -> dict:
    try:
        return json.loads(classify_with_reference([json.dumps(exam)])[0])
    except ReferenceUnavailable as error:
        if os.environ.get("CI"):
            pytest.fail(f"the reference implementation is required in CI: {error}")
        pytest.skip(f"reference implementation unavailable: {error}")


def sensory_incomplete_t6(right: str | None = None, left: str | None = None) -> dict:
    """Complete below T6 but for light touch at S4-5 on the right: B, unless motor function more than three
    levels below the motor level (a non-key muscle counts) makes it C."""
    exam = complete_t6_exam()
    exam["right"]["lightTouch"]["S4_5"] = "1"
    for side, level in (("right", right), ("left", left)):
        if level:
            exam[side][NON_KEY] = level
    return exam


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


def test_classify_api_accepts_thoracic_and_l1_non_key_muscles_and_answers_as_the_reference(
    client, patient_user
):
    exam = sensory_incomplete_t6(right="T12", left="L1")

    response = post(client, CLASSIFY, exam, patient_user)

    assert response.status_code == 200
    assert response.json() == reference_result(exam)
    assert response.json()["classification"]["ASIAImpairmentScale"] == "B"


def test_classify_api_with_a_key_muscle_level_non_key_muscle_gives_c_as_the_reference(client, patient_user):
    exam = sensory_incomplete_t6(right="L2")

    response = post(client, CLASSIFY, exam, patient_user)

    assert response.json() == reference_result(exam)
    assert response.json()["classification"]["ASIAImpairmentScale"] == "C"


@pytest.mark.parametrize("value", ["C4", "S2", "T13"])
def test_classify_api_refuses_a_non_key_muscle_outside_c5_to_s1_naming_the_field(client, patient_user, value):
    response = post(client, CLASSIFY, sensory_incomplete_t6(left=value), patient_user)

    assert response.status_code == 400
    assert response.json()["field"] == f"left.{NON_KEY}"
    assert response.json()["message"] == f'left.{NON_KEY}: "{value}" is not a level from C5 to S1'


def test_the_api_schema_lists_every_non_key_muscle_level(client):
    doc = client.get("/api/v1/openapi.json").json()
    body = doc["paths"][CLASSIFY]["post"]["requestBody"]["content"]["application/json"]["schema"]

    levels = body["properties"]["right"]["properties"][NON_KEY]["enum"]

    assert levels == [*NON_KEY_MUSCLE_LEVELS, None]


def test_the_worksheet_offers_every_level_from_c5_to_s1_for_the_non_key_muscle(client, patient, clinician):
    client.force_login(clinician)

    page = client.get(f"/staff/patients/{patient.pk}/isncsci/new/").content.decode()

    for side in ("right", "left"):
        select = re.search(rf'<select id="f-{side}-{NON_KEY}".*?</select>', page, re.S)
        assert select is not None
        offered = re.findall(r'<option value="([^"]*)"', select.group(0))
        assert offered == ["", *NON_KEY_MUSCLE_LEVELS]


def test_worksheet_classifies_thoracic_and_l1_non_key_muscles_as_the_reference_and_saves_them(
    client, patient, clinician
):
    client.force_login(clinician)
    exam = sensory_incomplete_t6(right="T8", left="L1")
    expected = reference_result(exam)

    preview = client.post(
        f"/staff/patients/{patient.pk}/isncsci/new/", worksheet_post(exam, action="classify")
    )
    saved = client.post(f"/staff/patients/{patient.pk}/isncsci/new/", worksheet_post(exam, action="save"))

    page = preview.content.decode()
    assert preview.status_code == 200
    assert '<option value="T8" selected>' in page and '<option value="L1" selected>' in page
    ais = expected["classification"]["ASIAImpairmentScale"]
    assert f'data-result="classification.ASIAImpairmentScale">{ais}<' in page
    assert saved.status_code == 302
    record = IsncsciExam.objects.get()
    assert record.exam["right"][NON_KEY] == "T8" and record.exam["left"][NON_KEY] == "L1"
    assert record.result == expected
