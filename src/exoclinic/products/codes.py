"""Lot identification codes: distinct, free of patient data, with an ISO 7064 MOD 37-2 check character.

The design follows the tracking model of 21 CFR 1271.290 (a distinct code per product unit, no patient
data); ISBT 128 itself needs a paid licence, so we use our own layout with the public check algorithm
ISBT 128 also uses.

Layout: ``PREFIX-YYYY-NNNNNN-C``, for example ``MAD-2026-000124-Y``
- PREFIX: the clinic's code, 2 to 5 letters A-Z (letters only, so the parts can be told apart when a
  code is typed without dashes);
- YYYY: the year the lot was registered;
- NNNNNN: the clinic's sequence number within that year, 1 to 999999, zero-padded;
- C: the ISO 7064 MOD 37-2 check character over ``PREFIX + YYYY + NNNNNN`` (dashes are not part of it).

The dashed form is canonical: print it on labels and store it. Typed input is accepted in any case,
with or without spaces and dashes (``parse`` and ``normalise``).

MOD 37-2 is a pure ISO 7064 system: alphabet 0-9 (values 0-9), A-Z (10-35) and ``*`` (36); with
``p = 0`` and ``p = ((p + value) * 2) mod 37`` for each character, the check value ``c`` makes
``(p + c) mod 37 == 1``. Because 37 is prime and the weights (powers of 2) are never 0 mod 37, it
detects every single-character substitution and every transposition of adjacent characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from exoclinic.core.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_MODULUS = 37
_RADIX = 2
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_./]+")  # spaces, hyphen and dash variants, _ . /
_PREFIX = re.compile(r"[A-Z]{2,5}")
_COMPACT = re.compile(r"([A-Z]{2,5})(\d{4})(\d{6})([0-9A-Z*])")
MAX_SEQUENCE = 999_999


def _values(text: str, *, field: str) -> list[int]:
    values = []
    for ch in text:
        index = ALPHABET.find(ch)
        if index < 0:
            raise InvalidInput(
                _("'%(character)s' cannot appear in a lot code.") % {"character": ch}, field=field
            )
        values.append(index)
    return values


def _remainder(values: list[int]) -> int:
    p = 0
    for v in values:
        p = (p + v) * _RADIX % _MODULUS
    return p


def check_character(body: str) -> str:
    """The MOD 37-2 check character for ``body`` (upper-case 0-9, A-Z, ``*``; no separators)."""
    if not body:
        raise InvalidInput(_("A lot code body cannot be empty."), field="code")
    return ALPHABET[(_MODULUS + 1 - _remainder(_values(body, field="code"))) % _MODULUS]


def has_valid_check(text: str) -> bool:
    """Whether the last character of ``text`` is the MOD 37-2 check character of the rest."""
    if len(text) < 2 or any(ch not in ALPHABET for ch in text):
        return False
    values = _values(text, field="code")
    return (_remainder(values[:-1]) + values[-1]) % _MODULUS == 1


@dataclass(frozen=True)
class LotCode:
    prefix: str
    year: int
    sequence: int
    check: str

    @property
    def body(self) -> str:
        """What the check character is computed over."""
        return f"{self.prefix}{self.year:04d}{self.sequence:06d}"

    @property
    def text(self) -> str:
        """The canonical form, for labels and storage."""
        return f"{self.prefix}-{self.year:04d}-{self.sequence:06d}-{self.check}"

    def __str__(self) -> str:
        return self.text


def normalise(typed: str) -> str:
    """Typed input in compact form: upper case, without spaces, dashes or other separators."""
    return _SEPARATORS.sub("", typed).upper()


def make_code(prefix: str, sequence: int, *, year: int) -> str:
    """A new lot code in canonical form, e.g. ``make_code("MAD", 124, year=2026) == "MAD-2026-000124-Y"``.

    ``year`` is passed in (the registration date's year in the clinic's zone), never read from a clock.
    """
    prefix = prefix.strip().upper()
    if not _PREFIX.fullmatch(prefix):
        raise InvalidInput(_("The clinic prefix must be 2 to 5 letters A-Z."), field="prefix")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise InvalidInput(
            _("The sequence number must be between 1 and %(max)s.") % {"max": MAX_SEQUENCE}, field="sequence"
        )
    if not 2000 <= year <= 9999:
        raise InvalidInput(_("The year must have four digits, from 2000."), field="year")
    body = f"{prefix}{year:04d}{sequence:06d}"
    return LotCode(prefix, year, sequence, check_character(body)).text


def parse(typed: str, *, field: str = "code") -> LotCode:
    """Read a typed or scanned lot code; raises ``InvalidInput`` naming ``field`` when it is not valid."""
    compact = normalise(typed)
    match = _COMPACT.fullmatch(compact)
    if not match:
        raise InvalidInput(
            _(
                "This is not a lot code: expected letters, a year, a six-digit number and a check character, "
                "like MAD-2026-000124-Y."
            ),
            field=field,
        )
    if not has_valid_check(compact):
        raise InvalidInput(
            _("The check character does not match: look for a mistyped or swapped character."), field=field
        )
    prefix, year, sequence, check = match.groups()
    if int(sequence) == 0:
        raise InvalidInput(_("The sequence number of a lot code starts at 000001."), field=field)
    return LotCode(prefix, int(year), int(sequence), check)


def is_valid(code: str) -> bool:
    """Whether ``code`` (typed in any case, with or without separators) is a well-formed, checked lot code."""
    try:
        parse(code)
    except InvalidInput:
        return False
    return True


__all__ = [
    "ALPHABET",
    "LotCode",
    "check_character",
    "has_valid_check",
    "is_valid",
    "make_code",
    "normalise",
    "parse",
]
