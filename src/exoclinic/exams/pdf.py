"""A completed worksheet as a printable PDF (core.pdf.ClinicPDF: Unicode font, the clinic on every page)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.pdf import FAMILY, ClinicPDF
from isncsci import DERMATOMES, MOTOR_LEVELS

from .models import IsncsciExam
from .worksheet import DAP, KEY_MUSCLES, NON_KEY, VAC, level_label


def _sum(totals: dict, key: str) -> str:
    return f"{totals['right'][key]} + {totals['left'][key]} = {totals[key]}"


def worksheet_pdf(record: IsncsciExam) -> bytes:
    patient = record.patient
    exam, result = record.exam, record.result
    classification, totals = result["classification"], result["totals"]
    local = timezone.localtime(record.examined_at, patient.tz)

    pdf = ClinicPDF(clinic=patient.clinic, title=_("ISNCSCI worksheet (2019 revision)"))
    pdf.add_page()
    pdf.set_font(FAMILY, "", 9)
    lines = [
        _("Patient: %(name)s (%(number)s), born %(born)s")
        % {
            "name": patient.full_name,
            "number": patient.record_number,
            "born": f"{patient.date_of_birth:%Y-%m-%d}",
        },
        _("Examined: %(when)s (%(zone)s) by %(examiner)s")
        % {"when": f"{local:%Y-%m-%d %H:%M}", "zone": patient.tz, "examiner": record.examiner},
        _("Clinic: %(clinic)s. Version %(version)s.")
        % {"clinic": patient.clinic.name, "version": record.version},
    ]
    for line in lines:
        pdf.cell(0, 5, str(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    widths = [14, 38, 14, 14, 14, 14, 14, 14, 38]
    heads = [
        _("Level"),
        _("Key muscle"),
        _("R motor"),
        _("R LT"),
        _("R PP"),
        _("L LT"),
        _("L PP"),
        _("L motor"),
        "",
    ]
    pdf.set_font(FAMILY, "B", 8)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 5, head, border=1 if head else 0, align="C")
    pdf.ln()
    pdf.set_font(FAMILY, "", 8)
    for level in DERMATOMES:
        motor = level in MOTOR_LEVELS
        row = [
            level_label(level),
            str(KEY_MUSCLES.get(level, "")),
            exam["right"]["motor"][level] if motor else "",
            exam["right"]["lightTouch"][level],
            exam["right"]["pinPrick"][level],
            exam["left"]["lightTouch"][level],
            exam["left"]["pinPrick"][level],
            exam["left"]["motor"][level] if motor else "",
        ]
        for width, text in zip(widths[:-1], row, strict=True):
            pdf.cell(width, 4.6, str(text), border=1, align="C" if width == 14 else "L")
        pdf.ln()
    pdf.set_font(FAMILY, "B", 8)
    side_totals = [
        _("Totals"),
        "",
        f"{totals['right']['motor']}",
        totals["right"]["lightTouch"],
        totals["right"]["pinPrick"],
        totals["left"]["lightTouch"],
        totals["left"]["pinPrick"],
        f"{totals['left']['motor']}",
    ]
    for width, text in zip(widths[:-1], side_totals, strict=True):
        pdf.cell(width, 5, str(text), border=1, align="C" if width == 14 else "L")
    pdf.ln(7)

    pdf.set_font(FAMILY, "", 9)
    facts = [
        (_("Voluntary anal contraction (VAC)"), exam[VAC]),
        (_("Deep anal pressure (DAP)"), exam[DAP]),
        (_("Lowest non-key muscle with motor function, right"), exam["right"].get(NON_KEY) or "-"),
        (_("Lowest non-key muscle with motor function, left"), exam["left"].get(NON_KEY) or "-"),
    ]
    for label, value in facts:
        pdf.cell(95, 5, str(label))
        pdf.cell(0, 5, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 6, _("Classification"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    levels, zpp = classification["neurologicalLevels"], classification["zoneOfPartialPreservations"]
    summary = [
        (_("Sensory level (right / left)"), f"{levels['sensoryRight']} / {levels['sensoryLeft']}"),
        (_("Motor level (right / left)"), f"{levels['motorRight']} / {levels['motorLeft']}"),
        (_("Neurological level of injury (NLI)"), classification["neurologicalLevelOfInjury"]),
        (_("Complete (C) or incomplete (I)"), classification["injuryComplete"]),
        (_("ASIA Impairment Scale (AIS)"), classification["ASIAImpairmentScale"]),
        (_("Sensory ZPP (right / left)"), f"{zpp['sensoryRight']} / {zpp['sensoryLeft']}"),
        (_("Motor ZPP (right / left)"), f"{zpp['motorRight']} / {zpp['motorLeft']}"),
        (_("Upper extremity motor (UEMS: right + left = total)"), _sum(totals, "upperExtremity")),
        (_("Lower extremity motor (LEMS: right + left = total)"), _sum(totals, "lowerExtremity")),
        (_("Light touch (right + left = total)"), _sum(totals, "lightTouch")),
        (_("Pin prick (right + left = total)"), _sum(totals, "pinPrick")),
    ]
    for label, value in summary:
        pdf.cell(95, 5, str(label))
        pdf.cell(0, 5, str(value), new_x="LMARGIN", new_y="NEXT")
    if record.comments:
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(0, 5, _("Comments"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(0, 4.5, str(record.comments))
    pdf.ln(2)
    pdf.set_font(FAMILY, "I", 7)
    pdf.multi_cell(
        0,
        3.5,
        _(
            "Classified by the exoclinic isncsci package (interchange format of the reference "
            "implementation). ND: not determinable; several values: every result the untested (NT) scores "
            "allow; * : affected by a condition other than the spinal cord injury."
        ),
    )
    return bytes(pdf.output())
