"""The treatment-process timeline (product.md): eight steps, the current one derived from records.

Apps feed it by registering a provider from their AppConfig.ready(); a provider returns evidence for the
steps its records prove, each with the time it happened. Nothing here is typed by hand, and what it shows
is always true of the records (``build_timeline``):
- only the current treatment course counts: it starts with the latest accepted application (evidence that
  ``starts_course``); records from before it belong to the earlier course, shown apart as ``earlier``;
- a step is done only with a record of it, and only when every step before it is done: a later step is
  never done while an earlier one is not. A dated record counts when it is not earlier than the step
  before it (dates run forward); an undated one (the patient record itself proves APPLY and REVIEW, but
  its creation time says nothing about when they happened, e.g. for records entered later) counts
  without a date;
- the current step is the first one that is not done; every step after it is still to come;
- a step that is not done carries only the notes of what is still open, never a record's "done" note.

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
    # True for the record that opens a treatment course (an accepted application): the course starts then.
    starts_course: bool = False


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
    # The course before this one (from its records), when the patient came back for a new course.
    earlier: Timeline | None = None
    started_at: datetime | None = None

    @property
    def current(self) -> TimelineStep | None:
        return next((s for s in self.steps if s.state == StepState.CURRENT), None)

    @property
    def finished(self) -> bool:
        return all(s.state == StepState.DONE for s in self.steps)

    @property
    def courses_before(self) -> list[Timeline]:
        """Earlier courses, the most recent first."""
        found: list[Timeline] = []
        course = self.earlier
        while course is not None:
            found.append(course)
            course = course.earlier
        return found


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
    """Pure: fold the evidence of one patient into the eight steps of their current course (module doc)."""
    items = list(evidence)
    starts = [e.when for e in items if e.starts_course and e.done and e.when is not None]
    course_start = max(starts) if starts else None
    if course_start is None:
        current, before = items, []
    else:
        before = [e for e in items if e.when is not None and e.when < course_start]
        current = [e for e in items if e.when is None or e.when >= course_start]
    steps: list[TimelineStep] = []
    previous: datetime | None = None
    open_from: int | None = None  # index of the first step that is not done
    for index, step in enumerate(Step):
        own = [e for e in current if e.step == step]
        when = None
        done = False
        if open_from is None:
            dated = [e.when for e in own if e.done and e.when is not None]
            in_order = [w for w in dated if previous is None or w >= previous]
            when = min(in_order) if in_order else None
            done = when is not None or any(e.done and e.when is None for e in own)
        # A step that is not done shows only what is still open ("3 precautions to confirm"), never the note
        # of a record that would have done it ("every follow-up assessment is done").
        notes = [e.note for e in own if e.note and (done or not e.done)]
        if done:
            state = StepState.DONE
            previous = when or previous
        elif open_from is None:
            state, open_from = StepState.CURRENT, index
        else:
            state = StepState.UPCOMING
        steps.append(TimelineStep(step=step, state=state, when=when, notes=notes))
    earlier = build_timeline(before) if before else None
    return Timeline(steps=steps, earlier=earlier, started_at=course_start)


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
    """A patient record exists once an application was accepted or staff registered the patient. Undated:
    the record's creation time is not when the patient applied (a clinic may enter its records later)."""
    return {p.pk: [StepEvidence(Step.APPLY, True), StepEvidence(Step.REVIEW, True)] for p in patients}
