"""Demo triage data: the default rule set as the active version, an on-call rota, one acknowledged alert."""

from __future__ import annotations

import datetime as dt
import uuid

from exoclinic.accounts.models import StaffMembership

from .engine import Answer, Severity, SymptomAnswer, SymptomCode, Vitals
from .models import OnCallShift, SymptomReport, TriageAlert
from .services import alert_acknowledge, ruleset_ensure_active, symptom_report_submit

# A fixed key makes the demo report idempotent across runs of seed_demo.
_DEMO_REPORT_KEY = uuid.UUID("7d1e0c3a-5b1f-4e55-9a6e-000000000006")


def seed(ctx) -> None:
    ruleset_ensure_active()
    clinic = ctx.clinic
    director = ctx.users["clinician"]
    # The medical director edits rule-set versions in the Django admin, which needs the admin flag.
    if (
        StaffMembership.objects.filter(user=director, is_medical_director=True).exists()
        and not director.is_staff
    ):
        director.is_staff = True
        director.save(update_fields=["is_staff"])
    day_start = ctx.now.astimezone(clinic.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    for offset in range(-30, 31):  # a month back (for the past alert) and a month ahead
        starts = day_start + dt.timedelta(days=offset)
        for position, role in ((1, "coordinator"), (2, "clinician")):
            OnCallShift.objects.get_or_create(
                clinic=clinic,
                user=ctx.users[role],
                starts_at=starts,
                ends_at=starts + dt.timedelta(days=1),
                defaults={"position": position},
            )
    if SymptomReport.objects.filter(submission_key=_DEMO_REPORT_KEY).exists():
        return
    # Luis Martín (T4) reported a pounding headache ten days ago; the coordinator acknowledged in 4 minutes.
    patient = next(p for p in ctx.patients if p.sci_neurological_level == "T4")
    reported_at = ctx.now - dt.timedelta(days=10)
    no = [
        SymptomAnswer(code=s, answer=Answer.NO)
        for s in SymptomCode
        if s
        not in (
            SymptomCode.HEADACHE,
            SymptomCode.POUNDING_HEADACHE,
            SymptomCode.FLUSHING_OR_SWEATING_ABOVE_INJURY,
        )
    ]
    report = symptom_report_submit(
        actor=patient.user,
        patient=patient,
        answers=[
            SymptomAnswer(
                code=SymptomCode.HEADACHE, answer=Answer.YES, severity=Severity.SEVERE, onset_hours_ago=0.5
            ),
            SymptomAnswer(code=SymptomCode.POUNDING_HEADACHE, answer=Answer.YES),
            SymptomAnswer(code=SymptomCode.FLUSHING_OR_SWEATING_ABOVE_INJURY, answer=Answer.YES),
            *no,
        ],
        vitals=Vitals(systolic_mmhg=150, diastolic_mmhg=95, heart_rate_bpm=52),
        now=reported_at,
        submission_key=_DEMO_REPORT_KEY,
    )
    alert = TriageAlert.objects.filter(report=report).first()
    if alert is not None and not alert.is_acknowledged:
        alert_acknowledge(
            actor=ctx.users["coordinator"], alert=alert, now=reported_at + dt.timedelta(minutes=4)
        )
