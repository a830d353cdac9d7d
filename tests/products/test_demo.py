"""The demo products load through the services and can be loaded twice."""

from exoclinic.core import demo as core_demo
from exoclinic.core.models import AuditEvent
from exoclinic.products import demo
from exoclinic.products.models import LotStatus, ProductLot, TemperatureReading


def test_demo_has_a_released_lot_with_units_and_a_quarantined_lot_failing_endotoxin(db):
    ctx = core_demo.seed()
    demo.seed(ctx)
    demo.seed(ctx)  # idempotent

    lots = {lot.status: lot for lot in ProductLot.objects.filter(clinic=ctx.clinic)}
    assert set(lots) == {LotStatus.RELEASED, LotStatus.QUARANTINE}
    assert lots[LotStatus.RELEASED].units.filter(status="available").count() == 6
    assert lots[LotStatus.RELEASED].released_by == ctx.users["lab"]
    failing = lots[LotStatus.QUARANTINE].qc_results.get(passed=False)
    assert failing.specification.code == "endotoxin"
    assert TemperatureReading.objects.count() == 14
    assert AuditEvent.objects.filter(action="lot.release").count() == 1
