"""What the engine returns: findings per rule and the outcome, with their JSON form."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exoclinic.triage.ruleset import (
    RuleCode,
    TriageLevel,
)

from .inputs import TriageInput

# ----------------------------------------------------------------------------------------------- output


class RuleStatus(enum.StrEnum):
    FIRES = "fires"
    CANNOT_BE_EXCLUDED = "cannot_be_excluded"  # "does not fire" rules are left out of the outcome


@dataclass(frozen=True)
class RuleFinding:
    code: RuleCode
    status: RuleStatus
    level: TriageLevel  # what this finding contributes to the outcome's level
    counted_as_positive: bool
    reason: str
    signs: tuple[str, ...] = ()  # inputs pointing to the rule
    unknown_inputs: tuple[str, ...] = ()  # inputs whose answer would settle it

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "status": self.status.value,
            "level": self.level.code,
            "counted_as_positive": self.counted_as_positive,
            "reason": self.reason,
            "signs": list(self.signs),
            "unknown_inputs": list(self.unknown_inputs),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleFinding:
        return cls(
            code=RuleCode(data["code"]),
            status=RuleStatus(data["status"]),
            level=TriageLevel.from_code(data["level"]),
            counted_as_positive=bool(data["counted_as_positive"]),
            reason=data["reason"],
            signs=tuple(data["signs"]),
            unknown_inputs=tuple(data["unknown_inputs"]),
        )


@dataclass(frozen=True)
class TriageOutcome:
    level: TriageLevel
    findings: tuple[RuleFinding, ...]
    advice: tuple[str, ...]
    ruleset_version: str
    inputs: TriageInput

    @property
    def codes(self) -> tuple[RuleCode, ...]:
        """Rules that fired or were counted as positive."""
        return tuple(f.code for f in self.findings if f.counted_as_positive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.code,
            "ruleset_version": self.ruleset_version,
            "findings": [f.to_dict() for f in self.findings],
            "advice": list(self.advice),
            "inputs": self.inputs.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriageOutcome:
        return cls(
            level=TriageLevel.from_code(data["level"]),
            findings=tuple(RuleFinding.from_dict(f) for f in data["findings"]),
            advice=tuple(data["advice"]),
            ruleset_version=data["ruleset_version"],
            inputs=TriageInput.from_dict(data["inputs"]),
        )


# --------------------------------------------------------------------------------------------- evaluate

_EFFECT_ESCALATIONS = frozenset(
    {
        RuleCode.MILD_EFFECT_PROLONGED,
        RuleCode.MILD_EFFECT_STRONGER_THAN_EXPECTED,
        RuleCode.MILD_EFFECT_SEVERE,
        RuleCode.FEVER_ABOVE_SLIGHT,
    }
)
