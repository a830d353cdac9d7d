import pytest

from exoclinic.core.errors import InvalidInput
from exoclinic.outcomes.indicators import INDICATORS, validate_ratings

FULL = {i.code: 5 for i in INDICATORS}


def test_six_indicators_with_direction():
    assert [i.code for i in INDICATORS] == [
        "movement",
        "muscle_relaxation",
        "bowel_bladder",
        "sensation",
        "pain",
        "rest_strength",
    ]
    assert {i.code for i in INDICATORS if not i.higher_is_better} == {"muscle_relaxation", "pain"}


def test_valid_ratings_are_returned_as_integers():
    assert validate_ratings({**FULL, "pain": "7"})["pain"] == 7


@pytest.mark.parametrize(
    "change,field",
    [
        ({"pain": 11}, "pain"),
        ({"movement": -1}, "movement"),
        ({"sleep": 3}, "sleep"),
        ({"sensation": "2.5"}, "sensation"),
        ({"bowel_bladder": None}, "bowel_bladder"),
        ({"rest_strength": "lots"}, "rest_strength"),
    ],
)
def test_bad_ratings_are_refused_naming_the_indicator(change, field):
    with pytest.raises(InvalidInput) as err:
        validate_ratings({**FULL, **change})
    assert err.value.field == field
