"""Recording a procedure: identity, plan and consent, the lot check, the unit given, the aftercare plan."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition
from exoclinic.core.models import NEUROLOGICAL_LEVELS

from ..models import Consent, ConsentText, PlanStatus, Procedure, TreatmentPlan
from ..selectors import consent_renewal_due
from ._common import require_clinician


@dataclass(frozen=True)
class VitalRange:
    name: str
    label: str  # lazily translated: shown in the reader's language
    low: float
    high: float
    required: bool


# Plausibility bounds for typed values (a typo check), not clinical limits.
VITALS = [
    VitalRange("systolic", gettext_lazy("systolic pressure (mmHg)"), 40, 300, True),
    VitalRange("diastolic", gettext_lazy("diastolic pressure (mmHg)"), 20, 200, True),
    VitalRange("heart_rate", gettext_lazy("heart rate (/min)"), 20, 250, True),
    VitalRange("temperature_c", gettext_lazy("temperature (°C)"), 30, 45, False),
    VitalRange("spo2", gettext_lazy("oxygen saturation (%)"), 50, 100, False),
]


def clean_vitals(values: dict, *, prefix: str) -> dict:
    """Numbers within plausible bounds; the field named in an error is ``<prefix>_<name>``."""
    out = {}
    for vital in VITALS:
        raw = values.get(vital.name)
        field = f"{prefix}_{vital.name}"
        if raw in (None, ""):
            if vital.required:
                raise InvalidInput(_("Enter the %(what)s.") % {"what": vital.label}, field=field)
            continue
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise InvalidInput(
                _("Enter the %(what)s as a number.") % {"what": vital.label}, field=field
            ) from None
        if not vital.low <= number <= vital.high:
            raise InvalidInput(
                _("The %(what)s must be between %(low)s and %(high)s: check the value.")
                % {"what": vital.label, "low": vital.low, "high": vital.high},
                field=field,
            )
        out[vital.name] = int(number) if number.is_integer() else number
    return out


def _normal(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace("-", " ").split())


def identity_check(patient, *, full_name: str, date_of_birth: dt.date | None) -> str:
    """Two identifiers typed at the bedside must both match the record (accents and case aside)."""
    if _normal(full_name) != _normal(f"{patient.first_name} {patient.last_name}"):
        raise InvalidInput(
            _("The name typed does not match this patient's record. Check the patient's identity."),
            field="identity_full_name",
        )
    if date_of_birth != patient.date_of_birth:
        raise InvalidInput(
            _("The date of birth typed does not match this patient's record. Check the patient's identity."),
            field="identity_date_of_birth",
        )
    return "full name + date of birth"


def procedure_preconditions(plan: TreatmentPlan) -> None:
    """No procedure without an approved plan, a signed consent on the current consent text (a new version
    needs the patient's re-consent first) and every precaution confirmed."""
    if plan.status != PlanStatus.APPROVED:
        raise InvalidTransition(_("No procedure without a plan approved by a physician."), field="plan")
    consent = Consent.objects.filter(plan=plan).first()
    if consent is None:
        raise InvalidTransition(_("No procedure without the patient's signed consent."), field="consent")
    if consent.is_withdrawn:
        raise InvalidTransition(
            _("The patient withdrew consent to this plan: no procedure may be given."), field="consent"
        )
    if consent_renewal_due(consent):
        current = ConsentText.objects.get(clinic_id=plan.clinic_id, is_current=True)
        raise InvalidTransition(
            _(
                "The consent text changed to version %(v)s: the patient must consent to it before the next "
                "procedure."
            )
            % {"v": current.version},
            field="consent",
        )
    if plan.checklist.filter(confirmed_at__isnull=True).exists():
        raise InvalidTransition(_("Confirm every preparation item before the procedure."), field="checklist")
    if plan.procedures.count() >= plan.planned_sessions:
        raise InvalidTransition(_("Every planned session of this plan has been given."), field="plan")


def procedure_record(
    *,
    actor,
    plan: TreatmentPlan,
    performed_at: dt.datetime,
    identity_full_name: str,
    identity_date_of_birth: dt.date | None,
    lot_code: str,
    dose: str,
    route: str,
    site: str,
    level: str = "",
    vitals_before: dict,
    vitals_after: dict,
    immediate_reactions: str = "",
    notes: str = "",
    appointment=None,
    submission_key: uuid.UUID | None = None,
) -> Procedure:
    """Record a session: the lot is checked, one unit given (custody), the aftercare plan created, at once."""
    from exoclinic.aftercare.services import aftercare_plan_create
    from exoclinic.products.services import lot_check_usable, unit_administer
    from exoclinic.scheduling.models import visit_took_place

    require_clinician(actor, plan.clinic)
    key = submission_key or uuid.uuid4()
    existing = Procedure.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing  # a double submit records one procedure
    patient = plan.patient
    now = timezone.now()
    if performed_at > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("The procedure time cannot be in the future."), field="performed_at")
    identity = identity_check(patient, full_name=identity_full_name, date_of_birth=identity_date_of_birth)
    if route not in plan.therapy.routes:
        raise InvalidInput(_("Choose a route this therapy is given by."), field="route")
    if not dose.strip():
        raise InvalidInput(_("Enter the dose given."), field="dose")
    if not site.strip():
        raise InvalidInput(_("Enter the injection site."), field="site")
    if level and level not in NEUROLOGICAL_LEVELS:
        raise InvalidInput(_("Choose a level from C1 to S4-5."), field="level")
    before = clean_vitals(vitals_before, prefix="before")
    after = clean_vitals(vitals_after, prefix="after")
    if appointment is not None and (
        appointment.patient_id != patient.pk or not visit_took_place(appointment)
    ):
        raise InvalidInput(_("Choose a treatment-session appointment of this patient."), field="appointment")
    try:
        with transaction.atomic():
            locked = TreatmentPlan.objects.select_for_update().select_related("therapy").get(pk=plan.pk)
            procedure_preconditions(locked)
            lot = lot_check_usable(clinic=locked.clinic, code=lot_code, on=performed_at)
            unit = unit_administer(actor=actor, lot=lot, patient=patient, at=performed_at, note="procedure")
            procedure = Procedure.objects.create(
                clinic=locked.clinic,
                plan=locked,
                patient=patient,
                appointment=appointment,
                performed_at=performed_at,
                practitioner=actor,
                identity_check=identity,
                lot=lot,
                unit=unit,
                lot_code=lot.code,
                dose=dose.strip(),
                route=route,
                site=site.strip(),
                level=level,
                vitals_before=before,
                vitals_after=after,
                immediate_reactions=immediate_reactions.strip(),
                notes=notes.strip(),
                submission_key=key,
            )
            audit_record(
                actor=actor,
                action="procedure.record",
                target=procedure,
                patient=patient,
                detail={"lot": lot.code, "unit": unit.code, "plan": locked.pk},
            )
            aftercare_plan_create(actor=actor, procedure=procedure)
    except IntegrityError:
        existing = Procedure.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing
    return procedure
