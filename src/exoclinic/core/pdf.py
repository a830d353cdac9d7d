"""The project's one PDF base (fpdf2): an embedded Unicode font, the clinic on every page, wrapped tables.

DejaVu Sans ships in ``core/fonts/`` with its licence (Bitstream Vera licence, DejaVu changes in the public
domain), so any name prints as written ("Łukasz Dvořák", "Øster"), never as "?". Every page carries the
clinic's name and contact and the page number; table cells wrap instead of being cut.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


class ClinicPDF(FPDF):
    """A4 document of a clinic: ``title`` and ``subtitle`` at the top of every page, the clinic's contact
    under them, and ``footer_note`` with the page number at the foot."""

    def __init__(self, *, clinic, title: str, subtitle: str = "", footer_note: str = ""):
        super().__init__(format="A4")
        self.clinic, self.report_title, self.subtitle, self.footer_note = clinic, title, subtitle, footer_note
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font(FAMILY, "I", str(FONTS / "DejaVuSans-Oblique.ttf"))
        self.set_auto_page_break(True, margin=16)
        self.set_title(title)
        self.set_author(clinic.name if clinic is not None else "")
        self.set_creator("exoclinic")
        self.alias_nb_pages()

    def clinic_line(self) -> str:
        clinic = self.clinic
        if clinic is None:
            return ""
        parts = [clinic.name]
        if clinic.phone:
            parts.append(_("Phone %(phone)s") % {"phone": clinic.phone})
        if clinic.email:
            parts.append(clinic.email)
        if clinic.emergency_phone:
            parts.append(
                _("Emergency: %(number)s or %(phone)s")
                % {"number": clinic.emergency_services_number, "phone": clinic.emergency_phone}
            )
        return " · ".join(parts)

    def header(self):
        self.set_font(FAMILY, "B", 13)
        self.multi_cell(0, 7, self.report_title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 8)
        line = self.clinic_line()
        if line:
            self.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
        if self.subtitle:
            self.set_font(FAMILY, "", 9)
            self.multi_cell(0, 5, self.subtitle, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-14)
        self.set_font(FAMILY, "I", 7)
        page = _("Page %(n)s of %(total)s") % {"n": self.page_no(), "total": "{nb}"}
        note = f"{self.footer_note}  {page}" if self.footer_note else page
        self.multi_cell(0, 3.5, note, align="C")

    def heading(self, text: str):
        self.ln(2)
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 9)

    def para(self, text: str, size: int = 9, style: str = ""):
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")

    def rows(self, header: list[str], rows: list[list], widths: list[float], size: int = 8):
        """A table whose cells wrap (fpdf2's table): every word of every cell is printed."""
        self.set_font(FAMILY, "", size)
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            align="LEFT",
            text_align="LEFT",
            line_height=size * 0.5,
            headings_style=FontFace(family=FAMILY, emphasis="BOLD"),
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for title in header:
                heading.cell(str(title))
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell("-" if value is None else str(value))
