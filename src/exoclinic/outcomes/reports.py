"""PDF progress reports with fpdf2: one in plain words for the patient, one clinical for the physician.

Both carry the same facts as the progress page: baseline, latest value, change and threshold with its source,
time since injury, the natural-recovery note and concurrent therapies. Charts are drawn with PDF lines.
Both are built on ``core.pdf.ClinicPDF``: an embedded Unicode font, the clinic on every page, cells that wrap.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from exoclinic.core.pdf import FAMILY, ClinicPDF

from .instruments import INSTRUMENTS
from .progress import Progress

DISCLAIMER = gettext_lazy(
    "This report measures change; it does not say what caused it. Natural recovery, physiotherapy and other "
    "treatments can all change these measures."
)


def _text(value) -> str:
    return str(value if value is not None else "-")


class _Report(ClinicPDF):
    def __init__(self, *, clinic, title: str, subtitle: str):
        super().__init__(clinic=clinic, title=title, subtitle=subtitle, footer_note=str(DISCLAIMER))

    def chart(self, title: str, points: list[tuple[dt.date, float]], low: float, high: float, baseline=None):
        """A small line chart: frame, baseline (dashed) and the series."""
        if not points:
            return
        if self.will_page_break(42):
            self.add_page()
        x0, y0, w, h = self.l_margin + 8, self.get_y() + 5, 120, 30
        self.set_font(FAMILY, "", 7)
        self.cell(0, 4, _text(title), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(150)
        self.rect(x0, y0, w, h)
        self.set_xy(x0 - 9, y0 - 2)
        self.cell(8, 4, _text(f"{high:g}"), align="R")
        self.set_xy(x0 - 9, y0 + h - 2)
        self.cell(8, 4, _text(f"{low:g}"), align="R")
        first, last = points[0][0].toordinal(), points[-1][0].toordinal()
        span = max(last - first, 1)
        high = high if high > low else low + 1

        def px(day):
            return x0 + (w / 2 if last == first else (day.toordinal() - first) / span * w)

        def py(value):
            return y0 + h - (min(max(value, low), high) - low) / (high - low) * h

        if baseline is not None:
            self.set_dash_pattern(dash=1, gap=1)
            self.line(x0, py(baseline), x0 + w, py(baseline))
            self.set_dash_pattern()
        self.set_draw_color(20, 80, 160)
        self.set_line_width(0.4)
        for (d1, v1), (d2, v2) in zip(points, points[1:], strict=False):
            self.line(px(d1), py(v1), px(d2), py(v2))
        for day, value in points[-40:] if len(points) > 40 else points:
            self.circle(px(day) - 0.6, py(value) - 0.6, 1.2, style="F")
        self.set_line_width(0.2)
        self.set_draw_color(0)
        self.set_xy(x0, y0 + h + 1)
        self.cell(w / 2, 4, _text(f"{points[0][0]:%Y-%m-%d}"))
        self.cell(w / 2, 4, _text(f"{points[-1][0]:%Y-%m-%d}"), align="R")
        self.set_y(y0 + h + 6)


def _context_lines(progress: Progress) -> list[str]:
    lines = []
    if progress.date_of_injury:
        lines.append(
            _("Date of injury: %(d)s. Time since injury: %(t)s.")
            % {"d": progress.date_of_injury.isoformat(), "t": progress.time_since_injury}
        )
    if progress.first_procedure_on:
        lines.append(_("First procedure: %(d)s.") % {"d": progress.first_procedure_on.isoformat()})
    if progress.baseline_on:
        lines.append(_("Baseline: %(d)s.") % {"d": progress.baseline_on.isoformat()})
    if progress.natural_recovery_note:
        lines.append(progress.natural_recovery_note)
    therapies = ", ".join(progress.concurrent_therapies) or _("none recorded")
    lines.append(
        _("Concurrent therapies: %(t)s. %(note)s")
        % {"t": therapies, "note": progress.concurrent_therapy_note}
    )
    return lines


def _numeric(readings):
    return [
        (r.on, float(r.value))
        for r in readings
        if isinstance(r.value, int | float) and not isinstance(r.value, bool)
    ]


def _change_words(series) -> str:
    """The change in words, followed by this measure's own natural-recovery caveat when it has one."""
    words = series.change.plain_words
    if series.recovery_note:
        words += " " + _("Natural recovery: %(note)s") % {"note": series.recovery_note}
    return words


def patient_report(progress: Progress) -> bytes:
    patient = progress.patient
    pdf = _Report(
        clinic=patient.clinic,
        title=_("My progress report"),
        subtitle=f"{patient.full_name} · {progress.today.isoformat()}",
    )
    pdf.add_page()
    write_patient_progress(pdf, progress)
    return bytes(pdf.output())


def report_document(title: str, subtitle: str, *, clinic=None) -> ClinicPDF:
    """An empty report with this module's header, footer and helpers (heading, para, rows, chart)."""
    return _Report(clinic=clinic, title=title, subtitle=subtitle)


def write_patient_progress(pdf: ClinicPDF, progress: Progress) -> None:
    """The patient's progress in plain words, written into ``pdf`` (the record summary reuses it)."""
    for line in _context_lines(progress):
        pdf.para(line)
    for block in progress.indicators:
        pdf.heading(block.label)
        pdf.para(block.diary.plain_words)
        pdf.chart(
            _("Your weekly rating (0-10)"),
            _numeric(block.diary.readings),
            0,
            10,
            block.diary.first.value if block.diary.first else None,
        )
        for series in block.series:
            if series.change is not None:
                pdf.para(_change_words(series))
    if progress.neurology:
        pdf.heading(_("Neurological classification (ISNCSCI)"))
        for series in progress.neurology:
            if series.change is not None:
                pdf.para(_change_words(series))


def clinical_report(progress: Progress) -> bytes:
    patient = progress.patient
    subtitle = _("%(name)s (%(record)s), born %(born)s · %(today)s") % {
        "name": patient.full_name,
        "record": patient.record_number,
        "born": patient.date_of_birth.isoformat(),
        "today": progress.today.isoformat(),
    }
    pdf = _Report(clinic=patient.clinic, title=_("Clinical progress report"), subtitle=subtitle)
    pdf.add_page()
    level = getattr(patient, "sci_neurological_level", "") or "-"
    grade = getattr(patient, "sci_ais_grade", "") or "-"
    pdf.para(_("Recorded injury: level %(l)s, AIS %(g)s.") % {"l": level, "g": grade})
    for line in _context_lines(progress):
        pdf.para(line)
    pdf.heading(_("Change against baseline"))
    rows = []
    for block in progress.indicators:
        for series in block.series:
            change = series.change
            rows.append(
                [
                    block.label,
                    _(series.measure.name),
                    f"{series.baseline.shown} ({series.baseline.on:%Y-%m-%d})" if series.baseline else "-",
                    f"{series.latest.shown} ({series.latest.on:%Y-%m-%d})" if series.latest else "-",
                    "-" if change is None or change.change is None else f"{change.change:+g}",
                    series.badge or "-",
                ]
            )
    for series in progress.neurology:
        rows.append(
            [
                _("Neurology"),
                _(series.measure.name),
                f"{series.baseline.value}" if series.baseline else "-",
                f"{series.latest.value}" if series.latest else "-",
                "-"
                if series.change is None or series.change.change is None
                else f"{series.change.change:+g}",
                series.badge or "-",
            ]
        )
    pdf.rows(
        [
            _("Indicator"),
            _("Measure"),
            _("Baseline"),
            _("Latest"),
            pgettext("difference between two scores", "Change"),
            _("Judgement"),
        ],
        rows,
        [26, 48, 32, 32, 14, 38],
    )
    pdf.heading(_("Charts"))
    for block in progress.indicators:
        for series in block.series:
            numeric = _numeric(series.readings)
            if len(numeric) > 1:
                m = series.measure
                low = m.minimum if m.minimum is not None else min(v for _, v in numeric)
                high = m.maximum if m.maximum is not None else max(v for _, v in numeric)
                base = (
                    series.baseline.value
                    if series.baseline and isinstance(series.baseline.value, int | float)
                    else None
                )
                pdf.chart(f"{_(m.name)} ({series.instrument_name})", numeric, float(low), float(high), base)
    pdf.heading(_("Thresholds and their sources"))
    seen = set()
    for block in progress.indicators:
        for series in [*block.series]:
            if series.change is not None and series.change.plain_words not in seen:
                seen.add(series.change.plain_words)
                source = series.change.source or _("no established threshold: raw change shown")
                pdf.para(f"{_(series.measure.name)}: {_change_words(series)} [{source}]", size=8)
    for series in progress.neurology:
        if series.change is not None:
            pdf.para(f"{_(series.measure.name)}: {_change_words(series)}", size=8)
    pdf.heading(_("Instruments"))
    used = {series.measure.code.split(".")[0] for block in progress.indicators for series in block.series}
    for code in sorted(used | ({"isncsci"} if progress.neurology else set())):
        definition = INSTRUMENTS[code]
        pdf.para(f"{_(definition.name)}: {_(definition.source)}", size=8)
    pdf.heading(_("Weekly self-ratings (last 12 weeks)"))
    codes = [block.diary.code for block in progress.indicators]
    recent = progress.diary_weeks[-12:]
    pdf.rows(
        [_("Week"), *[block.label for block in progress.indicators]],
        [
            [w["on"].isoformat() + (" *" if w["source"] else ""), *[w.get(c, "-") for c in codes]]
            for w in recent
        ],
        [28, 27, 27, 27, 27, 27, 27],
    )
    return bytes(pdf.output())
