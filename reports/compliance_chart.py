"""The staff overview's chart: the share of members compliant at each month's end of the last
three years (the month-end snapshots), as a small SVG drawn on the server — the site's CSP
forbids inline scripts and styles. The figures are also given as text next to it.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reports.chart_svg import _number

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 480, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 468, 12, 196
FONT_SIZE = 14
LINE_COLOUR = "#1f4e79"
GRID_COLOUR = "#d5dbe3"
TEXT_COLOUR = "#4a5565"
GRID_PERCENTS = (0, 25, 50, 75, 100)

Point = tuple[dt.date, int, int]  # month end, members, compliant


def rate(members: int, compliant: int) -> float | None:
    """The share compliant, in per cent (None without members)."""
    return compliant * 100 / members if members else None


def rate_chart(points: Sequence[Point], *, start: dt.date, end: dt.date, label: str) -> str:
    """An SVG line of the compliance rate from ``start`` to ``end`` (month ends), a dot per
    month, gridlines every 25 %, and each 1 January marked with its year."""
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return LEFT + (day - start).days * (RIGHT - LEFT) / span

    def y(percent: float) -> float:
        return BOTTOM - percent * (BOTTOM - TOP) / 100

    label = escape(label, {'"': "&quot;"})
    parts = [
        f'<svg xmlns="{SVG_NAMESPACE}" version="1.1" class="rate-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">'
    ]
    for percent in GRID_PERCENTS:
        parts.append(
            f'<line x1="{LEFT}" y1="{_number(y(percent))}" x2="{RIGHT}" '
            f'y2="{_number(y(percent))}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_number(y(percent) + 5)}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{percent}%</text>'
        )
    for year in range(start.year + 1, end.year + 1):
        tick = x(dt.date(year, 1, 1))
        parts.append(
            f'<line x1="{_number(tick)}" y1="{TOP}" x2="{_number(tick)}" y2="{BOTTOM}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{_number(tick)}" y="{BOTTOM + 20}" text-anchor="middle" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{year}</text>'
        )
    placed = [
        (x(day), y(value))
        for day, members, compliant in points
        if start <= day <= end and (value := rate(members, compliant)) is not None
    ]
    if len(placed) > 1:
        line = " ".join(f"{_number(px)},{_number(py)}" for px, py in placed)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    parts.extend(
        f'<circle cx="{_number(px)}" cy="{_number(py)}" r="2.5" fill="{LINE_COLOUR}"/>'
        for px, py in placed
    )
    parts.append("</svg>")
    return "".join(parts)
