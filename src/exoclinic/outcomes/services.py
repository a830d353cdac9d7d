"""Writes on outcome records: assessments, diary entries and the follow-up schedule, each audited.

``assessment_record`` is the contract other apps call (the exams app stores each classified ISNCSCI exam
through it, with ``source="exam"`` and the exam's id as ``source_ref``).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import Patient
from exoclinic.core.notify import send_templated_email
from exoclinic.core.policy import acts_for, require_staff

from . import conf
from .indicators import validate_ratings
from .instruments import get_instrument
from .models import Assessment, AssessmentSource, DiaryEntry, FollowUpPoint, FollowUpSchedule

RECORDER_ROLES = ("clinician",)


def _local_today(patient: Patient) -> dt.date:
    return timezone.localtime(timezone.now(), patient.tz).date()


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


def _json_safe(values: dict) -> dict:
    """Scores hold ints, floats, strings and None; anything else (a Decimal) is stored as a float."""
    return {
        key: v if v is None or isinstance(v, int | float | str) else float(v) for key, v in values.items()
    }


# ---- placing assessments on the schedule ---------------------------------------------------------------


def place_on_schedule(schedule: FollowUpSchedule | None, points: list[FollowUpPoint], taken_on: dt.date):
    """0 for a baseline (on or before the first procedure), a point's months, or None.

    Without a procedure there is no schedule yet: None, and progress takes the first assessment as baseline.
    """
    if schedule is None:
        return None
    if taken_on <= schedule.first_procedure_on:
        return 0
    best = None
    for point in points:
        if point.months == 0:
            continue
        distance = abs((taken_on - point.due_on).days)
        if distance <= point.window_days and (best is None or distance < best[0]):
            best = (distance, point.months)
    return None if best is None else best[1]


def _schedule_of(patient: Patient) -> tuple[FollowUpSchedule | None, list[FollowUpPoint]]:
    schedule = FollowUpSchedule.objects.filter(patient=patient).first()
    if schedule is None:
        return None, []
    return schedule, list(schedule.points.all())


def _refresh_completion(schedule: FollowUpSchedule) -> None:
    """A point is completed on the date of its first assessment (any instrument)."""
    firsts: dict[int, dt.date] = {}
    for months, taken_on in Assessment.objects.filter(
        patient_id=schedule.patient_id, follow_up_months__isnull=False
    ).values_list("follow_up_months", "taken_on"):
        if months not in firsts or taken_on < firsts[months]:
            firsts[months] = taken_on
    for point in schedule.points.all():
        completed = firsts.get(point.months)
        if point.completed_on != completed:
            point.completed_on = completed
            point.save(update_fields=["completed_on"])


# ---- assessments ---------------------------------------------------------------------------------------


def assessment_record(
    *,
    actor,
    patient: Patient,
    instrument: str,
    items: dict,
    taken_on: dt.date,
    source: str = AssessmentSource.MANUAL,
    source_ref: str = "",
) -> Assessment:
    """Score ``items`` with the instrument and store them; refuses out-of-range items (ScoringError).

    With a non-empty ``source_ref`` the earlier assessment from the same source and ref is replaced, so a
    corrected exam (or a form submitted twice) leaves one assessment.
    """
    require_staff(actor, patient.clinic_id, RECORDER_ROLES)
    definition = get_instrument(instrument)
    score = definition.score(items or {})
    if not isinstance(taken_on, dt.date):
        raise InvalidInput(_("Enter the date the assessment was taken."), field="taken_on")
    if isinstance(taken_on, dt.datetime):
        taken_on = taken_on.date()
    if taken_on > _local_today(patient):
        raise InvalidInput(_("The assessment date cannot be in the future."), field="taken_on")
    if taken_on < patient.date_of_birth:
        raise InvalidInput(_("The assessment date is before the patient's date of birth."), field="taken_on")
    injury = patient.sci_date_of_injury
    if injury is not None and taken_on < injury:
        # A measurement before the injury cannot be a baseline for recovery from it (clinical facts §3).
        raise InvalidInput(
            _("The assessment date %(taken)s is before the date of injury %(injury)s.")
            % {"taken": taken_on.isoformat(), "injury": injury.isoformat()},
            field="taken_on",
        )
    source = str(source or AssessmentSource.MANUAL)[:20]
    source_ref = str(source_ref or "")[:100]
    with transaction.atomic():
        schedule, points = _schedule_of(patient)
        fields = {
            "instrument": definition.code,
            "taken_on": taken_on,
            "items": _json_safe(score.items),
            "values": _json_safe(score.values),
            "band": score.band or "",
            "follow_up_months": place_on_schedule(schedule, points, taken_on),
            "recorded_by": actor,
        }
        existing = None
        if source_ref:
            existing = (
                Assessment.objects.select_for_update()
                .filter(patient=patient, source=source, source_ref=source_ref)
                .first()
            )
        if existing is not None:
            if existing.instrument != definition.code:
                raise InvalidInput(
                    _("This reference already holds an assessment of another instrument."), field="instrument"
                )
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            assessment, action = existing, "assessment.update"
        else:
            assessment = Assessment.objects.create(
                patient=patient, source=source, source_ref=source_ref, **fields
            )
            action = "assessment.record"
        audit_record(
            actor=actor,
            action=action,
            target=assessment,
            patient=patient,
            detail={
                "instrument": definition.code,
                "taken_on": taken_on.isoformat(),
                "total": score.total,
                "source": source,
                "source_ref": source_ref,
            },
        )
        if schedule is not None:
            _refresh_completion(schedule)
    return assessment


# ---- diary ---------------------------------------------------------------------------------------------


def _require_patient_side(actor, patient: Patient) -> None:
    """The diary is the patient's own: the patient or the caregiver they named writes it."""
    if not acts_for(actor, patient):
        raise NotFound()


def diary_entry_record(
    *, actor, patient: Patient, ratings: dict, on: dt.date | None = None, note: str = ""
) -> DiaryEntry:
    """Store this week's six self-ratings; a second entry in the same week updates the first."""
    _require_patient_side(actor, patient)
    clean = validate_ratings(ratings or {})
    today = _local_today(patient)
    day = on or today
    if day > today:
        raise InvalidInput(_("A diary entry cannot be for a future week."), field="on")
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput(_("Keep the note under 2000 characters."), field="note")
    monday = week_start(day)
    for attempt in range(2):
        try:
            with transaction.atomic():
                entry = (
                    DiaryEntry.objects.select_for_update().filter(patient=patient, week_start=monday).first()
                )
                action = "diary_entry.update" if entry else "diary_entry.record"
                if entry is None:
                    entry = DiaryEntry(patient=patient, week_start=monday)
                for name, value in clean.items():
                    setattr(entry, name, value)
                entry.note = note
                entry.entered_by = actor
                entry.save()
                audit_record(
                    actor=actor,
                    action=action,
                    target=entry,
                    patient=patient,
                    detail={"week_start": monday.isoformat(), **clean},
                )
                return entry
        except IntegrityError:
            if attempt:  # a concurrent first entry won the race: the retry updates it
                raise
    raise AssertionError("unreachable")


# ---- follow-up schedule --------------------------------------------------------------------------------


def first_procedure_on(patient: Patient) -> dt.date | None:
    """The day (patient's zone) of the first procedure, from the treatment timeline."""
    from exoclinic.core.timeline import Step, StepState, patient_timeline

    for step in patient_timeline(patient).steps:
        if step.step == Step.TREATMENT and step.state == StepState.DONE and step.when is not None:
            return timezone.localtime(step.when, patient.tz).date()
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def follow_up_schedule_sync(
    *, actor, patient: Patient, first_procedure: dt.date | dt.datetime | None | bool = False
) -> FollowUpSchedule | None:
    """Create or update the schedule from the first procedure; re-place the patient's assessments.

    ``first_procedure`` defaults to a lookup on the treatment timeline; None means no procedure yet (no
    schedule). Points come from the FOLLOW_UP_MONTHS setting plus the baseline (months 0).
    """
    if first_procedure is False:
        first_procedure = first_procedure_on(patient)
    if isinstance(first_procedure, dt.datetime):
        first_procedure = timezone.localtime(first_procedure, patient.tz).date()
    if first_procedure is None:
        return None
    with transaction.atomic():
        schedule, created = FollowUpSchedule.objects.select_for_update().get_or_create(
            patient=patient, defaults={"first_procedure_on": first_procedure}
        )
        changed = created
        if schedule.first_procedure_on != first_procedure:
            schedule.first_procedure_on = first_procedure
            schedule.save(update_fields=["first_procedure_on", "updated_at"])
            changed = True
        wanted = {0: (first_procedure, 0)}
        for months in conf.follow_up_months():
            wanted[months] = (_add_months(first_procedure, months), conf.window_days(months))
        existing = {point.months: point for point in schedule.points.all()}
        for months, point in existing.items():
            if months not in wanted and point.completed_on is None:
                point.delete()
                changed = True
        for months, (due_on, window) in wanted.items():
            point = existing.get(months)
            if point is None:
                FollowUpPoint.objects.create(
                    schedule=schedule, months=months, due_on=due_on, window_days=window
                )
                changed = True
            elif (point.due_on, point.window_days) != (due_on, window):
                point.due_on, point.window_days = due_on, window
                point.save(update_fields=["due_on", "window_days"])
                changed = True
        if changed:
            points = list(schedule.points.all())
            for assessment in Assessment.objects.filter(patient=patient).only(
                "id", "taken_on", "follow_up_months"
            ):
                months = place_on_schedule(schedule, points, assessment.taken_on)
                if months != assessment.follow_up_months:
                    Assessment.objects.filter(pk=assessment.pk).update(follow_up_months=months)
            _refresh_completion(schedule)
            audit_record(
                actor=actor,
                action="follow_up_schedule.sync",
                target=schedule,
                patient=patient,
                detail={"first_procedure_on": first_procedure.isoformat(), "months": sorted(wanted)},
            )
    return schedule


def follow_up_reminders_send(*, today: dt.date) -> int:
    """E-mail patients whose follow-up point is coming within REMINDER_DAYS_BEFORE days; once per point."""
    horizon = today + dt.timedelta(days=int(conf.get("REMINDER_DAYS_BEFORE")))
    points = (
        FollowUpPoint.objects.filter(
            months__gt=0, completed_on__isnull=True, reminded_at__isnull=True, due_on__range=(today, horizon)
        )
        .select_related("schedule__patient__clinic", "schedule__patient__user")
        .order_by("due_on")
    )
    sent = 0
    for point in points:
        patient = point.schedule.patient
        address = patient.email or (patient.user.email if patient.user else "")
        with transaction.atomic():
            FollowUpPoint.objects.filter(pk=point.pk).update(reminded_at=timezone.now())
            if address:
                send_templated_email(
                    to=address,
                    name="outcomes/email/follow_up_reminder",
                    context={"patient": patient, "point": point, "clinic": patient.clinic},
                    language=patient.preferred_language,
                )
                sent += 1
    return sent


def diary_reminders_send(*, today: dt.date) -> int:
    """Remind patients who keep a diary (or are in follow-up) and have no entry for this week yet."""
    monday = week_start(today)
    keeping = Patient.objects.filter(user__isnull=False).filter(
        pk__in=DiaryEntry.objects.values("patient_id")
    ) | Patient.objects.filter(user__isnull=False, follow_up_schedule__isnull=False)
    done_this_week = DiaryEntry.objects.filter(week_start=monday).values("patient_id")
    sent = 0
    for patient in keeping.exclude(pk__in=done_this_week).select_related("clinic", "user").distinct():
        address = patient.email or patient.user.email
        if not address:
            continue
        send_templated_email(
            to=address,
            name="outcomes/email/diary_reminder",
            context={"patient": patient, "clinic": patient.clinic, "week_start": monday},
            language=patient.preferred_language,
        )
        sent += 1
    return sent
