"""The emergency triage engine: red-flag rules over a symptom report, as pure functions over plain data.

``evaluate(inputs, ruleset)`` returns a ``TriageOutcome``. Nothing here reads the clock or the database:
the caller passes the days since the last procedure, and the outcome carries a plain-data snapshot of its
inputs and the rule-set version, so a past decision can be re-run and explained.

Each rule is a formula over three-valued facts (yes / no / unknown, Kleene logic). Every question is put
so that "yes" is the worrying answer and rules only use answers positively, so turning a "no" into
"don't know" can move a rule from "does not fire" to "cannot be excluded", never the other way. A rule
that cannot be excluded counts as firing when one of its own signs is present (a "don't know" next to a
supporting sign is treated as positive); without a supporting sign a red-flag rule still raises the
outcome to ``unresolved_red_flag_level``. docs/triage.md states the policy in full.
"""

from __future__ import annotations

from exoclinic.triage.ruleset import (
    RULE_DEFINITIONS,
    Answer,
    ProcedureRoute,
    RuleCode,
    RuleSet,
    Severity,
    SymptomCode,
    TriageLevel,
)

from .inputs import (
    PatientContext,
    SymptomAnswer,
    TriageInput,
    TriageInputError,
    Vitals,
    days_since,
    injury_at_or_above_t6,
)
from .language import _advice, _reason, _same
from .logic import FALSE, Judgement, Truth, _Facts, _rule_formulas, all_of, any_of
from .outcome import _EFFECT_ESCALATIONS, RuleFinding, RuleStatus, TriageOutcome

__all__ = [
    "Answer",
    "PatientContext",
    "ProcedureRoute",
    "RuleFinding",
    "RuleStatus",
    "Severity",
    "SymptomAnswer",
    "SymptomCode",
    "TriageInput",
    "TriageInputError",
    "TriageLevel",
    "TriageOutcome",
    "Vitals",
    "days_since",
    "evaluate",
    "injury_at_or_above_t6",
]

# Also used by the tests of the three-valued logic.
__all__ += ["FALSE", "Judgement", "Truth", "all_of", "any_of"]


def evaluate(inputs: TriageInput, ruleset: RuleSet, *, translate=None) -> TriageOutcome:
    """Triage one symptom report with one rule set; pure, so the same inputs give the same outcome.

    ``translate`` (e.g. Django's ``gettext``) writes the reasons in the reader's language; without it they
    are English, which is what is stored and what the staff explanation compares."""
    t = translate or _same
    facts = _Facts(inputs, ruleset.parameters, ruleset.logic)
    floor = ruleset.parameters.unresolved_red_flag_level
    findings = []
    for code, judgement in _rule_formulas(facts).items():
        config = ruleset.rule(code)
        if not config.enabled or judgement.truth is Truth.FALSE:
            continue
        if judgement.truth is Truth.TRUE:
            status, counted, level = RuleStatus.FIRES, True, config.level
        elif judgement.signs:  # open, but one of its own signs is present: treat as positive
            status, counted, level = RuleStatus.CANNOT_BE_EXCLUDED, True, config.level
        elif RULE_DEFINITIONS[code].red_flag:
            status, counted, level = RuleStatus.CANNOT_BE_EXCLUDED, False, min(config.level, floor)
        else:  # an open question about an after-effect with nothing pointing to it: no finding
            continue
        findings.append(
            RuleFinding(
                code=code,
                status=status,
                level=level,
                counted_as_positive=counted,
                reason=_reason(code, status, counted, judgement, facts, t),
                signs=tuple(sorted(judgement.signs)),
                unknown_inputs=tuple(sorted(judgement.unknowns)),
            )
        )
    if ruleset.logic >= 2:
        findings.extend(_uncovered_signs(findings, facts, ruleset, t))
    escalated_effect = any(f.counted_as_positive and f.code in _EFFECT_ESCALATIONS for f in findings)
    if escalated_effect:  # "expected" would contradict the finding that says it is more than expected
        findings = [f for f in findings if f.code != RuleCode.EXPECTED_MILD_EFFECT]
    order = list(RuleCode)
    findings.sort(key=lambda f: (-f.level, not f.counted_as_positive, order.index(f.code)))
    level = max((f.level for f in findings), default=TriageLevel.SELF_CARE)
    return TriageOutcome(
        level=level,
        findings=tuple(findings),
        advice=_advice(level, findings, facts),
        ruleset_version=ruleset.version,
        inputs=inputs,
    )


def _uncovered_signs(findings: list[RuleFinding], facts: _Facts, ruleset: RuleSet, t) -> list[RuleFinding]:
    """Logic 2: a "yes" that no finding explains is still a finding (never "no warning signs")."""
    config = ruleset.rule(RuleCode.OTHER_REPORTED_SIGN)
    if not config.enabled:
        return []
    covered = set().union(*(f.signs for f in findings if f.counted_as_positive))
    uncovered = sorted(
        str(code)
        for code, answer in facts.answers.items()
        if answer is Answer.YES and str(code) not in covered
    )
    if not uncovered:
        return []
    judgement = Judgement(Truth.TRUE, signs=frozenset(uncovered))
    return [
        RuleFinding(
            code=RuleCode.OTHER_REPORTED_SIGN,
            status=RuleStatus.FIRES,
            level=config.level,
            counted_as_positive=True,
            reason=_reason(RuleCode.OTHER_REPORTED_SIGN, RuleStatus.FIRES, True, judgement, facts, t),
            signs=tuple(uncovered),
        )
    ]
