"""Demo applications for the demo clinic, one in each step of the review. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from exoclinic.core.demo import DemoContext

from . import services
from .models import ApplicationStatus, TreatmentApplication
from .services.applicant import without_mail

_RATINGS = {
    "movement": 3,
    "muscle_relaxation": 6,
    "bowel_bladder": 4,
    "sensation": 3,
    "pain": 5,
    "rest_strength": 5,
}


def _answers(ctx: DemoContext, first: str, last: str, email: str, born: str, **extra) -> dict:
    data = {
        "for_self": True,
        "first_name": first,
        "last_name": last,
        "date_of_birth": dt.date.fromisoformat(born),
        "email": email,
        "phone": "+34 600 200 000",
        "preferred_language": "en",
        "time_zone": "Europe/Madrid",
        "condition": "sci",
        "date_of_injury": (ctx.now - dt.timedelta(days=3 * 365)).date(),
        "neurological_level": "T8",
        "ais_grade": "C",
        "injury_cause": "Fall",
        "self_ratings": _RATINGS,
        "active_infection": "no",
        "pregnant": "no",
        "active_cancer": "no",
        "bleeding_disorder": "no",
        "takes_anticoagulants": "no",
        "takes_anti_inflammatories": "no",
        "takes_immunosuppressants": "no",
        "earlier_cell_treatment": "no",
        "current_therapies": "Physiotherapy twice a week",
        "goals": ["walking", "bladder_bowel", "spasticity"],
        "goals_own_words": "Transfer from the wheelchair without help.",
        "expectations": "To learn whether anything can still change, measured properly.",
        "consent_contact": True,
        "privacy_acknowledged": True,
        "research_consent": True,
    }
    data.update(extra)
    return data


def _submit(
    ctx: DemoContext, key: str, data: dict, clinic=None, days_ago: int = 1
) -> tuple[TreatmentApplication, bool]:
    application, created = services.application_submit_complete(
        clinic=clinic or ctx.clinic,
        data=data,
        idempotency_key=f"demo-application-{key}",
        now=ctx.now - dt.timedelta(days=days_ago),
    )
    return application, created


def seed(ctx: DemoContext) -> None:
    coordinator = ctx.users["coordinator"]
    with without_mail():
        _submit(
            ctx, "new", _answers(ctx, "Tomás", "Ibáñez", "tomas.ibanez@example.org", "1992-08-19"), days_ago=0
        )

        flagged, created = _submit(
            ctx,
            "flagged",
            _answers(
                ctx,
                "Rocío",
                "Campos",
                "rocio.campos@example.org",
                "1980-01-30",
                date_of_injury=(ctx.now - dt.timedelta(weeks=8)).date(),
                takes_anticoagulants="yes",
                medications="Apixaban 5 mg twice a day",
                pregnant="unsure",
            ),
            days_ago=3,
        )
        if created:
            services.application_start_review(actor=coordinator, application=flagged)
            services.application_note_add(
                actor=coordinator,
                application=flagged,
                body="Injury only 8 weeks ago; discuss timing with the medical director.",
            )

        asked, created = _submit(
            ctx,
            "asked",
            _answers(
                ctx, "Óscar", "Prieto", "oscar.prieto@example.org", "1975-05-05", earlier_cell_treatment="yes"
            ),
        )
        if created:
            services.application_start_review(actor=coordinator, application=asked)
            services.application_request_info(
                actor=coordinator,
                application=asked,
                body="You mention an earlier stem cell treatment: when was it, and where? A report helps.",
            )

        declined, created = _submit(
            ctx,
            "declined",
            _answers(ctx, "Inés", "Vega", "ines.vega@example.org", "1968-11-11", active_cancer="yes"),
        )
        if created:
            services.application_start_review(actor=coordinator, application=declined)
            services.application_decide(
                actor=coordinator,
                application=declined,
                decision="decline",
                reason="Active cancer under treatment: please apply again when your oncologist agrees.",
            )

        # The first demo patient's own application, accepted: her record existed, and staff linked it. Sent
        # 45 days ago and accepted 40 days ago, before her consultation (scheduling's demo, 30 days ago).
        ana = ctx.patients[0]
        accepted, created = _submit(
            ctx,
            "accepted-ana",
            _answers(
                ctx,
                ana.first_name,
                ana.last_name,
                ana.email,
                ana.date_of_birth.isoformat(),
                date_of_injury=ana.sci_date_of_injury,
                neurological_level=ana.sci_neurological_level,
                ais_grade=ana.sci_ais_grade,
            ),
            days_ago=45,
        )
        if created and accepted.status == ApplicationStatus.SUBMITTED:
            reviewed = ctx.now - dt.timedelta(days=40)
            services.application_start_review(actor=coordinator, application=accepted, now=reviewed)
            services.application_decide(
                actor=coordinator,
                application=accepted,
                decision="accept",
                reason="Suitable for a consultation and baseline assessment.",
                now=reviewed,
                patient_choice=str(ana.pk),  # the coordinator compared the records and linked them
            )

        _submit(
            ctx,
            "other-clinic",
            _answers(ctx, "Olga", "Outra", "olga.outra@example.org", "1990-03-03"),
            clinic=ctx.other_clinic,
        )
