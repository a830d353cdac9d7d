"""The patient's own copy of their record: the FHIR Bundle and a readable PDF summary.

Both are made from the same FHIR resources (``selectors.patient_resources``), so the PDF says what the
Bundle says. The progress part is the outcomes app's plain-words progress report.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.outcomes.reports import _text, report_document, write_patient_progress
from exoclinic.outcomes.selectors import progress_for

from . import selectors


def _day(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


def record_bundle(*, user, patient, base: str) -> dict:
    """The whole record as a FHIR Bundle; one audit row (``record.download``) in the same transaction."""
    from .fhir.bundle import everything_bundle

    resources = list(selectors.patient_resources(user=user, patient_ids=[patient.pk]))
    audit_record(actor=user, action="record.download", target=patient, detail={"format": "fhir-json"})
    return everything_bundle(base=base, patient_id=patient.pk, resources=resources, now=timezone.now())


def record_pdf(*, user, patient) -> bytes:
    by_kind: dict[str, list[dict]] = {}
    for resource in selectors.patient_resources(
        user=user,
        patient_ids=[patient.pk],
        kinds=["Appointment", "Procedure", "AdverseEvent", "Consent", "Condition"],
    ):
        by_kind.setdefault(resource["resourceType"], []).append(resource)
    today = timezone.localdate()
    pdf = report_document(
        _("My clinic record"), f"{patient.full_name} · {today.isoformat()}", clinic=patient.clinic
    )
    pdf.add_page()
    pdf.heading(_("About me"))
    pdf.para(
        _("Record number %(number)s at %(clinic)s. Born %(born)s.")
        % {"number": patient.record_number, "clinic": patient.clinic.name, "born": patient.date_of_birth}
    )
    for condition in by_kind.get("Condition", []):
        parts = [condition["code"].get("text", "")]
        if condition.get("bodySite"):
            parts.append(condition["bodySite"][0].get("text", ""))
        if condition.get("stage"):
            parts.append(condition["stage"][0]["summary"].get("text", ""))
        if condition.get("onsetDateTime"):
            parts.append(_("injured %(date)s") % {"date": condition["onsetDateTime"]})
        pdf.para("; ".join(p for p in parts if p))
    pdf.heading(_("My progress"))
    write_patient_progress(pdf, progress_for(patient))
    pdf.heading(_("Appointments"))
    rows = [
        [_day(a.get("start")), a.get("appointmentType", {}).get("text", ""), a["status"]]
        for a in by_kind.get("Appointment", [])
    ]
    _table(pdf, [_("When (UTC)"), _("Visit"), _("Status")], rows, [40, 110, 30])
    pdf.heading(_("Treatments"))
    rows = [
        [
            _day(p.get("performedDateTime")),
            p["code"].get("text", ""),
            p["usedCode"][0]["text"],
            p["bodySite"][0]["text"],
        ]
        for p in by_kind.get("Procedure", [])
    ]
    _table(pdf, [_("When (UTC)"), _("Therapy"), _("Product lot and dose"), _("Site")], rows, [30, 40, 75, 35])
    pdf.heading(_("Side effects and adverse events"))
    rows = [
        [
            _day(e.get("date")),
            e["event"]["text"],
            e.get("severity", {}).get("text", "-"),
            e["seriousness"]["text"],
            e["outcome"]["text"],
        ]
        for e in by_kind.get("AdverseEvent", [])
    ]
    _table(
        pdf,
        [_("Onset"), _("What happened"), _("Grade"), _("Seriousness"), _("Outcome")],
        rows,
        [28, 70, 35, 22, 25],
    )
    pdf.heading(_("Consents"))
    rows = [
        [_day(c.get("dateTime")), c["scope"]["text"], c.get("policyRule", {}).get("text", "")]
        for c in by_kind.get("Consent", [])
    ]
    _table(pdf, [_("When (UTC)"), _("Scope"), _("What was agreed")], rows, [30, 25, 125])
    pdf.para(_("The same record in a machine-readable form (HL7 FHIR R4) is on the same page."), size=8)
    audit_record(actor=user, action="record.download", target=patient, detail={"format": "pdf"})
    return bytes(pdf.output())


def _table(pdf, header, rows, widths) -> None:
    if rows:
        pdf.rows(header, rows, widths)
    else:
        pdf.para(_text(_("None recorded.")))
