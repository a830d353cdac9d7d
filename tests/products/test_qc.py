"""QC evaluation and the release check, with the release tests of clinical facts section 6."""

import dataclasses
from decimal import Decimal

import pytest

from exoclinic.core.errors import InvalidInput
from exoclinic.products.qc import (
    LimitKind,
    QcSpec,
    evaluate,
    lot_release_check,
    typical_release_specs,
)

LABEL_CLAIM = Decimal("1.0E11")  # particles/mL printed on this lot's label


def specs_for_lot() -> list[QcSpec]:
    return [
        dataclasses.replace(s, target=LABEL_CLAIM) if s.kind == LimitKind.WITHIN_PERCENT else s
        for s in typical_release_specs()
    ]


def spec(code: str) -> QcSpec:
    return next(s for s in specs_for_lot() if s.code == code)


PASSING = {
    "sterility": "Negative",
    "endotoxin": "0.12",
    "mycoplasma": "not detected",
    "size_peak": 128,
    "particle_count": "1.15E11",
    "identity_cd63": "present",
}


@pytest.mark.parametrize(
    ("code", "value", "passed"),
    [
        ("sterility", "negative", True),
        ("sterility", "  NEGATIVE ", True),
        ("sterility", "positive", False),
        ("endotoxin", "0.49", True),
        ("endotoxin", "0.5", False),  # max exclusive: the limit itself fails
        ("endotoxin", Decimal("0.7"), False),
        ("endotoxin", "< 0.05", True),  # below the detection limit of 0.05, so below 0.5
        ("endotoxin", 0.25, True),
        ("mycoplasma", "Negative", True),
        ("mycoplasma", "detected", False),
        ("size_peak", "199.9", True),
        ("size_peak", 200, False),
        ("particle_count", "1.2E11", True),  # +20 %: the edge is inside
        ("particle_count", "8.0E10", True),  # -20 %
        ("particle_count", "1.21E11", False),
        ("particle_count", "7.9E10", False),
        ("identity_cd63", "present", True),
        ("identity_cd63", "absent", False),
    ],
)
def test_release_tests_judge_results_against_their_limits(code, value, passed):
    assert evaluate(spec(code), value).passed is passed


@pytest.mark.parametrize(
    ("kind", "limits", "value", "passed"),
    [
        (LimitKind.AT_MOST, {"limit": "10"}, "10", True),
        (LimitKind.AT_MOST, {"limit": "10"}, "10.01", False),
        (LimitKind.AT_LEAST, {"limit": "3"}, "3", True),
        (LimitKind.AT_LEAST, {"limit": "3"}, "2.99", False),
        (LimitKind.MORE_THAN, {"limit": "90"}, "90", False),
        (LimitKind.MORE_THAN, {"limit": "90"}, "> 95", True),
        (LimitKind.RANGE, {"low": "50", "high": "400"}, "50", True),
        (LimitKind.RANGE, {"low": "50", "high": "400"}, "400", True),
        (LimitKind.RANGE, {"low": "50", "high": "400"}, "400.5", False),
        (LimitKind.RANGE, {"low": "50", "high": "400"}, "49", False),
    ],
)
def test_each_numeric_limit_kind_treats_its_edge_as_specified(kind, limits, value, passed):
    test = QcSpec(code="t", name="Test", method="m", unit="u", kind=kind, **limits)

    assert evaluate(test, value).passed is passed


def test_a_detection_limit_above_the_specification_is_inconclusive_not_a_pass():
    verdict = evaluate(spec("endotoxin"), "< 1.0")

    assert not verdict.passed
    assert verdict.inconclusive
    assert "more sensitive" in verdict.reason


def test_reason_names_the_test_the_value_and_the_limit():
    verdict = evaluate(spec("endotoxin"), "0.7")

    assert verdict.reason == "Endotoxin: 0.7 EU/mL does not meet < 0.5 EU/mL."


@pytest.mark.parametrize("value", ["abc", "", "0.5 EU", "nan", "Infinity", True, "1,5"])
def test_non_numeric_value_for_a_numeric_test_is_refused_naming_the_field(value):
    with pytest.raises(InvalidInput) as refused:
        evaluate(spec("endotoxin"), value, field_name="endotoxin")

    assert refused.value.field == "endotoxin"
    assert "Endotoxin" in refused.value.message


@pytest.mark.parametrize("value", [0, "", "   "])
def test_number_or_blank_for_a_text_test_is_refused_naming_the_field(value):
    with pytest.raises(InvalidInput) as refused:
        evaluate(spec("sterility"), value, field_name="sterility")

    assert refused.value.field == "sterility"


def test_particle_count_without_a_label_claim_is_refused():
    unlabelled = next(s for s in typical_release_specs() if s.code == "particle_count")

    with pytest.raises(InvalidInput) as refused:
        evaluate(unlabelled, "1E11")

    assert refused.value.field == "target"


def test_text_spec_without_accepted_answers_is_refused():
    with pytest.raises(InvalidInput) as refused:
        QcSpec(code="s", name="Sterility", method="Culture", unit="", kind=LimitKind.EQUALS_TEXT, accepted=[])

    assert refused.value.field == "accepted"


def test_spec_missing_its_limit_is_refused():
    with pytest.raises(InvalidInput) as refused:
        QcSpec(code="e", name="Endotoxin", method="LAL", unit="EU/mL", kind=LimitKind.LESS_THAN)

    assert refused.value.field == "limit"


def test_lot_with_every_required_test_passing_is_releasable():
    check = lot_release_check(specs_for_lot(), PASSING)

    assert check.releasable
    assert check.missing == [] and check.failed == []
    assert [n.code for n in check.notes] == ["size_50_400"]  # optional, not recorded: noted only


def test_missing_required_result_blocks_release():
    results = {k: v for k, v in PASSING.items() if k != "mycoplasma"}

    check = lot_release_check(specs_for_lot(), results)

    assert not check.releasable
    assert [m.code for m in check.missing] == ["mycoplasma"]


def test_failed_required_result_blocks_release_with_its_reason():
    check = lot_release_check(specs_for_lot(), {**PASSING, "endotoxin": "0.6"})

    assert not check.releasable
    assert [(f.code, f.reason) for f in check.failed] == [
        ("endotoxin", "Endotoxin: 0.6 EU/mL does not meet < 0.5 EU/mL.")
    ]


def test_failed_optional_test_does_not_block_release():
    check = lot_release_check(specs_for_lot(), {**PASSING, "size_50_400": "85"})

    assert check.releasable
    assert [n.code for n in check.notes] == ["size_50_400"]


def test_unreadable_stored_result_counts_as_failed_naming_the_test():
    check = lot_release_check(specs_for_lot(), {**PASSING, "size_peak": "about 120"})

    assert not check.releasable
    assert check.failed[0].code == "size_peak"
    assert "Size peak needs a number" in check.failed[0].reason


def test_lot_without_any_required_test_is_not_releasable():
    optional_only = [s for s in specs_for_lot() if not s.required]

    assert not lot_release_check(optional_only, {"size_50_400": "95"}).releasable


def test_duplicate_test_codes_in_a_specification_are_refused():
    endotoxin = spec("endotoxin")

    with pytest.raises(InvalidInput):
        lot_release_check([endotoxin, endotoxin], PASSING)
