"""Recording assessments and diary entries, and placing them on the follow-up schedule."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.outcomes import services
from exoclinic.outcomes.instruments import ScoringError
from exoclinic.outcomes.models import Assessment, DiaryEntry, FollowUpPoint
from tests.outcomes.factories import RATINGS, isncsci_items, scim_items

pytestmark = pytest.mark.django_db


def test_scim_assessment_is_scored_stored_and_audited(patient, staff):
    clinician = staff(Role.CLINICIAN)
    assessment = services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="scim3",
        items=scim_items(),
        taken_on=dt.date(2025, 1, 10),
    )
    assessment.refresh_from_db()
    assert assessment.values == {"total": 41, "self_care": 8, "respiration_sphincter": 22, "mobility": 11}
    assert assessment.items["bladder"] == 6
    assert assessment.follow_up_months is None  # no procedure yet: not on a schedule
    event = AuditEvent.objects.get(action="assessment.record")
    assert event.patient == patient and event.actor == clinician and event.detail["total"] == 41


def test_item_outside_its_range_is_refused_naming_the_item(patient, staff):
    clinician = staff(Role.CLINICIAN)
    with pytest.raises(ScoringError) as refused:
        services.assessment_record(
            actor=clinician,
            patient=patient,
            instrument="scim3",
            items=scim_items(bladder=7, feeding=9),
            taken_on=dt.date(2025, 1, 10),
        )
    assert refused.value.field in {"bladder", "feeding"}
    fields = {problem["field"] for problem in refused.value.as_dict()["errors"]}
    assert fields == {"bladder", "feeding"}
    assert "Bladder management takes 0, 3, 6, 9, 11, 13 or 15; got 7" in str(refused.value.as_dict())
    assert not Assessment.objects.exists()


def test_a_future_date_is_refused(patient, staff):
    with pytest.raises(InvalidInput) as refused:
        services.assessment_record(
            actor=staff(Role.CLINICIAN),
            patient=patient,
            instrument="pain",
            items={"average": 4},
            taken_on=dt.date.today() + dt.timedelta(days=3),
        )
    assert refused.value.field == "taken_on"


def test_same_source_ref_replaces_the_earlier_assessment(patient, staff):
    clinician = staff(Role.CLINICIAN)
    first = services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="isncsci",
        items=isncsci_items(),
        taken_on=dt.date(2025, 2, 1),
        source="exam",
        source_ref="exam-17",
    )
    corrected = services.assessment_record(
        actor=clinician,
        patient=patient,
        instrument="isncsci",
        items=isncsci_items(uems=32, total_motor=32),
        taken_on=dt.date(2025, 2, 1),
        source="exam",
        source_ref="exam-17",
    )
    assert corrected.pk == first.pk
    assert Assessment.objects.get().values["uems"] == 32
    assert AuditEvent.objects.filter(action="assessment.update").count() == 1


def test_coordinators_and_other_clinics_cannot_record_assessments(patient, staff, other_clinic):
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=staff(Role.COORDINATOR),
            patient=patient,
            instrument="pain",
            items={"average": 4},
            taken_on=dt.date(2025, 1, 1),
        )
    with pytest.raises(NotFound):
        services.assessment_record(
            actor=staff(Role.CLINICIAN, at=other_clinic),
            patient=patient,
            instrument="pain",
            items={"average": 4},
            taken_on=dt.date(2025, 1, 1),
        )


def test_second_diary_entry_in_a_week_updates_the_first(patient, patient_user):
    services.diary_entry_record(actor=patient_user, patient=patient, ratings=RATINGS, on=dt.date(2025, 3, 4))
    services.diary_entry_record(
        actor=patient_user, patient=patient, ratings={**RATINGS, "pain": 5}, on=dt.date(2025, 3, 7)
    )
    entry = DiaryEntry.objects.get()
    assert entry.week_start == dt.date(2025, 3, 3) and entry.pain == 5
    assert AuditEvent.objects.filter(action__startswith="diary_entry.").count() == 2


def test_diary_rating_out_of_range_is_refused_naming_the_indicator(patient, patient_user):
    with pytest.raises(InvalidInput) as refused:
        services.diary_entry_record(actor=patient_user, patient=patient, ratings={**RATINGS, "pain": 11})
    assert refused.value.field == "pain"
    assert not DiaryEntry.objects.exists()


def test_staff_cannot_write_a_patients_diary(patient, staff):
    with pytest.raises(NotFound):
        services.diary_entry_record(actor=staff(Role.CLINICIAN), patient=patient, ratings=RATINGS)


def test_schedule_from_first_procedure_places_assessments_on_points(patient, staff, settings):
    settings.EXOCLINIC_OUTCOMES = {"FOLLOW_UP_MONTHS": [1, 3, 6, 12]}
    clinician = staff(Role.CLINICIAN)

    def record(day, average):
        return services.assessment_record(
            actor=clinician, patient=patient, instrument="pain", items={"average": average}, taken_on=day
        )

    before = record(dt.date(2025, 1, 5), 7)
    three_months = record(dt.date(2025, 4, 14), 5)
    schedule = services.follow_up_schedule_sync(
        actor=clinician, patient=patient, first_procedure=dt.date(2025, 1, 10)
    )
    points = {p.months: p for p in schedule.points.all()}
    assert sorted(points) == [0, 1, 3, 6, 12]
    assert points[3].due_on == dt.date(2025, 4, 10) and points[12].due_on == dt.date(2026, 1, 10)
    before.refresh_from_db()
    three_months.refresh_from_db()
    assert (before.follow_up_months, three_months.follow_up_months) == (0, 3)
    assert points[0].completed_on == dt.date(2025, 1, 5)
    assert points[3].completed_on == dt.date(2025, 4, 14)
    assert points[1].completed_on is None

    far_from_any_point = record(dt.date(2025, 8, 25), 5)
    assert far_from_any_point.follow_up_months is None


def test_configured_points_replace_the_default(patient, staff, settings):
    settings.EXOCLINIC_OUTCOMES = {"FOLLOW_UP_MONTHS": [2, 24]}
    schedule = services.follow_up_schedule_sync(
        actor=None, patient=patient, first_procedure=dt.date(2025, 1, 10)
    )
    assert list(schedule.points.values_list("months", flat=True)) == [0, 2, 24]


def test_follow_up_reminder_goes_once_per_point(patient, mailoutbox, django_capture_on_commit_callbacks):
    services.follow_up_schedule_sync(actor=None, patient=patient, first_procedure=dt.date(2025, 1, 10))
    today = dt.date(2025, 4, 5)  # five days before the 3-month point
    with django_capture_on_commit_callbacks(execute=True):
        assert services.follow_up_reminders_send(today=today) == 1
        assert services.follow_up_reminders_send(today=today) == 0
    assert len(mailoutbox) == 1 and "3-month follow-up" in mailoutbox[0].body
    assert FollowUpPoint.objects.get(months=3).reminded_at is not None


def test_diary_reminder_skips_patients_who_already_wrote_this_week(
    patient, patient_user, mailoutbox, django_capture_on_commit_callbacks
):
    today = dt.date.today()
    services.diary_entry_record(
        actor=patient_user, patient=patient, ratings=RATINGS, on=today - dt.timedelta(days=7)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.diary_reminders_send(today=today) == 1
    assert "weekly progress diary" in mailoutbox[0].subject
    services.diary_entry_record(actor=patient_user, patient=patient, ratings=RATINGS, on=today)
    assert services.diary_reminders_send(today=today) == 0
