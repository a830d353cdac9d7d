"""The classification result and its interchange form (the reference's shape and key order)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from .template import JSON_TEMPLATE
from .totals import totals_values


class SideTotals(NamedTuple):
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str
    motor: str


class Totals(NamedTuple):
    right: SideTotals
    left: SideTotals
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str


class NeurologicalLevels(NamedTuple):
    sensory_right: str
    sensory_left: str
    motor_right: str
    motor_left: str


class ZonesOfPartialPreservation(NamedTuple):
    sensory_right: str
    sensory_left: str
    motor_right: str
    motor_left: str


class Classification(NamedTuple):
    neurological_levels: NeurologicalLevels
    neurological_level_of_injury: str
    injury_complete: str
    asia_impairment_scale: str
    zones_of_partial_preservation: ZonesOfPartialPreservation


class Result(NamedTuple):
    """Every value is a string: one value, or every possible value rostral to caudal joined by commas."""

    classification: Classification
    totals: Totals

    def to_dict(self) -> dict[str, Any]:
        c, t = self.classification, self.totals
        levels, zones = c.neurological_levels, c.zones_of_partial_preservation
        return {
            "classification": {
                "neurologicalLevels": {
                    "sensoryRight": levels.sensory_right,
                    "sensoryLeft": levels.sensory_left,
                    "motorRight": levels.motor_right,
                    "motorLeft": levels.motor_left,
                },
                "neurologicalLevelOfInjury": c.neurological_level_of_injury,
                "injuryComplete": c.injury_complete,
                "ASIAImpairmentScale": c.asia_impairment_scale,
                "zoneOfPartialPreservations": {
                    "sensoryRight": zones.sensory_right,
                    "sensoryLeft": zones.sensory_left,
                    "motorRight": zones.motor_right,
                    "motorLeft": zones.motor_left,
                },
            },
            "totals": {
                "left": _side_totals(t.left),
                "right": _side_totals(t.right),
                "upperExtremity": t.upper_extremity,
                "lowerExtremity": t.lower_extremity,
                "lightTouch": t.light_touch,
                "pinPrick": t.pin_prick,
            },
        }

    def to_json(self) -> str:
        """Compact JSON, byte for byte what JSON.stringify gives for the reference's result."""
        c, t = self.classification, self.totals
        # Every value comes from a fixed vocabulary of level names, digits, commas and stars: no escaping.
        return JSON_TEMPLATE % (
            *c.neurological_levels,
            c.neurological_level_of_injury,
            c.injury_complete,
            c.asia_impairment_scale,
            *c.zones_of_partial_preservation,
            *t.left,
            *t.right,
            t.upper_extremity,
            t.lower_extremity,
            t.light_touch,
            t.pin_prick,
        )


def result_from_values(v: tuple[str, ...]) -> Result:
    """The Result of the 25 strings in the order of JSON_TEMPLATE (as `classify_values` gives them)."""
    return Result(
        Classification(
            NeurologicalLevels(v[0], v[1], v[2], v[3]), v[4], v[5], v[6], ZonesOfPartialPreservation(*v[7:11])
        ),
        Totals(SideTotals(*v[16:21]), SideTotals(*v[11:16]), v[21], v[22], v[23], v[24]),
    )


def _side_totals(side: SideTotals) -> dict[str, str]:
    return {
        "upperExtremity": side.upper_extremity,
        "lowerExtremity": side.lower_extremity,
        "lightTouch": side.light_touch,
        "pinPrick": side.pin_prick,
        "motor": side.motor,
    }


def exam_totals(
    right: tuple[Sequence[str], Sequence[str], Sequence[str]],
    left: tuple[Sequence[str], Sequence[str], Sequence[str]],
) -> Totals:
    """Totals of both sides and of the exam, from each side's (motor, light touch, pin prick) values
    in the order of MOTOR_LEVELS and DERMATOMES."""
    v = totals_values(*right, *left)
    return Totals(SideTotals(*v[5:10]), SideTotals(*v[:5]), *v[10:])
