"""Seeded generator of varied ISNCSCI exams, shared by the differential test and the benchmark.

The mix is chosen so that every branch of the classification is reached: exams shaped like real injuries
(normal above a level, impaired below it, sometimes with sacral sparing), the same with a few values
replaced by NT or starred values, near-normal exams, and exams drawn uniformly from all allowed values.
Every field gets every value the reference's exam shape accepts, the non-key muscle included: absent,
null, or any of the 22 levels from C5 to S1 (the thoracic levels and L1 as well as the key muscle
levels), often a few levels below the injury, where it can decide between AIS B and C.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

MOTOR_LEVELS = ("C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1")
DERMATOMES = (
    "C2", "C3", "C4", "C5", "C6", "C7", "C8",
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
    "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4_5",
)  # fmt: skip
# Index of each dermatome in the cord, C1 being 0; a key muscle sits at the dermatome of the same name.
CORD_INDEX = {name: i + 1 for i, name in enumerate(DERMATOMES)}

MOTOR_VALUES = (
    "0", "1", "2", "3", "4", "5",
    "0*", "1*", "2*", "3*", "4*",
    "0**", "1**", "2**", "3**", "4**",
    "NT", "NT*", "NT**",
)  # fmt: skip
SENSORY_VALUES = ("0", "1", "2", "0*", "1*", "0**", "1**", "NT", "NT*", "NT**")
OBSERVATIONS = ("Yes", "No", "NT")
NON_KEY = "lowestNonKeyMuscleWithMotorFunction"
# C5 ... S1: the key muscle levels and the levels between them without a key muscle (T2-T12, L1).
NON_KEY_LEVELS = DERMATOMES[DERMATOMES.index("C5") : DERMATOMES.index("S1") + 1]
UNKNOWN_MOTOR = ("NT", "NT*", "NT**", "0*", "1*", "2*", "3*", "4*", "0**", "1**", "2**", "3**", "4**")
UNKNOWN_SENSORY = ("NT", "NT*", "NT**", "0*", "1*", "0**", "1**")

DEFAULT_SEED = 20190401


def _observation(rng: random.Random, yes: float, nt: float) -> str:
    draw = rng.random()
    return "Yes" if draw < yes else "NT" if draw < yes + nt else "No"


def _uniform_side(rng: random.Random) -> dict:
    side: dict = {
        "motor": {k: rng.choice(MOTOR_VALUES) for k in MOTOR_LEVELS},
        "lightTouch": {k: rng.choice(SENSORY_VALUES) for k in DERMATOMES},
        "pinPrick": {k: rng.choice(SENSORY_VALUES) for k in DERMATOMES},
    }
    _maybe_non_key(rng, side, 0.3, None)
    return side


def _maybe_non_key(rng: random.Random, side: dict, probability: float, level: int | None) -> None:
    """With `probability`, a lowest non-key muscle: any level from C5 to S1, or (for an injury at cord
    index `level`) one near or more than three levels below it; now and then an explicit null."""
    draw = rng.random()
    if draw >= probability:
        return
    if draw < probability * 0.1:
        side[NON_KEY] = None
    elif level is None or draw < probability * 0.5:
        side[NON_KEY] = rng.choice(NON_KEY_LEVELS)
    else:
        below = min(len(NON_KEY_LEVELS) - 1, max(0, level + rng.randrange(-1, 9) - CORD_INDEX["C5"]))
        side[NON_KEY] = NON_KEY_LEVELS[below]


def _injured_side(rng: random.Random, level: int, severity: float, sparing: bool) -> dict:
    """A side normal down to cord index `level` and impaired below it; severity 1.0 means nothing below."""
    motor, light_touch, pin_prick = {}, {}, {}
    for name in DERMATOMES:
        below = CORD_INDEX[name] - level
        if below <= 0:
            light_touch[name] = pin_prick[name] = "2"
        elif name == "S4_5" and sparing:
            light_touch[name] = rng.choice(("1", "2", "1", "0"))
            pin_prick[name] = rng.choice(("0", "1", "2"))
        elif rng.random() < severity:
            light_touch[name] = pin_prick[name] = "0"
        else:
            # Zone of partial preservation: impaired sensation fading with distance.
            light_touch[name] = "1" if rng.random() < 0.7 / below else rng.choice(("0", "1", "2", "0"))
            pin_prick[name] = "1" if rng.random() < 0.6 / below else rng.choice(("0", "1", "0"))
    motor_level = level + rng.choice((0, 0, 0, 1, -1, 2))
    for name in MOTOR_LEVELS:
        below = CORD_INDEX[name] - motor_level
        if below < 0:
            motor[name] = "5"
        elif below == 0:
            motor[name] = rng.choice(("3", "4", "5", "3", "4"))
        elif rng.random() < severity:
            motor[name] = "0"
        else:
            motor[name] = str(max(0, min(5, round(rng.gauss(5 - below, 1.5)))))
    side: dict = {"motor": motor, "lightTouch": light_touch, "pinPrick": pin_prick}
    _maybe_non_key(rng, side, 0.3, motor_level)
    return side


def _sprinkle(rng: random.Random, side: dict, count: int) -> None:
    """Replace `count` values with untested or starred ones, biased towards the injury's neighbourhood."""
    for _ in range(count):
        part = rng.choice(("motor", "lightTouch", "pinPrick"))
        key = rng.choice(MOTOR_LEVELS if part == "motor" else DERMATOMES)
        pool = UNKNOWN_MOTOR if part == "motor" else UNKNOWN_SENSORY
        side[part][key] = (
            rng.choice(pool)
            if rng.random() < 0.85
            else rng.choice(MOTOR_VALUES if part == "motor" else SENSORY_VALUES)
        )


def _injury_exam(rng: random.Random, noise: int) -> dict:
    level = rng.randrange(0, len(DERMATOMES) + 1)  # 0: C1 injury; 28: intact down to S4-5
    severity = rng.choice((1.0, 1.0, 0.9, 0.6, 0.3, 0.0))
    complete = severity == 1.0 and rng.random() < 0.6
    sparing = not complete and rng.random() < 0.7
    levels = (level, min(len(DERMATOMES), max(0, level + rng.choice((0, 0, 0, 1, -1, 2, -2)))))
    right, left = (_injured_side(rng, lvl, severity, sparing and rng.random() < 0.8) for lvl in levels)
    if noise:
        for side in (right, left):
            _sprinkle(rng, side, rng.randrange(noise + 1))
    if complete:
        vac, dap = "No", "No"
    else:
        vac = _observation(rng, 0.35, 0.15)
        dap = _observation(rng, 0.45, 0.15)
    return {"right": right, "left": left, "voluntaryAnalContraction": vac, "deepAnalPressure": dap}


def _uniform_exam(rng: random.Random) -> dict:
    return {
        "right": _uniform_side(rng),
        "left": _uniform_side(rng),
        "voluntaryAnalContraction": rng.choice(OBSERVATIONS),
        "deepAnalPressure": rng.choice(OBSERVATIONS),
    }


def generate_exam(rng: random.Random) -> dict:
    kind = rng.random()
    if kind < 0.35:
        return _injury_exam(rng, noise=0)
    if kind < 0.75:
        return _injury_exam(rng, noise=rng.choice((1, 2, 3, 6)))
    if kind < 0.82:
        exam = _injury_exam(rng, noise=0)
        for side in (exam["right"], exam["left"]):
            for part in ("lightTouch", "pinPrick"):
                side[part] = dict.fromkeys(DERMATOMES, "2")
            side["motor"] = dict.fromkeys(MOTOR_LEVELS, "5")
            _sprinkle(rng, side, rng.randrange(3))
        exam["voluntaryAnalContraction"] = rng.choice(("Yes", "Yes", "NT", "No"))
        return exam
    return _uniform_exam(rng)


def generate_exams(count: int, seed: int = DEFAULT_SEED) -> Iterator[dict]:
    rng = random.Random(seed)
    for _ in range(count):
        yield generate_exam(rng)


def exam_lines(count: int, seed: int = DEFAULT_SEED) -> list[str]:
    return [json.dumps(exam, separators=(",", ":")) for exam in generate_exams(count, seed)]
