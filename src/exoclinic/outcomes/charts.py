"""Server-drawn SVG line charts: accessible (role="img", <title>, <desc>) and free of scripts and assets.

Each chart shows one series over time against the baseline (a dashed line) and, where the measure has a
threshold, the level the change must reach (a dotted line). The page also gives the data as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 26


@dataclass(frozen=True)
class ChartLine:
    value: float
    label: str
    style: str  # "baseline" or "threshold"


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[dt.date, float]],
    y_min: float,
    y_max: float,
    lines: Sequence[ChartLine] = (),
) -> str:
    """An SVG line chart of ``points`` (date, value), oldest first, on the measure's fixed range."""
    if y_max <= y_min:
        y_max = y_min + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if points:
        first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    else:
        first = last = dt.date.today().toordinal()
    span = max(last - first, 1)

    def x(day: dt.date) -> float:
        return LEFT + (plot_w / 2 if last == first else (day.toordinal() - first) / span * plot_w)

    def y(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return TOP + plot_h - (clamped - y_min) / (y_max - y_min) * plot_h

    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" class="chart-area"/>',
    ]
    for tick in (y_min, (y_min + y_max) / 2, y_max):
        ty = y(tick)
        parts.append(f'<line x1="{LEFT - 3}" x2="{LEFT}" y1="{ty:.1f}" y2="{ty:.1f}" class="chart-axis"/>')
        parts.append(
            f'<text x="{LEFT - 5}" y="{ty + 3:.1f}" text-anchor="end" class="chart-tick">{_fmt(tick)}</text>'
        )
    if points:
        parts.append(f'<text x="{LEFT}" y="{HEIGHT - 8}" class="chart-tick">{points[0][0]:%Y-%m-%d}</text>')
        if last != first:
            parts.append(
                f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" class="chart-tick">'
                f"{points[-1][0]:%Y-%m-%d}</text>"
            )
    for line in lines:
        ly = y(line.value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ly:.1f}" y2="{ly:.1f}" class="chart-{line.style}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT - 2}" y="{ly - 3:.1f}" text-anchor="end" class="chart-label">'
            f"{escape(line.label)}</text>"
        )
    if points:
        coords = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
        if len(points) > 1:
            parts.append(f'<polyline points="{coords}" class="chart-line"/>')
        if len(points) <= 60:  # markers only where they stay readable
            parts.extend(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" class="chart-point"/>' for d, v in points
            )
        else:
            d, v = points[-1]
            parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" class="chart-point"/>')
    parts.append("</svg>")
    return "".join(parts)
