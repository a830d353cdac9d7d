"""Rest and strength: sleep quality NRS and PSQI, Fatigue Severity Scale, grip dynamometry."""

from __future__ import annotations

from collections.abc import Mapping

from exoclinic.core.errors import translate as _
from exoclinic.core.wording import gettext_noop

from .base import Choice, Indicator, InstrumentDefinition, ItemDefinition, ItemReader, Measure, Score
from .rules import GRIP_NOISE

# ---- Sleep: quality NRS (higher is better) and the Pittsburgh Sleep Quality Index (Buysse 1989) --------

PSQI_POOR_SLEEP_ABOVE = 5  # clinical facts §2: a global score above 5 means poor sleep

PSQI_COMPONENTS: dict[str, str] = {
    "psqi_subjective_quality": "PSQI component: subjective sleep quality",
    "psqi_latency": "PSQI component: sleep latency",
    "psqi_duration": "PSQI component: sleep duration",
    "psqi_efficiency": "PSQI component: habitual sleep efficiency",
    "psqi_disturbances": "PSQI component: sleep disturbances",
    "psqi_medication": "PSQI component: use of sleeping medication",
    "psqi_daytime_dysfunction": "PSQI component: daytime dysfunction",
}
_COMPONENT = tuple(Choice(v, str(v), v) for v in range(4))

SLEEP_ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        "quality",
        "Sleep quality",
        tuple(
            Choice(v, {0: "Worst possible sleep", 10: "Best possible sleep"}.get(v, str(v)), v)
            for v in range(11)
        ),
        required=False,
    ),
    ItemDefinition(
        "psqi_global", "PSQI global score", tuple(Choice(v, str(v), v) for v in range(22)), required=False
    ),
    *(ItemDefinition(key, label, _COMPONENT, required=False) for key, label in PSQI_COMPONENTS.items()),
)

SLEEP_MEASURES: tuple[Measure, ...] = (
    Measure("sleep.quality", gettext_noop("Sleep quality"), "point", True, 0, 10),
    Measure(
        "sleep.psqi_global",
        gettext_noop("PSQI global score"),
        "point",
        False,
        0,
        21,
        note="Above 5 means poor sleep.",
    ),
)


def score_sleep(items: Mapping[str, object]) -> Score:
    reader = ItemReader(SLEEP_ITEMS, items)
    points = reader.points
    components = [points.get(key) for key in PSQI_COMPONENTS]
    entered = [key for key in PSQI_COMPONENTS if key in items and points.get(key) is not None]
    psqi = points.get("psqi_global")
    if entered and len(entered) < len(PSQI_COMPONENTS):
        missing = next(key for key in PSQI_COMPONENTS if points.get(key) is None)
        reader.refuse(
            missing,
            _("%(component)s is required when PSQI components are entered")
            % {"component": PSQI_COMPONENTS[missing]},
        )
    elif entered:
        component_sum = sum(c for c in components if c is not None)
        if psqi is not None and psqi != component_sum:
            reader.refuse(
                "psqi_global",
                _("PSQI global score %(psqi)s differs from its components' sum %(sum)s")
                % {"psqi": psqi, "sum": component_sum},
            )
        psqi = component_sum
    if points.get("quality") is None and psqi is None and not reader.problems:
        reader.refuse("quality", _("Enter the sleep quality rating or the PSQI global score"))
    reader.raise_if_invalid()
    band = label = None
    if psqi is not None:
        poor = psqi > PSQI_POOR_SLEEP_ABOVE
        band = "poor_sleep" if poor else "not_poor_sleep"
        label = "Poor sleep (PSQI above 5)" if poor else "Not in the poor-sleep range (PSQI 5 or less)"
    entered_items = dict(reader.entered)
    values = {"quality": points.get("quality"), "psqi_global": psqi}
    return Score(
        instrument="sleep",
        total=values["quality"],
        values=values,
        items=entered_items,
        band=band,
        band_label=label,
    )


SLEEP = InstrumentDefinition(
    code="sleep",
    name=gettext_noop("Sleep quality NRS and Pittsburgh Sleep Quality Index (PSQI)"),
    indicator=Indicator.REST_AND_STRENGTH,
    items=SLEEP_ITEMS,
    measures=SLEEP_MEASURES,
    source=gettext_noop("Sleep quality NRS 0-10; PSQI global 0-21, above 5 poor sleep (Buysse 1989)"),
    scorer=score_sleep,
    note="Enter the PSQI global score directly, or all seven components (0-3 each) to have it summed.",
)

# ---- Fatigue Severity Scale (Krupp 1989) ----------------------------------------------------------------

FSS_SUBSTANTIAL_FROM = 4  # clinical facts §2: a mean of 4 or more is substantial fatigue

FSS_STATEMENTS = (
    "My motivation is lower when I am fatigued",
    "Exercise brings on my fatigue",
    "I am easily fatigued",
    "Fatigue interferes with my physical functioning",
    "Fatigue causes frequent problems for me",
    "My fatigue prevents sustained physical functioning",
    "Fatigue interferes with carrying out certain duties and responsibilities",
    "Fatigue is among my three most disabling symptoms",
    "Fatigue interferes with my work, family or social life",
)
_AGREEMENT = tuple(
    Choice(v, {1: "Strongly disagree", 7: "Strongly agree"}.get(v, str(v)), v) for v in range(1, 8)
)
FSS_ITEMS: tuple[ItemDefinition, ...] = tuple(
    ItemDefinition(f"item{i}", f"Item {i}: {text}", _AGREEMENT) for i, text in enumerate(FSS_STATEMENTS, 1)
)
FSS_MEASURES: tuple[Measure, ...] = (
    Measure(
        "fss.mean",
        gettext_noop("Fatigue Severity Scale"),
        "point",
        False,
        1,
        7,
        note="Mean of 9 items; meaningful change not established: raw change shown.",
    ),
)


def score_fss(items: Mapping[str, object]) -> Score:
    reader = ItemReader(FSS_ITEMS, items)
    reader.raise_if_invalid()
    total = sum(reader.present().values())
    mean = total / len(FSS_ITEMS)
    substantial = total >= FSS_SUBSTANTIAL_FROM * len(FSS_ITEMS)  # compared on the sum: no rounding at 4.0
    return Score(
        instrument="fss",
        total=mean,
        values={"mean": mean},
        items=reader.entered,
        band="substantial_fatigue" if substantial else "below_substantial_fatigue",
        band_label="Substantial fatigue (mean 4 or more)"
        if substantial
        else "Below substantial fatigue (mean under 4)",
    )


FSS = InstrumentDefinition(
    code="fss",
    name=gettext_noop("Fatigue Severity Scale (FSS)"),
    indicator=Indicator.REST_AND_STRENGTH,
    items=FSS_ITEMS,
    measures=FSS_MEASURES,
    source=gettext_noop("Krupp 1989: 9 items 1-7, score = mean, 4 or more substantial fatigue"),
    scorer=score_fss,
    note="No established change threshold: raw change shown.",
)

# ---- Grip strength by hand-held dynamometer --------------------------------------------------------------

GRIP_MAX_KG = 100.0  # a data-entry guard against typos (e.g. 350 for 35.0), not a clinical limit

GRIP_ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        "right_kg", "Grip strength, right hand", minimum=0.0, maximum=GRIP_MAX_KG, unit="kg", required=False
    ),
    ItemDefinition(
        "left_kg", "Grip strength, left hand", minimum=0.0, maximum=GRIP_MAX_KG, unit="kg", required=False
    ),
)
GRIP_MEASURES: tuple[Measure, ...] = (
    Measure(
        "grip.right_kg", gettext_noop("Right grip strength"), "kg", True, 0, GRIP_MAX_KG, rules=(GRIP_NOISE,)
    ),
    Measure(
        "grip.left_kg", gettext_noop("Left grip strength"), "kg", True, 0, GRIP_MAX_KG, rules=(GRIP_NOISE,)
    ),
)


def score_grip(items: Mapping[str, object]) -> Score:
    reader = ItemReader(GRIP_ITEMS, items)
    if not reader.present() and not reader.problems:
        reader.refuse("right_kg", _("Enter the grip strength of at least one hand"))
    reader.raise_if_invalid()
    values = {"right_kg": reader.points["right_kg"], "left_kg": reader.points["left_kg"]}
    # Two hands, no combined score: a mean or maximum of hands is not a published summary.
    return Score(instrument="grip", total=None, values=values, items=reader.entered)


GRIP = InstrumentDefinition(
    code="grip",
    name=gettext_noop("Grip strength (hand-held dynamometer)"),
    indicator=Indicator.REST_AND_STRENGTH,
    items=GRIP_ITEMS,
    measures=GRIP_MEASURES,
    source=gettext_noop("Grip dynamometry in kg per hand; 95% repeat difference 3.5 kg"),
    scorer=score_grip,
    note=f"Values above {GRIP_MAX_KG:g} kg are refused as likely typos. No total: one value per hand.",
)
