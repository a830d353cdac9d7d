"""The six indicators patients are asked to watch, as short self-ratings (0-10).

Used by the application form (its self-ratings become the first diary entry) and by the weekly progress
diary. These are patient self-ratings, not validated instruments: the validated measures of each indicator
are in ``outcomes.instruments``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SelfRatedIndicator:
    code: str
    label: str
    question: str
    low: str  # meaning of 0
    high: str  # meaning of 10
    higher_is_better: bool


SCALE = range(0, 11)

INDICATORS: tuple[SelfRatedIndicator, ...] = (
    SelfRatedIndicator(
        "movement",
        _("Movement"),
        _("How well can you move the parts of your body affected by your condition?"),
        _("no movement"),
        _("normal movement"),
        True,
    ),
    SelfRatedIndicator(
        "muscle_relaxation",
        _("Muscle stiffness and spasms"),
        _("How much have stiffness and spasms troubled you this week?"),
        _("not at all"),
        _("as much as I can imagine"),
        False,
    ),
    SelfRatedIndicator(
        "bowel_bladder",
        _("Bowel and bladder control"),
        _("How much control have you had over your bladder and bowel this week?"),
        _("no control"),
        _("full control"),
        True,
    ),
    SelfRatedIndicator(
        "sensation",
        _("Sensation"),
        _("How much feeling do you have in the areas affected by your condition?"),
        _("no feeling"),
        _("normal feeling"),
        True,
    ),
    SelfRatedIndicator(
        "pain",
        _("Pain"),
        _("What was your average pain this week?"),
        _("no pain"),
        _("worst pain imaginable"),
        False,
    ),
    SelfRatedIndicator(
        "rest_strength",
        _("Sleep and strength"),
        _("How rested and strong have you felt this week?"),
        _("exhausted and weak"),
        _("fully rested and strong"),
        True,
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def validate_ratings(ratings: dict) -> dict[str, int]:
    """Check a {code: 0..10} mapping; every indicator is required. Raises InvalidInput naming the code."""
    from exoclinic.core.errors import InvalidInput

    clean: dict[str, int] = {}
    for key in ratings:
        if key not in BY_CODE:
            raise InvalidInput(_("Unknown indicator %(code)s.") % {"code": key}, field=key)
    for indicator in INDICATORS:
        value = ratings.get(indicator.code)
        if value is None or value == "":
            raise InvalidInput(
                _("Rate %(indicator)s from 0 to 10.") % {"indicator": str(indicator.label).lower()},
                field=indicator.code,
            )
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                _("%(indicator)s: enter a whole number from 0 to 10.") % {"indicator": indicator.label},
                field=indicator.code,
            ) from None
        if str(number) != str(value).strip() and not isinstance(value, int):
            raise InvalidInput(
                _("%(indicator)s: enter a whole number from 0 to 10.") % {"indicator": indicator.label},
                field=indicator.code,
            )
        if number not in SCALE:
            raise InvalidInput(
                _("%(indicator)s: %(number)s is outside 0 to 10.")
                % {"indicator": indicator.label, "number": number},
                field=indicator.code,
            )
        clean[indicator.code] = number
    return clean
