"""The treatment-process timeline (product.md): eight steps, the current one derived from records.

Apps feed it by registering a provider from their AppConfig.ready(); a provider returns evidence for the
steps its records prove. A step is done when any provider says so; the current step is the first one that
is not done. Nothing here is typed by hand.

Providers answer for many patients at once (``register_bulk_provider``: a few queries for a whole list, such
as the staff API's patient list); ``patient_timeline`` asks them about one patient. A provider written for
one patient (``register_provider``) is asked once per patient.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _


class Step(enum.StrEnum):
    APPLY = "apply"
    REVIEW = "review"
    CONSULTATION = "consultation"
    PLAN_CONSENT = "plan_consent"
    PREPARATION = "preparation"
    TREATMENT = "treatment"
    AFTERCARE = "aftercare"
    FOLLOW_UP = "follow_up"


STEP_TEXT = {
    Step.APPLY: (_("Apply"), _("The treatment application form, with your goals.")),
    Step.REVIEW: (_("Review"), _("The clinic screens the application and decides, or asks for more.")),
    Step.CONSULTATION: (
        _("Consultation"),
        _("In person or remote, with a baseline assessment of every indicator we track."),
    ),
    Step.PLAN_CONSENT: (
        _("Plan and consent"),
        _("Therapy, route, sessions, concurrent therapies, precautions and your signed consent."),
    ),
    Step.PREPARATION: (_("Preparation"), _("Your personal precautions checklist.")),
    Step.TREATMENT: (_("Treatment"), _("The procedure, with the product lot you receive recorded.")),
    Step.AFTERCARE: (_("Aftercare"), _("Timed restrictions, check-ins, and reporting any side effects.")),
    Step.FOLLOW_UP: (_("Follow-up"), _("Scheduled assessments and your progress diary.")),
}


class StepState(enum.StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class StepEvidence:
    step: Step
    done: bool
    when: datetime | None = None
    note: str = ""


@dataclass
class TimelineStep:
    step: Step
    state: StepState
    when: datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def number(self) -> int:
        return list(Step).index(self.step) + 1

    @property
    def title(self) -> str:
        return str(STEP_TEXT[self.step][0])

    @property
    def description(self) -> str:
        return str(STEP_TEXT[self.step][1])


@dataclass
class Timeline:
    steps: list[TimelineStep]

    @property
    def current(self) -> TimelineStep | None:
        return next((s for s in self.steps if s.state == StepState.CURRENT), None)


Provider = Callable[[object], Iterable[StepEvidence]]
# Patients in, evidence by patient id out (a patient without evidence may be left out).
BulkProvider = Callable[[Sequence[object]], Mapping[int, Iterable[StepEvidence]]]
_providers: list[BulkProvider] = []
_wrapped: dict[Provider, BulkProvider] = {}


def register_bulk_provider(fn: BulkProvider) -> None:
    if fn not in _providers:
        _providers.append(fn)


def register_provider(fn: Provider) -> None:
    """A provider that answers for one patient at a time."""
    if fn not in _wrapped:
        _wrapped[fn] = lambda patients: {p.pk: list(fn(p)) for p in patients}
    register_bulk_provider(_wrapped[fn])


def build_timeline(evidence: Iterable[StepEvidence]) -> Timeline:
    """Pure: fold evidence into the eight steps."""
    done: dict[Step, datetime | None] = {}
    notes: dict[Step, list[str]] = {}
    for item in evidence:
        if item.note:
            notes.setdefault(item.step, []).append(item.note)
        if item.done:
            previous = done.get(item.step)
            done[item.step] = (
                item.when if previous is None else (min(previous, item.when) if item.when else previous)
            )
    steps: list[TimelineStep] = []
    current_found = False
    for step in Step:
        if step in done:
            state = StepState.DONE
        elif not current_found:
            state, current_found = StepState.CURRENT, True
        else:
            state = StepState.UPCOMING
        steps.append(TimelineStep(step=step, state=state, when=done.get(step), notes=notes.get(step, [])))
    return Timeline(steps=steps)


def patient_timelines(patients: Sequence) -> dict[int, Timeline]:
    """Timelines of many patients, by patient id, with each provider asked once for all of them."""
    evidence: dict[int, list[StepEvidence]] = {p.pk: [] for p in patients}
    if patients:
        for provider in _providers:
            for pk, items in provider(patients).items():
                evidence[pk].extend(items)
    return {pk: build_timeline(items) for pk, items in evidence.items()}


def patient_timeline(patient) -> Timeline:
    return patient_timelines([patient])[patient.pk]


def foundation_provider(patients: Sequence) -> dict[int, list[StepEvidence]]:
    """A patient record exists once an application was accepted or staff registered the patient."""
    return {
        p.pk: [StepEvidence(Step.APPLY, True, p.created_at), StepEvidence(Step.REVIEW, True, p.created_at)]
        for p in patients
    }
