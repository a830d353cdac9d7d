"""Exams in the interchange format, and stored exams."""

from __future__ import annotations

import copy
import datetime as dt

from django.utils import timezone

from isncsci import DERMATOMES, MOTOR_LEVELS


def normal_exam() -> dict:
    side = {
        "motor": dict.fromkeys(MOTOR_LEVELS, "5"),
        "lightTouch": dict.fromkeys(DERMATOMES, "2"),
        "pinPrick": dict.fromkeys(DERMATOMES, "2"),
    }
    return {
        "right": copy.deepcopy(side),
        "left": copy.deepcopy(side),
        "voluntaryAnalContraction": "Yes",
        "deepAnalPressure": "Yes",
    }


def complete_t6_exam() -> dict:
    """A complete injury below T6: sensation normal to T6, nothing below; arms normal, legs 0."""
    exam = normal_exam()
    below = DERMATOMES[DERMATOMES.index("T7") :]
    for side in ("right", "left"):
        for level in ("L2", "L3", "L4", "L5", "S1"):
            exam[side]["motor"][level] = "0"
        for level in below:
            exam[side]["lightTouch"][level] = "0"
            exam[side]["pinPrick"][level] = "0"
    exam["voluntaryAnalContraction"] = "No"
    exam["deepAnalPressure"] = "No"
    return exam


def recorded_exam(*, actor, patient, exam=None, examined_at=None, comments=""):
    from exoclinic.exams.services import isncsci_exam_record

    return isncsci_exam_record(
        actor=actor,
        patient=patient,
        examined_at=examined_at or timezone.now() - dt.timedelta(days=1),
        exam=exam or complete_t6_exam(),
        comments=comments,
    )
