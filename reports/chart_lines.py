"""The credits chart's lines (:mod:`reports.charts`): credits per day, the y axis's scale, the
cumulative step line and its simplification. Pure Python, like the chart."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from reports.chart_svg import Point, _Plot, _round

MAX_Y_INTERVALS = 8
NICE_MULTIPLIERS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
SIMPLIFY_ABOVE = 200  # points in a line before near-collinear ones are dropped
SIMPLIFY_TOLERANCE = 0.35  # viewBox units: well under the line's width


@dataclass(frozen=True)
class ChartPoint:
    day: dt.date
    credits: Decimal  # credits earned ON that day (not cumulative)


def _daily_totals(
    points: Iterable[ChartPoint], start: dt.date, end: dt.date
) -> dict[dt.date, Decimal]:
    daily: dict[dt.date, Decimal] = {}
    for point in points:
        if start <= point.day <= end:
            daily[point.day] = daily.get(point.day, Decimal(0)) + point.credits
    return dict(sorted(daily.items()))


def _y_scale(largest: Decimal) -> tuple[Decimal, Decimal]:
    """The top of the y axis (largest value plus 10%, rounded up to a nice step) and the step."""
    target = largest * Decimal("1.1")
    if target <= 0:
        target = Decimal(10)
    exponent = math.floor(math.log10(target / MAX_Y_INTERVALS))
    while True:
        for multiplier in NICE_MULTIPLIERS:
            step = multiplier * Decimal(10) ** exponent
            intervals = (target / step).to_integral_value(rounding=ROUND_CEILING)
            if intervals <= MAX_Y_INTERVALS:
                return intervals * step, step
        exponent += 1


def _step_points(plot: _Plot, daily: dict[dt.date, Decimal], line_end: dt.date) -> list[Point]:
    """The cumulative step line, with the credits of one x pixel merged into one step.

    Where steps fall on neighbouring pixels the corner is left out: a one-pixel diagonal looks
    the same and keeps the markup small when a cycle has a credit nearly every day.
    """
    by_pixel: dict[int, Decimal] = {}
    cumulative = Decimal(0)
    for day, credits in daily.items():
        cumulative += credits
        by_pixel[math.floor(plot.x(day) + 0.5)] = cumulative

    points = [(_round(plot.left), _round(plot.y(0)))]
    for pixel, value in by_pixel.items():
        x, y = float(pixel), _round(plot.y(float(value)))
        last_x, last_y = points[-1]
        if y == last_y:
            continue
        if x - last_x > 1:
            points.append((x, last_y))  # along, then up
        elif x == last_x and len(points) > 1 and points[-2][0] == x:
            points.pop()  # already going up at this x: go further up
        points.append((x, y))
    x_end = _round(plot.x(line_end + dt.timedelta(days=1)))
    if x_end > points[-1][0]:
        points.append((x_end, points[-1][1]))
    if len(points) > SIMPLIFY_ABOVE:  # exact steps while they are few enough to see one by one
        points = _simplify(points, SIMPLIFY_TOLERANCE)
    return points


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker: drop the points within ``tolerance`` of the line through the rest.

    The result is a subset with the same ends, so a rising line stays rising.
    """
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_index = 0.0, -1
        for index in range(first + 1, last):
            x, y = points[index]
            distance = (
                abs(dy * (x - x1) - dx * (y - y1)) / length
                if length
                else math.hypot(x - x1, y - y1)
            )
            if distance > worst:
                worst, worst_index = distance, index
        if worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]
