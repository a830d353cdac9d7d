"""What outcomes reads from apps built alongside it, imported lazily so outcomes works before they land.

- intake: ``application_self_ratings(patient) -> (datetime, dict) | None`` (the first diary entry)
- treatment: ``concurrent_therapies(patient) -> list[str]`` and ``cohort_treatment_facts(patient_ids) ->
  {id: {"therapies", "lot_codes", "first_procedure_at"}}``
"""

from __future__ import annotations

import datetime as dt
import importlib


def _selector(app: str, name: str):
    try:
        module = importlib.import_module(f"exoclinic.{app}.selectors")
    except ImportError:
        return None
    return getattr(module, name, None)


def application_self_ratings(patient) -> tuple[dt.datetime, dict] | None:
    fn = _selector("intake", "application_self_ratings")
    return fn(patient) if fn else None


def concurrent_therapies(patient) -> list[str]:
    fn = _selector("treatment", "concurrent_therapies")
    return list(fn(patient)) if fn else []


def cohort_treatment_facts(patient_ids) -> dict[int, dict]:
    fn = _selector("treatment", "cohort_treatment_facts")
    return dict(fn(list(patient_ids))) if fn else {}


def treatment_available() -> bool:
    return _selector("treatment", "cohort_treatment_facts") is not None
