"""Treatment records: Procedure, BiologicallyDerivedProduct, AdverseEvent, Appointment, Consent, CarePlan."""

from __future__ import annotations

from .common import (
    CS_APPOINTMENT_KIND,
    CS_CTCAE,
    CS_RELATEDNESS,
    CS_RESTRICTION,
    CS_ROUTE,
    CS_THERAPY,
    EXT_PRODUCT,
    EXT_ROUTE,
    LOINC,
    SID_LOT,
    SID_SOURCE,
    SID_UNIT,
    MapContext,
    clean,
    concept,
    instant,
    meta,
    ref,
    text_concept,
)

ROUTE_DISPLAY = {
    "local_injection": "Local injection",
    "intrathecal": "Intrathecal",
    "intravenous": "Intravenous",
}


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"display": user.get_full_name()}


def unit_code(procedure) -> str:
    return f"{procedure.lot_code}/{procedure.unit.sequence:03d}"


def procedure_resource(procedure, ctx: MapContext) -> dict:
    therapy = procedure.plan.therapy
    site = procedure.site + (f" ({procedure.level})" if procedure.level else "")
    notes = [{"text": procedure.notes}] if procedure.notes else []
    if procedure.immediate_reactions:
        notes.append({"text": f"Immediate reactions: {procedure.immediate_reactions}"})
    return clean(
        {
            "resourceType": "Procedure",
            "id": str(procedure.pk),
            "meta": meta(procedure.updated_at),
            "extension": [
                {
                    "url": EXT_ROUTE,
                    "valueCodeableConcept": concept(
                        CS_ROUTE, procedure.route, ROUTE_DISPLAY.get(procedure.route, procedure.route)
                    ),
                },
                {"url": EXT_PRODUCT, "valueReference": ref("BiologicallyDerivedProduct", procedure.unit_id)},
            ],
            "status": "completed",
            "category": text_concept("Treatment session"),
            "code": concept(CS_THERAPY, therapy.code, therapy.name),
            "subject": ref("Patient", procedure.patient_id),
            "performedDateTime": instant(procedure.performed_at),
            "performer": [{"actor": _person(procedure.practitioner)}],
            "bodySite": [text_concept(site)],
            "usedCode": [text_concept(f"{therapy.name}, lot {procedure.lot_code}, dose {procedure.dose}")],
            "note": notes,
        }
    )


def biologically_derived_product_resource(procedure, ctx: MapContext) -> dict:
    """The product unit given at a procedure: its own code, its lot, its source and the lot's QC release."""
    unit = procedure.unit
    lot = unit.lot
    source = lot.collection.source
    processing = []
    if lot.released_at is not None:
        by = lot.released_by.get_full_name() if lot.released_by else ""
        processing.append(
            {
                "description": f"QC release of lot {lot.code}" + (f" by {by}" if by else ""),
                "timeDateTime": instant(lot.released_at),
            }
        )
    return clean(
        {
            "resourceType": "BiologicallyDerivedProduct",
            "id": str(unit.pk),
            "meta": meta(unit.updated_at),
            "identifier": [
                {"system": SID_UNIT, "value": unit_code(procedure)},
                {"system": SID_LOT, "value": lot.code},
            ],
            "productCategory": "biologicalAgent",
            "productCode": text_concept(lot.product_type.name),
            "status": "unavailable" if unit.status in ("administered", "discarded") else "available",
            "quantity": 1,
            "collection": {
                "source": {
                    "identifier": {"system": SID_SOURCE, "value": source.identifier},
                    "display": f"{source.get_kind_display()}: {source.description or source.identifier}",
                },
                "collectedDateTime": instant(lot.collection.collected_at),
            },
            "processing": processing,
            "storage": [
                {
                    "description": f"Lot status {lot.status}; expires {lot.expires_on.isoformat()}",
                    "duration": {"end": lot.expires_on.isoformat()},
                }
            ],
        }
    )


OUTCOME = {  # our outcome -> http://terminology.hl7.org/CodeSystem/adverse-event-outcome
    "unknown": ("unknown", "Unknown"),
    "not_recovered": ("ongoing", "Ongoing"),
    "recovering": ("recovering", "Recovering"),
    "recovered": ("resolved", "Resolved"),
    "recovered_with_sequelae": ("resolvedWithSequelae", "Resolved with Sequelae"),
    "fatal": ("fatal", "Fatal"),
}
SEVERITY = {1: ("mild", "Mild"), 2: ("moderate", "Moderate")}
CTCAE_DISPLAY = {1: "Grade 1 Mild", 2: "Grade 2 Moderate", 3: "Grade 3 Severe", 4: "Grade 4 Life-threatening"}
CTCAE_DISPLAY[5] = "Grade 5 Death"


def adverse_event_resource(event, ctx: MapContext) -> dict:
    severity = None
    if event.ctcae_grade:
        code, display = SEVERITY.get(event.ctcae_grade, ("severe", "Severe"))
        severity = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/adverse-event-severity",
                    "code": code,
                    "display": display,
                },
                {
                    "system": CS_CTCAE,
                    "code": str(event.ctcae_grade),
                    "display": CTCAE_DISPLAY[event.ctcae_grade],
                },
            ],
            "text": f"CTCAE v5.0 {CTCAE_DISPLAY[event.ctcae_grade]}",
        }
    seriousness = concept(
        "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness",
        "serious" if event.serious else "non-serious",
        "Serious" if event.serious else "Non-serious",
    )
    suspect = []
    if event.lot_code or event.procedure_id:
        instance = ref("Procedure", event.procedure_id) if event.procedure_id else {}
        instance["display"] = f"Lot {event.lot_code}" if event.lot_code else "Treatment session"
        if not event.procedure_id and event.lot_code:
            instance["identifier"] = {"system": SID_LOT, "value": event.lot_code}
        entity = {"instance": instance}
        if event.relatedness:
            entity["causality"] = [
                {"assessment": concept(CS_RELATEDNESS, event.relatedness, event.get_relatedness_display())}
            ]
        suspect.append(entity)
    outcome = OUTCOME.get(event.outcome or "unknown", OUTCOME["unknown"])
    return clean(
        {
            "resourceType": "AdverseEvent",
            "id": str(event.pk),
            "meta": meta(event.updated_at),
            "actuality": "actual",
            "event": text_concept(event.description[:500]),
            "subject": ref("Patient", event.patient_id),
            "date": instant(event.onset_at),
            "recordedDate": instant(event.created_at),
            "seriousness": seriousness,
            "severity": severity,
            "outcome": concept(
                "http://terminology.hl7.org/CodeSystem/adverse-event-outcome", outcome[0], outcome[1]
            ),
            "suspectEntity": suspect,
        }
    )


APPOINTMENT_STATUS = {
    "held": "pending",
    "requested": "proposed",
    "confirmed": "booked",
    "checked_in": "checked-in",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
    "expired": "cancelled",
}


def appointment_resource(appointment, ctx: MapContext) -> dict:
    kind = appointment.appointment_type
    status = APPOINTMENT_STATUS.get(appointment.status, "pending")
    return clean(
        {
            "resourceType": "Appointment",
            "id": str(appointment.pk),
            "meta": meta(appointment.updated_at),
            "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{appointment.uid}"}],
            "status": status,
            "cancelationReason": text_concept(appointment.cancel_reason)
            if appointment.cancel_reason
            else None,
            "serviceType": [concept(CS_APPOINTMENT_KIND, kind.kind, kind.get_kind_display())],
            "appointmentType": text_concept(kind.name),
            "description": kind.name,
            "start": instant(appointment.start),
            "end": instant(appointment.end),
            "minutesDuration": kind.duration_minutes,
            "comment": appointment.notes,
            "participant": [
                {
                    "actor": ref("Patient", appointment.patient_id),
                    "status": "accepted",
                    "required": "required",
                },
                {"actor": _person(appointment.practitioner), "status": "accepted"},
            ],
        }
    )


def consent_resource(consent, ctx: MapContext) -> dict:
    plan = consent.plan
    text = consent.consent_text
    return clean(
        {
            "resourceType": "Consent",
            "id": str(consent.pk),
            "meta": meta(consent.updated_at),
            "status": "active",
            "scope": concept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"),
            "category": [concept(LOINC, "59284-0", "Patient Consent")],
            "patient": ref("Patient", plan.patient_id),
            "dateTime": instant(consent.accepted_at),
            "performer": [{"display": consent.signer_name}],
            "sourceAttachment": {
                "title": f"{text.title} (version {text.version})",
                "contentType": "text/plain",
            },
            "policyRule": text_concept(
                f"{text.title}, version {text.version}; {consent.get_method_display()}"
            ),
            "provision": {
                "type": "permit",
                "period": {"start": instant(consent.accepted_at)},
                "data": [{"meaning": "related", "reference": {"display": f"Treatment plan {plan.pk}"}}],
            },
        }
    )


def research_consent_id(patient) -> str:
    return f"research-{patient.pk}"


def research_consent_resource(patient, ctx: MapContext) -> dict:
    return clean(
        {
            "resourceType": "Consent",
            "id": research_consent_id(patient),
            "meta": meta(patient.updated_at),
            "status": "active",
            "scope": concept("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"),
            "category": [concept(LOINC, "59284-0", "Patient Consent")],
            "patient": ref("Patient", patient.pk),
            "dateTime": instant(patient.research_consent_at),
            "policyRule": text_concept("Research use of the patient's pseudonymised data"),
            "provision": {"type": "permit", "period": {"start": instant(patient.research_consent_at)}},
        }
    )


def care_plan_resource(plan, ctx: MapContext) -> dict:
    """The aftercare plan: each timed restriction is an activity whose scheduled period ends at its end."""
    restrictions = list(plan.restrictions.all())
    end = max((r.ends_at for r in restrictions), default=None)
    status = "active" if end is not None and end > ctx.now else "completed"
    activities = [
        {
            "detail": {
                "code": concept(CS_RESTRICTION, r.kind, r.get_kind_display()),
                "status": "in-progress" if r.ends_at > ctx.now else "completed",
                "scheduledPeriod": {"start": instant(r.starts_at), "end": instant(r.ends_at)},
                "description": r.title + (f": {r.advice}" if r.advice else ""),
                "doNotPerform": True,
            }
        }
        for r in restrictions
    ]
    activities += [
        {
            "detail": {
                "code": text_concept("Check-in"),
                "status": "completed" if c.completed_at else "scheduled",
                "scheduledString": f"Due {instant(c.due_at)}",
                "description": c.title,
            }
        }
        for c in plan.check_ins.all()
    ]
    return clean(
        {
            "resourceType": "CarePlan",
            "id": str(plan.pk),
            "meta": meta(plan.updated_at),
            "status": status,
            "intent": "plan",
            "category": [text_concept("Aftercare")],
            "title": "Aftercare",
            "subject": ref("Patient", plan.patient_id),
            "period": {"start": instant(plan.starts_at), "end": instant(end)},
            "created": instant(plan.created_at),
            "addresses": [],
            "supportingInfo": [ref("Procedure", plan.procedure_id)] if plan.procedure_id else [],
            "activity": activities,
        }
    )
