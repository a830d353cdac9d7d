import datetime as dt
import uuid

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.aftercare.models import AftercarePlan
from exoclinic.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.core.timeline import Step, StepState, patient_timeline
from exoclinic.products.models import CustodyEvent, LotStatus, UnitStatus
from exoclinic.treatment import selectors, services
from exoclinic.treatment.models import Procedure
from tests.products.factories import ProductLotFactory, make_units, released_lot
from tests.treatment.factories import approved_plan_with_consent, plan_for
from tests.treatment.helpers import record


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


@pytest.fixture
def ready_plan(patient, clinician):
    return approved_plan_with_consent(patient, clinician=clinician)


def test_recording_a_procedure_gives_one_unit_and_starts_aftercare(ready_plan, clinician, patient, clinic):
    lot = released_lot(clinic=clinic, units=2)
    procedure = record(ready_plan, actor=clinician, lot=lot)
    assert procedure.lot == lot and procedure.unit.status == UnitStatus.ADMINISTERED
    assert lot.units.filter(status=UnitStatus.AVAILABLE).count() == 1
    kinds = list(
        CustodyEvent.objects.filter(unit=procedure.unit).order_by("id").values_list("kind", "patient_id")
    )
    assert kinds[-2:] == [("dispensed", None), ("administered", patient.pk)]
    aftercare = AftercarePlan.objects.get(procedure=procedure)
    assert aftercare.restrictions.count() == 3 and aftercare.check_ins.count() == 4
    assert AuditEvent.objects.filter(action="procedure.record", record_id=str(procedure.pk)).exists()
    assert procedure.identity_check == "full name + date of birth"


def test_timeline_treatment_is_done_at_the_first_procedure(clinician, clinic, patient):
    from tests.treatment.factories import approved_plan_with_consent, consulted

    consulted(patient, at=timezone.now() - dt.timedelta(days=60))
    ready_plan = approved_plan_with_consent(
        patient, clinician=clinician, at=timezone.now() - dt.timedelta(days=50)
    )
    ready_plan.planned_sessions = 2
    ready_plan.session_interval_days = 30
    ready_plan.save()
    lot = released_lot(clinic=clinic, units=2)
    first_at = timezone.now() - dt.timedelta(days=40)
    record(ready_plan, actor=clinician, lot=lot, at=first_at)
    record(ready_plan, actor=clinician, lot=lot, at=timezone.now() - dt.timedelta(days=5))
    step = next(s for s in patient_timeline(patient).steps if s.step == Step.TREATMENT)
    assert step.state == StepState.DONE and step.when == first_at
    facts = selectors.cohort_treatment_facts([patient.pk])[patient.pk]
    assert facts == {"therapies": {"exosome"}, "lot_codes": {lot.code}, "first_procedure_at": first_at}


def test_an_unreleased_lot_is_refused_with_the_reason_and_nothing_is_given(ready_plan, clinician, clinic):
    lot = ProductLotFactory(clinic=clinic, status=LotStatus.QUARANTINE)
    make_units(lot, 1)
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=lot)
    assert exc.value.field == "lot_code" and "quarantine" in exc.value.message
    assert Procedure.objects.count() == 0 and not AftercarePlan.objects.exists()
    assert lot.units.get().status == UnitStatus.AVAILABLE


@pytest.mark.parametrize("status, words", [(LotStatus.RECALLED, "recalled"), (LotStatus.EXPIRED, "expired")])
def test_recalled_and_expired_lots_are_refused(ready_plan, clinician, clinic, status, words):
    lot = ProductLotFactory(
        clinic=clinic, status=status, expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    make_units(lot, 1)
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=lot)
    assert words in exc.value.message


def test_a_mistyped_lot_code_is_refused_by_its_check_character(ready_plan, clinician, clinic):
    lot = released_lot(clinic=clinic)
    wrong_check = lot.code[:-1] + ("A" if lot.code[-1] != "A" else "B")
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=wrong_check)
    assert exc.value.field == "lot_code"


def test_a_lot_of_another_clinic_is_refused(ready_plan, clinician, other_clinic):
    lot = released_lot(clinic=other_clinic)
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=lot)
    assert exc.value.field == "lot_code"


def test_no_procedure_without_an_approved_plan(patient, clinician, clinic):
    plan = plan_for(patient, clinician=clinician)
    with pytest.raises(InvalidTransition) as exc:
        record(plan, actor=clinician, lot=released_lot(clinic=clinic))
    assert exc.value.field == "plan"


def test_no_procedure_without_consent(patient, clinician, clinic):
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    lot = released_lot(clinic=clinic, units=1)
    with pytest.raises(InvalidTransition) as exc:
        record(plan, actor=clinician, lot=lot)
    assert exc.value.field == "consent"
    assert lot.units.get().status == UnitStatus.AVAILABLE


def test_no_procedure_while_a_precaution_is_unconfirmed(patient, clinician, clinic):
    plan = approved_plan_with_consent(patient, clinician=clinician)
    services.plan_cancel(actor=clinician, plan=plan, reason="replaced")
    plan = approved_plan_with_consent(patient, clinician=clinician, active_infection="unknown")
    item = plan.checklist.get()
    item.confirmed_at = None
    item.confirmed_by = None
    item.save()
    with pytest.raises(InvalidTransition) as exc:
        record(plan, actor=clinician, lot=released_lot(clinic=clinic))
    assert exc.value.field == "checklist"


def test_identity_must_match_on_both_identifiers(ready_plan, clinician, clinic, patient):
    lot = released_lot(clinic=clinic)
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=lot, identity_full_name="Someone Else")
    assert exc.value.field == "identity_full_name"
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=lot, identity_date_of_birth=dt.date(1900, 1, 1))
    assert exc.value.field == "identity_date_of_birth"
    typed = f"  {patient.first_name.upper()}   {patient.last_name.lower()} "
    assert record(ready_plan, actor=clinician, lot=lot, identity_full_name=typed).pk


def test_implausible_vitals_are_refused_naming_the_field(ready_plan, clinician, clinic):
    with pytest.raises(InvalidInput) as exc:
        record(
            ready_plan,
            actor=clinician,
            lot=released_lot(clinic=clinic),
            vitals_after={"systolic": 1100, "diastolic": 70, "heart_rate": 70},
        )
    assert exc.value.field == "after_systolic"


def test_a_double_submit_records_one_procedure_and_gives_one_unit(ready_plan, clinician, clinic):
    lot = released_lot(clinic=clinic, units=3)
    key = uuid.uuid4()
    first = record(ready_plan, actor=clinician, lot=lot, submission_key=key)
    second = record(ready_plan, actor=clinician, lot=lot, submission_key=key)
    assert first.pk == second.pk
    assert lot.units.filter(status=UnitStatus.ADMINISTERED).count() == 1


def test_no_more_sessions_than_planned(ready_plan, clinician, clinic):
    lot = released_lot(clinic=clinic, units=3)
    record(ready_plan, actor=clinician, lot=lot)
    with pytest.raises(InvalidTransition):
        record(ready_plan, actor=clinician, lot=lot)


def test_a_coordinator_cannot_record_a_procedure(ready_plan, staff, clinic):
    with pytest.raises(PermissionDenied):
        record(ready_plan, actor=staff(Role.COORDINATOR), lot=released_lot(clinic=clinic))


def test_a_procedure_links_to_the_patients_treatment_session_and_refuses_anothers(
    ready_plan, clinician, clinic, patient
):
    from exoclinic.scheduling.models import AppointmentKind
    from tests.factories import PatientFactory
    from tests.scheduling.factories import AppointmentFactory, AppointmentTypeFactory

    session = AppointmentTypeFactory(clinic=clinic, kind=AppointmentKind.TREATMENT, name="Treatment session")
    own = AppointmentFactory(
        patient=patient, appointment_type=session, start=timezone.now() - dt.timedelta(hours=1)
    )
    other = AppointmentFactory(patient=PatientFactory(clinic=clinic), appointment_type=session)
    lot = released_lot(clinic=clinic, units=2)
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=lot, appointment=other)
    assert exc.value.field == "appointment"
    assert record(ready_plan, actor=clinician, lot=lot, appointment=own).appointment == own


@pytest.mark.parametrize("status", ["held", "requested", "cancelled", "no_show", "expired"])
def test_a_procedure_cannot_link_to_a_visit_that_did_not_take_place(
    ready_plan, clinician, clinic, patient, status
):
    """The same rule as for exams (scheduling.models.visit_took_place): a hold or a request is no visit."""
    from exoclinic.exams.services import _check_appointment
    from exoclinic.scheduling.models import AppointmentKind
    from tests.scheduling.factories import AppointmentFactory, AppointmentTypeFactory

    session = AppointmentTypeFactory(clinic=clinic, kind=AppointmentKind.TREATMENT, name="Treatment session")
    start = timezone.now() - dt.timedelta(hours=1)
    hold = {"hold_expires_at": start} if status == "held" else {}
    visit = AppointmentFactory(patient=patient, appointment_type=session, start=start, status=status, **hold)
    with pytest.raises(InvalidInput) as exc:
        record(ready_plan, actor=clinician, lot=released_lot(clinic=clinic), appointment=visit)
    assert exc.value.field == "appointment"
    with pytest.raises(InvalidInput):
        _check_appointment(visit, patient)
