"""The application form's steps, the answers each one holds, and what must be answered before submit."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import Condition

from .models import TreatmentApplication


@dataclass(frozen=True)
class FormStep:
    key: str
    title: str
    fields: tuple[str, ...]


STEPS: tuple[FormStep, ...] = (
    FormStep(
        "about",
        _("About you"),
        (
            "for_self",
            "filler_name",
            "filler_relationship",
            "filler_email",
            "filler_phone",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "phone",
            "preferred_contact_method",
            "preferred_language",
            "time_zone",
        ),
    ),
    FormStep(
        "condition",
        _("Condition"),
        (
            "condition",
            "condition_description",
            "date_of_injury",
            "neurological_level",
            "ais_grade",
            "injury_cause",
            "surgeries",
        ),
    ),
    FormStep("function", _("Current function"), ("self_ratings",)),
    FormStep(
        "health",
        _("Health and treatments"),
        (
            "active_infection",
            "pregnant",
            "active_cancer",
            "bleeding_disorder",
            "medications",
            "takes_anticoagulants",
            "takes_anti_inflammatories",
            "takes_immunosuppressants",
            "allergies",
            "past_treatments",
            "earlier_cell_treatment",
            "last_cell_treatment_on",
            "current_therapies",
        ),
    ),
    FormStep("goals", _("Goals"), ("goals", "goals_own_words", "expectations")),
    FormStep("documents", _("Documents"), ()),
    FormStep("consent", _("Consent"), ("consent_contact", "privacy_acknowledged", "research_consent")),
    FormStep("review", _("Check and submit"), ()),
)
BY_KEY = {step.key: step for step in STEPS}
STEP_OF_FIELD = {name: step.key for step in STEPS for name in step.fields}

ANSWER_FIELDS = (
    "active_infection",
    "pregnant",
    "active_cancer",
    "bleeding_disorder",
    "takes_anticoagulants",
    "takes_anti_inflammatories",
    "takes_immunosuppressants",
    "earlier_cell_treatment",
)


def next_step(key: str) -> str:
    keys = [s.key for s in STEPS]
    return keys[min(keys.index(key) + 1, len(keys) - 1)]


def missing_answers(application: TreatmentApplication) -> list[tuple[str, str]]:
    """(field, message) for every answer required before submit, in form order."""
    from exoclinic.outcomes.indicators import INDICATORS

    a = application
    missing: list[tuple[str, str]] = []

    def need(ok: bool, field: str, message: str) -> None:
        if not ok:
            missing.append((field, message))

    if not a.for_self:
        need(bool(a.filler_name.strip()), "filler_name", _("Enter your name."))
        need(bool(a.filler_relationship.strip()), "filler_relationship", _("Say how you are related."))
        need(bool(a.filler_email), "filler_email", _("Enter your e-mail address."))
    need(bool(a.first_name.strip()), "first_name", _("Enter the patient's first name."))
    need(bool(a.last_name.strip()), "last_name", _("Enter the patient's last name."))
    need(a.date_of_birth is not None, "date_of_birth", _("Enter the patient's date of birth."))
    if a.for_self:
        need(bool(a.email), "email", _("Enter your e-mail address."))
    need(bool(a.time_zone), "time_zone", _("Choose a time zone."))
    if a.condition == Condition.OTHER:
        need(bool(a.condition_description.strip()), "condition_description", _("Describe the condition."))
    for indicator in INDICATORS:
        need(
            isinstance(a.self_ratings.get(indicator.code), int),
            indicator.code,
            _("Rate %(label)s from 0 to 10.") % {"label": str(indicator.label).lower()},
        )
    for name in ANSWER_FIELDS:
        need(bool(getattr(a, name)), name, _('Answer this question ("Not sure" is an answer).'))
    need(bool(a.goals), "goal_1", _("Choose at least one goal."))
    need(
        a.consent_contact, "consent_contact", _("We need your consent to contact you about the application.")
    )
    need(a.privacy_acknowledged, "privacy_acknowledged", _("Please read and acknowledge the privacy notice."))
    return missing


def answer_rows(application: TreatmentApplication) -> list[tuple[FormStep, list[tuple[str, str]]]]:
    """The answers as (step, [(question, answer)]) for the summary page and the reviewer."""
    from django.utils.formats import date_format

    from exoclinic.outcomes.indicators import INDICATORS

    out = []
    for step in STEPS:
        rows: list[tuple[str, str]] = []
        for name in step.fields:
            if name == "self_ratings":
                for ind in INDICATORS:
                    value = application.self_ratings.get(ind.code)
                    rows.append((str(ind.label), "" if value is None else f"{value} / 10"))
                continue
            if name == "goals":
                for i, label in enumerate(application.goal_labels, start=1):
                    rows.append((str(_("Goal %(n)s") % {"n": i}), label))
                continue
            if name.startswith("filler_") and application.for_self:
                continue
            field = application._meta.get_field(name)
            value = getattr(application, name)
            if name == "for_self":
                shown = str(_("The patient") if value else _("Someone on the patient's behalf"))
            elif isinstance(value, bool):
                shown = str(_("Yes") if value else _("No"))
            elif field.choices and value != "":
                shown = str(getattr(application, f"get_{name}_display")())
            elif hasattr(value, "isoformat"):
                shown = date_format(value, "DATE_FORMAT")
            else:
                shown = "" if value is None else str(value)
            rows.append((str(field.verbose_name).capitalize(), shown))
        out.append((step, rows))
    return out
