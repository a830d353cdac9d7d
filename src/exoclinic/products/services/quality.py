"""QC results and release: pass or fail is computed from the specification; release needs every required
test passing, a named lab user and their password."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition

from .. import conf, qc
from ..models import Eligibility, LotStatus, ProductLot, QcResult, QcSpecification
from ._common import require_lab


@dataclass(frozen=True)
class ReleaseStatus:
    check: qc.ReleaseCheck
    current: dict[int, QcResult]  # specification id -> the lot's current (latest) result
    specifications: list[QcSpecification]
    blockers: list[str]  # reasons outside QC: source not eligible, expired, results not reviewed

    @property
    def releasable(self) -> bool:
        return self.check.releasable and not self.blockers

    def refusal(self) -> str:
        parts = []
        if self.check.missing:
            parts.append(
                _("missing results: %(tests)s") % {"tests": ", ".join(f.name for f in self.check.missing)}
            )
        if self.check.failed:
            parts.append(
                _("failed: %(reasons)s") % {"reasons": " ".join(f.reason for f in self.check.failed)}
            )
        parts.extend(self.blockers)
        if not parts:
            parts.append(_("no required QC test is specified for this product type"))
        return _("This lot cannot be released: %(reasons)s.") % {"reasons": "; ".join(parts)}


def current_results(lot: ProductLot) -> dict[int, QcResult]:
    """The latest result of each test (a repeated test replaces the earlier one for release)."""
    latest: dict[int, QcResult] = {}
    for result in lot.qc_results.select_related("analyst", "reviewer").order_by("tested_at", "id"):
        latest[result.specification_id] = result
    return latest


def lot_release_status(lot: ProductLot, *, on: dt.datetime) -> ReleaseStatus:
    specs = list(lot.product_type.qc_specifications.filter(active=True))
    current = current_results(lot)
    check = qc.lot_release_check(
        [s.as_spec(target=lot.particles_per_ml) for s in specs],
        {s.code: current[s.pk].value for s in specs if s.pk in current},
    )
    blockers = []
    source = lot.collection.source
    if source.eligibility != Eligibility.ELIGIBLE:
        blockers.append(
            _("the source %(source)s is not recorded as eligible") % {"source": source.identifier}
        )
    if lot.expires_on < on.astimezone(lot.clinic.tz).date():
        blockers.append(_("the lot expired on %(date)s") % {"date": f"{lot.expires_on:%Y-%m-%d}"})
    if conf.get("RELEASE_REQUIRES_REVIEW"):
        unreviewed = [
            s.name for s in specs if s.required and s.pk in current and current[s.pk].reviewer_id is None
        ]
        if unreviewed:
            blockers.append(
                _("not yet reviewed by a second person: %(tests)s") % {"tests": ", ".join(unreviewed)}
            )
    return ReleaseStatus(check=check, current=current, specifications=specs, blockers=blockers)


def qc_result_record(
    *,
    actor,
    lot: ProductLot,
    specification: QcSpecification,
    value: str,
    tested_at: dt.datetime,
    submission_key: uuid.UUID | None = None,
) -> QcResult:
    """Stores a measured value with its computed verdict; the value must fit the test (number or text)."""
    require_lab(actor, lot.clinic_id)
    if submission_key:
        existing = QcResult.objects.filter(submission_key=submission_key, lot=lot).first()
        if existing:
            return existing
    if specification.product_type_id != lot.product_type_id or not specification.active:
        raise InvalidInput(_("Choose a QC test of this lot's product type."), field="specification")
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(_("Enter the result."), field="value")
    if len(value) > QcResult._meta.get_field("value").max_length:
        raise InvalidInput(_("The result is too long."), field="value")
    verdict = qc.evaluate(specification.as_spec(target=lot.particles_per_ml), value, field_name="value")
    with transaction.atomic():
        lot = ProductLot.objects.select_for_update().get(pk=lot.pk)
        if lot.status != LotStatus.QUARANTINE:
            raise InvalidTransition(
                _("QC results are entered while a lot is in quarantine; lot %(code)s is %(status)s.")
                % {"code": lot.code, "status": lot.get_status_display().lower()},
                field="value",
            )
        result = QcResult.objects.create(
            lot=lot,
            specification=specification,
            value=value,
            passed=verdict.passed,
            inconclusive=verdict.inconclusive,
            reason=verdict.reason[:300],
            analyst=actor,
            tested_at=tested_at,
            submission_key=submission_key,
        )
        audit_record(
            actor=actor,
            action="qc_result.record",
            target=result,
            clinic=lot.clinic,
            detail={"lot": lot.code, "test": specification.code, "value": value, "passed": verdict.passed},
        )
    return result


def qc_result_review(*, actor, result: QcResult, at: dt.datetime) -> QcResult:
    require_lab(actor, result.lot.clinic_id)
    if result.analyst_id == actor.pk:
        raise InvalidInput(_("A result is reviewed by someone other than the analyst."), field="reviewer")
    with transaction.atomic():
        result = QcResult.objects.select_for_update().get(pk=result.pk)
        if result.reviewer_id:
            raise InvalidTransition(_("This result was already reviewed."), field="reviewer")
        result.reviewer, result.reviewed_at = actor, at
        result.save(update_fields=["reviewer", "reviewed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="qc_result.review",
            target=result,
            clinic=result.lot.clinic,
            detail={"lot": result.lot.code, "test": result.specification.code},
        )
    return result


def lot_release(*, actor, lot: ProductLot, password: str, at: dt.datetime) -> ProductLot:
    """Releases a quarantined lot when every required QC result passes, signed with the user's password."""
    require_lab(actor, lot.clinic_id)
    if not password or not actor.check_password(password):
        raise InvalidInput(
            _("The password is not correct: enter your own password to sign the release."), field="password"
        )
    with transaction.atomic():
        lot = (
            ProductLot.objects.select_for_update()
            .select_related("clinic", "collection__source")
            .get(pk=lot.pk)
        )
        if lot.status != LotStatus.QUARANTINE:
            raise InvalidTransition(
                _("Only a lot in quarantine can be released; lot %(code)s is %(status)s.")
                % {"code": lot.code, "status": lot.get_status_display().lower()},
                field="status",
            )
        status = lot_release_status(lot, on=at)
        if not status.releasable:
            raise InvalidInput(status.refusal(), field="qc")
        lot.status, lot.released_by, lot.released_at = LotStatus.RELEASED, actor, at
        lot.save(update_fields=["status", "released_by", "released_at", "updated_at"])
        audit_record(
            actor=actor,
            action="lot.release",
            target=lot,
            detail={
                "code": lot.code,
                "results": {
                    s.code: status.current[s.pk].value
                    for s in status.specifications
                    if s.pk in status.current
                },
                "notes": [n.reason for n in status.check.notes],
            },
        )
    return lot
