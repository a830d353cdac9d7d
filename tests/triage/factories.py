"""Triage factories and answer helpers."""

from __future__ import annotations

import datetime as dt

import factory

from exoclinic.triage.engine import Answer, SymptomAnswer, SymptomCode
from exoclinic.triage.models import OnCallShift
from tests.factories import ClinicFactory, UserFactory

S = SymptomCode
AD_HEADACHE = {
    S.HEADACHE: {"answer": "yes", "severity": "severe", "onset_hours_ago": 1},
    S.POUNDING_HEADACHE: "yes",
    S.FLUSHING_OR_SWEATING_ABOVE_INJURY: "yes",
}


class OnCallShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnCallShift

    clinic = factory.SubFactory(ClinicFactory)
    user = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    ends_at = factory.LazyFunction(lambda: dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    position = 1


def answers(yes: dict | None = None) -> tuple[SymptomAnswer, ...]:
    """Every question "no" except those given: {code: "yes" | "unknown" | {answer, severity, ...}}."""
    given = yes or {}
    out = []
    for code in SymptomCode:
        spec = given.get(code, "no")
        if isinstance(spec, str):
            spec = {"answer": spec}
        out.append(SymptomAnswer(code=code, **{**spec, "answer": Answer(spec["answer"])}))
    return tuple(out)


def form_data(yes: dict | None = None) -> dict:
    """The checklist form POST data: every question "no" except those given (as in answers())."""
    data = {}
    for a in answers(yes):
        data[f"answer_{a.code}"] = a.answer.value
        if a.severity:
            data[f"severity_{a.code}"] = a.severity.value if hasattr(a.severity, "value") else a.severity
        if a.onset_hours_ago is not None:
            data[f"onset_{a.code}"] = str(a.onset_hours_ago)
            data[f"onset_unit_{a.code}"] = "hours"
    return data
