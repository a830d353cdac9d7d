"""Outcome records for tests: complete instrument items and diary ratings."""

from __future__ import annotations

import datetime as dt

import factory

from exoclinic.outcomes.models import Assessment, DiaryEntry
from tests.factories import PatientFactory

SCIM_ITEMS = {
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
}  # self-care 8, respiration and sphincter 22, mobility 11: total 41

RATINGS = {
    "movement": 3,
    "muscle_relaxation": 6,
    "bowel_bladder": 4,
    "sensation": 3,
    "pain": 7,
    "rest_strength": 4,
}


def scim_items(**changes) -> dict:
    return {**SCIM_ITEMS, **changes}


def isncsci_items(**changes) -> dict:
    return {
        "uems": 30,
        "lems": 0,
        "total_motor": 30,
        "lt_total": 50,
        "pp_total": 45,
        "ais": "A",
        "nli": "C6",
        "motor_level_right": "C6",
        "motor_level_left": "C6",
        "sensory_level_right": "C6",
        "sensory_level_left": "C6",
        **changes,
    }


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A stored pain assessment (values as the scorer gives them); use the service for real scoring."""

    class Meta:
        model = Assessment

    patient = factory.SubFactory(PatientFactory)
    instrument = "pain"
    taken_on = dt.date(2025, 1, 10)
    items = factory.LazyFunction(lambda: {"average": 6})
    values = factory.LazyFunction(lambda: {"average": 6})
    follow_up_months = 0


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryEntry

    patient = factory.SubFactory(PatientFactory)
    week_start = dt.date(2025, 1, 6)
    movement = 3
    muscle_relaxation = 6
    bowel_bladder = 4
    sensation = 3
    pain = 7
    rest_strength = 4
