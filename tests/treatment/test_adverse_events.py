import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput, InvalidTransition
from exoclinic.core.models import AuditEvent
from exoclinic.treatment import selectors, services
from exoclinic.treatment.models import AdverseEvent, AdverseEventStatus
from tests.products.factories import released_lot
from tests.treatment.factories import approved_plan_with_consent
from tests.treatment.helpers import record


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


@pytest.fixture
def procedure(patient, clinician, clinic):
    plan = approved_plan_with_consent(patient, clinician=clinician)
    return record(
        plan, actor=clinician, lot=released_lot(clinic=clinic), at=timezone.now() - dt.timedelta(days=3)
    )


def assessment(**overrides):
    data = {
        "ctcae_grade": 1,
        "relatedness": "possible",
        "outcome": "recovering",
        "onset_at": timezone.now() - dt.timedelta(days=1),
        "description": "Redness and local pain at the injection site",
    }
    data.update(overrides)
    return data


def test_staff_record_an_event_and_it_takes_the_lot_of_the_procedure_before_onset(
    patient, clinician, procedure
):
    event = services.adverse_event_record(actor=clinician, patient=patient, **assessment())
    assert (
        event.procedure == procedure and event.lot == procedure.lot and event.lot_code == procedure.lot_code
    )
    assert event.status == AdverseEventStatus.RECORDED and event.report_due_at is None
    assert AuditEvent.objects.filter(action="adverse_event.record", record_id=str(event.pk)).exists()


def test_a_serious_event_starts_a_15_day_reporting_clock(patient, clinician, procedure):
    now = timezone.now()
    event = services.adverse_event_record(
        actor=clinician,
        patient=patient,
        now=now,
        **assessment(ctcae_grade=3, seriousness_criteria=["hospitalisation"]),
    )
    assert event.report_due_at == now + dt.timedelta(days=15)
    assert event.days_left(now + dt.timedelta(days=1)) == 14
    assert event.days_left(now + dt.timedelta(days=16)) == -1
    assert [e.pk for e in selectors.serious_clocks_open(user=clinician)] == [event.pk]
    services.adverse_event_mark_reported(actor=clinician, event=event, reference="MW-123")
    assert not selectors.serious_clocks_open(user=clinician).exists()


def test_grade_4_is_serious_as_life_threatening_and_cannot_be_called_not_serious(
    patient, clinician, procedure
):
    event = services.adverse_event_record(actor=clinician, patient=patient, **assessment(ctcae_grade=4))
    assert event.serious and event.seriousness_criteria == ["life_threatening"]
    assert event.report_due_at is not None
    with pytest.raises(InvalidInput) as exc:
        services.adverse_event_record(
            actor=clinician, patient=patient, **assessment(ctcae_grade=4, serious=False)
        )
    assert exc.value.field == "serious"


@pytest.mark.parametrize(
    "field, value",
    [("ctcae_grade", 6), ("ctcae_grade", None), ("relatedness", "maybe"), ("description", " ")],
)
def test_bad_assessments_are_refused_naming_the_field(patient, clinician, procedure, field, value):
    with pytest.raises(InvalidInput) as exc:
        services.adverse_event_record(actor=clinician, patient=patient, **assessment(**{field: value}))
    assert exc.value.field == field


def test_an_unknown_lot_code_is_refused(patient, clinician, procedure):
    with pytest.raises(InvalidInput) as exc:
        services.adverse_event_record(
            actor=clinician, patient=patient, lot_code="ZZZ-2026-000999-A", **assessment()
        )
    assert exc.value.field == "lot_code"


def test_a_double_submit_records_one_event(patient, clinician, procedure):
    key = uuid.uuid4()
    first = services.adverse_event_record(
        actor=clinician, patient=patient, submission_key=key, **assessment()
    )
    second = services.adverse_event_record(
        actor=clinician, patient=patient, submission_key=key, **assessment()
    )
    assert first.pk == second.pk and AdverseEvent.objects.count() == 1


@pytest.fixture
def huey_in_memory():
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    HUEY.storage.flush_all()
    yield HUEY
    HUEY.immediate = False


def test_a_triaged_symptom_report_after_a_procedure_waits_for_staff_review_then_is_graded(
    patient, patient_user, clinician, procedure, huey_in_memory, django_capture_on_commit_callbacks
):
    from exoclinic.triage.services import symptom_report_submit
    from tests.triage.factories import answers

    with django_capture_on_commit_callbacks(execute=True):
        report = symptom_report_submit(actor=patient_user, patient=patient, answers=answers())
    event = AdverseEvent.objects.get()
    assert event.status == AdverseEventStatus.NEEDS_REVIEW and event.lot_code == procedure.lot_code
    assert event.source_record == f"triage.symptomreport:{report.pk}"
    assert [e.pk for e in selectors.patient_reports_to_review(user=clinician)] == [event.pk]
    reviewed = services.adverse_event_assess(
        actor=clinician, event=event, ctcae_grade=1, relatedness="possible"
    )
    assert reviewed.status == AdverseEventStatus.RECORDED
    assert not selectors.patient_reports_to_review(user=clinician).exists()


def test_a_symptom_report_without_a_procedure_before_records_no_event(
    patient, patient_user, huey_in_memory, django_capture_on_commit_callbacks
):
    from exoclinic.triage.services import symptom_report_submit
    from tests.triage.factories import answers

    with django_capture_on_commit_callbacks(execute=True):
        symptom_report_submit(actor=patient_user, patient=patient, answers=answers())
    assert not AdverseEvent.objects.exists()


def test_symptom_hook_records_a_patient_report_once_only_after_a_procedure(patient, procedure):
    report = SimpleNamespace(
        patient=patient,
        created_at=timezone.now(),
        outcome_level="urgent",
        summary="Fever 38.2 and stiff neck",
        pk=41,
        _meta=SimpleNamespace(label_lower="triage.symptomreport"),
    )
    event = services.on_symptom_reported(report)
    assert event.status == AdverseEventStatus.NEEDS_REVIEW and "stiff neck" in event.description
    assert services.on_symptom_reported(report).pk == event.pk
    before = SimpleNamespace(
        **{**vars(report), "created_at": procedure.performed_at - dt.timedelta(days=1), "pk": 42}
    )
    assert services.on_symptom_reported(before) is None


def test_a_serious_event_cannot_be_downgraded_once_its_clock_runs(patient, clinician, procedure):
    event = services.adverse_event_record(
        actor=clinician,
        patient=patient,
        **assessment(ctcae_grade=3, seriousness_criteria=["hospitalisation"]),
    )
    with pytest.raises(InvalidTransition):
        services.adverse_event_assess(actor=clinician, event=event, serious=False)


def test_report_filters_by_lot_and_period_and_lab_staff_see_none(patient, clinician, procedure, staff):
    old = services.adverse_event_record(
        actor=clinician, patient=patient, **assessment(onset_at=timezone.now() - dt.timedelta(days=2))
    )
    services.adverse_event_record(
        actor=clinician, patient=patient, **assessment(onset_at=timezone.now() - dt.timedelta(hours=2))
    )
    since = timezone.now() - dt.timedelta(days=1)
    assert selectors.adverse_events_for_report(user=clinician, lot_code=procedure.lot_code).count() == 2
    assert selectors.adverse_events_for_report(user=clinician, lot_code="OTHER").count() == 0
    assert old not in selectors.adverse_events_for_report(user=clinician, since=since)
    assert selectors.adverse_events_for_report(user=staff(Role.LAB)).count() == 0
