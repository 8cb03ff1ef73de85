"""What the chart tests share: drawing a chart and reading the SVG back with ElementTree."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from reports import charts
from reports.charts import ChartPoint, cumulative_credits_svg

NS = "{http://www.w3.org/2000/svg}"


START = dt.date(2024, 1, 1)


END = dt.date(2026, 12, 31)


AS_OF = dt.date(2026, 11, 22)


CYCLE = [
    ChartPoint(dt.date(2024, 3, 20), Decimal("13")),
    ChartPoint(dt.date(2025, 6, 2), Decimal("2.5")),
    ChartPoint(dt.date(2026, 10, 1), Decimal("97")),
]  # 112.5 in all


def chart(points=(), **kwargs) -> str:
    kwargs.setdefault("start", START)
    kwargs.setdefault("end", END)
    kwargs.setdefault("as_of", AS_OF)
    return cumulative_credits_svg(list(points), **kwargs)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 -- the chart we just drew, not outside input
    assert root.tag == f"{NS}svg"
    return root


def polylines(root: ET.Element, colour: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(n) for n in pair.split(",")) for pair in line.get("points").split()]
        for line in root.iter(f"{NS}polyline")
        if line.get("stroke") == colour
    ]


def credit_line(root: ET.Element, colour: str = charts.LINE_COLOUR) -> list[tuple[float, float]]:
    (line,) = polylines(root, colour)
    return line


def required_y(root: ET.Element) -> float:
    (line,) = [el for el in root.iter(f"{NS}line") if el.get("stroke") == charts.REQUIRED_COLOUR]
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1"))


def y_labels(root: ET.Element) -> list[Decimal]:
    return [
        Decimal(el.text)
        for el in root.iter(f"{NS}text")
        if el.get("text-anchor") == "end" and re.fullmatch(r"\d+(\.\d+)?", el.text)
    ]


def y_of(root: ET.Element, credits: Decimal) -> float:
    """Where a number of credits sits, read off the chart: the x axis is at 0 credits and the
    top gridline at the top label of the y axis."""
    (baseline,) = [
        float(el.get("y1"))
        for el in root.iter(f"{NS}line")
        if el.get("stroke") == charts.TEXT_COLOUR and el.get("y1") == el.get("y2")
    ]
    top = min(
        float(el.get("y1"))
        for el in root.iter(f"{NS}line")
        if el.get("stroke") == charts.GRID_COLOUR and el.get("y1") == el.get("y2")
    )
    return baseline + (top - baseline) * float(credits / max(y_labels(root)))


def texts(root: ET.Element) -> list[str]:
    return [el.text for el in root.iter(f"{NS}text")]


def description(root: ET.Element) -> str:
    return root.find(f"{NS}desc").text


def today_markers(root: ET.Element) -> int:
    return texts(root).count(charts.TODAY_LABEL)
