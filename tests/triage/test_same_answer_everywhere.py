"""Issue 15 part 5: the same report gets the same level and reasons from the engine, the portal form, the
anonymous self-check page and the API."""

from __future__ import annotations

import html as html_lib

from django.urls import reverse
from django.utils import timezone

from exoclinic.triage.context import patient_context
from exoclinic.triage.engine import SymptomAnswer, TriageInput, Vitals, evaluate
from exoclinic.triage.models import SymptomReport
from exoclinic.triage.ruleset import DEFAULT_RULESET, SYMPTOMS, SymptomCode
from tests.triage.test_api import bearer

S = SymptomCode
# At or above T6 (the patient record says T4): flushing, blurred vision, hives, 190/110 and a note. None of it
# depends on the procedure's day or route, which the anonymous page cannot know.
YES = (S.FLUSHING_OR_SWEATING_ABOVE_INJURY, S.BLURRED_VISION, S.HIVES_ITCHING_RASH)
NOTE = "It started after I sat in the car for two hours"


def _answers() -> tuple[SymptomAnswer, ...]:
    return tuple(SymptomAnswer(s.code, "yes" if s.code in YES else "no") for s in SYMPTOMS)


def _post_data() -> dict:
    data = {f"answer_{a.code}": a.answer.value for a in _answers()}
    return {**data, "systolic_mmhg": "190", "diastolic_mmhg": "110", "note": NOTE}


def test_engine_portal_self_check_and_api_give_the_same_level_and_reasons(client, patient, patient_user):
    expected = evaluate(
        TriageInput(
            context=patient_context(patient, now=timezone.now()),
            answers=_answers(),
            vitals=Vitals(systolic_mmhg=190, diastolic_mmhg=110),
            note=NOTE,
        ),
        DEFAULT_RULESET,
    )
    reasons = [(f.code.value, f.level.code, f.reason) for f in expected.findings]
    assert expected.level.code == "emergency" and len(reasons) >= 4

    client.force_login(patient_user)
    client.post(reverse("triage:symptoms"), _post_data())
    portal = SymptomReport.objects.get().outcome
    assert portal["level"] == expected.level.code
    assert [(f["code"], f["level"], f["reason"]) for f in portal["findings"]] == reasons
    assert portal["inputs"]["note"] == NOTE

    page = client.post(reverse("triage:self_check"), {**_post_data(), "at_or_above_t6": "yes"})
    shown = html_lib.unescape(page.content.decode())
    assert 'class="triage-outcome level-emergency"' in page.content.decode()
    positions = [shown.index(reason) for _code, _level, reason in reasons]
    assert positions == sorted(positions), "the same reasons, in the same order"

    body = {
        "patient_id": patient.pk,
        "answers": [{"code": a.code.value, "answer": a.answer.value} for a in _answers()],
        "vitals": {"systolic_mmhg": 190, "diastolic_mmhg": 110},
        "note": NOTE,
    }
    response = client.post(
        "/api/v1/triage/reports", body, content_type="application/json", headers=bearer(patient_user)
    )
    api = response.json()
    assert response.status_code == 201 and api["level"] == expected.level.code
    assert [(f["code"], f["level"], f["reason"]) for f in api["findings"]] == reasons
