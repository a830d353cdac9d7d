"""Routes are one coded list with a "near the spinal cord" property (issue 19), the same in the treatment
records and in the triage engine, and the post-puncture and infection rules use the property."""

from __future__ import annotations

import pytest

from exoclinic.treatment import routes
from exoclinic.treatment.models import Route
from exoclinic.triage.engine import PatientContext, SymptomAnswer, TriageInput, Vitals, evaluate
from exoclinic.triage.ruleset import DEFAULT_RULESET, RULESET_2026_1, ProcedureRoute, RuleCode


def test_every_spinal_route_is_near_the_cord_and_the_others_are_not() -> None:
    assert {"intrathecal", "epidural", "intraspinal", "perispinal", "paraspinal"} == routes.NEAR_SPINAL_CORD
    assert not routes.near_spinal_cord("local_injection") and not routes.near_spinal_cord("intravenous")
    with pytest.raises(ValueError):
        routes.near_spinal_cord("Intrathecal ")


def test_the_treatment_choices_and_the_engine_routes_are_the_same_coded_list() -> None:
    assert [value for value, _label in Route.choices] == list(routes.ROUTES)
    for code in routes.ROUTES:
        assert ProcedureRoute(code).near_spinal_cord is routes.near_spinal_cord(code)
        assert Route(code).near_spinal_cord is routes.near_spinal_cord(code)
    assert ProcedureRoute.UNKNOWN.near_spinal_cord is None


def _positional_headache(route: str) -> TriageInput:
    context = PatientContext(injury_level="T10", days_since_procedure=2, procedure_route=route)
    answers = (
        SymptomAnswer("headache", "yes", severity="mild", onset_hours_ago=20),
        SymptomAnswer("headache_worse_upright", "yes"),
    )
    return TriageInput(context=context, answers=answers, vitals=Vitals(temperature_c=37.0))


@pytest.mark.parametrize("route", sorted(routes.NEAR_SPINAL_CORD))
def test_a_positional_headache_after_any_near_cord_route_is_a_post_puncture_headache(route) -> None:
    outcome = evaluate(_positional_headache(route), DEFAULT_RULESET)

    assert RuleCode.POST_PUNCTURE_HEADACHE in outcome.codes


def test_rule_set_2026_1_keeps_its_intrathecal_only_list_so_old_decisions_replay() -> None:
    assert (
        RuleCode.POST_PUNCTURE_HEADACHE
        not in evaluate(_positional_headache("epidural"), RULESET_2026_1).codes
    )
