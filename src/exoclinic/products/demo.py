"""Demo products: a cell-bank source, a collection, a released lot with units, a lot in quarantine with a
failing endotoxin result, and a freezer with a week of readings. Written through the services, so the
audit trail shows each step; fixed keys make it idempotent."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from .models import (
    Collection,
    Eligibility,
    LotStatus,
    ProductLot,
    ProductType,
    QcSpecification,
    Source,
    SourceKind,
    StorageUnit,
)
from .qc import typical_release_specs
from .services import (
    collection_register,
    lot_register,
    lot_release,
    qc_result_record,
    source_eligibility_decide,
    source_test_add,
    temperature_reading_record,
)

_RELEASED_KEY = uuid.UUID("5a0d7c4e-1f0b-4c1e-8d55-000000000007")
_QUARANTINE_KEY = uuid.UUID("5a0d7c4e-1f0b-4c1e-8d55-000000000008")
PASSING = {
    "sterility": "negative",
    "endotoxin": "< 0.1",
    "mycoplasma": "not detected",
    "size_peak": "118",
    "particle_count": "1.04E11",
    "identity_cd63": "present",
    "size_50_400": "94",
}


def _product_type(clinic) -> ProductType:
    product_type, _ = ProductType.objects.get_or_create(
        clinic=clinic,
        name="UC-MSC exosomes, 1 mL",
        defaults={"description": "Exosomes from umbilical-cord mesenchymal stromal cell conditioned medium."},
    )
    for order, spec in enumerate(typical_release_specs()):
        QcSpecification.objects.get_or_create(
            product_type=product_type,
            code=spec.code,
            defaults={
                "name": spec.name,
                "method": spec.method,
                "unit": spec.unit,
                "kind": spec.kind.value,
                "limit": spec.limit,
                "low": spec.low,
                "high": spec.high,
                "percent": spec.percent,
                "accepted": ", ".join(spec.accepted),
                "required": spec.required,
                "order": order,
            },
        )
    return product_type


def _source_and_collection(clinic, lab, now) -> Collection:
    source, created = Source.objects.get_or_create(
        clinic=clinic,
        identifier="MCB-UC-001",
        defaults={"kind": SourceKind.CELL_BANK, "description": "Master cell bank, umbilical-cord MSC"},
    )
    if created:
        tested_on = (now - dt.timedelta(days=60)).date()
        for name in ("HIV-1/2", "Hepatitis B", "Hepatitis C", "Mycoplasma", "Sterility"):
            source_test_add(
                actor=lab, source=source, name=name, result="negative", acceptable=True, tested_on=tested_on
            )
    if source.eligibility != Eligibility.ELIGIBLE:
        source_eligibility_decide(
            actor=lab,
            source=source,
            eligibility=Eligibility.ELIGIBLE,
            note="All screening tests negative.",
            at=now,
        )
    collection = Collection.objects.filter(clinic=clinic, reference="COL-2026-001").first()
    return collection or collection_register(
        actor=lab,
        source=source,
        reference="COL-2026-001",
        collected_at=now - dt.timedelta(days=40),
        description="Conditioned medium, passage 4",
    )


def _freezer(clinic, lab, now) -> StorageUnit:
    freezer, _ = StorageUnit.objects.get_or_create(
        clinic=clinic,
        name="Freezer A (-80 °C)",
        defaults={"location": "Lab room 1", "min_celsius": Decimal("-90"), "max_celsius": Decimal("-70")},
    )
    if not freezer.readings.exists():
        start = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=7)
        for n in range(14):  # twice a day for a week, all within limits
            celsius = Decimal("-80.0") + Decimal(n % 3) / 2
            temperature_reading_record(
                actor=lab,
                storage_unit=freezer,
                measured_at=start + dt.timedelta(hours=12 * n),
                celsius=celsius,
                now=now,
            )
    return freezer


def seed(ctx) -> None:
    clinic, lab, now = ctx.clinic, ctx.users["lab"], ctx.now
    product_type = _product_type(clinic)
    collection = _source_and_collection(clinic, lab, now)
    freezer = _freezer(clinic, lab, now)
    specs = {s.code: s for s in product_type.qc_specifications.all()}
    today = now.astimezone(clinic.tz).date()

    released = ProductLot.objects.filter(submission_key=_RELEASED_KEY).first()
    if released is None:
        released = lot_register(
            actor=lab,
            clinic=clinic,
            product_type=product_type,
            collection=collection,
            manufactured_on=today - dt.timedelta(days=30),
            expires_on=today + dt.timedelta(days=335),
            volume_ml=Decimal("1.0"),
            particles_per_ml=Decimal("100000000000"),
            protein_ug_per_ml=Decimal("45"),
            unit_count=6,
            storage_unit=freezer,
            at=now - dt.timedelta(days=30),
            submission_key=_RELEASED_KEY,
        )
    if released.status == LotStatus.QUARANTINE:
        for code, value in PASSING.items():
            if not released.qc_results.filter(specification=specs[code]).exists():
                qc_result_record(
                    actor=lab,
                    lot=released,
                    specification=specs[code],
                    value=value,
                    tested_at=now - dt.timedelta(days=25),
                )
        lot_release(actor=lab, lot=released, password=ctx.password, at=now - dt.timedelta(days=24))

    quarantined = ProductLot.objects.filter(submission_key=_QUARANTINE_KEY).first()
    if quarantined is None:
        quarantined = lot_register(
            actor=lab,
            clinic=clinic,
            product_type=product_type,
            collection=collection,
            manufactured_on=today - dt.timedelta(days=5),
            expires_on=today + dt.timedelta(days=360),
            volume_ml=Decimal("1.0"),
            particles_per_ml=Decimal("100000000000"),
            protein_ug_per_ml=Decimal("52"),
            unit_count=4,
            storage_unit=freezer,
            at=now - dt.timedelta(days=5),
            submission_key=_QUARANTINE_KEY,
        )
        for code, value in (("sterility", "negative"), ("endotoxin", "0.72"), ("size_peak", "131")):
            qc_result_record(
                actor=lab,
                lot=quarantined,
                specification=specs[code],
                value=value,
                tested_at=now - dt.timedelta(days=2),
            )
