"""QC results are judged by the specification; release only when every required result passes, signed."""

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from exoclinic.core.models import AuditEvent
from exoclinic.products import services
from exoclinic.products.models import Eligibility, LotStatus, QcResult
from tests.factories import PASSWORD

from .factories import PASSING_RESULTS, ProductLotFactory, make_units, typical_specifications

AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def lab(staff):
    return staff(Role.LAB)


@pytest.fixture
def lot(clinic):
    lot = ProductLotFactory(clinic=clinic, expires_on=dt.date(2027, 6, 1))
    make_units(lot, 2)
    return lot


@pytest.fixture
def specs(lot):
    return {s.code: s for s in typical_specifications(lot.product_type)}


def record_all(lab, lot, specs, **overrides):
    values = {**PASSING_RESULTS, **overrides}
    for code, value in values.items():
        if value is not None:
            services.qc_result_record(
                actor=lab, lot=lot, specification=specs[code], value=value, tested_at=AT
            )


def test_pass_or_fail_is_computed_from_the_specification(lab, lot, specs):
    passed = services.qc_result_record(
        actor=lab, lot=lot, specification=specs["endotoxin"], value="0.2", tested_at=AT
    )
    failed = services.qc_result_record(
        actor=lab,
        lot=lot,
        specification=specs["endotoxin"],
        value="0.7",
        tested_at=AT + dt.timedelta(hours=1),
    )
    assert (passed.passed, failed.passed) == (True, False)
    assert "does not meet < 0.5 EU/mL" in failed.reason
    assert failed.analyst == lab


def test_particle_count_is_judged_against_the_lots_label_claim(lab, lot, specs):
    # label claim 1E11 particles/mL; within 20 % passes, 30 % below fails
    ok = services.qc_result_record(
        actor=lab, lot=lot, specification=specs["particle_count"], value="0.85E11", tested_at=AT
    )
    low = services.qc_result_record(
        actor=lab, lot=lot, specification=specs["particle_count"], value="7E10", tested_at=AT
    )
    assert (ok.passed, low.passed) == (True, False)


def test_a_value_that_does_not_fit_the_test_is_refused_naming_the_field(lab, lot, specs):
    with pytest.raises(InvalidInput) as caught:
        services.qc_result_record(
            actor=lab, lot=lot, specification=specs["endotoxin"], value="low", tested_at=AT
        )
    assert caught.value.field == "value"
    assert not QcResult.objects.exists()


def test_lot_with_every_required_result_passing_is_released_by_the_named_lab_user(lab, lot, specs):
    record_all(lab, lot, specs, size_50_400=None)  # the optional test may be missing
    released = services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT)
    assert released.status == LotStatus.RELEASED
    assert (released.released_by, released.released_at) == (lab, AT)
    audit = AuditEvent.objects.get(action="lot.release")
    assert audit.actor == lab
    assert audit.detail["results"]["endotoxin"] == "< 0.1"


def test_release_is_refused_naming_the_missing_and_failed_tests(lab, lot, specs):
    record_all(lab, lot, specs, mycoplasma=None, sterility="growth")
    with pytest.raises(InvalidInput) as caught:
        services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT)
    assert caught.value.field == "qc"
    assert "missing results: Mycoplasma" in caught.value.message
    assert "Sterility: growth; required negative or no growth" in caught.value.message
    lot.refresh_from_db()
    assert lot.status == LotStatus.QUARANTINE


def test_a_repeated_test_counts_with_its_latest_result(lab, lot, specs):
    record_all(lab, lot, specs, endotoxin="0.9")
    services.qc_result_record(
        actor=lab, lot=lot, specification=specs["endotoxin"], value="0.3", tested_at=AT + dt.timedelta(days=1)
    )
    assert services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT).status == LotStatus.RELEASED


def test_release_needs_the_users_own_password(lab, lot, specs):
    record_all(lab, lot, specs)
    with pytest.raises(InvalidInput) as caught:
        services.lot_release(actor=lab, lot=lot, password="not-my-password", at=AT)
    assert caught.value.field == "password"
    lot.refresh_from_db()
    assert lot.status == LotStatus.QUARANTINE


def test_a_clinician_cannot_release_a_lot(staff, lab, lot, specs):
    record_all(lab, lot, specs)
    with pytest.raises(PermissionDenied):
        services.lot_release(actor=staff(Role.CLINICIAN), lot=lot, password=PASSWORD, at=AT)


def test_a_lot_from_a_source_not_recorded_eligible_is_not_released(lab, lot, specs):
    source = lot.collection.source
    source.eligibility = Eligibility.PENDING
    source.save()
    record_all(lab, lot, specs)
    with pytest.raises(InvalidInput, match="not recorded as eligible"):
        services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT)


def test_a_released_lot_is_not_released_again_and_takes_no_new_results(lab, lot, specs):
    record_all(lab, lot, specs)
    services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT)
    with pytest.raises(InvalidTransition):
        services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT)
    with pytest.raises(InvalidTransition):
        services.qc_result_record(
            actor=lab, lot=lot, specification=specs["endotoxin"], value="0.1", tested_at=AT
        )


def test_when_clinic_policy_requires_review_unreviewed_results_block_release(
    settings, staff, lab, lot, specs
):
    settings.EXOCLINIC_PRODUCTS = {"RELEASE_REQUIRES_REVIEW": True}
    record_all(lab, lot, specs)
    with pytest.raises(InvalidInput, match="not yet reviewed by a second person"):
        services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT)
    reviewer = staff(Role.LAB)
    for result in lot.qc_results.all():
        services.qc_result_review(actor=reviewer, result=result, at=AT)
    assert services.lot_release(actor=lab, lot=lot, password=PASSWORD, at=AT).status == LotStatus.RELEASED


def test_the_analyst_cannot_review_their_own_result(lab, lot, specs):
    result = services.qc_result_record(
        actor=lab, lot=lot, specification=specs["endotoxin"], value="0.1", tested_at=AT
    )
    with pytest.raises(InvalidInput, match="someone other than the analyst"):
        services.qc_result_review(actor=lab, result=result, at=AT)


def test_a_double_submitted_result_is_stored_once(lab, lot, specs):
    import uuid

    key = uuid.uuid4()
    for _ in range(2):
        services.qc_result_record(
            actor=lab,
            lot=lot,
            specification=specs["endotoxin"],
            value="0.1",
            tested_at=AT,
            submission_key=key,
        )
    assert lot.qc_results.count() == 1


def test_registering_a_lot_gives_a_checked_code_and_received_units(clinic, lab):
    from exoclinic.products import codes

    from .factories import CollectionFactory, ProductTypeFactory, StorageUnitFactory

    freezer = StorageUnitFactory(clinic=clinic)
    lot = services.lot_register(
        actor=lab,
        clinic=clinic,
        product_type=ProductTypeFactory(clinic=clinic),
        collection=CollectionFactory(clinic=clinic),
        manufactured_on=dt.date(2026, 11, 1),
        expires_on=dt.date(2027, 11, 1),
        volume_ml=1,
        particles_per_ml=10**11,
        unit_count=3,
        at=AT,
        storage_unit=freezer,
    )
    assert codes.is_valid(lot.code) and lot.code.startswith("CLI-2026-000001-")
    assert lot.status == LotStatus.QUARANTINE
    assert [u.code for u in lot.units.all()] == [f"{lot.code}/00{n}" for n in (1, 2, 3)]
    path = list(lot.units.first().custody_events.values_list("kind", flat=True))
    assert path == ["received", "stored"]
    assert AuditEvent.objects.filter(action="lot.register", record_id=str(lot.pk)).exists()
