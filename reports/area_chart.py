"""The CME report's "Credits by content area": one row per area, its label and credits as text
and a bar as a small SVG (:mod:`credits.rules.content_areas` adds the credits up).

The bars are SVG rather than CSS backgrounds so that they print (browsers leave backgrounds
out of print by default) and so that no inline style is needed (the site's CSP forbids them);
the labels and figures stay HTML text, so a long label wraps on a phone and the PDF's text
holds them. Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from credits.rules.content_areas import NOT_RECORDED, AreaCredits
from reports.chart_svg import _number

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
BAR_COLOUR = "#1f4e79"  # the cumulative chart's line
NOT_RECORDED_COLOUR = "#6b7585"
TRACK_COLOUR = "#e3e8ef"
BAR_HEIGHT = 10
SMALLEST_BAR = 1.0  # per cent of the track: a few credits stay visible next to many


@dataclass(frozen=True)
class AreaBar:
    code: str
    label: str
    credits: Decimal
    percent: float  # of the track; the largest area fills it
    svg: str


def area_bars(areas: Iterable[AreaCredits]) -> list[AreaBar]:
    """A bar per area, scaled so that the area with the most credits fills its track."""
    areas = list(areas)
    largest = max((area.credits for area in areas), default=Decimal(0))
    bars = []
    for area in areas:
        percent = 0.0
        if area.credits > 0 and largest > 0:
            percent = max(float(area.credits / largest * 100), SMALLEST_BAR)
        colour = NOT_RECORDED_COLOUR if area.code == NOT_RECORDED else BAR_COLOUR
        bars.append(AreaBar(area.code, area.label, area.credits, percent, _bar(percent, colour)))
    return bars


def _bar(percent: float, colour: str) -> str:
    """A track the width of its cell, filled ``percent`` of the way in ``colour``."""
    fill = (
        f'<rect x="0" y="0" width="{_number(percent)}%" height="{BAR_HEIGHT}" fill="{colour}"/>'
        if percent > 0
        else ""
    )
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" version="1.1" class="area-bar" width="100%" '
        f'height="{BAR_HEIGHT}" aria-hidden="true" focusable="false">'
        f'<rect x="0" y="0" width="100%" height="{BAR_HEIGHT}" fill="{TRACK_COLOUR}"/>'
        f"{fill}</svg>"
    )
