"""Demo outcomes, true to each demo patient's records: a baseline on the day of the completed consultation,
and follow-up assessments only after a recorded procedure (its schedule counts from that day), never for a
patient who has not been treated. Patients who have had no consultation yet have no assessments here.

Safe to run twice: assessments carry ``source="demo"`` and a fixed ``source_ref`` (replaced, not duplicated)
and the diary keeps one entry per week. The numbers are made up for the demo; they show the pages working,
not what any therapy does.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from exoclinic.core.models import Patient
from exoclinic.core.timeline import Step, StepState, patient_timeline

from . import services
from .models import Assessment, AssessmentSource, FollowUpSchedule

# (SCIM total change by the last follow-up, pain at baseline and its change, a follow-up point missed)
_PLANS = [
    (6, (7, -3), None),
    (2, (6, -1), None),
    (11, (8, -2), 3),
    (0, (5, 0), None),
    (4, (6, -2), 6),
    (0, (7, 0), None),
]
_LEVEL_MOTOR = {"C": (14, 0), "T": (50, 4), "L": (50, 30)}


def _scim(extra: int) -> dict:
    items = {
        "feeding": 2,
        "bathing_upper": 1,
        "bathing_lower": 0,
        "dressing_upper": 2,
        "dressing_lower": 1,
        "grooming": 2,
        "respiration": 10,
        "bladder": 6,
        "bowel": 5,
        "toilet": 1,
        "bed_mobility": 2,
        "transfer_bed_wheelchair": 1,
        "transfer_wheelchair_toilet": 1,
        "mobility_indoors": 2,
        "mobility_moderate": 2,
        "mobility_outdoors": 2,
        "stairs": 0,
        "transfer_wheelchair_car": 1,
        "transfer_ground_wheelchair": 0,
    }
    for key in ("mobility_indoors", "mobility_moderate", "mobility_outdoors"):
        step = min(extra, 8 - items[key])
        items[key] += step
        extra -= step
    return items


def _isncsci(patient: Patient, gain: int) -> dict:
    level = patient.sci_neurological_level or "T6"
    uems, lems = _LEVEL_MOTOR.get(level[0], (50, 0))
    grade = patient.sci_ais_grade or "A"
    nli = level.replace("-", "_")
    return {
        "uems": min(uems + gain, 50),
        "lems": lems,
        "total_motor": min(uems + gain, 50) + lems,
        "lt_total": 60 + gain,
        "pp_total": 52 + gain,
        "ais": grade,
        "nli": nli,
        "motor_level_right": nli,
        "motor_level_left": nli,
        "sensory_level_right": nli,
        "sensory_level_left": nli,
    }


def _recorded_days(patient: Patient) -> tuple[dt.date | None, dt.date | None]:
    """The days (patient's zone) of the completed consultation and of the first procedure, from the records
    through the treatment timeline; None for a step not done."""
    days = {}
    for step in patient_timeline(patient).steps:
        if step.state == StepState.DONE and step.when is not None:
            days[step.step] = timezone.localtime(step.when, patient.tz).date()
    return days.get(Step.CONSULTATION), days.get(Step.TREATMENT)


def _forget_made_up_follow_up(patient: Patient) -> None:
    """Demo databases seeded by earlier versions gave untreated patients a follow-up schedule from a made-up
    procedure date and follow-up assessments: remove those demo records (never a record entered by staff)."""
    FollowUpSchedule.objects.filter(patient=patient).delete()
    Assessment.objects.filter(patient=patient, source=AssessmentSource.DEMO).exclude(
        source_ref__endswith="-0"
    ).delete()


def seed(ctx) -> None:
    clinician = ctx.users["clinician"]
    today = ctx.now.date()
    for patient, (scim_gain, (pain, pain_change), missed) in zip(ctx.patients, _PLANS, strict=False):
        consulted, first = _recorded_days(patient)
        if first is None:
            _forget_made_up_follow_up(patient)
        if consulted is None:
            continue  # no consultation, so no baseline assessment yet
        visits = [(0, consulted)]
        if first is not None:
            services.follow_up_schedule_sync(actor=clinician, patient=patient, first_procedure=first)
            for months, offset in ((1, 30), (3, 91), (6, 182), (12, 365)):
                day = first + dt.timedelta(days=offset)
                if day <= today and months != missed:
                    visits.append((months, day))
        for index, (months, day) in enumerate(visits):
            share = index / max(len(visits) - 1, 1)

            def record(instrument, items, months=months, day=day, patient=patient):
                services.assessment_record(
                    actor=clinician,
                    patient=patient,
                    instrument=instrument,
                    items=items,
                    taken_on=day,
                    source=AssessmentSource.DEMO,
                    source_ref=f"demo-{instrument}-{months}",
                )

            record("scim3", _scim(round(scim_gain * share)))
            record("pain", {"average": pain + round(pain_change * share), "interference_sleep": 5})
            record(
                "mas", {"knee_extensors_right": "2", "knee_extensors_left": "1+", "hip_adductors_right": "1"}
            )
            record("penn", {"frequency": 2, "severity": 2})
            record("nbd", {**dict.fromkeys(_NBD_KEYS, 0), "defecation_time": 3, "digital_stimulation": 6})
            record("sleep", {"quality": 5 + round(2 * share)})
            record("fss", {f"item{i}": 5 for i in range(1, 10)})
            record("grip", {"right_kg": 18.0 + round(3 * share, 1), "left_kg": 15.5})
            if months in (0, 6, 12):
                record("isncsci", _isncsci(patient, round(4 * share)))
        if patient.user is None:
            continue
        start = services.week_start(consulted)
        weeks = min((today - start).days // 7, 16)
        for week in range(weeks + 1):
            day = start + dt.timedelta(weeks=week)
            if day > today:
                break
            services.diary_entry_record(
                actor=patient.user,
                patient=patient,
                on=day,
                ratings={
                    "movement": 3 + week // 6,
                    "muscle_relaxation": 6 - week // 8,
                    "bowel_bladder": 4,
                    "sensation": 3 + week // 10,
                    "pain": max(pain - week // 5, 0),
                    "rest_strength": 4 + (week % 3 == 0),
                },
            )


_NBD_KEYS = (
    "defecation_frequency",
    "defecation_time",
    "uneasiness",
    "tablets",
    "drops",
    "digital_stimulation",
    "faecal_incontinence",
    "incontinence_medication",
    "flatus_incontinence",
    "perianal_skin",
)
