"""The treatment timeline is always true of the records: random record histories never make it show a later
step done while an earlier one is not, a step done with nothing recorded, or dates running backwards."""

import datetime as dt

from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from exoclinic.core.models import Patient
from exoclinic.core.timeline import Step, StepEvidence, StepState, Timeline, build_timeline, patient_timeline

STEPS = list(Step)
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@st.composite
def evidence(draw):
    step = draw(st.sampled_from(STEPS))
    when = draw(st.none() | st.integers(0, 900).map(lambda d: T0 + dt.timedelta(days=d)))
    done = draw(st.booleans())
    starts_course = step == Step.APPLY and done and draw(st.booleans())
    note = draw(st.sampled_from(["", "done note" if done else "open note"]))
    return StepEvidence(step, done, when, note, starts_course=starts_course)


def _courses(timeline: Timeline) -> list[Timeline]:
    return [timeline, *timeline.courses_before]


def _check(timeline: Timeline, items: list[StepEvidence]) -> None:
    states = [s.state for s in timeline.steps]
    # Done steps form a prefix; then at most one current step; the rest are still to come.
    first_open = next((i for i, s in enumerate(states) if s != StepState.DONE), len(states))
    assert all(s == StepState.DONE for s in states[:first_open])
    if first_open < len(states):
        assert states[first_open] == StepState.CURRENT
        assert all(s == StepState.UPCOMING for s in states[first_open + 1 :])
    dates = []
    for step in timeline.steps:
        if step.state != StepState.DONE:
            assert "done note" not in step.notes, f"{step.step} is not done but shows a record's done note"
            continue
        recorded = [e for e in items if e.step == step.step and e.done]
        assert recorded, f"{step.step} done with nothing recorded"
        if step.when is not None:
            assert step.when in {e.when for e in recorded}, "a date that no record has"
            dates.append(step.when)
            if timeline.started_at is not None:
                assert step.when >= timeline.started_at, "a record of an earlier course"
    assert dates == sorted(dates), "dates run backwards"


@settings(max_examples=2000)
@given(st.lists(evidence(), max_size=25))
def test_a_random_history_gives_a_timeline_that_is_true_of_its_records(items):
    timeline = build_timeline(items)
    for course in _courses(timeline):
        _check(course, items)


@settings(max_examples=500)
@given(st.lists(evidence(), max_size=25), st.integers(0, len(STEPS) - 1))
def test_removing_a_record_never_moves_the_current_step_forward(items, drop):
    """Evidence only ever moves the timeline forward: fewer records never show more steps done."""
    full = build_timeline(items)
    fewer = build_timeline([e for e in items if e.step != STEPS[drop]])
    done = lambda t: sum(s.state == StepState.DONE for s in t.steps)  # noqa: E731
    if full.started_at == fewer.started_at:
        assert done(fewer) <= done(full)


def _course(start_day: int, steps) -> list[StepEvidence]:
    at = lambda d: T0 + dt.timedelta(days=start_day + d)  # noqa: E731
    items = [StepEvidence(Step.APPLY, True, at(0), starts_course=True)]
    items += [StepEvidence(step, True, at(i + 1)) for i, step in enumerate(steps)]
    return items


def test_a_second_course_shows_the_first_as_finished_and_the_new_one_in_progress():
    first = _course(0, STEPS[1:])  # every step of the first course, follow-up included
    second = _course(400, [Step.REVIEW])  # a new application, accepted
    timeline = build_timeline(first + second)
    assert timeline.current.step == Step.CONSULTATION
    assert [s.state for s in timeline.steps[:2]] == [StepState.DONE, StepState.DONE]
    assert all(s.state == StepState.UPCOMING for s in timeline.steps[3:])
    (earlier,) = timeline.courses_before
    assert earlier.finished and earlier.current is None


def test_nothing_scheduled_is_not_done_and_a_consultation_before_the_application_is_an_earlier_course():
    items = [
        StepEvidence(Step.APPLY, True, T0 + dt.timedelta(days=30), starts_course=True),
        StepEvidence(Step.REVIEW, True, T0 + dt.timedelta(days=31)),
        StepEvidence(Step.CONSULTATION, True, T0),  # a month before the application
        StepEvidence(Step.FOLLOW_UP, True, T0 + dt.timedelta(days=32)),
    ]
    timeline = build_timeline(items)
    assert timeline.current.step == Step.CONSULTATION
    assert next(s for s in timeline.steps if s.step == Step.FOLLOW_UP).state == StepState.UPCOMING


def test_every_demo_patients_timeline_matches_their_records(db):
    from exoclinic.core.timeline import _providers

    call_command("seed_demo", quiet=True)
    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) >= 10
    for patient in patients:
        items = [e for provider in _providers for e in provider([patient]).get(patient.pk, [])]
        timeline = patient_timeline(patient)
        for course in _courses(timeline):
            _check(course, items)
    by_email = {p.email: patient_timeline(p) for p in patients}
    ana = by_email["patient@example.org"]
    assert ana.current.step == Step.PLAN_CONSENT, "applied, accepted, then consulted"
    assert ana.steps[0].when < ana.steps[2].when
    luis = by_email["patient2@example.org"]
    assert {s.step for s in luis.steps if s.state == StepState.DONE} >= {Step.CONSULTATION, Step.TREATMENT}
