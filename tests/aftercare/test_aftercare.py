import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.aftercare import selectors, services
from exoclinic.aftercare.models import CheckIn, MedicationWarning
from exoclinic.core import services as core_services
from exoclinic.core.errors import InvalidTransition, NotFound
from exoclinic.core.timeline import Step, StepState, patient_timeline
from tests.factories import UserFactory
from tests.products.factories import released_lot
from tests.treatment.factories import approved_plan_with_consent
from tests.treatment.helpers import record

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


def treat(patient, clinician, *, at, avoid_days=14):
    plan = approved_plan_with_consent(patient, clinician=clinician, anti_inflammatory_avoid_days=avoid_days)
    return record(plan, actor=clinician, lot=released_lot(clinic=patient.clinic), at=at)


def test_restrictions_follow_the_template_in_the_patients_zone(patient, clinician):
    patient.time_zone = "Europe/Madrid"
    patient.save()
    at = dt.datetime(2026, 3, 20, 10, 0, tzinfo=MADRID)
    procedure = treat(patient, clinician, at=timezone.now() - dt.timedelta(days=1))
    # Move the procedure to a known date across the spring clock change to check the stored windows.
    procedure.aftercare_plan.delete()
    procedure.performed_at = at
    procedure.save()
    plan = services.aftercare_plan_create(actor=clinician, procedure=procedure)
    ends = {r.kind: r.ends_at.astimezone(MADRID) for r in plan.restrictions.all()}
    assert ends["no_strenuous_activity"] == dt.datetime(2026, 3, 22, 10, 0, tzinfo=MADRID)
    assert ends["no_anti_inflammatory"] == dt.datetime(2026, 4, 3, 10, 0, tzinfo=MADRID)
    assert ends["no_cardio_exercise"] == dt.datetime(2026, 4, 17, 10, 0, tzinfo=MADRID)
    dues = [c.due_at.astimezone(MADRID).date() for c in plan.check_ins.all()]
    assert dues == [dt.date(2026, 3, 21), dt.date(2026, 3, 22), dt.date(2026, 3, 27), dt.date(2026, 4, 17)]


def test_portal_view_separates_what_is_in_force_from_what_has_ended(patient, clinician):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=3))
    view = selectors.aftercare_for_patient(patient)
    assert {r.kind for r in view.in_force} == {"no_anti_inflammatory", "no_cardio_exercise"}
    assert [r.kind for r in view.ended] == ["no_strenuous_activity"]
    assert [c.title for c in view.check_ins_open] == ["Check-in: day 1", "Check-in: day 2"]


def test_aftercare_step_is_done_when_the_last_restriction_has_ended(patient, clinician):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=3))
    step = next(s for s in patient_timeline(patient).steps if s.step == Step.AFTERCARE)
    assert step.state != StepState.DONE
    later = timezone.now() + dt.timedelta(days=40)
    evidence = selectors.timeline_evidence(patient, now=later)
    assert evidence[0].done and evidence[0].when <= later


def test_adding_an_anti_inflammatory_during_the_restriction_warns_patient_and_clinician(
    patient, patient_user, clinician, django_capture_on_commit_callbacks
):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        core_services.patient_medication_add(
            actor=patient_user, patient=patient, name="Ibuprofen 400", is_anti_inflammatory=True
        )
    warning = MedicationWarning.objects.get()
    assert warning.medication.name == "Ibuprofen 400"
    assert warning.restriction.kind == "no_anti_inflammatory"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([patient.email, clinician.email])
    assert "Ibuprofen 400" in mail.outbox[0].body
    assert [w.pk for w in selectors.warnings_open(user=clinician)] == [warning.pk]
    assert [w.pk for w in selectors.aftercare_for_patient(patient).warnings] == [warning.pk]


def test_no_warning_for_other_drugs_or_after_the_restriction_ended(
    patient, patient_user, clinician, django_capture_on_commit_callbacks
):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=20), avoid_days=14)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.patient_medication_add(
            actor=patient_user, patient=patient, name="Naproxen", is_anti_inflammatory=True
        )
        core_services.patient_medication_add(actor=patient_user, patient=patient, name="Baclofen")
    assert not MedicationWarning.objects.exists()


def test_a_clinician_acknowledges_the_warning_and_it_leaves_the_staff_list(
    patient, patient_user, clinician, django_capture_on_commit_callbacks
):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        core_services.patient_medication_add(
            actor=patient_user, patient=patient, name="Diclofenac gel", is_anti_inflammatory=True
        )
    warning = MedicationWarning.objects.get()
    services.medication_warning_acknowledge(actor=clinician, warning=warning, note="Called; stopped it")
    assert not selectors.warnings_open(user=clinician).exists()


def test_check_in_reminders_go_once_for_due_tasks(patient, clinician, django_capture_on_commit_callbacks):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=2, hours=1))
    mail.outbox.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_in_send_reminders(now=now) == 2
        assert services.check_in_send_reminders(now=now) == 0
    assert len(mail.outbox) == 2 and "check-in" in mail.outbox[0].body


def test_patient_completes_an_open_check_in_but_not_a_future_one(patient, patient_user, clinician):
    treat(patient, clinician, at=timezone.now() - dt.timedelta(days=1, hours=1))
    day1, day2, week1, _ = CheckIn.objects.order_by("due_at")
    done = services.check_in_complete(
        actor=patient_user, check_in=day1, feeling="same", note="Site a bit sore"
    )
    assert done.completed_at is not None and done.feeling == "same"
    with pytest.raises(InvalidTransition):
        services.check_in_complete(actor=patient_user, check_in=week1, feeling="same")
    with pytest.raises(NotFound):
        services.check_in_complete(actor=UserFactory(), check_in=day2, feeling="same")
