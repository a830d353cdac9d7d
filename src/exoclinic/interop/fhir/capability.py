"""The CapabilityStatement: exactly the interactions, search parameters and operations the server has."""

from __future__ import annotations

from .common import FHIR_VERSION, instant

DOCS = {
    "Observation": "Instrument results (project CodeSystem https://exoclinic.org/fhir/CodeSystem/instrument, "
    "LOINC where one exists), the weekly diary, vital signs and the usual systolic pressure.",
    "BiologicallyDerivedProduct": "The product unit given at a treatment session, with its lot and source.",
    "DocumentReference": "The PDFs the clinic makes: progress report, ISNCSCI worksheets, record summary.",
}


def capability_statement(*, base: str, search_params: dict, param_types: dict, common: dict, now) -> dict:
    resources = []
    for kind, params in search_params.items():
        entry = {
            "type": kind,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": name, "type": param_types[what]} for name, what in {**common, **params}.items()
            ]
            + [
                {
                    "name": "_count",
                    "type": "number",
                    "documentation": "Page size (paging links next/previous)",
                }
            ],
        }
        if kind in DOCS:
            entry["documentation"] = DOCS[kind]
        if kind == "Patient":
            entry["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                },
                {
                    "name": "export",
                    "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
                },
            ]
        resources.append(entry)
    resources.append(
        {
            "type": "Group",
            "documentation": "A clinic: Group/{clinic id}/$export exports its patients (its staff only).",
            "operation": [
                {
                    "name": "export",
                    "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
                }
            ],
        }
    )
    return {
        "resourceType": "CapabilityStatement",
        "id": "exoclinic",
        "url": f"{base}metadata",
        "name": "ExoclinicFhirServer",
        "title": "exoclinic FHIR R4 server",
        "status": "active",
        "date": instant(now),
        "publisher": "exoclinic",
        "kind": "instance",
        "software": {"name": "exoclinic"},
        "implementation": {"description": "exoclinic FHIR R4 server", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Authentication: Bearer token (manage.py issue_token) or the "
                "browser session. A patient reads their own record, a caregiver their linked patients', "
                "staff "
                "their clinic's; every read is audited.",
                "security": {"description": "Authorization: Bearer <token> (manage.py issue_token EMAIL)"},
                "resource": resources,
            }
        ],
    }
