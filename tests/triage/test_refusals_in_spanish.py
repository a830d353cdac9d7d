"""The triage engine's input refusals are translated when raised, and the engine still works without Django
(issue 20). Tests named ``test_catalogue_...`` need notes/msgs.es.json merged into the catalogues."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from exoclinic.triage.engine import TriageInputError, Vitals
from exoclinic.triage.ruleset import DEFAULT_RULESET, RuleSetError, validate_ruleset

SRC = Path(__file__).resolve().parents[2] / "src"


def test_an_implausible_vital_is_refused_in_english_naming_the_field():
    with translation.override("en"), pytest.raises(TriageInputError) as caught:
        Vitals(temperature_c=380)
    assert caught.value.message == "vitals.temperature_c: must be between 30 and 45"
    assert caught.value.field == "vitals.temperature_c"


def test_the_engine_refuses_without_django_settings_in_english():
    code = (
        "from exoclinic.triage.engine import Vitals, TriageInputError\n"
        "try:\n    Vitals(systolic_mmhg=True)\n"
        "except TriageInputError as exc:\n    print(exc.message)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "vitals.systolic_mmhg: must be a number"


def test_catalogue_an_implausible_vital_is_refused_in_spanish():
    with translation.override("es"), pytest.raises(TriageInputError) as caught:
        Vitals(temperature_c=380)
    assert caught.value.message == "vitals.temperature_c: debe estar entre 30 y 45"


def test_catalogue_a_rule_set_refusal_is_in_spanish():
    data = DEFAULT_RULESET.to_dict()
    data["version"] = ""
    with translation.override("es"), pytest.raises(RuleSetError) as caught:
        validate_ruleset(data)
    assert caught.value.message == "version: debe ser un texto no vacío de 40 caracteres como máximo"
