"""Explicit extension points other apps register into from AppConfig.ready().

Called after the transaction that made the change commits, so a failing hook never undoes the record.
"""

from __future__ import annotations

from collections.abc import Callable

# fn(medication): a PatientMedication was added (aftercare warns about anti-inflammatory drugs).
medication_added: list[Callable] = []

# fn(report): a patient's symptom report was triaged (treatment records a patient-reported adverse event).
symptom_reported: list[Callable] = []
