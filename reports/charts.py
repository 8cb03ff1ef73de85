"""A server-rendered SVG chart of a member's cumulative CME credits over a cycle.

The same markup goes into the dashboard (browser) and the PDF report (WeasyPrint), so it sticks
to plain SVG 1.1: line, polyline, polygon, text and g, with explicit presentation attributes,
no stylesheet, no script, no ids and no external fonts. Pure Python: no Django, no
database and no clock (the caller passes ``as_of``). Same input, same string.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

from members import formatting
from reports.chart_lines import ChartPoint, _daily_totals, _step_points, _y_scale
from reports.chart_svg import (
    CHAR_WIDTH,
    Box,
    Point,
    _line,
    _overlap,
    _Plot,
    _points,
    _polyline,
    _text,
    _text_box,
    _within,
)

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_FAMILY = "DejaVu Sans, sans-serif"
FONT_SIZE = 11

LINE_COLOUR = "#1f4e79"
AREA_COLOUR = "#1f4e79"
AREA_OPACITY = "0.12"
CATEGORY_1_COLOUR = "#2a9d8f"
REQUIRED_COLOUR = "#9a5b00"
GRID_COLOUR = "#d9dee6"
TEXT_COLOUR = "#4a5566"

EMPTY_NOTE = "No credits recorded in this cycle yet"
TODAY_LABEL = "Today"

# Plot margins inside the viewBox: room for the y labels, the x labels and the legend.
MARGIN_LEFT = 44
MARGIN_RIGHT = 20
MARGIN_TOP = 14
MARGIN_TOP_WITH_LEGEND = 28
MARGIN_BOTTOM = 26

MONTH_LABEL_MAX_DAYS = 400  # shorter windows label months; longer ones label years


def cumulative_credits_svg(
    points: Iterable[ChartPoint],
    *,
    start: dt.date,
    end: dt.date,
    required: Decimal = Decimal(150),
    as_of: dt.date,
    category_1_points: Iterable[ChartPoint] | None = None,
    width: int = 640,
    height: int = 240,
) -> str:
    """The cumulative credits of ``[start, end]`` as a step line, as an SVG string.

    Points outside the window are ignored and points on the same day are summed. The line is
    drawn up to ``min(as_of, end)`` (or to the last credit, should one be dated after
    ``as_of``); a "Today" marker shows when ``as_of`` falls inside the window.
    """
    if end < start:
        raise ValueError(f"The window ends ({end}) before it starts ({start}).")

    daily = _daily_totals(points, start, end)
    total = sum(daily.values(), Decimal(0))
    category_1 = None if category_1_points is None else _daily_totals(category_1_points, start, end)
    category_1_total = None if category_1 is None else sum(category_1.values(), Decimal(0))
    empty = not any(daily.values())

    last_day = max([*daily, *(category_1 or {})], default=start)
    line_end = max(min(max(as_of, start), end), last_day)

    top_value, step = _y_scale(max(required, total, category_1_total or Decimal(0)))
    has_legend = category_1 is not None and not empty
    plot = _Plot(
        start=start,
        end=end,
        top_value=float(top_value),
        left=MARGIN_LEFT,
        right=width - MARGIN_RIGHT,
        top=MARGIN_TOP_WITH_LEGEND if has_legend else MARGIN_TOP,
        bottom=height - MARGIN_BOTTOM,
    )

    description = _description(total, required, line_end, as_of, end, category_1_total, empty)
    parts = [
        f'<svg xmlns="{SVG_NAMESPACE}" version="1.1" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img">',
        f"<title>{escape(_title(start, end))}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    parts += _y_grid(plot, top_value, step)
    parts += _x_ticks(plot)
    parts.append(_line(plot.left, plot.bottom, plot.right, plot.bottom, TEXT_COLOUR))

    lines: list[list[Point]] = []  # what the labels must not cover
    if not empty:
        main = _step_points(plot, daily, line_end)
        area = [*main, (main[-1][0], plot.bottom)]  # main starts on the baseline
        parts.append(
            f'<polygon points="{_points(area)}" fill="{AREA_COLOUR}" '
            f'fill-opacity="{AREA_OPACITY}" stroke="none"/>'
        )
        lines.append(main)

    y_required = plot.y(float(required))
    parts.append(
        _line(plot.left, y_required, plot.right, y_required, REQUIRED_COLOUR, 1.5, dash="6 4")
    )

    if not empty:
        parts.append(_polyline(main, LINE_COLOUR, 2.2))
        if category_1 is not None:
            category_1_line = _step_points(plot, category_1, line_end)
            parts.append(_polyline(category_1_line, CATEGORY_1_COLOUR, 1.2))
            lines.append(category_1_line)

    labels: list[str] = []
    taken: list[Box] = []
    if empty:
        note = (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2 + 4, "middle"
        labels.append(_text(*note[:2], EMPTY_NOTE, TEXT_COLOUR, anchor=note[2]))
        taken.append(_text_box(*note, EMPTY_NOTE))
    if start <= as_of <= end:
        x_today = plot.x(as_of + dt.timedelta(days=1))
        parts.append(_line(x_today, plot.top, x_today, plot.bottom, TEXT_COLOUR))
        # Right of the marker there is no data yet: low down there is the first choice.
        spot = _free_spot(
            plot,
            TODAY_LABEL,
            [
                (x_today + 4, plot.bottom - 6, "start"),
                (x_today + 4, plot.top + 11, "start"),
                (x_today - 4, plot.top + 11, "end"),
                (x_today - 4, plot.bottom - 6, "end"),
            ],
            [*lines, [(plot.left, y_required), (plot.right, y_required)]],
            taken,
        )
        labels.append(_text(*spot[:2], TODAY_LABEL, TEXT_COLOUR, anchor=spot[2]))
        taken.append(_text_box(*spot, TODAY_LABEL))
        lines.append([(x_today, plot.top), (x_today, plot.bottom)])
    required_label = f"{_credits(required)} required"
    spot = _free_spot(
        plot,
        required_label,
        [
            (plot.left + 6, y_required - 5, "start"),
            (plot.right - 6, y_required - 5, "end"),
            (plot.left + 6, y_required + 14, "start"),
            (plot.right - 6, y_required + 14, "end"),
        ],
        lines,
        taken,
    )
    labels.append(_text(*spot[:2], required_label, REQUIRED_COLOUR, anchor=spot[2]))

    parts.append(f'<g font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">')
    parts += labels
    if has_legend:
        parts += _legend(plot)
    parts += _tick_labels(plot, top_value, step)
    parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _y_grid(plot: _Plot, top_value: Decimal, step: Decimal) -> list[str]:
    lines = []
    value = step
    while value <= top_value:
        y = plot.y(float(value))
        lines.append(_line(plot.left, y, plot.right, y, GRID_COLOUR))
        value += step
    return lines


def _tick_labels(plot: _Plot, top_value: Decimal, step: Decimal) -> list[str]:
    labels = []
    value = Decimal(0)
    while value <= top_value:
        y = plot.y(float(value)) + 4
        labels.append(_text(plot.left - 6, y, _credits(value), TEXT_COLOUR, anchor="end"))
        value += step
    labels += _x_labels(plot)
    return labels


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months that begin inside ``[start, end]``."""
    day = start.replace(day=1)
    if day < start:
        day = _next_month(day)
    days = []
    while day <= end:
        days.append(day)
        day = _next_month(day)
    return days


def _next_month(day: dt.date) -> dt.date:
    return (
        day.replace(year=day.year + 1, month=1)
        if day.month == 12
        else day.replace(month=day.month + 1)
    )


def _x_ticks(plot: _Plot) -> list[str]:
    """A gridline and a long tick at each 1 January; short ticks at the other months."""
    months = _month_starts(plot.start, plot.end)
    px_per_month = (plot.right - plot.left) * 30.4 / plot.days
    ticks = []
    for day in months:
        x = plot.x(day)
        if day.month == 1:
            if day != plot.start:
                ticks.append(_line(x, plot.top, x, plot.bottom, GRID_COLOUR))
            ticks.append(_line(x, plot.bottom, x, plot.bottom + 6, TEXT_COLOUR))
        elif px_per_month >= 4:
            ticks.append(_line(x, plot.bottom, x, plot.bottom + 3, TEXT_COLOUR))
    return ticks


def _x_labels(plot: _Plot) -> list[str]:
    """Years at each 1 January, months too when the window is short, and the month the window
    starts in unless that is already labelled. Never overlapping, never cut off."""
    months = _month_starts(plot.start, plot.end)
    wanted: list[tuple[float, str]] = []
    start_label = (plot.left, formatting.month(plot.start))
    if plot.days <= MONTH_LABEL_MAX_DAYS:
        for index, day in enumerate(months):
            text = formatting.month(day) if index == 0 or day.month == 1 else day_name(day)
            wanted.append((plot.x(day), text))
        wanted = wanted or [start_label]
    else:
        wanted = [(plot.x(day), str(day.year)) for day in months if day.month == 1]
        if not wanted or wanted[0][0] > plot.left:  # a cycle that does not start in January
            wanted.insert(0, start_label)

    labels = []
    previous_right = -math.inf
    for x, text in wanted:
        half = len(text) * CHAR_WIDTH / 2
        if x - half < previous_right + 6 or x + half > plot.right + MARGIN_RIGHT:
            continue  # it would overlap its neighbour or be cut off at the edge
        labels.append(_text(x, plot.bottom + 17, text, TEXT_COLOUR, anchor="middle"))
        previous_right = x + half
    return labels


def _free_spot(
    plot: _Plot,
    text: str,
    candidates: list[tuple[float, float, str]],
    lines: list[list[Point]],
    taken: list[Box],
) -> tuple[float, float, str]:
    """The first candidate inside the plot that covers no line and no other label."""
    plot_box = (plot.left, plot.top, plot.right, plot.bottom)
    inside = [spot for spot in candidates if _within(_text_box(*spot, text), plot_box)]
    inside = inside or candidates
    for spot in inside:
        box = _text_box(*spot, text)
        padded = (box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2)
        if any(_overlap(padded, other) for other in taken):
            continue
        if any(
            _overlap(padded, (min(x1, x2), min(y1, y2), max(x1, x2) + 0.01, max(y1, y2) + 0.01))
            for line in lines
            for (x1, y1), (x2, y2) in itertools.pairwise(line)
        ):
            continue
        return spot
    return inside[0]


def _legend(plot: _Plot) -> list[str]:
    y = MARGIN_TOP_WITH_LEGEND / 2
    items = []
    x = plot.left
    for text, colour, stroke_width in (
        ("All credits", LINE_COLOUR, 2.2),
        ("Category 1", CATEGORY_1_COLOUR, 1.2),
    ):
        items.append(_line(x, y, x + 18, y, colour, stroke_width))
        items.append(_text(x + 23, y + 4, text, TEXT_COLOUR))
        x += 23 + len(text) * CHAR_WIDTH + 16
    return items


def _title(start: dt.date, end: dt.date) -> str:
    return f"Cumulative CME credits from {_date(start)} to {_date(end)}"


def _description(
    total: Decimal,
    required: Decimal,
    line_end: dt.date,
    as_of: dt.date,
    end: dt.date,
    category_1_total: Decimal | None,
    empty: bool,
) -> str:
    ends = "ended" if as_of > end else "ends"
    text = (
        f"{_credits(total)} of {_credits(required)} credits earned by {_date(line_end)}; "
        f"the cycle {ends} {_date(end)}."
    )
    if category_1_total is not None:
        text += f" Category 1: {_credits(category_1_total)} credits."
    if empty:
        text += f" {EMPTY_NOTE}."
    return text


# Dates and credits as everywhere else (members.formatting): "Nov 22, 2026", "112.5".
_date = formatting.day
_credits = formatting.credits


def day_name(day: dt.date) -> str:
    """'Nov': a month on the axis after the first label of its year."""
    return formatting.MONTHS[day.month - 1][:3]
