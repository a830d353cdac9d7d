"""Therapy catalogue, treatment plans, consent and the preparation checklist."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from exoclinic.core.languages import columns, fill_missing, in_every_language, language_codes
from exoclinic.core.models import NEUROLOGICAL_LEVELS, Clinic, Patient
from exoclinic.portal.selectors import portal_patients

from .. import conf
from ..models import (
    ChecklistItem,
    ConcurrentTherapy,
    Consent,
    ConsentMethod,
    ConsentRenewal,
    ConsentText,
    PlanStatus,
    Route,
    Therapy,
    TherapyKind,
    TreatmentPlan,
    Tristate,
)
from ..precautions import MedicationFacts, precaution_items
from ._common import full_clean, require_clinician

DEFAULT_THERAPIES = [
    (
        TherapyKind.EXOSOME,
        gettext_lazy("Exosome therapy"),
        gettext_lazy("Purified extracellular vesicles from donor cells, injected near the injury."),
        [Route.LOCAL_INJECTION, Route.INTRATHECAL, Route.INTRAVENOUS],
    ),
    (
        TherapyKind.STEM_CELL,
        gettext_lazy("Stem cell therapy"),
        gettext_lazy("The alternative therapy the physician may offer."),
        [Route.LOCAL_INJECTION, Route.INTRATHECAL, Route.INTRAVENOUS],
    ),
]


def therapy_catalogue_ensure(*, actor, clinic: Clinic) -> list[Therapy]:
    """The clinic's default therapies, each with its default aftercare template (idempotent)."""
    from exoclinic.aftercare.services import aftercare_template_ensure_default

    therapies = []
    with transaction.atomic():
        for code, name, description, routes in DEFAULT_THERAPIES:
            therapy, created = Therapy.objects.get_or_create(
                clinic=clinic,
                code=code,
                defaults={
                    **columns("name", in_every_language(name)),
                    **columns("description", in_every_language(description)),
                    "routes": [str(r) for r in routes],
                },
            )
            if created:
                audit_record(actor=actor, action="therapy.create", target=therapy, clinic=clinic)
            else:
                # A shipped default text stored before it had a Spanish column gets its translation.
                filled = []
                for field, text in (("name", name), ("description", description)):
                    values = in_every_language(text)
                    if getattr(therapy, f"{field}_en") == values["en"]:
                        filled += fill_missing(therapy, columns(field, values))
                if filled:
                    therapy.save(update_fields=[*filled, "updated_at"])
            aftercare_template_ensure_default(actor=actor, therapy=therapy)
            therapies.append(therapy)
    return therapies


def _plan_fields(therapy: Therapy, data: dict) -> dict:
    allowed = {
        "route",
        "target_site",
        "target_level",
        "planned_sessions",
        "session_interval_days",
        "first_session_on",
        "dose",
        "concurrent_therapies",
        "concurrent_therapies_note",
        "rationale",
        "alternatives_discussed",
        "anti_inflammatory_avoid_days",
        "active_infection",
        "pregnancy",
    }
    unknown = set(data) - allowed
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(_("Unknown field %(field)s.") % {"field": name}, field=name)
    fields = dict(data)
    if fields.get("route") not in therapy.routes:
        raise InvalidInput(_("Choose a route this therapy is given by."), field="route")
    level = fields.get("target_level") or ""
    if level and level not in NEUROLOGICAL_LEVELS:
        raise InvalidInput(_("Choose a level from C1 to S4-5."), field="target_level")
    concurrent = list(fields.get("concurrent_therapies") or [])
    for code in concurrent:
        if code not in ConcurrentTherapy.values:
            raise InvalidInput(
                _("Unknown concurrent therapy %(code)s.") % {"code": code}, field="concurrent_therapies"
            )
    fields["concurrent_therapies"] = concurrent
    sessions = fields.get("planned_sessions") or 1
    if sessions > 1 and not fields.get("session_interval_days"):
        raise InvalidInput(_("Say how many days apart the sessions are."), field="session_interval_days")
    if fields.get("anti_inflammatory_avoid_days") in (None, ""):
        fields["anti_inflammatory_avoid_days"] = conf.get("DEFAULT_ANTI_INFLAMMATORY_DAYS")
    for name in ("active_infection", "pregnancy"):
        fields[name] = fields.get(name) or Tristate.UNKNOWN
    return fields


def plan_create(*, actor, patient: Patient, therapy: Therapy, **data) -> TreatmentPlan:
    """A draft plan by a clinician; its preparation checklist is generated at once."""
    require_clinician(actor, patient.clinic)
    if therapy.clinic_id != patient.clinic_id or not therapy.is_active:
        raise InvalidInput(_("Choose a therapy this clinic offers."), field="therapy")
    fields = _plan_fields(therapy, data)
    with transaction.atomic():
        plan = TreatmentPlan(
            clinic=patient.clinic, patient=patient, therapy=therapy, created_by=actor, **fields
        )
        full_clean(plan, exclude=["clinic", "patient", "therapy", "created_by"])
        plan.save()
        audit_record(actor=actor, action="treatment_plan.create", target=plan, patient=patient)
        _checklist_sync(actor=actor, plan=plan)
    return plan


def plan_update(*, actor, plan: TreatmentPlan, **data) -> TreatmentPlan:
    """Change a draft plan. An approved plan is not edited: cancel it and write a new one."""
    require_clinician(actor, plan.clinic)
    with transaction.atomic():
        locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.DRAFT:
            raise InvalidTransition(_("Only a draft plan can be changed."), field="status")
        fields = _plan_fields(locked.therapy, {**_as_data(locked), **data})
        changed = sorted(k for k, v in fields.items() if getattr(locked, k) != v)
        for key, value in fields.items():
            setattr(locked, key, value)
        full_clean(locked, exclude=["clinic", "patient", "therapy", "created_by"])
        locked.save()
        audit_record(actor=actor, action="treatment_plan.update", target=locked, detail={"fields": changed})
        _checklist_sync(actor=actor, plan=locked)
    return locked


def _as_data(plan: TreatmentPlan) -> dict:
    names = [
        "route", "target_site", "target_level", "planned_sessions", "session_interval_days",
        "first_session_on", "dose", "concurrent_therapies", "concurrent_therapies_note", "rationale",
        "alternatives_discussed", "anti_inflammatory_avoid_days", "active_infection", "pregnancy",
    ]  # fmt: skip
    return {name: getattr(plan, name) for name in names}


def plan_approve(*, actor, plan: TreatmentPlan, at: dt.datetime | None = None) -> TreatmentPlan:
    """A physician (clinician role) approves a draft plan; the approval names them and the time."""
    require_clinician(actor, plan.clinic)
    with transaction.atomic():
        locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.APPROVED:
            return locked  # a second click approves nothing new
        if locked.status != PlanStatus.DRAFT:
            raise InvalidTransition(_("A cancelled plan cannot be approved."), field="status")
        locked.status = PlanStatus.APPROVED
        locked.approved_by = actor
        locked.approved_at = at or timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        audit_record(actor=actor, action="treatment_plan.approve", target=locked)
    return locked


def plan_cancel(*, actor, plan: TreatmentPlan, reason: str) -> TreatmentPlan:
    require_clinician(actor, plan.clinic)
    if not reason.strip():
        raise InvalidInput(_("Say why the plan is cancelled."), field="reason")
    with transaction.atomic():
        locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.CANCELLED:
            return locked
        locked.status = PlanStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action="treatment_plan.cancel", target=locked, detail={"reason": reason.strip()}
        )
    return locked


def consent_text_current(clinic: Clinic) -> ConsentText | None:
    return ConsentText.objects.filter(clinic=clinic, is_current=True).first()


def consent_text_publish(
    *, actor, clinic: Clinic, version: str, title: str, body: str, title_es: str = "", body_es: str = ""
) -> ConsentText:
    """A new version of the consent text becomes current; signed consents keep the version they signed.

    ``title`` and ``body`` are the English; the Spanish is published with the version or not at all (a used
    version is never edited), and without it Spanish readers see the English."""
    from exoclinic.accounts.models import Role
    from exoclinic.core.policy import require_staff

    if actor is not None:
        require_staff(actor, clinic, [Role.ADMIN, Role.CLINICIAN])
    if not version.strip():
        raise InvalidInput(_("Give the version a name."), field="version")
    with transaction.atomic():
        if ConsentText.objects.filter(clinic=clinic, version=version.strip()).exists():
            raise Conflict(_("This version exists already."), field="version")
        ConsentText.objects.filter(clinic=clinic, is_current=True).update(is_current=False)
        text = ConsentText.objects.create(
            clinic=clinic,
            version=version.strip(),
            **columns("title", {"en": title.strip(), "es": title_es.strip()}),
            **columns("body", {"en": body.strip(), "es": body_es.strip()}),
            is_current=True,
        )
        audit_record(actor=actor, action="consent_text.publish", target=text, clinic=clinic)
    return text


def _consent_preconditions(plan: TreatmentPlan, version: str | None) -> ConsentText:
    if plan.status != PlanStatus.APPROVED:
        raise InvalidTransition(_("The plan must be approved by a physician before consent."), field="plan")
    text = consent_text_current(plan.clinic)
    if text is None:
        raise InvalidTransition(_("The clinic has no consent text yet."), field="consent_text")
    if version and version != text.version:
        raise Conflict(
            _("The consent text changed (now version %(v)s): please read it again.") % {"v": text.version},
            field="consent_text",
        )
    return text


def consent_accept_in_portal(
    *, actor, plan: TreatmentPlan, version: str, accepted: bool, at: dt.datetime | None = None
) -> Consent:
    """The patient (or their caregiver) accepts the consent text they were shown, by version."""
    if not portal_patients(user=actor).filter(pk=plan.patient_id).exists():
        raise NotFound()
    if not accepted:
        raise InvalidInput(_("Tick the box to say you accept."), field="accepted")
    return _consent_record(
        actor=actor,
        plan=plan,
        version=version,
        method=ConsentMethod.PORTAL,
        signer_name=actor.get_full_name(),
        witness_name="",
        at=at,
    )


def consent_record_in_clinic(
    *,
    actor,
    plan: TreatmentPlan,
    signer_name: str,
    witness_name: str,
    at: dt.datetime | None = None,
    version: str | None = None,
) -> Consent:
    """A clinician records the patient's signature on paper in the clinic, with the witness's name."""
    require_clinician(actor, plan.clinic)
    if not signer_name.strip():
        raise InvalidInput(_("Name the person who signed."), field="signer_name")
    if not witness_name.strip():
        raise InvalidInput(_("Name the witness."), field="witness_name")
    return _consent_record(
        actor=actor,
        plan=plan,
        version=version,
        method=ConsentMethod.IN_CLINIC,
        signer_name=signer_name.strip(),
        witness_name=witness_name.strip(),
        at=at,
    )


def _consent_record(*, actor, plan, version, method, signer_name, witness_name, at) -> Consent:
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("The signature time cannot be in the future."), field="accepted_at")
    with transaction.atomic():
        locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        existing = Consent.objects.filter(plan=locked).first()
        if existing is not None and existing.is_withdrawn:
            raise InvalidTransition(
                _("Consent to this plan was withdrawn: a new plan is needed to go on."), field="plan"
            )
        if existing is not None:
            return existing  # a double submit signs once
        text = _consent_preconditions(locked, version)
        try:
            with transaction.atomic():
                consent = Consent.objects.create(
                    plan=locked,
                    consent_text=text,
                    method=method,
                    signer_name=signer_name or "?",
                    witness_name=witness_name,
                    accepted_at=at,
                    recorded_by=actor,
                )
        except IntegrityError:
            return Consent.objects.get(plan=locked)
        audit_record(
            actor=actor,
            action="consent.sign",
            target=consent,
            patient=locked.patient,
            detail={"version": text.version, "method": method},
        )
    return consent


def _due_on(plan: TreatmentPlan) -> dt.date | None:
    if plan.first_session_on is None:
        return None
    return plan.first_session_on - dt.timedelta(days=conf.get("PREPARATION_DUE_DAYS_BEFORE"))


def _checklist_sync(*, actor, plan: TreatmentPlan) -> list[ChecklistItem]:
    """Add the items the rules call for now; confirmed items stay as they are."""
    today = timezone.localdate(timezone=plan.patient.tz)
    medications = [
        MedicationFacts(m.pk, m.name, m.is_anticoagulant, m.is_anti_inflammatory, m.stopped_on)
        for m in plan.patient.medications.all()
    ]
    facts = {
        "medications": medications,
        "active_infection": plan.active_infection,
        "pregnancy": plan.pregnancy,
        "sex": plan.patient.sex,
        "anti_inflammatory_avoid_days": plan.anti_inflammatory_avoid_days,
        "today": today,
    }
    # The patient reads the checklist in their language whoever made it: each item is written in every one.
    specs = precaution_items(**facts)
    texts = {spec.key: {} for spec in specs}
    for code in language_codes():
        with translation.override(code):
            for spec in precaution_items(**facts):
                texts[spec.key] |= {f"title_{code}": spec.title, f"instructions_{code}": spec.instructions}
    existing = {item.key: item for item in plan.checklist.all()}
    due_on = _due_on(plan)
    added = []
    for spec in specs:
        item = existing.get(spec.key)
        if item is None:
            added.append(
                ChecklistItem.objects.create(
                    plan=plan,
                    rule=spec.rule,
                    key=spec.key,
                    medication_id=spec.medication_id,
                    **texts[spec.key],
                    due_on=due_on,
                )
            )
        elif not item.is_confirmed and (
            any(getattr(item, column) != text for column, text in texts[spec.key].items())
            or item.due_on != due_on
        ):
            for column, text in texts[spec.key].items():
                setattr(item, column, text)
            item.due_on = due_on
            item.save(update_fields=[*texts[spec.key], "due_on", "updated_at"])
    if added:
        audit_record(
            actor=actor,
            action="checklist.generate",
            target=plan,
            detail={"added": [i.key for i in added]},
        )
    return list(plan.checklist.all())


def checklist_refresh(*, actor, plan: TreatmentPlan) -> list[ChecklistItem]:
    """Apply the rules again (after a medication or a screening answer changed)."""
    require_clinician(actor, plan.clinic)
    with transaction.atomic():
        locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        return _checklist_sync(actor=actor, plan=locked)


def checklist_item_confirm(*, actor, item: ChecklistItem, note: str = "") -> ChecklistItem:
    """The clinician confirms one precaution has been dealt with."""
    require_clinician(actor, item.plan.clinic)
    with transaction.atomic():
        locked = ChecklistItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
        if locked.is_confirmed:
            return locked
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.confirmation_note = note.strip()[:500]
        locked.save(update_fields=["confirmed_by", "confirmed_at", "confirmation_note", "updated_at"])
        audit_record(
            actor=actor,
            action="checklist.confirm",
            target=locked,
            patient=locked.plan.patient,
            detail={"rule": locked.rule},
        )
    return locked


def on_medication_added(medication) -> list[ChecklistItem]:
    """core.hooks.medication_added: a new anticoagulant or anti-inflammatory joins the checklist of every
    plan still ahead of its sessions, so the procedure waits until the physician has confirmed it."""
    if not (medication.is_anticoagulant or medication.is_anti_inflammatory):
        return []
    added: list[ChecklistItem] = []
    plans = TreatmentPlan.objects.filter(patient_id=medication.patient_id).exclude(
        status=PlanStatus.CANCELLED
    )
    for plan in plans:
        if plan.procedures.count() >= plan.planned_sessions:
            continue
        with transaction.atomic():
            locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
            before = set(locked.checklist.values_list("pk", flat=True))
            added += [i for i in _checklist_sync(actor=None, plan=locked) if i.pk not in before]
    return added


def consent_withdraw(*, actor, consent: Consent, reason: str = "", at: dt.datetime | None = None) -> Consent:
    """The patient (or the caregiver who may act for them) withdraws consent to the plan's treatment. The
    signed record stays; from now on no procedure may be given under it (``procedure_preconditions``)."""
    if not portal_patients(user=actor).filter(pk=consent.plan.patient_id).exists():
        raise NotFound()
    at = at or timezone.now()
    with transaction.atomic():
        locked = Consent.objects.select_for_update().select_related("plan__patient").get(pk=consent.pk)
        if locked.is_withdrawn:
            return locked  # a double submit withdraws once
        locked.withdrawn_at, locked.withdrawn_by = at, actor
        locked.withdrawal_reason = reason.strip()[:500]
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="consent.withdraw",
            target=locked,
            patient=locked.plan.patient,
            detail={"plan": locked.plan_id, "reason": locked.withdrawal_reason},
        )
    return locked


def consent_renew_in_portal(
    *, actor, consent: Consent, version: str, accepted: bool, at: dt.datetime | None = None
) -> ConsentRenewal:
    """The patient (or the caregiver who acts for them) consents to the clinic's new consent text, by the
    version they were shown, so the treatment may go on under it."""
    if not portal_patients(user=actor).filter(pk=consent.plan.patient_id).exists():
        raise NotFound()
    if not accepted:
        raise InvalidInput(_("Tick the box to say you accept."), field="accepted")
    return _consent_renew(
        actor=actor,
        consent=consent,
        version=version,
        method=ConsentMethod.PORTAL,
        signer_name=actor.get_full_name() or actor.email,
        witness_name="",
        at=at,
    )


def consent_renew_in_clinic(
    *,
    actor,
    consent: Consent,
    signer_name: str,
    witness_name: str,
    version: str | None = None,
    at: dt.datetime | None = None,
) -> ConsentRenewal:
    """A clinician records the patient's signature, in the clinic before a witness, on the new text."""
    require_clinician(actor, consent.plan.clinic)
    if not signer_name.strip():
        raise InvalidInput(_("Name the person who signed."), field="signer_name")
    if not witness_name.strip():
        raise InvalidInput(_("Name the witness."), field="witness_name")
    return _consent_renew(
        actor=actor,
        consent=consent,
        version=version,
        method=ConsentMethod.IN_CLINIC,
        signer_name=signer_name.strip(),
        witness_name=witness_name.strip(),
        at=at,
    )


def _consent_renew(*, actor, consent, version, method, signer_name, witness_name, at) -> ConsentRenewal:
    from ..selectors import consent_text_in_force

    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("The signature time cannot be in the future."), field="accepted_at")
    with transaction.atomic():
        locked = Consent.objects.select_for_update().select_related("plan__patient").get(pk=consent.pk)
        if locked.is_withdrawn:
            raise InvalidTransition(
                _("Consent to this plan was withdrawn: a new plan is needed to go on."), field="plan"
            )
        text = _consent_preconditions(locked.plan, version)
        existing = ConsentRenewal.objects.filter(consent=locked, consent_text=text).first()
        if existing is not None:
            return existing  # a double submit renews once
        previous = consent_text_in_force(locked)
        if previous.pk == text.pk:
            raise InvalidTransition(
                _("This consent is already on the current text (version %(v)s).") % {"v": text.version},
                field="consent_text",
            )
        renewal = ConsentRenewal.objects.create(
            consent=locked,
            consent_text=text,
            method=method,
            signer_name=signer_name[:200] or "?",
            witness_name=witness_name,
            accepted_at=at,
            recorded_by=actor,
        )
        patient = locked.plan.patient
        audit_record(
            actor=actor,
            action="consent.renew",
            target=renewal,
            patient=patient,
            detail={
                "plan": locked.plan_id,
                "version": text.version,
                "previous_version": previous.version,
                "method": method,
                "for_patient": actor.pk != patient.user_id,
            },
        )
    return renewal
