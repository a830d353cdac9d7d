"""The patient's own copy of their record: the FHIR Bundle and a readable PDF summary.

Both are made from the same FHIR resources (``selectors.patient_resources``), so the PDF says what the
Bundle says. The progress part is the outcomes app's plain-words progress report.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exoclinic.core.audit import audit_record
from exoclinic.outcomes.reports import _text, report_document, write_patient_progress
from exoclinic.outcomes.selectors import progress_for

from . import selectors

# The English displays of the FHIR resources (HL7's and this project's codes), as a patient reads them.
SHOWN = {
    "Research": gettext_lazy("Research"),
    "Treatment": gettext_lazy("Treatment"),
    "Research use of the patient's pseudonymised data": gettext_lazy(
        "Research use of your pseudonymised data"
    ),
}
AIS_SHOWN = {
    "A": gettext_lazy("AIS A: complete"),
    "B": gettext_lazy("AIS B: sensory incomplete"),
    "C": gettext_lazy("AIS C: motor incomplete"),
    "D": gettext_lazy("AIS D: motor incomplete"),
    "E": gettext_lazy("AIS E: normal"),
}


def _shown(text: str) -> str:
    return str(SHOWN.get(text, text))


def _condition(patient) -> str:
    """The injury in the reader's language, from the record the FHIR Condition is made of."""
    if patient.primary_condition == "sci":
        parts = [_("Spinal cord injury")]
    else:
        parts = [patient.condition_description or _("Other condition")]
    if patient.sci_neurological_level:
        parts.append(_("Neurological level %(level)s") % {"level": patient.sci_neurological_level})
    if patient.sci_ais_grade:
        parts.append(str(AIS_SHOWN.get(patient.sci_ais_grade, patient.sci_ais_grade)))
    if patient.sci_date_of_injury:
        parts.append(_("injured %(date)s") % {"date": patient.sci_date_of_injury.isoformat()})
    return "; ".join(parts)


def _lot_and_dose(text: str) -> str:
    """``<therapy>, lot <code>, dose <dose>`` (the FHIR usedCode text) as "lot ..., dose ..." in the reader's
    language; the therapy has its own column."""
    _therapy, lot_sep, rest = text.partition(", lot ")
    lot, dose_sep, dose = rest.partition(", dose ")
    if not (lot_sep and dose_sep):
        return text
    return _("lot %(lot)s, dose %(dose)s") % {"lot": lot, "dose": dose}


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
    if by_kind.get("Condition"):
        pdf.para(_condition(patient))
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
            _lot_and_dose(p["usedCode"][0]["text"]),
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
        [_day(c.get("dateTime")), _shown(c["scope"]["text"]), _shown(c.get("policyRule", {}).get("text", ""))]
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
