"""Patient and Condition (the spinal cord injury) from the core patient record."""

from __future__ import annotations

from .common import (
    CS_AIS,
    CS_CONDITION,
    CS_LEVEL,
    EXT_CAUSE,
    SID_RECORD_NUMBER,
    MapContext,
    clean,
    coding,
    concept,
    date_text,
    meta,
    ref,
)

GENDER = {"female": "female", "male": "male", "other": "other", "": "unknown"}
AIS_DISPLAY = {
    "A": "AIS A: complete",
    "B": "AIS B: sensory incomplete",
    "C": "AIS C: motor incomplete",
    "D": "AIS D: motor incomplete",
    "E": "AIS E: normal",
}


def record_number_system(clinic) -> str:
    return f"{SID_RECORD_NUMBER}/{clinic.slug}"


def patient_resource(patient, ctx: MapContext | None = None) -> dict:
    telecom = []
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    contact = []
    if patient.emergency_contact_name or patient.emergency_contact_phone:
        contact.append(
            {
                "relationship": [{"text": patient.emergency_contact_relationship or "Emergency contact"}],
                "name": {"text": patient.emergency_contact_name},
                "telecom": [{"system": "phone", "value": patient.emergency_contact_phone}]
                if patient.emergency_contact_phone
                else [],
            }
        )
    return clean(
        {
            "resourceType": "Patient",
            "id": str(patient.pk),
            "meta": meta(patient.updated_at),
            "identifier": [{"system": record_number_system(patient.clinic), "value": patient.record_number}],
            "active": True,
            "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
            "telecom": telecom,
            "gender": GENDER.get(patient.sex, "unknown"),
            "birthDate": date_text(patient.date_of_birth),
            "address": [{"text": patient.address}] if patient.address else [],
            "contact": contact,
            "communication": [
                {"language": {"coding": [coding("urn:ietf:bcp:47", patient.preferred_language)]}}
            ],
            "managingOrganization": {"display": patient.clinic.name},
        }
    )


def has_condition(patient) -> bool:
    return bool(
        patient.primary_condition == "sci"
        or patient.sci_date_of_injury
        or patient.sci_neurological_level
        or patient.sci_ais_grade
    )


def condition_resource(patient, ctx: MapContext | None = None) -> dict:
    """The patient's injury: one Condition per patient record (id = the patient's id)."""
    is_sci = patient.primary_condition == "sci"
    code = (
        concept(CS_CONDITION, "sci", "Spinal cord injury")
        if is_sci
        else concept(CS_CONDITION, "other", "Other condition", text=patient.condition_description or None)
    )
    stage = []
    if patient.sci_ais_grade:
        stage.append(
            {
                "summary": concept(CS_AIS, patient.sci_ais_grade, AIS_DISPLAY.get(patient.sci_ais_grade)),
                "type": {"text": "ASIA Impairment Scale (ISNCSCI)"},
            }
        )
    body_site = []
    if patient.sci_neurological_level:
        level = patient.sci_neurological_level
        body_site.append(concept(CS_LEVEL, level, f"Neurological level {level}"))
    return clean(
        {
            "resourceType": "Condition",
            "id": str(patient.pk),
            "meta": meta(patient.updated_at),
            "clinicalStatus": concept(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"
            ),
            "verificationStatus": concept(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"
            ),
            "category": [
                concept(
                    "http://terminology.hl7.org/CodeSystem/condition-category",
                    "problem-list-item",
                    "Problem List Item",
                )
            ],
            "code": code,
            "bodySite": body_site,
            "subject": ref("Patient", patient.pk, patient.full_name),
            "onsetDateTime": date_text(patient.sci_date_of_injury),
            "stage": stage,
            "extension": [{"url": EXT_CAUSE, "valueString": patient.sci_cause}] if patient.sci_cause else [],
            "note": [{"text": f"Cause of injury: {patient.sci_cause}"}] if patient.sci_cause else [],
        }
    )
