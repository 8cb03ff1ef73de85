"""The cumulative-credits chart's layout: its size, coordinates, the today marker, the Category 1
line, the axes, labels that keep off the lines, and the line never going down.

Pure functions, no database: the chart is read back with ElementTree, the way a browser or
WeasyPrint would see it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import charts
from reports.charts import ChartPoint
from tests.reports.chart_helpers import (
    CYCLE,
    END,
    NS,
    START,
    chart,
    credit_line,
    parse,
    polylines,
    required_y,
    texts,
    today_markers,
    y_labels,
    y_of,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Overrides the suite's cache-clearing fixture: these tests need no Django at all."""
    yield


def test_a_thousand_points_stay_under_20_kb():
    rng = random.Random(20240101)
    points = [
        ChartPoint(
            START + dt.timedelta(days=rng.randrange((END - START).days + 1)),
            Decimal(rng.randrange(25, 1000)) / 100,
        )
        for _ in range(1000)
    ]
    total = sum((point.credits for point in points), Decimal(0))

    svg = chart(points, category_1_points=points[::2], as_of=END)
    root = parse(svg)

    assert len(svg.encode()) < 20_000
    line = credit_line(root)
    assert line[-1][1] == pytest.approx(y_of(root, total), abs=0.2)
    assert len(line) < 700  # one step per x pixel at most


def test_coordinates_have_at_most_one_decimal_place():
    root = parse(chart(CYCLE, category_1_points=CYCLE[:2], as_of=dt.date(2026, 2, 3)))
    coordinates = [
        number
        for el in root.iter()
        for name in ("x", "y", "x1", "y1", "x2", "y2", "points")
        for number in re.split(r"[ ,]", el.get(name, ""))
        if number
    ]

    assert len(coordinates) > 100
    assert all(re.fullmatch(r"-?\d+(\.\d)?", number) for number in coordinates)


@pytest.mark.parametrize(
    ("as_of", "shown"),
    [
        (START - dt.timedelta(days=1), False),
        (START, True),
        (dt.date(2025, 7, 1), True),
        (END, True),
        (END + dt.timedelta(days=1), False),
    ],
)
def test_the_today_marker_appears_only_when_today_is_inside_the_cycle(as_of, shown):
    assert today_markers(parse(chart(CYCLE, as_of=as_of))) == int(shown)
    assert today_markers(parse(chart([], as_of=as_of))) == int(shown)


def test_the_line_stops_at_today():
    root = parse(chart(CYCLE, as_of=dt.date(2026, 10, 15)))
    whole = parse(chart(CYCLE, as_of=END))

    assert credit_line(root)[-1][0] < credit_line(whole)[-1][0] == 620


def test_category_1_is_a_second_thinner_line_with_a_legend():
    root = parse(chart(CYCLE, category_1_points=CYCLE[:2]))
    main, category_1 = credit_line(root), credit_line(root, charts.CATEGORY_1_COLOUR)
    widths = {
        line.get("stroke"): float(line.get("stroke-width")) for line in root.iter(f"{NS}polyline")
    }

    assert widths[charts.CATEGORY_1_COLOUR] < widths[charts.LINE_COLOUR]
    assert category_1[-1][1] == pytest.approx(y_of(root, Decimal("15.5")), abs=0.2)
    assert category_1[-1][0] == main[-1][0]
    assert {"All credits", "Category 1"} <= set(texts(root))
    assert "All credits" not in texts(parse(chart(CYCLE)))


@pytest.mark.parametrize(
    ("credits", "required", "top"),
    [("112.5", "150", "175"), ("300", "150", "350"), ("40", "50", "60"), ("0", "0", "10")],
)
def test_the_y_axis_runs_a_tenth_past_the_larger_of_total_and_requirement(credits, required, top):
    root = parse(
        chart([ChartPoint(dt.date(2025, 1, 1), Decimal(credits))], required=Decimal(required))
    )
    assert max(y_labels(root)) == Decimal(top)
    assert min(y_labels(root)) == 0
    assert required_y(root) == pytest.approx(y_of(root, Decimal(required)), abs=0.2)


def test_years_are_labelled_once_each_and_months_get_ticks():
    root = parse(chart(CYCLE))
    short_ticks = [
        el
        for el in root.iter(f"{NS}line")
        if el.get("x1") == el.get("x2") and float(el.get("y2")) - float(el.get("y1")) == 3
    ]

    assert [t for t in texts(root) if t.startswith("20")] == ["2024", "2025", "2026"]
    assert len(short_ticks) == 33  # 36 months less the three Januaries


def test_a_short_window_labels_its_months():
    root = parse(chart(CYCLE, start=dt.date(2025, 1, 15), end=dt.date(2025, 10, 31)))

    assert texts(root)[-9:] == ["Feb 2025", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"]


@pytest.mark.parametrize(
    ("points", "as_of"),
    [
        (  # the line climbs through the requirement where its label would go
            [
                ChartPoint(dt.date(2024, 2, 1), Decimal(100)),
                ChartPoint(dt.date(2024, 3, 1), Decimal(100)),
            ],
            END,
        ),
        ([ChartPoint(dt.date(2024, 1, 2), Decimal(148))], dt.date(2024, 2, 1)),  # just below
        (CYCLE, dt.date(2024, 1, 20)),  # today close to the start
    ],
)
def test_the_labels_in_the_plot_keep_off_the_line_and_each_other(points, as_of):
    root = parse(chart(points, as_of=as_of))
    segments = list(itertools.pairwise(credit_line(root)))
    boxes = []
    for el in root.iter(f"{NS}text"):
        if el.text in ("150 required", "Today"):
            box = charts._text_box(
                float(el.get("x")), float(el.get("y")), el.get("text-anchor", "start"), el.text
            )
            boxes.append(box)
            for (x1, y1), (x2, y2) in segments:
                line_box = (min(x1, x2), min(y1, y2), max(x1, x2) + 0.01, max(y1, y2) + 0.01)
                assert not charts._overlap(box, line_box), el.text

    assert len(boxes) == 2
    assert not charts._overlap(*boxes)


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        chart(CYCLE, start=END, end=START)


days_in_cycle = (END - START).days + 1
chart_points = st.lists(
    st.builds(
        ChartPoint,
        day=st.integers(-30, days_in_cycle + 30).map(lambda n: START + dt.timedelta(days=n)),
        credits=st.decimals(min_value=0, max_value=60, places=2),
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(
    points=chart_points,
    category_1=st.none() | chart_points,
    today=st.integers(-10, days_in_cycle + 10).map(lambda n: START + dt.timedelta(days=n)),
)
def test_the_cumulative_line_never_goes_down(points, category_1, today):
    svg = chart(points, category_1_points=category_1, as_of=today)
    root = parse(svg)
    in_cycle = [p for p in points if START <= p.day <= END]
    total = sum((p.credits for p in in_cycle), Decimal(0))

    colours = [charts.LINE_COLOUR] + ([charts.CATEGORY_1_COLOUR] if category_1 else [])
    lines = [line for colour in colours for line in polylines(root, colour)]
    if not total:
        assert lines == []
        assert "No credits recorded in this cycle yet" in texts(root)
        return
    for line in lines:
        for (x1, y1), (x2, y2) in itertools.pairwise(line):
            assert x2 >= x1  # left to right...
            assert y2 <= y1  # ...and never down the screen (SVG y grows downwards)
    assert credit_line(root)[-1][1] == pytest.approx(y_of(root, total), abs=0.2)
    assert svg == chart(points, category_1_points=category_1, as_of=today)
