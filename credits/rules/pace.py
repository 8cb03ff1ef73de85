"""Where a member stands in an open cycle: compliant, on track, at risk or short
(``docs/rules.md`` §1 "The membership's compliance").

The sources judge a cycle only at its end; staff need to know earlier who will not make it.
Decision taken here: a member is **on track** while every requirement's counted credits keep
pace with the share of the cycle elapsed (after a third of the cycle, a third of each
requirement), and **at risk** once one falls behind that pace. Credits only move the day a
member falls behind, so that day (:func:`behind_from`) is kept with the member's summary and a
day's verdict is a comparison of dates (:func:`status`), the same in Python and in SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal

from credits.rules.cycles import Window
from credits.rules.enums import _LabelledStrEnum


class Pace(_LabelledStrEnum):
    COMPLIANT = "compliant", "Compliant"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    SHORT = "short", "Short"


def days_in(window: Window) -> int:
    return (window.end - window.start).days + 1


def behind_from(window: Window, requirements: Iterable[tuple[Decimal, Decimal]]) -> dt.date | None:
    """The first day of ``window`` on which one requirement (``(counted, required)``) falls
    behind pace, or ``None`` when none ever does (each is met).

    On day ``d`` the share elapsed is ``(d - start + 1) / days``; a requirement is behind when
    ``counted < required × share``, i.e. from day ``start + floor(counted × days / required)``.
    """
    days = days_in(window)
    first: dt.date | None = None
    for counted, required in requirements:
        if required <= 0 or counted >= required:
            continue
        offset = math.floor(counted * days / required)
        day = window.start + dt.timedelta(days=offset)
        first = day if first is None or day < first else first
    return first


def status(*, met: bool, cycle_end: dt.date, behind: dt.date | None, as_of: dt.date) -> Pace:
    """A cycle's standing as of a day: met → compliant; ended unmet → short; unmet and past the
    day it fell behind → at risk; else on track."""
    if met:
        return Pace.COMPLIANT
    if as_of > cycle_end:
        return Pace.SHORT
    if behind is not None and as_of >= behind:
        return Pace.AT_RISK
    return Pace.ON_TRACK


def on_pace(window: Window, counted: Decimal, required: Decimal, as_of: dt.date) -> bool:
    """The definition itself, for one requirement on one day (what the tests hold
    :func:`behind_from` to)."""
    if counted >= required:
        return True
    elapsed = min(max((as_of - window.start).days + 1, 0), days_in(window))
    return counted * days_in(window) >= required * elapsed


# The month-end snapshots (docs/rules.md §1 "The membership's compliance"). **Decision:** a
# member counts as in compliance on a day when their cycle's requirements are met or on pace
# (compliant or on track), i.e. neither at risk nor short: a cycle judged only at its end would
# make the rate fall to nearly nothing each time many cycles start together.
IN_COMPLIANCE = (Pace.COMPLIANT, Pace.ON_TRACK)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    first_of_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)


def month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last ``months`` month ends on or before ``today``, oldest first (``today`` itself
    when it is a month's last day)."""
    last = month_end(today)
    if last > today:
        last = today.replace(day=1) - dt.timedelta(days=1)
    ends: list[dt.date] = []
    for _ in range(max(months, 0)):
        ends.append(last)
        last = last.replace(day=1) - dt.timedelta(days=1)
    return ends[::-1]
