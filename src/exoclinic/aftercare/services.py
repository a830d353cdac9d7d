"""Aftercare writes: default templates, the plan a procedure starts, check-ins, medication warnings."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, override
from django.utils.translation import gettext as _

from exoclinic.accounts.models import Role
from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, InvalidTransition, NotFound
from exoclinic.core.languages import columns, copy_columns, fill_missing, in_every_language, language_codes
from exoclinic.core.notify import send_templated_email
from exoclinic.core.policy import require_staff
from exoclinic.portal.selectors import portal_patients

from .models import (
    AftercarePlan,
    AftercareTemplate,
    CheckIn,
    CheckInTemplate,
    DurationUnit,
    MedicationWarning,
    Restriction,
    RestrictionKind,
    RestrictionTemplate,
)
from .windows import add_local_days, window_end

# clinical-facts §5: the restrictions and check-ins every default template starts with.
DEFAULT_RESTRICTIONS = [
    (
        RestrictionKind.NO_ANTI_INFLAMMATORY,
        gettext_lazy("No anti-inflammatory medication"),
        gettext_lazy(
            "Avoid anti-inflammatory medicines (NSAIDs such as ibuprofen, naproxen, diclofenac, aspirin at "
            "anti-inflammatory doses). Ask the clinic before taking any new medicine."
        ),
        None,
        DurationUnit.PLAN_PERIOD,
    ),
    (
        RestrictionKind.NO_STRENUOUS_ACTIVITY,
        gettext_lazy("No strenuous or stressful activity"),
        gettext_lazy(
            "Most people go back to normal activity at once; avoid strenuous or stressful activity."
        ),
        48,
        DurationUnit.HOURS,
    ),
    (
        RestrictionKind.NO_CARDIO_EXERCISE,
        gettext_lazy("No cardiovascular exercise"),
        gettext_lazy("No running, cycling, swimming or other cardiovascular exercise."),
        4,
        DurationUnit.WEEKS,
    ),
]
DEFAULT_CHECK_INS = [
    (gettext_lazy("Check-in: day 1"), 1),
    (gettext_lazy("Check-in: day 2"), 2),
    (gettext_lazy("Check-in: week 1"), 7),
    (gettext_lazy("Check-in: week 4"), 28),
]


def _template_names(therapy) -> dict[str, str]:
    names = {}
    for code in language_codes():
        therapy_name = getattr(therapy, f"name_{code}") or therapy.name_en
        with override(code):
            names[code] = gettext("Aftercare: %(therapy)s") % {"therapy": therapy_name}
    return names


def aftercare_template_ensure_default(*, actor, therapy) -> AftercareTemplate:
    """The therapy's aftercare template; created with the default restrictions and check-ins if missing."""
    with transaction.atomic():
        template, created = AftercareTemplate.objects.get_or_create(
            therapy=therapy,
            defaults={"clinic_id": therapy.clinic_id, **columns("name", _template_names(therapy))},
        )
        if created:
            for kind, title, advice, duration, unit in DEFAULT_RESTRICTIONS:
                RestrictionTemplate.objects.create(
                    template=template,
                    kind=kind,
                    **columns("title", in_every_language(title)),
                    **columns("advice", in_every_language(advice)),
                    duration=duration,
                    unit=unit,
                )
            for title, days in DEFAULT_CHECK_INS:
                CheckInTemplate.objects.create(
                    template=template, **columns("title", in_every_language(title)), after_days=days
                )
            audit_record(
                actor=actor, action="aftercare_template.create", target=template, clinic=therapy.clinic
            )
    return template


def _shipped_translations() -> dict[str, dict[str, str]]:
    texts = [t for _k, t, a, _d, _u in DEFAULT_RESTRICTIONS] + [
        a for _k, _t, a, _d, _u in DEFAULT_RESTRICTIONS
    ]
    texts += [t for t, _d in DEFAULT_CHECK_INS]
    return {values["en"]: values for values in map(in_every_language, texts)}


def aftercare_texts_translate_defaults(*, rows) -> None:
    """Default texts still as shipped (templates, and the restrictions and check-ins copied from them),
    stored before they had a Spanish column, get their translation; a text staff changed is left alone.
    ``seed_demo`` runs it on existing databases."""
    shipped = _shipped_translations()
    for row in rows:
        fields = ("title", "advice") if hasattr(row, "advice") else ("title",)
        if isinstance(row, AftercareTemplate):
            names = _template_names(row.therapy)
            filled = fill_missing(row, columns("name", names)) if row.name_en == names["en"] else []
        else:
            filled = []
            for field in fields:
                values = shipped.get(getattr(row, f"{field}_en"))
                if values:
                    filled += fill_missing(row, columns(field, values))
        if filled:
            row.save(update_fields=filled)


def aftercare_plan_create(*, actor, procedure) -> AftercarePlan:
    """The plan for one procedure, from its therapy's template. Call inside the procedure's transaction."""
    plan_record = procedure.plan
    template = aftercare_template_ensure_default(actor=actor, therapy=plan_record.therapy)
    patient = procedure.patient
    tz = patient.tz
    start = procedure.performed_at
    plan = AftercarePlan.objects.create(
        clinic_id=procedure.clinic_id, patient=patient, procedure=procedure, starts_at=start
    )
    for rt in template.restrictions.all():
        Restriction.objects.create(
            plan=plan,
            kind=rt.kind,
            **copy_columns(rt, ("title", "advice")),
            starts_at=start,
            ends_at=window_end(
                start=start,
                duration=rt.duration,
                unit=rt.unit,
                tz=tz,
                plan_days=plan_record.anti_inflammatory_avoid_days,
            ),
        )
    for ct in template.check_ins.all():
        CheckIn.objects.create(
            plan=plan, **copy_columns(ct, ("title",)), due_at=add_local_days(start, ct.after_days, tz)
        )
    audit_record(
        actor=actor,
        action="aftercare_plan.create",
        target=plan,
        patient=patient,
        detail={"procedure": procedure.pk, "template": template.pk},
    )
    return plan


def check_in_complete(*, actor, check_in: CheckIn, feeling: str, note: str = "", at=None) -> CheckIn:
    """The patient (or caregiver) answers a check-in task."""
    patient = check_in.plan.patient
    if not portal_patients(user=actor).filter(pk=patient.pk).exists():
        raise NotFound()
    if feeling not in {"better", "same", "worse"}:
        raise InvalidInput(_("Say how you feel compared with before the treatment."), field="feeling")
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        if locked.completed_at is not None:
            return locked
        now = at or timezone.now()
        if locked.due_at - now > dt.timedelta(days=1):
            raise InvalidTransition(_("This check-in is not open yet."), field="check_in")
        locked.completed_at = now
        locked.completed_by = actor
        locked.feeling = feeling
        locked.note = note.strip()[:2000]
        locked.save(update_fields=["completed_at", "completed_by", "feeling", "note"])
        audit_record(actor=actor, action="check_in.complete", target=locked, patient=patient)
    return locked


def check_in_send_reminders(*, now: dt.datetime) -> int:
    """E-mail each patient whose check-in has fallen due and is not done; once per check-in."""
    sent = 0
    due = CheckIn.objects.filter(
        due_at__lte=now, completed_at__isnull=True, reminder_sent_at__isnull=True
    ).select_related("plan__patient__clinic", "plan__patient__user")
    for check_in in due:
        with transaction.atomic():
            locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
            if locked.reminder_sent_at is not None or locked.completed_at is not None:
                continue
            patient = check_in.plan.patient
            address = patient.email or (patient.user.email if patient.user else "")
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            if address:
                send_templated_email(
                    to=address,
                    name="aftercare/email/check_in_reminder",
                    context={"patient": patient, "check_in": locked},
                    language=patient.preferred_language,
                )
                sent += 1
    return sent


def restrictions_in_force(patient, at: dt.datetime, kind: str | None = None):
    qs = Restriction.objects.filter(plan__patient=patient, starts_at__lte=at, ends_at__gt=at)
    return qs.filter(kind=kind) if kind else qs


def medication_conflict_check(medication, *, at: dt.datetime | None = None) -> MedicationWarning | None:
    """core.hooks.medication_added: an anti-inflammatory drug during its restriction warns both sides."""
    if not medication.is_anti_inflammatory:
        return None
    at = at or timezone.now()
    patient = medication.patient
    restriction = (
        restrictions_in_force(patient, at, RestrictionKind.NO_ANTI_INFLAMMATORY)
        .select_related("plan__procedure")
        .order_by("-ends_at")
        .first()
    )
    if restriction is None:
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                warning = MedicationWarning.objects.create(
                    patient=patient, medication=medication, restriction=restriction
                )
        except IntegrityError:
            return MedicationWarning.objects.get(medication=medication, restriction=restriction)
        audit_record(
            actor=None,
            action="medication_warning.raise",
            target=warning,
            patient=patient,
            detail={"medication": medication.name, "restriction_ends_at": restriction.ends_at.isoformat()},
        )
        context = {"patient": patient, "medication": medication, "restriction": restriction}
        address = patient.email or (patient.user.email if patient.user else "")
        if address:
            send_templated_email(
                to=address,
                name="aftercare/email/medication_warning_patient",
                context=context,
                language=patient.preferred_language,
            )
        procedure = restriction.plan.procedure
        clinicians = {procedure.practitioner}
        if procedure.plan.approved_by_id:
            clinicians.add(procedure.plan.approved_by)
        for clinician in clinicians:
            send_templated_email(
                to=clinician.email, name="aftercare/email/medication_warning_clinician", context=context
            )
    return warning


def medication_warning_acknowledge(*, actor, warning: MedicationWarning, note: str = "") -> MedicationWarning:
    """A clinician has spoken with the patient about the drug."""
    require_staff(actor, warning.patient.clinic_id, [Role.CLINICIAN])
    with transaction.atomic():
        locked = MedicationWarning.objects.select_for_update().get(pk=warning.pk)
        if locked.acknowledged_at is not None:
            return locked
        locked.acknowledged_by = actor
        locked.acknowledged_at = timezone.now()
        locked.acknowledgement_note = note.strip()[:500]
        locked.save(
            update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note", "updated_at"]
        )
        audit_record(actor=actor, action="medication_warning.acknowledge", target=locked)
    return locked
