"""Change thresholds and their sources, exactly as written in the clinical facts (§1-§3); nothing added.

Values marked unconfirmed there are built by functions so a clinic setting can replace the default.
"""

from __future__ import annotations

from exoclinic.core.wording import gettext_noop

from .base import ChangeRule, ThresholdKind

SCIVOLETTO_2013 = "Scivoletto 2013"
FARRAR_2001 = "Farrar 2001"
HANLEY_2006 = "Hanley 2006"
MARINO_2008 = "Marino 2008, J Spinal Cord Med 31"
KRAMER_2012 = "Kramer 2012"
GRIP_REPEAT = "hand-held dynamometry, 95% repeat difference"
UNCONFIRMED = "unconfirmed default: set per clinic"

SCIM_SCIVOLETTO = ChangeRule(
    code="scivoletto2013",
    kind=ThresholdKind.MEANINGFUL_CHANGE,
    points=4,
    description=gettext_noop("4-point small meaningful change"),
    substantial_points=10,
    substantial_description=gettext_noop("10-point substantial change"),
    source=SCIVOLETTO_2013,
)

PAIN_FARRAR = ChangeRule(
    code="farrar2001",
    kind=ThresholdKind.MEANINGFUL_CHANGE,
    points=2,
    percent=30,
    description=gettext_noop("2-point or 30% change that patients notice"),
    worsening_description=gettext_noop("2-point change that patients notice"),
    source=FARRAR_2001,
)

PAIN_HANLEY = ChangeRule(
    code="hanley2006",
    kind=ThresholdKind.MEANINGFUL_CHANGE,
    points=1.8,
    percent=36,
    description=gettext_noop("1.8-point or 36% change found meaningful in spinal cord injury"),
    worsening_description=gettext_noop("1.8-point change found meaningful in spinal cord injury"),
    source=HANLEY_2006,
)

MOTOR_NOISE = ChangeRule(
    code="marino2008_motor",
    kind=ThresholdKind.NOISE_FLOOR,
    points=2,
    description=gettext_noop("2-point test-retest noise in complete injuries"),
    source=MARINO_2008,
    complete_injury_only=True,
)

SENSORY_NOISE = ChangeRule(
    code="marino2008_sensory",
    kind=ThresholdKind.NOISE_FLOOR,
    points=7,
    description=gettext_noop("7-point test-retest noise in complete injuries"),
    source=MARINO_2008,
    complete_injury_only=True,
)

MOTOR_LEVEL_KRAMER = ChangeRule(
    code="kramer2012",
    kind=ThresholdKind.MEANINGFUL_CHANGE,
    points=2,
    description=gettext_noop("2-level change that relates to a meaningful self-care gain"),
    # Kramer 2012 is about gains; a loss is named as a loss and never called a self-care gain.
    worsening_description=gettext_noop("2-level change linked to self-care"),
    source=KRAMER_2012,
)

GRIP_NOISE = ChangeRule(
    code="grip_repeat_difference",
    kind=ThresholdKind.NOISE_FLOOR,
    points=3.5,
    description=gettext_noop("3.5 kg that 95% of repeated measurements stay within"),
    source=GRIP_REPEAT,
)

MAS_GRADE_THRESHOLD_DEFAULT = 1


def mas_grade_rule(grades: float = MAS_GRADE_THRESHOLD_DEFAULT) -> ChangeRule:
    """The Modified Ashworth change threshold; one grade is an unconfirmed default."""
    if grades <= 0:
        raise ValueError("The MAS threshold must be a positive number of grades")
    amount = "one-grade" if grades == 1 else f"{grades:g}-grade"
    return ChangeRule(
        code="mas_grade",
        kind=ThresholdKind.MEANINGFUL_CHANGE,
        points=grades,
        description=f"{amount} change used as a default threshold (unconfirmed, no established threshold)",
        source=UNCONFIRMED,
        confirmed=False,
    )


SCI_SET_MDC = ChangeRule(
    code="sciset_mdc",
    kind=ThresholdKind.NOISE_FLOOR,
    points=0.82,
    description=gettext_noop(
        "0.82-point minimal detectable change (the top of the published 0.47-0.82 range)"
    ),
    source=gettext_noop("SCI-SET MDC 0.47-0.82 (Adams 2007; Ansari 2017)"),
)
