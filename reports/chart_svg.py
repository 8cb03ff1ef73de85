"""The SVG pieces of the credits chart (:mod:`reports.charts`): lines, polylines and text with
coordinates rounded to one decimal place, and where a label's glyphs land, so that labels can
be placed where they cover nothing. Pure Python, like the chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

CHAR_WIDTH = 6.6  # DejaVu Sans at 11px averages about 0.6em per character

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class _Plot:
    """The plot area in viewBox units and the scales from (date, credits) into it."""

    start: dt.date
    end: dt.date
    top_value: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date) -> float:
        """The left edge of ``day``: the window runs from start 00:00 to the end of ``end``."""
        return self.left + (day - self.start).days * (self.right - self.left) / self.days

    def y(self, value: float) -> float:
        return self.bottom - value / self.top_value * (self.bottom - self.top)


def _text_box(x: float, y: float, anchor: str, text: str) -> Box:
    """Roughly where a label's glyphs land (x, y is the baseline's anchor point)."""
    width = len(text) * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - 9, left + width, y + 2


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _within(inner: Box, outer: Box) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _round(value: float) -> float:
    return round(value, 1)


def _number(value: float) -> str:
    """A coordinate with at most one decimal place: 12.0 -> '12', 12.34 -> '12.3'."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _points(points: list[Point]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in points)


def _polyline(points: list[Point], colour: str, stroke_width: float) -> str:
    return (
        f'<polyline points="{_points(points)}" fill="none" stroke="{colour}" '
        f'stroke-width="{_number(stroke_width)}" stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    colour: str,
    stroke_width: float = 1,
    *,
    dash: str | None = None,
) -> str:
    dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" y2="{_number(y2)}" '
        f'stroke="{colour}" stroke-width="{_number(stroke_width)}"{dash_attribute}/>'
    )


def _text(x: float, y: float, text: str, colour: str, *, anchor: str = "start") -> str:
    anchor_attribute = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" fill="{colour}"{anchor_attribute}>'
        f"{escape(text)}</text>"
    )
