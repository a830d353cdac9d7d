"""Demo outcomes: baseline and follow-up assessments and a few months of weekly diary for six patients.

Safe to run twice: assessments carry ``source="demo"`` and a fixed ``source_ref`` (replaced, not duplicated)
and the diary keeps one entry per week. The numbers are made up for the demo; they show the pages working,
not what any therapy does.
"""

from __future__ import annotations

import datetime as dt

from exoclinic.core.models import Patient

from . import services
from .models import AssessmentSource

# (days since first procedure, SCIM total change at follow-up, pain at baseline and change, misses a point)
_PLANS = [
    (400, 6, (7, -3), None),
    (200, 2, (6, -1), None),
    (100, 11, (8, -2), 3),
    (45, 0, (5, 0), None),
    (380, 4, (6, -2), 6),
    (20, 0, (7, 0), None),
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


def _first_procedure(patient: Patient, today: dt.date, days: int) -> dt.date:
    recorded = services.first_procedure_on(patient)
    return recorded or today - dt.timedelta(days=days)


def seed(ctx) -> None:
    clinician = ctx.users["clinician"]
    today = ctx.now.date()
    for patient, (days, scim_gain, (pain, pain_change), missed) in zip(ctx.patients, _PLANS, strict=False):
        first = _first_procedure(patient, today, days)
        services.follow_up_schedule_sync(actor=clinician, patient=patient, first_procedure=first)
        visits = [(0, first - dt.timedelta(days=5))]
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
        start = services.week_start(first - dt.timedelta(days=14))
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
