"""Triage reads through the access policy: alerts for staff, reports for patients, explanations, reports."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import translation

from exoclinic.core.audit import audit_patient_reads, audit_record
from exoclinic.core.errors import NotFound
from exoclinic.core.models import Clinic
from exoclinic.core.policy import (
    PATIENT_READER_ROLES,
    patient_get,
    portal_patients,
    require_staff,
    scope_to_clinics,
)

from .engine import TriageInput, TriageOutcome, evaluate
from .models import ALERT_LEVELS, OnCallShift, SymptomReport, TriageAlert, TriageRuleSet
from .ruleset import SYMPTOMS, validate_ruleset


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def alerts_visible(*, user) -> QuerySet[TriageAlert]:
    """Alerts of the clinics where the user reads patient charts (not lab staff)."""
    return scope_to_clinics(user, TriageAlert.objects.all(), roles=PATIENT_READER_ROLES).select_related(
        "clinic", "report__patient", "acknowledged_by", "escalated_to"
    )


def alerts_open(*, user) -> QuerySet[TriageAlert]:
    """Unacknowledged alerts, emergencies first, oldest first."""
    return (
        alerts_visible(user=user)
        .filter(acknowledged_at__isnull=True)
        .order_by("level", "raised_at")  # "emergency" sorts before "urgent"
    )


def audit_alert_reads(*, user, alerts, purpose: str) -> list[TriageAlert]:
    """Staff receive patients' names with alerts: one ``patient.view`` row per patient shown."""
    alerts = list(alerts)
    patients = list({a.report.patient_id: a.report.patient for a in alerts}.values())
    if patients:
        audit_patient_reads(actor=user, patients=patients, purpose=purpose)
    return alerts


def alert_get(*, user, alert_id) -> TriageAlert:
    alert = alerts_visible(user=user).filter(pk=_pk(alert_id)).first()
    if alert is None:
        raise NotFound()
    return alert


def reports_for_portal(*, user) -> QuerySet[SymptomReport]:
    """The reports of the user's own record and of the patients who named them caregiver."""
    if not user.is_authenticated:
        return SymptomReport.objects.none()
    return SymptomReport.objects.filter(patient__in=portal_patients(user).values("pk")).select_related(
        "patient__clinic", "ruleset"
    )


def report_for_portal(*, user, report_id) -> SymptomReport:
    report = reports_for_portal(user=user).filter(pk=_pk(report_id)).first()
    if report is None:
        raise NotFound()
    return report


@dataclass(frozen=True)
class Explanation:
    report: SymptomReport
    stored: TriageOutcome
    replayed: TriageOutcome
    active_version: str | None

    @property
    def answer_rows(self) -> list[tuple[str, object]]:
        """Every checklist question with the stored answer, or None when it was not answered."""
        given = {a.code: a for a in self.stored.inputs.answers}
        return [(s.question, given.get(s.code)) for s in SYMPTOMS]

    @property
    def matches(self) -> bool:
        return self.stored.to_dict() == self.replayed.to_dict()


def _decision(outcome: TriageOutcome) -> tuple:
    return (
        outcome.level,
        outcome.advice,
        [(f.code, f.status, f.level, f.counted_as_positive) for f in outcome.findings],
    )


def outcome_for_reader(report: SymptomReport) -> TriageOutcome:
    """The stored outcome, with its reasons in the reader's language.

    Reasons are stored in English. For another language the report's own rule-set version is re-run on
    its stored answers with ``gettext``; the translated reasons are used only when the re-run gives the
    same decision (level, advice, findings), else the stored English stands."""
    stored = TriageOutcome.from_dict(report.outcome)
    if (translation.get_language() or "en").split("-")[0] == "en":
        return stored
    again = evaluate(
        TriageInput.from_dict(report.inputs),
        validate_ruleset(report.ruleset.data),
        translate=translation.gettext,
    )
    return again if _decision(again) == _decision(stored) else stored


def report_explain(*, user, report_id) -> Explanation:
    """Re-run the report's own rule-set version on its stored inputs (staff of the clinic; audited)."""
    report = (
        SymptomReport.objects.select_related("ruleset", "patient__clinic").filter(pk=_pk(report_id)).first()
    )
    if report is None:
        raise NotFound()
    require_staff(user, report.clinic_id, PATIENT_READER_ROLES)
    patient_get(user=user, patient_id=report.patient_id, purpose="triage_explain")
    stored = TriageOutcome.from_dict(report.outcome)
    replayed = evaluate(TriageInput.from_dict(report.inputs), validate_ruleset(report.ruleset.data))
    active = TriageRuleSet.objects.filter(is_active=True).values_list("version", flat=True).first()
    audit_record(actor=user, action="symptom_report.explain", target=report, patient=report.patient)
    return Explanation(report=report, stored=stored, replayed=replayed, active_version=active)


def rota(*, user, clinic: Clinic, now: dt.datetime, days: int = 14) -> QuerySet[OnCallShift]:
    require_staff(user, clinic)
    return (
        OnCallShift.objects.filter(
            clinic=clinic, ends_at__gt=now, starts_at__lt=now + dt.timedelta(days=days)
        )
        .select_related("user")
        .order_by("starts_at", "position")
    )


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class AckRow:
    month: str  # YYYY-MM in the clinic's time zone
    level: str
    raised: int = 0
    acknowledged: int = 0
    minutes: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.minutes) if self.minutes else None

    @property
    def p90(self) -> float | None:
        return _percentile(self.minutes, 0.9) if self.minutes else None

    @property
    def unacknowledged(self) -> int:
        return self.raised - self.acknowledged


def acknowledgement_report(*, user, clinic: Clinic) -> list[AckRow]:
    """Time to acknowledge per month (clinic time zone) and level: counts, median and 90th percentile."""
    require_staff(user, clinic, PATIENT_READER_ROLES)
    rows: dict[tuple[str, str], AckRow] = {}
    alerts = TriageAlert.objects.filter(clinic=clinic).only("level", "raised_at", "acknowledged_at")
    for alert in alerts:
        month = alert.raised_at.astimezone(clinic.tz).strftime("%Y-%m")
        row = rows.setdefault((month, alert.level), AckRow(month=month, level=alert.level))
        row.raised += 1
        if alert.acknowledged_at is not None:
            row.acknowledged += 1
            row.minutes.append(alert.minutes_to_acknowledge)
    order = {level: i for i, level in enumerate(ALERT_LEVELS)}
    return sorted(rows.values(), key=lambda r: (r.month, order.get(r.level, 9)), reverse=False)
