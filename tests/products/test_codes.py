"""Lot codes with an ISO 7064 MOD 37-2 check character.

Values: 0-9 -> 0-9, A-Z -> 10-35, * -> 36. Recursion p = (p + value) * 2 mod 37 from p = 0; the check
value c makes (p + c) mod 37 == 1, so c = (38 - p) mod 37.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exoclinic.core.errors import InvalidInput
from exoclinic.products.codes import (
    ALPHABET,
    LotCode,
    check_character,
    has_valid_check,
    is_valid,
    make_code,
    normalise,
    parse,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "A1": A=10 -> (0+10)*2 = 20; 1 -> (20+1)*2 = 42 = 5 mod 37; c = 38-5 = 33 -> "X"
        ("A1", "X"),
        # "1": (0+1)*2 = 2; c = 38-2 = 36 -> "*"
        ("1", "*"),
        # "J": J=19 -> 38 = 1 mod 37; c = 38-1 = 37 = 0 mod 37 -> "0"
        ("J", "0"),
        # "Z": Z=35 -> 70 = 33 mod 37; c = 38-33 = 5 -> "5"
        ("Z", "5"),
        # "MAD2026000123": M 22 -> 44=7; A 10 -> 34; D 13 -> 94=20; 2 -> 44=7; 0 -> 14; 2 -> 32;
        # 6 -> 76=2; 0 -> 4; 0 -> 8; 0 -> 16; 1 -> 34; 2 -> 72=35; 3 -> 76=2; c = 38-2 = 36 -> "*"
        ("MAD2026000123", "*"),
        # "MAD2026000124": as above to 35 after "...12"; 4 -> (35+4)*2 = 78 = 4; c = 38-4 = 34 -> "Y"
        ("MAD2026000124", "Y"),
    ],
)
def test_check_character_matches_values_worked_by_hand(body, expected):
    assert check_character(body) == expected


def _weighted_check_holds(text: str) -> bool:
    # Independent form of the same rule: sum of value * 2^(n - i) over positions i = 1..n, with the check
    # character last (weight 1), is 1 mod 37.
    n = len(text)
    return sum(ALPHABET.index(ch) * pow(2, n - i, 37) for i, ch in enumerate(text, start=1)) % 37 == 1


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=20))
def test_check_character_agrees_with_the_weighted_sum_definition(body):
    assert _weighted_check_holds(body + check_character(body))


def test_make_code_gives_the_canonical_dashed_form():
    assert make_code("mad", 124, year=2026) == "MAD-2026-000124-Y"
    assert make_code("MAD", 123, year=2026) == "MAD-2026-000123-*"


def test_parse_reads_the_parts_back():
    assert parse("MAD-2026-000124-Y") == LotCode("MAD", 2026, 124, "Y")
    assert parse("MAD-2026-000124-Y").text == "MAD-2026-000124-Y"


@pytest.mark.parametrize(
    "typed",
    [
        "mad-2026-000124-y",
        " MAD 2026 000124 Y ",
        "MAD2026000124Y",
        "mad\u20132026\u2013000124\u2013y",
        "MAD_2026.000124/Y",
    ],
)
def test_typed_input_is_normalised_before_checking(typed):
    assert normalise(typed) == "MAD2026000124Y"
    assert is_valid(typed)
    assert parse(typed).text == "MAD-2026-000124-Y"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "MAD-2026-000124",
        "MAD-2026-000124-Z",
        "M-2026-000124-Y",
        "MADRID-2026-000124-Y",
        "MAD-26-124-Y",
        "MAD-2026-000124-Y!",
    ],
)
def test_malformed_or_wrongly_checked_codes_are_not_valid(typed):
    assert not is_valid(typed)


def test_wrong_check_character_is_refused_with_a_message_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        parse("MAD-2026-000124-Z", field="lot_code")

    assert refused.value.field == "lot_code"
    assert "check character" in refused.value.message


def test_sequence_zero_is_not_a_lot():
    body = "MAD2026000000"

    assert not is_valid(body + check_character(body))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"prefix": "M1", "sequence": 1, "year": 2026}, "prefix"),
        ({"prefix": "MAD", "sequence": 0, "year": 2026}, "sequence"),
        ({"prefix": "MAD", "sequence": 1_000_000, "year": 2026}, "sequence"),
        ({"prefix": "MAD", "sequence": 1, "year": 26}, "year"),
    ],
)
def test_make_code_refuses_bad_parts_naming_them(kwargs, field):
    with pytest.raises(InvalidInput) as refused:
        make_code(kwargs.pop("prefix"), kwargs.pop("sequence"), **kwargs)

    assert refused.value.field == field


codes = st.builds(
    lambda prefix, seq, year: make_code(prefix, seq, year=year),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=5),
    st.integers(1, 999_999),
    st.integers(2000, 2099),
)


@given(codes, st.data())
def test_every_single_character_substitution_is_detected(code, data):
    compact = normalise(code)
    position = data.draw(st.integers(0, len(compact) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET).filter(lambda ch: ch != compact[position]))
    changed = compact[:position] + replacement + compact[position + 1 :]

    assert not has_valid_check(changed)
    assert not is_valid(changed)


@given(codes, st.data())
def test_every_adjacent_transposition_is_detected(code, data):
    compact = normalise(code)
    position = data.draw(st.integers(0, len(compact) - 2))
    a, b = compact[position], compact[position + 1]
    swapped = compact[:position] + b + a + compact[position + 2 :]

    assert has_valid_check(swapped) == (a == b)
    assert is_valid(swapped) == (a == b)


def test_every_substitution_in_one_code_is_detected_exhaustively():
    compact = normalise(make_code("MAD", 124, year=2026))

    for position, original in enumerate(compact):
        for replacement in ALPHABET:
            if replacement != original:
                assert not has_valid_check(compact[:position] + replacement + compact[position + 1 :])
