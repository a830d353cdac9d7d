"""Demo treatment records: therapies, a consent text, plans at different stages, one procedure with the
products demo lot (when the products demo made a released lot) and so an aftercare plan in force.

patient@example.org (ctx.patients[0]) is left at the consultation step for the other apps' demos; the
treatment journey is shown on her demo colleagues: patient2 (treated yesterday, aftercare in force),
patient3 (plan approved, consent to sign in the portal), patient4 (draft plan awaiting approval).
"""

from __future__ import annotations

import datetime as dt
import uuid

from exoclinic.core.models import PatientMedication

from . import services
from .models import Consent, ConsentText, PlanStatus, Procedure, TreatmentPlan

_PROCEDURE_KEY = uuid.UUID("7e0a11c5-6d7f-4a57-9f0e-000000000701")

CONSENT_BODY = """\
I have talked with the physician about my condition, the treatment plan above, what it involves, and the
alternatives (including stem cell therapy, and physiotherapy alone).

I understand that exosome therapy is investigational: no regulator has approved exosome products for my
condition, results differ from person to person, and the clinic measures my progress with validated
instruments but does not promise any result.

I understand the possible side effects, including local pain or redness, headache or a slight fever for a
few days, and rare serious events (infection, bleeding, allergic reaction). I know how to reach the clinic's
emergency line, and I will follow the aftercare plan.

I may withdraw my consent at any time before the procedure without it affecting my care.
"""

CONSENT_BODY_ES = """\
He hablado con el médico sobre mi afección, el plan de tratamiento indicado arriba, lo que implica y las
alternativas (entre ellas la terapia con células madre y la fisioterapia sola).

Entiendo que la terapia con exosomas está en investigación: ninguna autoridad reguladora ha aprobado
productos de exosomas para mi afección, los resultados varían de una persona a otra, y la clínica mide mi
evolución con instrumentos validados, pero no promete ningún resultado.

Entiendo los posibles efectos secundarios, entre ellos dolor o enrojecimiento en la zona, dolor de cabeza o
algo de fiebre durante unos días, y acontecimientos graves poco frecuentes (infección, sangrado, reacción
alérgica). Sé cómo contactar con la línea de emergencias de la clínica y seguiré el plan de cuidados
posteriores.

Puedo retirar mi consentimiento en cualquier momento antes del procedimiento sin que ello afecte a mi
atención.
"""


def _plan(ctx, patient, **overrides):
    existing = TreatmentPlan.objects.filter(patient=patient).exclude(status=PlanStatus.CANCELLED).first()
    if existing is not None:
        return existing
    therapy = services.therapy_catalogue_ensure(actor=ctx.users["clinician"], clinic=ctx.clinic)[0]
    data = {
        "route": "local_injection",
        "target_site": "Paraspinal, at the level of the injury",
        "target_level": patient.sci_neurological_level,
        "planned_sessions": 1,
        "dose": "1 mL (one vial)",
        "concurrent_therapies": ["physiotherapy"],
        "concurrent_therapies_note": "Physiotherapy twice a week continues unchanged",
        "rationale": "Chronic injury; the patient's goals were discussed and recorded at the consultation.",
        "alternatives_discussed": "Stem cell therapy; continuing physiotherapy alone.",
        "anti_inflammatory_avoid_days": 14,
        "active_infection": "no",
        "pregnancy": "no",
        "first_session_on": (ctx.now - dt.timedelta(days=1)).date(),
    }
    data.update(overrides)
    return services.plan_create(actor=ctx.users["clinician"], patient=patient, therapy=therapy, **data)


def _released_demo_lot(ctx):
    from exoclinic.products.models import LotStatus, ProductLot, UnitStatus

    return (
        ProductLot.objects.filter(
            clinic=ctx.clinic,
            status=LotStatus.RELEASED,
            expires_on__gt=ctx.now.date(),
            units__status=UnitStatus.AVAILABLE,
        )
        .order_by("id")
        .first()
    )


def seed(ctx) -> None:
    clinician = ctx.users["clinician"]
    for clinic in (ctx.clinic, ctx.other_clinic):
        services.therapy_catalogue_ensure(actor=None, clinic=clinic)
    if not ConsentText.objects.filter(clinic=ctx.clinic).exists():
        services.consent_text_publish(
            actor=None,
            clinic=ctx.clinic,
            version="2026-1",
            title="Consent to exosome therapy",
            body=CONSENT_BODY,
            title_es="Consentimiento para la terapia con exosomas",
            body_es=CONSENT_BODY_ES,
        )
    treated, to_sign, draft = ctx.patients[1], ctx.patients[2], ctx.patients[3]

    # patient2: approved, signed in the clinic before a witness, treated yesterday with the demo lot.
    plan = _plan(ctx, treated)
    if plan.status == PlanStatus.DRAFT:
        services.plan_approve(actor=clinician, plan=plan, at=ctx.now - dt.timedelta(days=10))
    if not Consent.objects.filter(plan=plan).exists():
        services.consent_record_in_clinic(
            actor=clinician,
            plan=plan,
            signer_name=treated.full_name,
            witness_name="Carmen Coordinator",
            at=ctx.now - dt.timedelta(days=9),
        )
    for item in plan.checklist.filter(confirmed_at__isnull=True):
        services.checklist_item_confirm(actor=clinician, item=item, note="Discussed at the consultation")
    lot = _released_demo_lot(ctx)
    if lot is not None and not Procedure.objects.filter(patient=treated).exists():
        services.procedure_record(
            actor=clinician,
            plan=plan,
            performed_at=ctx.now - dt.timedelta(hours=20),
            identity_full_name=treated.full_name,
            identity_date_of_birth=treated.date_of_birth,
            lot_code=lot.code,
            dose="1 mL (one vial)",
            route="local_injection",
            site="Paraspinal, right",
            level=treated.sci_neurological_level,
            vitals_before={
                "systolic": 108,
                "diastolic": 68,
                "heart_rate": 70,
                "temperature_c": 36.5,
                "spo2": 98,
            },
            vitals_after={
                "systolic": 112,
                "diastolic": 70,
                "heart_rate": 74,
                "temperature_c": 36.6,
                "spo2": 98,
            },
            immediate_reactions="None",
            notes="Tolerated well. Aftercare explained; written copy given.",
            submission_key=_PROCEDURE_KEY,
        )

    # patient3: an anticoagulant to show the preparation checklist; plan approved, consent to sign.
    if not PatientMedication.objects.filter(patient=to_sign, name="Apixaban").exists():
        PatientMedication.objects.create(
            patient=to_sign, name="Apixaban", dose="5 mg twice daily", is_anticoagulant=True
        )
    plan = _plan(
        ctx,
        to_sign,
        active_infection="unknown",
        pregnancy="unknown",
        first_session_on=(ctx.now + dt.timedelta(days=14)).date(),
    )
    if plan.status == PlanStatus.DRAFT:
        services.plan_approve(actor=clinician, plan=plan, at=ctx.now - dt.timedelta(days=1))

    # patient4: a draft, for the physician to approve.
    _plan(ctx, draft, route="intrathecal", target_site="Lumbar puncture, L3-L4", first_session_on=None)
