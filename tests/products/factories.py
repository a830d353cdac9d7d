"""Factories for product records. For the treatment app's tests: ``released_lot(clinic=..., units=3)``
gives a lot that ``lot_check_usable`` accepts; ``ProductLotFactory(status=LotStatus.QUARANTINE)`` one it
refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from exoclinic.products import codes
from exoclinic.products.models import (
    Collection,
    CustodyEvent,
    CustodyKind,
    Eligibility,
    LotStatus,
    ProductLot,
    ProductType,
    ProductUnit,
    QcSpecification,
    Source,
    SourceKind,
    StorageUnit,
)
from exoclinic.products.qc import typical_release_specs
from tests.factories import ClinicFactory, UserFactory


class ProductTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductType

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"MSC exosomes {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    clinic = factory.SubFactory(ClinicFactory)
    kind = SourceKind.CELL_BANK
    identifier = factory.Sequence(lambda n: f"MCB-{n:04d}")
    eligibility = Eligibility.ELIGIBLE
    eligibility_decided_at = factory.LazyFunction(timezone.now)


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    clinic = factory.SubFactory(ClinicFactory)
    source = factory.SubFactory(SourceFactory, clinic=factory.SelfAttribute("..clinic"))
    reference = factory.Sequence(lambda n: f"COL-{n:05d}")
    collected_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    recorded_by = factory.SubFactory(UserFactory)


class ProductLotFactory(factory.django.DjangoModelFactory):
    """A lot in quarantine by default; ``status=LotStatus.RELEASED`` signs the release for you."""

    class Meta:
        model = ProductLot

    clinic = factory.SubFactory(ClinicFactory)
    code = factory.Sequence(lambda n: codes.make_code("TST", n + 1, year=2026))
    product_type = factory.SubFactory(ProductTypeFactory, clinic=factory.SelfAttribute("..clinic"))
    collection = factory.SubFactory(CollectionFactory, clinic=factory.SelfAttribute("..clinic"))
    status = LotStatus.QUARANTINE
    manufactured_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    volume_ml = Decimal("1.000")
    particles_per_ml = Decimal("100000000000")
    protein_ug_per_ml = Decimal("50.000")
    created_by = factory.SubFactory(UserFactory)
    released_by = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == LotStatus.RELEASED),
        yes_declaration=factory.SubFactory(UserFactory),
        no_declaration=None,
    )
    released_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == LotStatus.RELEASED),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )


class ProductUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductUnit

    lot = factory.SubFactory(ProductLotFactory)
    sequence = factory.Sequence(lambda n: n + 1)


class StorageUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StorageUnit

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Freezer {n}")
    location = "Lab room 1"
    min_celsius = Decimal("-90")
    max_celsius = Decimal("-70")


def make_units(lot: ProductLot, count: int, *, storage_unit: StorageUnit | None = None) -> list[ProductUnit]:
    """``count`` available units of the lot, each received (and stored) as ``lot_register`` would."""
    start = (lot.units.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    units = []
    for n in range(start, start + count):
        unit = ProductUnit.objects.create(lot=lot, sequence=n, storage_unit=storage_unit)
        now = timezone.now()
        CustodyEvent.objects.create(
            unit=unit, kind=CustodyKind.RECEIVED, occurred_at=now, actor=lot.created_by
        )
        if storage_unit is not None:
            CustodyEvent.objects.create(
                unit=unit,
                kind=CustodyKind.STORED,
                occurred_at=now,
                actor=lot.created_by,
                storage_unit=storage_unit,
            )
        units.append(unit)
    return units


def released_lot(*, clinic=None, units: int = 3, storage_unit=None, **kwargs) -> ProductLot:
    """A released, in-date lot with ``units`` available units: what a procedure may use."""
    lot = ProductLotFactory(clinic=clinic or ClinicFactory(), status=LotStatus.RELEASED, **kwargs)
    make_units(lot, units, storage_unit=storage_unit)
    return lot


def typical_specifications(product_type: ProductType) -> list[QcSpecification]:
    """The product type's QC specifications, from ``qc.typical_release_specs()``."""
    out = []
    for order, spec in enumerate(typical_release_specs()):
        out.append(
            QcSpecification.objects.create(
                product_type=product_type,
                code=spec.code,
                name=spec.name,
                method=spec.method,
                unit=spec.unit,
                kind=spec.kind.value,
                limit=spec.limit,
                low=spec.low,
                high=spec.high,
                percent=spec.percent,
                accepted=", ".join(spec.accepted),
                required=spec.required,
                order=order,
            )
        )
    return out


# Values that pass every typical specification (particle count matches the factory's label claim).
PASSING_RESULTS = {
    "sterility": "negative",
    "endotoxin": "< 0.1",
    "mycoplasma": "not detected",
    "size_peak": "120",
    "particle_count": "1.05E11",
    "identity_cd63": "present",
    "size_50_400": "95",
}
