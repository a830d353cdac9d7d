"""Adverse events: staff records, patient reports for review, the serious-event reporting clock."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition
from exoclinic.core.models import Patient

from .. import conf
from ..models import (
    CRITERION_FIELDS,
    AdverseEvent,
    AdverseEventSource,
    AdverseEventStatus,
    AdverseOutcome,
    Procedure,
    Relatedness,
    SeriousnessCriterion,
)
from ._common import require_clinician

ASSESSMENT_FIELDS = (
    "ctcae_grade",
    "relatedness",
    "outcome",
    "onset_at",
    "description",
    "procedure",
)


def _seriousness(data: dict, grade: int) -> set[SeriousnessCriterion]:
    """The ICH E2A criteria met; the event is serious exactly when there is one.

    CTCAE grade 5 is death and grade 4 life-threatening, so those criteria follow from the grade. A grade 3
    event (severe, hospitalisation indicated) needs the criteria ticked or an explicit "none applies": an
    unticked box alone is how a hospitalisation for meningitis was once saved as not serious.
    ``serious`` (the old boolean, still accepted from API clients) must agree with the criteria.
    """
    raw = data.get("seriousness_criteria") or []
    if isinstance(raw, str):
        raw = [raw]
    criteria: set[SeriousnessCriterion] = set()
    for code in raw:
        if code not in SeriousnessCriterion.values:
            raise InvalidInput(
                _("%(code)s is not a seriousness criterion.") % {"code": code}, field="seriousness_criteria"
            )
        criteria.add(SeriousnessCriterion(code))
    if grade == 5:
        criteria.add(SeriousnessCriterion.DEATH)
    if grade == 4:
        criteria.add(SeriousnessCriterion.LIFE_THREATENING)
    none_applies = bool(data.get("no_seriousness_criteria"))
    if criteria and none_applies:
        raise InvalidInput(
            _("A seriousness criterion is ticked (or follows from the grade), so 'none applies' cannot be."),
            field="no_seriousness_criteria",
        )
    stated = data.get("serious")
    if stated is True and not criteria:
        raise InvalidInput(
            _("Tick each seriousness criterion that applies: a serious event meets at least one."),
            field="seriousness_criteria",
        )
    if stated is False and criteria:
        raise InvalidInput(
            _("This event meets a seriousness criterion (%(criteria)s), so it is serious.")
            % {"criteria": ", ".join(sorted(c.value for c in criteria))},
            field="serious",
        )
    if grade >= 3 and not criteria and not none_applies:
        raise InvalidInput(
            _(
                "A grade 3 event: tick each seriousness criterion that applies (for example hospitalisation "
                "or a longer stay), or confirm that none applies."
            ),
            field="seriousness_criteria",
        )
    return criteria


def _check_assessment(patient: Patient, data: dict, now: dt.datetime) -> dict:
    grade = data.get("ctcae_grade")
    if grade in (None, ""):
        raise InvalidInput(_("Choose the CTCAE grade (1 to 5)."), field="ctcae_grade")
    try:
        grade = int(grade)
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose the CTCAE grade (1 to 5)."), field="ctcae_grade") from None
    if not 1 <= grade <= 5:
        raise InvalidInput(_("Choose the CTCAE grade (1 to 5)."), field="ctcae_grade")
    relatedness = data.get("relatedness") or ""
    if relatedness not in Relatedness.values:
        raise InvalidInput(_("Choose how related the event is to the product."), field="relatedness")
    outcome = data.get("outcome") or AdverseOutcome.UNKNOWN
    if outcome not in AdverseOutcome.values:
        raise InvalidInput(_("Choose the outcome."), field="outcome")
    if grade == 5 and outcome != AdverseOutcome.FATAL or outcome == AdverseOutcome.FATAL and grade != 5:
        raise InvalidInput(_("Grade 5 and a fatal outcome go together."), field="outcome")
    onset_at = data.get("onset_at")
    if onset_at is None:
        raise InvalidInput(_("Give the time the event started."), field="onset_at")
    if onset_at > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("The onset cannot be in the future."), field="onset_at")
    description = (data.get("description") or "").strip()
    if not description:
        raise InvalidInput(_("Describe what happened."), field="description")
    procedure = data.get("procedure")
    if procedure is not None and procedure.patient_id != patient.pk:
        raise InvalidInput(_("Choose a procedure of this patient."), field="procedure")
    criteria = _seriousness(data, grade)
    return {
        "ctcae_grade": grade,
        "serious": bool(criteria),
        **{name: criterion in criteria for criterion, name in CRITERION_FIELDS.items()},
        "relatedness": relatedness,
        "outcome": outcome,
        "onset_at": onset_at,
        "description": description,
        "procedure": procedure,
    }


def _lot_for(patient: Patient, lot_code: str, procedure: Procedure | None):
    """The lot named (any status: recalled lots have events too), else the procedure's lot."""
    from exoclinic.products import codes
    from exoclinic.products.models import ProductLot

    if not (lot_code or "").strip():
        return procedure.lot if procedure else None
    code = codes.parse(lot_code, field="lot_code").text
    lot = ProductLot.objects.filter(clinic=patient.clinic, code=code).first()
    if lot is None:
        raise InvalidInput(
            _("No lot %(code)s is registered at this clinic.") % {"code": code}, field="lot_code"
        )
    return lot


def _latest_procedure_before(patient: Patient, at: dt.datetime) -> Procedure | None:
    return Procedure.objects.filter(patient=patient, performed_at__lte=at).order_by("-performed_at").first()


def _start_clock(event: AdverseEvent, now: dt.datetime) -> None:
    """The 15 days run from when the clinic received the report (a patient's: its arrival, not review)."""
    if event.serious and event.serious_since is None:
        start = event.received_at or now
        event.serious_since = start
        event.report_due_at = start + dt.timedelta(days=conf.get("SERIOUS_REPORT_DAYS"))


def adverse_event_record(
    *,
    actor,
    patient: Patient,
    submission_key: uuid.UUID | None = None,
    lot_code: str = "",
    now: dt.datetime | None = None,
    **data,
) -> AdverseEvent:
    """Staff record an event with its grade, seriousness, relatedness, onset, outcome and lot.

    When no lot is named, the lot of the latest procedure before onset is taken. Seriousness follows from
    the ICH E2A criteria (``seriousness_criteria``); a serious event starts the 15-day reporting clock now,
    when the clinic receives it.
    """
    require_clinician(actor, patient.clinic)
    now = now or timezone.now()
    fields = _check_assessment(patient, data, now)
    if fields["procedure"] is None:
        fields["procedure"] = _latest_procedure_before(patient, fields["onset_at"])
    lot = _lot_for(patient, lot_code, fields["procedure"])
    key = submission_key or uuid.uuid4()
    with transaction.atomic():
        existing = AdverseEvent.objects.filter(submission_key=key).first()
        if existing is not None:
            return existing
        event = AdverseEvent(
            clinic=patient.clinic,
            patient=patient,
            lot=lot,
            lot_code=lot.code if lot else "",
            source=AdverseEventSource.STAFF,
            status=AdverseEventStatus.RECORDED,
            reported_by=actor,
            recorded_by=actor,
            submission_key=key,
            received_at=now,
            **fields,
        )
        _start_clock(event, now)
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            return AdverseEvent.objects.get(submission_key=key)
        audit_record(
            actor=actor,
            action="adverse_event.record",
            target=event,
            patient=patient,
            detail={
                "grade": event.ctcae_grade,
                "serious": event.serious,
                "criteria": [c.value for c in event.seriousness_criteria],
                "lot": event.lot_code,
            },
        )
    return event


def adverse_event_assess(
    *, actor, event: AdverseEvent, lot_code: str | None = None, now: dt.datetime | None = None, **data
) -> AdverseEvent:
    """Staff review a patient report or update an event: grade, seriousness, relatedness, outcome."""
    require_clinician(actor, event.clinic)
    now = now or timezone.now()
    with transaction.atomic():
        locked = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        if locked.serious_since is not None and data.get("serious") is False:
            raise InvalidTransition(
                _("A serious event's reporting clock has started; it cannot be made non-serious here."),
                field="serious",
            )
        current = {name: getattr(locked, name) for name in ASSESSMENT_FIELDS}
        current["seriousness_criteria"] = [c.value for c in locked.seriousness_criteria]
        # A recorded grade 3 event without criteria had "none applies" confirmed when it was recorded.
        current["no_seriousness_criteria"] = (
            locked.status == AdverseEventStatus.RECORDED and not locked.serious and "ctcae_grade" not in data
        )
        if "seriousness_criteria" in data:
            current["no_seriousness_criteria"] = False
        fields = _check_assessment(locked.patient, {**current, **data}, now)
        if locked.serious and not fields["serious"] and locked.serious_since is not None:
            raise InvalidTransition(
                _("A serious event's reporting clock has started; it cannot be made non-serious here."),
                field="serious",
            )
        changed = sorted(k for k, v in fields.items() if getattr(locked, k) != v)
        for key, value in fields.items():
            setattr(locked, key, value)
        if lot_code is not None and lot_code.strip().upper() != locked.lot_code:
            locked.lot = _lot_for(locked.patient, lot_code, None)
            locked.lot_code = locked.lot.code if locked.lot else ""
            changed.append("lot_code")
        was_review = locked.status == AdverseEventStatus.NEEDS_REVIEW
        locked.status = AdverseEventStatus.RECORDED
        locked.recorded_by = actor
        _start_clock(locked, now)
        locked.save()
        audit_record(
            actor=actor,
            action="adverse_event.review" if was_review else "adverse_event.update",
            target=locked,
            detail={
                "fields": changed,
                "grade": locked.ctcae_grade,
                "serious": locked.serious,
                "criteria": [c.value for c in locked.seriousness_criteria],
            },
        )
    return locked


def adverse_event_mark_reported(
    *, actor, event: AdverseEvent, reference: str, at: dt.datetime | None = None
) -> AdverseEvent:
    """The regulator report (e.g. MedWatch 3500A) was sent: the clock stops."""
    require_clinician(actor, event.clinic)
    if not reference.strip():
        raise InvalidInput(_("Give the report's reference."), field="regulator_reference")
    with transaction.atomic():
        locked = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        if not locked.serious:
            raise InvalidTransition(_("Only a serious event has a regulator report."), field="serious")
        if locked.regulator_reported_at is not None:
            return locked
        locked.regulator_reported_at = at or timezone.now()
        locked.regulator_reference = reference.strip()[:100]
        locked.save(update_fields=["regulator_reported_at", "regulator_reference", "updated_at"])
        audit_record(actor=actor, action="adverse_event.report_sent", target=locked)
    return locked


def _patient_report(
    *,
    actor,
    patient: Patient,
    description: str,
    onset_at: dt.datetime,
    source_record: str,
    received_at: dt.datetime,
) -> AdverseEvent | None:
    procedure = _latest_procedure_before(patient, onset_at)
    if procedure is None:
        return None
    with transaction.atomic():
        if source_record and AdverseEvent.objects.filter(source_record=source_record).exists():
            return AdverseEvent.objects.get(source_record=source_record)
        event = AdverseEvent.objects.create(
            clinic=patient.clinic,
            patient=patient,
            procedure=procedure,
            lot=procedure.lot,
            lot_code=procedure.lot_code,
            source=AdverseEventSource.PATIENT,
            status=AdverseEventStatus.NEEDS_REVIEW,
            source_record=source_record,
            description=description.strip(),
            onset_at=onset_at,
            received_at=received_at,
            reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(actor=actor, action="adverse_event.patient_report", target=event, patient=patient)
    return event


def on_symptom_reported(report) -> AdverseEvent | None:
    """core.hooks.symptom_reported: a symptom report after a procedure becomes an event for staff review."""
    patient = report.patient
    source = f"{report._meta.label_lower}:{report.pk}"
    level = getattr(report, "outcome_level", "")
    summary = getattr(report, "summary", "") or _("Symptom report")
    label = _("Symptom check")
    description = f"{summary}\n\n[{label}: {level}]" if level else summary
    return _patient_report(
        actor=None,
        patient=patient,
        description=description,
        onset_at=report.created_at,
        source_record=source,
        received_at=report.created_at,  # the reporting clock starts at arrival if staff find it serious
    )
