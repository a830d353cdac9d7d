"""Demo ISNCSCI exams: a baseline and a follow-up for three demo patients, generated from their recorded
neurological level and AIS grade and classified by the isncsci package like any other exam.

The values are made up to show the pages working; they say nothing about what a therapy does. Patients
0-5 get synthetic ISNCSCI summaries from the outcomes demo, so the exams go to three others (6-8) and the
progress page does not show two different series for one patient.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from isncsci import DERMATOMES, MOTOR_LEVELS
from isncsci.values import CORD_INDEX

from .services import isncsci_exam_record

log = logging.getLogger(__name__)

DEMO_PATIENTS = slice(6, 9)
_BELOW_MOTOR = {
    # Grades of the key muscles below the level, rostral to caudal, by AIS grade.
    "A": ["0"],
    "B": ["0"],
    "C": ["2", "1", "3", "1", "0"],  # under half at grade 3 or more
    "D": ["4", "3", "3", "4", "2"],  # at least half at grade 3 or more
}


def demo_exam(level: str, ais: str, *, gain: int = 0) -> dict:
    """An exam consistent with a neurological level (C1..S4-5) and AIS grade; ``gain`` nudges a follow-up.

    Rostral to the level everything is normal; the level itself is normal for sensation and graded 4 for a
    key muscle; below it the grade sets what is spared (none for A; sacral sensation for B; VAC and some
    movement for C and D).
    """
    nli = CORD_INDEX.get(level.replace("-", "_"), CORD_INDEX["T6"])
    ais = ais if ais in _BELOW_MOTOR else "A"
    below_lt, below_pp = {"A": ("0", "0"), "B": ("1", "0"), "C": ("1", "1"), "D": ("1", "1")}[ais]
    exam: dict = {}
    for side in ("right", "left"):
        motor, light_touch, pin_prick = {}, {}, {}
        below = 0
        for muscle in MOTOR_LEVELS:
            index = CORD_INDEX[muscle]
            if index < nli:
                motor[muscle] = "5"
            elif index == nli:
                motor[muscle] = "4"
            else:
                grades = _BELOW_MOTOR[ais]
                grade = int(grades[below % len(grades)])
                # A small follow-up change that stays within the grade: no conversion is shown in the demo.
                if gain and below < gain and ais in ("C", "D") and (grade + 1 >= 3) == (grade >= 3):
                    grade += 1
                motor[muscle] = str(grade)
                below += 1
        for dermatome in DERMATOMES:
            index = CORD_INDEX[dermatome]
            if index <= nli:
                light_touch[dermatome] = pin_prick[dermatome] = "2"
            else:
                light_touch[dermatome], pin_prick[dermatome] = below_lt, below_pp
        if ais == "A":
            # A zone of partial preservation: one dermatome of impaired light touch below the level.
            first_below = DERMATOMES[min(max(nli, 1), len(DERMATOMES) - 2)]
            light_touch[first_below] = "1" if nli < CORD_INDEX["S4_5"] else light_touch[first_below]
        if gain and nli + 1 < CORD_INDEX["S4_5"]:
            light_touch[DERMATOMES[nli]] = "2" if ais != "A" else light_touch[DERMATOMES[nli]]
        exam[side] = {"motor": motor, "lightTouch": light_touch, "pinPrick": pin_prick}
    exam["voluntaryAnalContraction"] = "Yes" if ais in ("C", "D") else "No"
    exam["deepAnalPressure"] = "No" if ais == "A" else "Yes"
    return exam


def _at(day: dt.date, tz) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)), tz)


def seed(ctx) -> None:
    clinician = ctx.users["clinician"]
    today = timezone.localtime(ctx.now).date()
    for patient in ctx.patients[DEMO_PATIENTS]:
        if patient.clinic_id != ctx.clinic.pk:
            continue
        level, grade = patient.sci_neurological_level or "T6", patient.sci_ais_grade or "A"
        plans = [
            ("baseline", today - dt.timedelta(days=150), 0, "Demo baseline exam."),
            ("follow-up", today - dt.timedelta(days=20), 1, "Demo follow-up exam."),
        ]
        for label, day, gain, comments in plans:
            record = isncsci_exam_record(
                actor=clinician,
                patient=patient,
                examined_at=_at(day, patient.tz),
                exam=demo_exam(level, grade, gain=gain),
                comments=comments,
                submission_key=f"demo-{patient.pk}-{label}",
            )
            if (record.ais, record.nli) != (grade, level.replace("-", "_")):
                log.info(
                    "Demo exam of %s classified %s %s (recorded %s %s)",
                    patient,
                    record.nli,
                    record.ais,
                    level,
                    grade,
                )
