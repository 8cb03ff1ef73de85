"""The cumulative-credits chart as a document: well-formed SVG 1.1, its fonts, the line and what
it says (title, description, escaped text).

Pure functions, no database: the chart is read back with ElementTree, the way a browser or
WeasyPrint would see it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from reports import charts
from reports.charts import ChartPoint
from tests.reports.chart_helpers import (
    AS_OF,
    CYCLE,
    END,
    NS,
    START,
    chart,
    credit_line,
    description,
    parse,
    required_y,
    texts,
    y_of,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Overrides the suite's cache-clearing fixture: these tests need no Django at all."""
    yield


def test_the_chart_is_a_scalable_accessible_svg_1_1_document():
    svg = chart(CYCLE)
    root = parse(svg)

    assert root.get("viewBox") == "0 0 640 240"
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    assert [child.tag for child in root[:2]] == [f"{NS}title", f"{NS}desc"]
    assert root.find(f"{NS}title").text == (
        "Cumulative CME credits from Jan 1, 2024 to Dec 31, 2026"
    )
    allowed = {
        f"{NS}{tag}" for tag in ("svg", "title", "desc", "g", "line", "polyline", "polygon", "text")
    }
    assert {el.tag for el in root.iter()} <= allowed
    for forbidden in ("<style", "<script", "foreignObject", "class=", "var(", "href", "@font-face"):
        assert forbidden not in svg


def test_every_text_is_set_in_dejavu_sans_with_an_explicit_fill():
    root = parse(chart(CYCLE))
    (group,) = [g for g in root.iter(f"{NS}g") if g.find(f"{NS}text") is not None]

    assert group.get("font-family") == "DejaVu Sans, sans-serif"
    assert len(list(root.iter(f"{NS}text"))) == len(list(group.iter(f"{NS}text")))
    assert all(text.get("fill", "").startswith("#") for text in group.iter(f"{NS}text"))


def test_the_line_ends_at_the_height_of_the_total_on_the_today_marker():
    root = parse(chart(CYCLE))
    line = credit_line(root)

    assert line[-1][1] == pytest.approx(y_of(root, Decimal("112.5")), abs=0.2)
    (marker,) = [
        el
        for el in root.iter(f"{NS}line")
        if el.get("stroke") == charts.TEXT_COLOUR
        and el.get("x1") == el.get("x2")
        and float(el.get("y2")) - float(el.get("y1")) > 100
    ]
    assert line[-1][0] == float(marker.get("x1"))


def test_the_line_is_a_step_line_that_jumps_on_the_day_credits_are_earned():
    root = parse(chart([ChartPoint(dt.date(2025, 1, 1), Decimal("60"))], as_of=END))
    (start, before, after, end) = credit_line(root)

    assert start[1] == before[1]  # flat at 0 until the day...
    assert before[0] == after[0]  # ...then straight up...
    assert after[1] == pytest.approx(y_of(root, Decimal(60)), abs=0.2)
    assert end == (620, after[1])  # ...and flat to the end of the cycle


def test_points_outside_the_cycle_are_ignored():
    outside = [
        ChartPoint(START - dt.timedelta(days=1), Decimal("40")),
        ChartPoint(END + dt.timedelta(days=1), Decimal("40")),
        ChartPoint(dt.date(2019, 5, 5), Decimal("7")),
    ]

    assert chart([*outside, *CYCLE]) == chart(CYCLE)
    assert chart(outside) == chart([])


def test_points_on_the_same_day_are_summed():
    day = dt.date(2025, 4, 18)
    split = [ChartPoint(day, Decimal("5")), ChartPoint(day, Decimal("7.5"))]

    assert chart(split) == chart([ChartPoint(day, Decimal("12.5"))])
    assert description(parse(chart(split))).startswith("12.5 of 150 credits")


def test_the_same_points_always_give_the_same_string_whatever_their_order():
    shuffled = CYCLE[::-1]

    assert chart(CYCLE) == chart(CYCLE)
    assert chart(shuffled) == chart(CYCLE)
    assert chart(CYCLE, category_1_points=CYCLE[:1]) == chart(CYCLE, category_1_points=CYCLE[:1])


def test_an_empty_cycle_still_shows_the_axes_the_requirement_and_a_note():
    root = parse(chart([]))
    labels = texts(root)

    assert "No credits recorded in this cycle yet" in labels
    assert "150 required" in labels
    assert {"0", "175", "2024", "2025", "2026"} <= set(labels)
    assert not list(root.iter(f"{NS}polyline"))
    assert required_y(root) < 240
    assert description(root) == (
        "0 of 150 credits earned by Nov 22, 2026; the cycle ends Dec 31, 2026. "
        "No credits recorded in this cycle yet."
    )


@pytest.mark.parametrize(
    ("as_of", "category_1", "expected"),
    [
        (
            AS_OF,
            None,
            "112.5 of 150 credits earned by Nov 22, 2026; the cycle ends Dec 31, 2026.",
        ),
        (
            dt.date(2027, 2, 1),
            None,
            "112.5 of 150 credits earned by Dec 31, 2026; the cycle ended Dec 31, 2026.",
        ),
        (
            AS_OF,
            CYCLE[:2],
            "112.5 of 150 credits earned by Nov 22, 2026; the cycle ends Dec 31, 2026. "
            "Category 1: 15.5 credits.",
        ),
    ],
)
def test_the_description_states_the_total_and_the_end_of_the_cycle(as_of, category_1, expected):
    root = parse(chart(CYCLE, as_of=as_of, category_1_points=category_1))

    assert description(root) == expected


def test_text_is_escaped():
    svg = chart(CYCLE)

    assert "&" not in re.sub(r"&(amp|lt|gt|quot|apos);", "", svg)
    assert charts._text(0, 0, "<b>A & B</b>", "#000").endswith(
        "&lt;b&gt;A &amp; B&lt;/b&gt;</text>"
    )
