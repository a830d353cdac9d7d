"""Treatment reads, through the access policy. Also the functions other apps call (timeline, outcomes)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, QuerySet
from django.utils.translation import ngettext

from exoclinic.accounts.models import Role
from exoclinic.core.errors import NotFound
from exoclinic.core.policy import patient_get, scope_to_clinics, scope_to_patients
from exoclinic.core.timeline import Step, StepEvidence

from .models import (
    AdverseEvent,
    AdverseEventStatus,
    ChecklistItem,
    ConcurrentTherapy,
    Consent,
    PlanStatus,
    Procedure,
    Therapy,
    TreatmentPlan,
)

AE_READER_ROLES = [Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN]


def therapies_for(*, clinic) -> QuerySet[Therapy]:
    return Therapy.objects.filter(clinic=clinic, is_active=True).order_by("name")


def plans_visible(*, user) -> QuerySet[TreatmentPlan]:
    return scope_to_patients(user, TreatmentPlan.objects.all()).select_related(
        "patient__clinic", "therapy", "approved_by", "created_by"
    )


def plan_get(*, user, plan_id) -> TreatmentPlan:
    plan = plans_visible(user=user).filter(pk=_pk(plan_id)).first()
    if plan is None:
        raise NotFound()
    patient_get(user=user, patient_id=plan.patient_id, purpose="treatment_plan")  # audits a staff read
    return plan


def procedure_get(*, user, procedure_id) -> Procedure:
    procedure = (
        scope_to_patients(user, Procedure.objects.all())
        .select_related("patient__clinic", "plan__therapy", "practitioner")
        .filter(pk=_pk(procedure_id))
        .first()
    )
    if procedure is None:
        raise NotFound()
    patient_get(user=user, patient_id=procedure.patient_id, purpose="procedure")
    return procedure


def procedures_visible(*, user) -> QuerySet[Procedure]:
    return scope_to_patients(user, Procedure.objects.all()).select_related(
        "patient__clinic", "plan__therapy", "practitioner"
    )


def checklist_item_get(*, user, item_id) -> ChecklistItem:
    item = (
        scope_to_patients(user, ChecklistItem.objects.all(), field="plan__patient")
        .select_related("plan__patient__clinic")
        .filter(pk=_pk(item_id))
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def adverse_events_visible(*, user) -> QuerySet[AdverseEvent]:
    return scope_to_patients(user, AdverseEvent.objects.all(), roles=AE_READER_ROLES).select_related(
        "patient__clinic", "procedure", "recorded_by"
    )


def adverse_event_get(*, user, event_id) -> AdverseEvent:
    event = adverse_events_visible(user=user).filter(pk=_pk(event_id)).first()
    if event is None:
        raise NotFound()
    patient_get(user=user, patient_id=event.patient_id, purpose="adverse_event")
    return event


def adverse_events_for_report(
    *, user, lot_code: str = "", since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[AdverseEvent]:
    """Events of the user's clinics (clinicians, coordinators, admins) for one lot and/or onset period."""
    qs = scope_to_clinics(user, AdverseEvent.objects.all(), roles=AE_READER_ROLES).select_related(
        "patient", "procedure", "clinic"
    )
    if lot_code.strip():
        qs = qs.filter(lot_code__iexact=lot_code.strip())
    if since is not None:
        qs = qs.filter(onset_at__gte=since)
    if until is not None:
        qs = qs.filter(onset_at__lt=until)
    return qs.order_by("onset_at", "id")


def serious_clocks_open(*, user) -> QuerySet[AdverseEvent]:
    """Serious events whose regulator report is still to be sent, soonest due first."""
    return (
        scope_to_clinics(user, AdverseEvent.objects.all(), roles=AE_READER_ROLES)
        .filter(serious=True, regulator_reported_at__isnull=True)
        .select_related("patient")
        .order_by("report_due_at")
    )


def patient_reports_to_review(*, user) -> QuerySet[AdverseEvent]:
    return (
        scope_to_clinics(user, AdverseEvent.objects.all(), roles=AE_READER_ROLES)
        .filter(status=AdverseEventStatus.NEEDS_REVIEW)
        .select_related("patient")
        .order_by("onset_at")
    )


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


# --- for other apps ---------------------------------------------------------------------------------------


def concurrent_therapies(patient) -> list[str]:
    """Concurrent therapies named in the patient's approved plans, as display labels (outcomes' context)."""
    labels = dict(ConcurrentTherapy.choices)
    seen: list[str] = []
    plans = TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).order_by("created_at")
    for plan in plans:
        for code in plan.concurrent_therapies:
            label = str(labels.get(code, code))
            if label not in seen:
                seen.append(label)
        note = plan.concurrent_therapies_note.strip()
        if note and note not in seen:
            seen.append(note)
    return seen


def cohort_treatment_facts(patient_ids: list[int]) -> dict[int, dict]:
    """Per patient: therapy codes received, lot codes given, time of the first procedure (None if none)."""
    facts: dict[int, dict] = {
        pid: {"therapies": set(), "lot_codes": set(), "first_procedure_at": None} for pid in patient_ids
    }
    rows = Procedure.objects.filter(patient_id__in=patient_ids).values_list(
        "patient_id", "plan__therapy__code", "lot_code", "performed_at"
    )
    for patient_id, therapy, lot_code, performed_at in rows:
        entry = facts[patient_id]
        entry["therapies"].add(therapy)
        if lot_code:
            entry["lot_codes"].add(lot_code)
        first = entry["first_procedure_at"]
        entry["first_procedure_at"] = performed_at if first is None else min(first, performed_at)
    return facts


def first_procedure_at(patient) -> dt.datetime | None:
    return Procedure.objects.filter(patient=patient).aggregate(first=Min("performed_at"))["first"]


def last_procedure(patient) -> Procedure | None:
    """The patient's latest procedure (``performed_at``, ``route``): triage counts days since it."""
    return Procedure.objects.filter(patient=patient).order_by("-performed_at", "-id").first()


def timeline_evidence_for(patients) -> dict[int, list[StepEvidence]]:
    """PLAN_CONSENT, PREPARATION and TREATMENT from the records, for many patients in three queries
    (registered with core.timeline)."""
    ids = [p.pk for p in patients]
    evidence: dict[int, list[StepEvidence]] = {pk: [] for pk in ids}
    consents = (
        Consent.objects.filter(
            plan__patient_id__in=ids, plan__status=PlanStatus.APPROVED, withdrawn_at__isnull=True
        )
        .select_related("plan")
        .prefetch_related("plan__checklist")
        .order_by("accepted_at", "id")
    )
    for consent in consents:
        plan = consent.plan
        when = max(consent.accepted_at, plan.approved_at)
        found = evidence[plan.patient_id]
        found.append(StepEvidence(Step.PLAN_CONSENT, True, when))
        items = list(plan.checklist.all())
        if all(item.is_confirmed for item in items):
            confirmed = [item.confirmed_at for item in items]
            found.append(StepEvidence(Step.PREPARATION, True, max([when, *confirmed])))
        else:
            open_items = sum(1 for item in items if not item.is_confirmed)
            note = ngettext("%(n)d precaution to confirm", "%(n)d precautions to confirm", open_items) % {
                "n": open_items
            }
            found.append(StepEvidence(Step.PREPARATION, False, None, note))
    # The first session of each plan, so a second course has its own treatment date.
    firsts = (
        Procedure.objects.filter(patient_id__in=ids)
        .values("patient_id", "plan_id")
        .annotate(first=Min("performed_at"))
    )
    for row in firsts:
        evidence[row["patient_id"]].append(StepEvidence(Step.TREATMENT, True, row["first"]))
    return evidence


def timeline_evidence(patient) -> list[StepEvidence]:
    return timeline_evidence_for([patient])[patient.pk]


def withdrawn_consents(patient) -> list[Consent]:
    """The patient's withdrawn treatment consents, newest first (the staff chart shows them at the top)."""
    return list(
        Consent.objects.filter(plan__patient=patient, withdrawn_at__isnull=False)
        .select_related("plan__therapy", "withdrawn_by")
        .order_by("-withdrawn_at")
    )


def consent_texts_of(*, clinic) -> list:
    """Every consent text version of the clinic, newest first, with ``signed``: consents signed on it, first
    signatures and renewals together."""
    from django.db.models import Count

    from .models import ConsentRenewal, ConsentText

    signed = dict(
        Consent.objects.filter(consent_text__clinic=clinic)
        .values("consent_text")
        .annotate(n=Count("id"))
        .values_list("consent_text", "n")
    )
    renewed = dict(
        ConsentRenewal.objects.filter(consent_text__clinic=clinic)
        .values("consent_text")
        .annotate(n=Count("id"))
        .values_list("consent_text", "n")
    )
    texts = list(ConsentText.objects.filter(clinic=clinic).order_by("-created_at", "-id"))
    for text in texts:
        text.signed = signed.get(text.pk, 0) + renewed.get(text.pk, 0)
    return texts


# ---- consent versions and re-consent ---------------------------------------------------------------------


def _in_force_text_id():
    """The consent text a consent stands on: its newest renewal's, else the one first signed."""
    from django.db.models import BigIntegerField, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import ConsentRenewal

    newest = ConsentRenewal.objects.filter(consent=OuterRef("pk")).order_by("-id").values("consent_text_id")
    return Coalesce(
        Subquery(newest[:1], output_field=BigIntegerField()),
        F("consent_text_id"),
        output_field=BigIntegerField(),
    )


def consents_with_versions(consents: QuerySet[Consent] | None = None) -> QuerySet[Consent]:
    """Consents annotated with ``in_force_text_id``, ``current_text_id`` (the clinic's current version),
    ``sessions_given`` and ``renewal_due``: not withdrawn, the plan approved and not finished, and signed on
    a version older than the current one."""
    from django.db.models import (
        BigIntegerField,
        BooleanField,
        Case,
        Count,
        F,
        IntegerField,
        OuterRef,
        Q,
        Subquery,
        Value,
        When,
    )
    from django.db.models.functions import Coalesce

    from .models import ConsentText

    current = ConsentText.objects.filter(clinic=OuterRef("plan__clinic"), is_current=True).values("pk")[:1]
    given = (
        Procedure.objects.filter(plan=OuterRef("plan"))
        .order_by()
        .values("plan")
        .annotate(n=Count("id"))
        .values("n")
    )
    due = (
        Q(withdrawn_at__isnull=True, plan__status=PlanStatus.APPROVED, current_text_id__isnull=False)
        & Q(sessions_given__lt=F("plan__planned_sessions"))
        & ~Q(in_force_text_id=F("current_text_id"))
    )
    queryset = Consent.objects.all() if consents is None else consents
    return queryset.annotate(
        in_force_text_id=_in_force_text_id(),
        current_text_id=Subquery(current, output_field=BigIntegerField()),
        sessions_given=Coalesce(Subquery(given, output_field=IntegerField()), Value(0)),
    ).annotate(
        renewal_due=Case(When(due, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def consent_renewal_due(consent: Consent) -> bool:
    """True when the patient must consent to the clinic's current text before the next procedure."""
    return consents_with_versions(Consent.objects.filter(pk=consent.pk)).filter(renewal_due=True).exists()


def consent_text_in_force(consent: Consent):
    from .models import ConsentRenewal

    renewal = ConsentRenewal.objects.filter(consent=consent).order_by("-id").select_related("consent_text")
    newest = renewal.first()
    return newest.consent_text if newest is not None else consent.consent_text


def consent_versions(patient) -> list[Consent]:
    """The patient's consents (newest first) for the staff chart and plan page: each with
    ``text_in_force`` (the version agreed to last), ``renewal_due``, ``current_text`` and ``renewal_list``."""
    from .models import ConsentRenewal, ConsentText

    consents = list(
        consents_with_versions(Consent.objects.filter(plan__patient=patient))
        .select_related("plan__therapy", "consent_text")
        .order_by("-accepted_at", "-id")
    )
    texts = {
        t.pk: t
        for t in ConsentText.objects.filter(
            pk__in={c.in_force_text_id for c in consents} | {c.current_text_id for c in consents}
        )
    }
    renewals: dict[int, list] = {}
    for renewal in (
        ConsentRenewal.objects.filter(consent__in=consents).select_related("consent_text").order_by("-id")
    ):
        renewals.setdefault(renewal.consent_id, []).append(renewal)
    for consent in consents:
        consent.text_in_force = texts.get(consent.in_force_text_id)
        consent.current_text = texts.get(consent.current_text_id)
        consent.renewal_list = renewals.get(consent.pk, [])
    return consents


def consents_to_renew(*, user) -> list[Consent]:
    """Consents of every record the user acts for in the portal that wait for the patient's re-consent."""
    from exoclinic.core.policy import portal_patients

    return list(
        consents_with_versions(Consent.objects.filter(plan__patient__in=portal_patients(user).values("pk")))
        .filter(renewal_due=True)
        .select_related("plan__patient", "plan__therapy")
        .order_by("plan__patient_id", "-id")
    )


def renewals_due_count(*, clinic) -> int:
    """Patients' consents at this clinic still on an older text while their treatment goes on."""
    return (
        consents_with_versions(Consent.objects.filter(plan__clinic=clinic)).filter(renewal_due=True).count()
    )


def consent_states(plan_ids) -> dict[int, tuple[str, bool]]:
    """``plan_id -> (version in force, renewal due)`` for the consents of these plans, in two queries."""
    from .models import ConsentText

    rows = list(
        consents_with_versions(Consent.objects.filter(plan_id__in=list(plan_ids))).values_list(
            "plan_id", "in_force_text_id", "renewal_due"
        )
    )
    versions = dict(ConsentText.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "version"))
    return {plan_id: (versions.get(text_id, ""), bool(due)) for plan_id, text_id, due in rows}
