"""Products API: lots, QC results, release, recipients and recalls, under the access policy (lab staff
see products and, for recall, who received a lot; never clinical notes)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import Clinic
from exoclinic.core.policy import scope_to_clinics
from exoclinic.core.schemas import ErrorOut

from . import selectors, services
from .models import (
    Collection,
    ProductLot,
    ProductType,
    QcResult,
    Recall,
    RecallNotification,
    StorageUnit,
    UnitStatus,
)
from .schemas import (
    DeviationIn,
    DeviationOut,
    DeviationReportedIn,
    LotIn,
    LotOut,
    NotificationIn,
    NotificationOut,
    QcResultIn,
    QcResultOut,
    RecallIn,
    RecallOut,
    RecipientOut,
    ReleaseIn,
    ReleaseStatusOut,
)
from .services._common import LAB_ROLES

router = Router(tags=["products"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user_name(user) -> str | None:
    return None if user is None else (user.full_name or user.email)


def _lot_out(lot: ProductLot) -> dict:
    counts = lot.units.aggregate(
        total=Count("pk"), available=Count("pk", filter=Q(status=UnitStatus.AVAILABLE))
    )
    return {
        "id": lot.pk,
        "clinic_id": lot.clinic_id,
        "code": lot.code,
        "status": lot.status,
        "product_type_id": lot.product_type_id,
        "product_type": lot.product_type.name,
        "collection_id": lot.collection_id,
        "collection_reference": lot.collection.reference,
        "source_identifier": lot.collection.source.identifier,
        "manufactured_on": lot.manufactured_on,
        "expires_on": lot.expires_on,
        "volume_ml": float(lot.volume_ml),
        "particles_per_ml": float(lot.particles_per_ml),
        "protein_ug_per_ml": None if lot.protein_ug_per_ml is None else float(lot.protein_ug_per_ml),
        "units_available": counts["available"],
        "units_total": counts["total"],
        "released_by": _user_name(lot.released_by),
        "released_at": lot.released_at,
    }


def _result_out(result: QcResult) -> dict:
    return {
        "id": result.pk,
        "lot_id": result.lot_id,
        "test": result.specification.code,
        "test_name": result.specification.name,
        "value": result.value,
        "passed": result.passed,
        "inconclusive": result.inconclusive,
        "reason": result.reason,
        "analyst": _user_name(result.analyst),
        "tested_at": result.tested_at,
        "reviewer": _user_name(result.reviewer),
        "reviewed_at": result.reviewed_at,
    }


def _recall_out(recall: Recall) -> dict:
    notes = recall.notifications.aggregate(total=Count("pk"), pending=Count("pk", filter=Q(status="pending")))
    return {
        "id": recall.pk,
        "lot_id": recall.lot_id,
        "lot_code": recall.lot.code,
        "recall_class": recall.recall_class,
        "reason": recall.reason,
        "started_by": _user_name(recall.started_by),
        "started_at": recall.started_at,
        "recipients": notes["total"],
        "pending": notes["pending"],
    }


def _own(model, pk, field_name: str, clinic_id: int):
    """A configuration record of the clinic, else InvalidInput naming the field."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, clinic_id=clinic_id).first()
    if found is None:
        raise InvalidInput(
            _("No such %(what)s at this clinic.")
            % {"what": field_name.removesuffix("_id").replace("_", " ")},
            field=field_name,
        )
    return found


@router.get("/lots", response=list[LotOut])
def lot_list(request: HttpRequest, status: str | None = None, q: str = ""):
    return [_lot_out(lot) for lot in selectors.lot_list(user=request.auth, status=status, query=q)[:500]]


@router.post("/lots", response={201: LotOut, **ERRORS})
def lot_register(request: HttpRequest, payload: LotIn):
    clinic = (
        scope_to_clinics(request.auth, Clinic.objects.all(), field="pk", roles=LAB_ROLES)
        .filter(pk=payload.clinic_id)
        .first()
    )
    if clinic is None:
        raise NotFound()
    lot = services.lot_register(
        actor=request.auth,
        clinic=clinic,
        product_type=_own(ProductType, payload.product_type_id, "product_type_id", clinic.pk),
        collection=_own(Collection, payload.collection_id, "collection_id", clinic.pk),
        storage_unit=_own(StorageUnit, payload.storage_unit_id, "storage_unit_id", clinic.pk),
        manufactured_on=payload.manufactured_on,
        expires_on=payload.expires_on,
        unit_count=payload.unit_count,
        volume_ml=Decimal(str(payload.volume_ml)),
        particles_per_ml=Decimal(str(payload.particles_per_ml)).quantize(Decimal(1)),
        protein_ug_per_ml=None
        if payload.protein_ug_per_ml is None
        else Decimal(str(payload.protein_ug_per_ml)),
        at=timezone.now(),
    )
    return Status(201, _lot_out(lot))


@router.get("/lots/{lot_id}", response={200: LotOut, 404: ErrorOut})
def lot_detail(request: HttpRequest, lot_id: int):
    return _lot_out(selectors.lot_get(user=request.auth, lot_id=lot_id))


@router.get("/lots/{lot_id}/qc-results", response={200: list[QcResultOut], 404: ErrorOut})
def qc_result_list(request: HttpRequest, lot_id: int):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    return [_result_out(r) for r in lot.qc_results.select_related("specification", "analyst", "reviewer")]


@router.post("/lots/{lot_id}/qc-results", response={201: QcResultOut, **ERRORS})
def qc_result_record(request: HttpRequest, lot_id: int, payload: QcResultIn):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    spec = lot.product_type.qc_specifications.filter(code=payload.test, active=True).first()
    if spec is None:
        raise InvalidInput(
            _("%(type)s has no QC test '%(test)s'.") % {"type": lot.product_type, "test": payload.test},
            field="test",
        )
    result = services.qc_result_record(
        actor=request.auth, lot=lot, specification=spec, value=payload.value, tested_at=payload.tested_at
    )
    return Status(201, _result_out(result))


@router.post("/qc-results/{result_id}/review", response={200: QcResultOut, **ERRORS})
def qc_result_review(request: HttpRequest, result_id: int):
    result = (
        QcResult.objects.select_related("lot", "specification", "analyst")
        .filter(
            pk=result_id, lot__in=scope_to_clinics(request.auth, ProductLot.objects.all(), roles=LAB_ROLES)
        )
        .first()
    )
    if result is None:
        raise NotFound()
    return _result_out(services.qc_result_review(actor=request.auth, result=result, at=timezone.now()))


@router.get("/lots/{lot_id}/release", response={200: ReleaseStatusOut, 404: ErrorOut})
def lot_release_status(request: HttpRequest, lot_id: int):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    status = services.lot_release_status(lot, on=timezone.now())

    def findings(items):
        return [{"test": f.code, "name": f.name, "reason": f.reason} for f in items]

    return {
        "releasable": status.releasable,
        "missing": findings(status.check.missing),
        "failed": findings(status.check.failed),
        "notes": findings(status.check.notes),
        "blockers": status.blockers,
    }


@router.post("/lots/{lot_id}/release", response={200: LotOut, **ERRORS})
def lot_release(request: HttpRequest, lot_id: int, payload: ReleaseIn):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    return _lot_out(
        services.lot_release(actor=request.auth, lot=lot, password=payload.password, at=timezone.now())
    )


@router.get("/lots/{lot_id}/recipients", response={200: list[RecipientOut], 404: ErrorOut})
def lot_recipients(request: HttpRequest, lot_id: int):
    return [r.__dict__ for r in selectors.lot_recipients(user=request.auth, lot_id=lot_id)]


@router.post("/lots/{lot_id}/recall", response={201: RecallOut, **ERRORS})
def recall_start(request: HttpRequest, lot_id: int, payload: RecallIn):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    recall = services.recall_start(
        actor=request.auth,
        lot=lot,
        recall_class=payload.recall_class,
        reason=payload.reason,
        at=timezone.now(),
    )
    return Status(201, _recall_out(recall))


@router.get("/recalls", response=list[RecallOut])
def recall_list(request: HttpRequest):
    return [_recall_out(r) for r in selectors.recall_list(user=request.auth)]


@router.post("/recall-notifications/{notification_id}", response={200: NotificationOut, **ERRORS})
def recall_notification_update(request: HttpRequest, notification_id: int, payload: NotificationIn):
    notification: RecallNotification = selectors.recall_notification_get(
        user=request.auth, notification_id=notification_id
    )
    updated = services.recall_notification_update(
        actor=request.auth,
        notification=notification,
        status=payload.status,
        method=payload.method,
        note=payload.note,
        at=timezone.now(),
    )
    return {
        "id": updated.pk,
        "patient_id": updated.patient_id,
        "status": updated.status,
        "method": updated.method,
        "note": updated.note,
        "notified_at": updated.notified_at,
    }


# --- product deviations (45-day report, clinical-facts §6) ------------------------------------------------


def _deviation_out(d) -> dict:
    return {
        "id": d.pk,
        "lot_id": d.lot_id,
        "lot_code": d.lot.code,
        "description": d.description,
        "discovered_at": d.discovered_at,
        "report_due_at": d.report_due_at,
        "days_left": d.days_left(),
        "reported_at": d.reported_at,
        "regulator_reference": d.regulator_reference,
    }


@router.get("/product-deviations", response=list[DeviationOut])
def deviation_list(request: HttpRequest, open_only: bool = False):
    """Deviations of the caller's clinics' lots, open clocks first, nearest due date first."""
    return [
        _deviation_out(d) for d in selectors.deviations_visible(user=request.auth, open_only=open_only)[:500]
    ]


@router.get("/lots/{lot_id}/deviations", response={200: list[DeviationOut], 404: ErrorOut})
def lot_deviation_list(request: HttpRequest, lot_id: int):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    return [_deviation_out(d) for d in selectors.deviations_visible(user=request.auth, lot=lot)]


@router.post("/lots/{lot_id}/deviations", response={201: DeviationOut, **ERRORS})
def lot_deviation_record(request: HttpRequest, lot_id: int, payload: DeviationIn):
    lot = selectors.lot_get(user=request.auth, lot_id=lot_id)
    deviation = services.product_deviation_record(
        actor=request.auth,
        lot=lot,
        description=payload.description,
        discovered_at=payload.discovered_at,
        submission_key=payload.submission_key,
    )
    return Status(201, _deviation_out(deviation))


@router.post("/product-deviations/{deviation_id}/reported", response={200: DeviationOut, **ERRORS})
def deviation_reported(request: HttpRequest, deviation_id: int, payload: DeviationReportedIn):
    deviation = selectors.deviation_get(user=request.auth, deviation_id=deviation_id)
    updated = services.product_deviation_mark_reported(
        actor=request.auth, deviation=deviation, reference=payload.regulator_reference
    )
    return _deviation_out(updated)
