"""Standing as pure Python: good → probation → suspended → dropped (ASPS CME policy).

The steps, in docs/rules.md §5: a member who ends a three-year cycle short of the requirement
goes on probation for a year; still short at its end, the membership is suspended; continued
failure drops the member.

No Django, no clock (callers pass ``as_of``) and no import of ``credits``: ``members`` must not
depend on it (docs/architecture.md). The caller (the standing job) measures cycles with
``credits.rules`` and hands the results in as plain values.

API
---
``StandingCode``
    good / probation / suspended / dropped, the values of ``members.models.Standing``.
``CycleOutcome(start, end, met, made_up_on=None, missing=())``
    One ended cycle as the caller measured it. ``made_up_on`` is the first day on which the
    cycle's totals plus the credits dated from the day after its end up to that day meet all
    four requirements (:func:`first_day_made_up` finds it); ``missing`` are the words of
    ``Compliance.missing()`` at the cycle's end, used in the reasons.
``StandingInput(current, since, held_to_requirement, cycles, as_of, overridden_on=None)``
    Everything the rules look at. Pass the outcomes of the last cycle that ended before
    ``since`` and of every cycle that ended on or after ``since`` and before ``as_of``; when
    ``since`` is None, of the last cycle that ended before the job first judged the member
    and the later ones, so that old history is not judged (reports.standing_replay);
    :func:`look_back_to` says how far back that is; with ``since``, older cycles do no
    harm. A standing with no cycle ended before it began is taken to have no deficit, so
    leaving out the cycle it is about would end it at once. Cycles not yet ended and
    make-up days after ``as_of`` are ignored.
``next_standing(state) -> Transition | None``
    ONE step: the next change due as of ``as_of``, or None.
``transitions_due(state) -> tuple[Transition, ...]``
    Every step due as of ``as_of``, in order; what the job applies and records.
``look_back_to(current, since, last_judged, as_of) -> date``
    How far back a run must measure cycles: the last cycle that ended before this day and
    every later one. However far ahead ``as_of`` is.
``probation_ends``, ``suspension_ends``, ``makeup_window``, ``first_day_made_up``
    The dates the caller and the emails need (years added with ``members.cycles.add_years``).
``DaySpan``
    Anything with ``start`` and ``end`` dates, such as ``credits.rules.Window``.

Decisions (docs/rules.md §5)
---------------------------
- Only Active Members and Candidates are held to the requirement. For anyone else the job
  changes nothing, whatever their standing: only staff change it.
- A cycle ends at the end of its last day: a member whose cycle ended unmet goes on
  probation on the day after (a job running that day applies it). The probation year runs
  from that day; suspension begins the day after the probation year ends and lasts a year;
  dropped begins the day after the suspension year ends.
- Make-up (docs/rules.md §5): credits dated after the failed cycle's end count toward its
  deficit. The first day the deficit is made up, on probation or while suspended, the member
  is back in good standing. Dropped is final for the job: only staff reinstate.
- A standing is about one cycle: the last cycle that ended before the standing began.
  Episodes last at most two years and cycles three, so without overrides no cycle ends
  during one; a cycle that does (after an override or a change of cycle start) is left to
  staff.
- Effective dates are the days the rules name, not the day the job ran: a job that missed
  days, or runs with ``--as-of`` far ahead, records the same steps with the same dates as
  one running daily (tests/members/test_standing.py checks this). An effective date is
  never before the current standing began, so history stays in order even when credits are
  entered late.
- Staff override: the caller sets the standing, ``since`` and ``overridden_on`` to the day of
  the override. The job then changes nothing on that day, and a deficit already made up by
  then does not end a probation or suspension early (staff saw it): the member returns to
  good at the end of that year instead. Later events (a new cycle ending unmet, a make-up
  after the override, the end of the year) apply as usual.
- Years are added with ``members.cycles.add_years`` (29 February falls on 1 March), the one
  copy the credits rules use too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from members.cycles import add_years
from members.formatting import day as _day  # "Dec 31, 2025", as pages and emails write days

ONE_DAY = timedelta(days=1)


class StandingCode(StrEnum):
    """The values of ``members.models.Standing`` (docs/rules.md), without Django."""

    GOOD = "good"
    PROBATION = "probation"
    SUSPENDED = "suspended"
    DROPPED = "dropped"


class DaySpan(Protocol):
    """Anything with a first and a last day, e.g. ``credits.rules.Window``."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


def probation_ends(since: date) -> date:
    """ASPS CME policy: "the one-year probationary period". The last day of the probation year
    that began on ``since``; the member is suspended (or back in good standing) the day after."""
    return add_years(since, 1) - ONE_DAY


def suspension_ends(since: date) -> date:
    """docs/rules.md §5: a deficit not made up one further year after the suspension began
    → dropped. The last day of the suspension year that began on ``since``."""
    return add_years(since, 1) - ONE_DAY


def look_back_to(
    current: StandingCode | str, since: date | None, last_judged: date | None, as_of: date
) -> date:
    """The day from which a run as of ``as_of`` needs the member's cycles: pass the outcome of
    the last cycle that ended before it and of every later one that ended before ``as_of``.

    A probation or suspension is about the last cycle that ended before it began, and the
    steps after it (a make-up, good standing again, the next cycle ending short) about every
    later cycle; so ``since``, however many cycles have ended since (a run far ahead, or days
    missed). In good standing, the cycles that ended before the last day judged were judged
    then; a member never judged is judged on the last cycle that ended before ``as_of``.
    Dropped needs nothing. Without these cycles :func:`next_standing` would see no deficit
    to make up, or miss a cycle that ended short.
    """
    current = StandingCode(current)
    if current in (StandingCode.PROBATION, StandingCode.SUSPENDED) and since is not None:
        return min(since, as_of)
    if current is StandingCode.GOOD and last_judged is not None:
        return min(last_judged, as_of)
    return as_of


def makeup_window(failed_cycle_end: date, as_of: date) -> tuple[date, date] | None:
    """docs/rules.md: credits dated after the failed cycle's end count toward its
    deficit. The days (first, last) whose credits count as make-up as of ``as_of``, or None
    before any such day exists."""
    first = failed_cycle_end + ONE_DAY
    return (first, as_of) if first <= as_of else None


def first_day_made_up(
    failed_cycle_end: date,
    as_of: date,
    made_up_by: Callable[[date], bool],
    credit_days: Sequence[date] | None = None,
) -> date | None:
    """The first day of :func:`makeup_window` by which the deficit is made up, or None.

    ``made_up_by(day)`` answers whether the failed cycle's totals plus the credits dated in
    ``makeup_window(failed_cycle_end, day)`` meet all four requirements (with
    ``credits.rules``: ``evaluate(failed + totals_for(window)).compliant``). Credits only add
    up, so the answer never turns back to False and a binary search needs about
    log2(days) + 1 questions instead of one a day. A caller that knows the days on which
    credits were earned (``credit_days``, in any order) narrows the search to them: the
    answer can only change on such a day. Days outside the make-up window are ignored; if
    none of the given days answers True, every day is searched after all.
    """
    window = makeup_window(failed_cycle_end, as_of)
    if window is None or not made_up_by(as_of):
        return None
    low, high = window
    if credit_days is not None:
        days = sorted({day for day in credit_days if low <= day <= high})
        index = bisect_left(range(len(days)), True, key=lambda i: made_up_by(days[i]))
        if index < len(days):
            return days[index]
    while low < high:
        middle = low + (high - low) // 2
        if made_up_by(middle):
            high = middle
        else:
            low = middle + ONE_DAY
    return low


@dataclass(frozen=True)
class CycleOutcome:
    """One ended cycle as the caller measured it with ``credits.rules`` (docs/rules.md)."""

    start: date
    end: date
    met: bool
    made_up_on: date | None = None
    missing: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A cycle cannot end ({self.end}) before it starts ({self.start}).")
        if self.made_up_on is not None and self.made_up_on <= self.end:
            raise ValueError(
                f"Make-up credits are dated after the cycle's end ({self.end}), "
                f"so its deficit cannot be made up on {self.made_up_on}."
            )
        object.__setattr__(self, "missing", tuple(self.missing))

    @classmethod
    def of(
        cls,
        cycle: DaySpan,
        *,
        met: bool,
        made_up_on: date | None = None,
        missing: Sequence[str] = (),
    ) -> CycleOutcome:
        """From a ``credits.rules.Window`` or anything else with ``start`` and ``end``."""
        return cls(cycle.start, cycle.end, met, made_up_on, tuple(missing))

    def made_up_day(self) -> date | None:
        """The first day with no deficit: the day after the end for a cycle that was met."""
        return self.end + ONE_DAY if self.met else self.made_up_on


@dataclass(frozen=True)
class StandingInput:
    """What the standing rules look at, for one member, as of ``as_of``.

    ``current`` accepts ``members.models.Standing`` values as plain strings. ``since`` is the
    day the current standing began (None for a member who has always been in good standing).
    ``overridden_on`` is the day staff last set the standing by hand, if any.
    """

    current: StandingCode
    since: date | None
    held_to_requirement: bool
    cycles: Sequence[CycleOutcome]
    as_of: date
    overridden_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "current", StandingCode(self.current))
        object.__setattr__(self, "cycles", tuple(sorted(self.cycles, key=lambda c: c.end)))
        for name in ("since", "overridden_on"):
            day = getattr(self, name)
            if day is not None and day > self.as_of:
                raise ValueError(f"{name} ({day}) is after as_of ({self.as_of}).")
        if self.current is not StandingCode.GOOD and self.since is None:
            raise ValueError(f"A {self.current} standing needs the day it began (since).")

    @property
    def begun(self) -> date | None:
        """The day the job's clock for the current standing starts: ``since``, or the
        override day if a caller recorded an override without moving ``since``."""
        days = [day for day in (self.since, self.overridden_on) if day is not None]
        return max(days) if days else None

    def after(self, transition: Transition) -> StandingInput:
        """The same facts with ``transition`` applied."""
        return replace(self, current=transition.to, since=transition.effective)


@dataclass(frozen=True)
class Transition:
    """A change of standing: to what, from which day, and why in plain words (for the
    member's email and the history)."""

    to: StandingCode
    effective: date
    reason: str


def next_standing(state: StandingInput) -> Transition | None:
    """The next change of standing due as of ``state.as_of``, or None when none is.

    One step at a time, each with its own effective date; :func:`transitions_due` applies
    them until none is left. docs/rules.md: applies to Active Members and Candidates only;
    good → probation when a cycle ends unmet; probation → good when the deficit is made up,
    else → suspended when the probation year ends; suspended → good when the deficit is
    made up, else → dropped when the suspension year ends; dropped stays dropped.
    """
    if not state.held_to_requirement or state.current is StandingCode.DROPPED:
        return None
    if state.current is StandingCode.GOOD:
        return _from_good(state)
    return _from_probation_or_suspension(state)


def transitions_due(state: StandingInput) -> tuple[Transition, ...]:
    """Every change due as of ``state.as_of``, in order. Applying them all and asking again
    (the job running twice on the same day) gives none: the job is idempotent."""
    # Each cycle opens at most one episode of three steps, plus the episode under way.
    limit = 3 * len(state.cycles) + 3
    steps: list[Transition] = []
    while (transition := next_standing(state)) is not None:
        steps.append(transition)
        if len(steps) > limit:
            raise RuntimeError(f"Standing did not settle after {limit} steps: {steps}")
        state = state.after(transition)
    return tuple(steps)


def _from_good(state: StandingInput) -> Transition | None:
    """docs/rules.md §5: a short cycle starts a probation year (good → probation the day after
    the cycle ends). Cycles that ended before the good standing began were
    already judged (or waived by staff)."""
    for cycle in state.cycles:
        if cycle.end >= state.as_of:
            break
        if state.begun is not None and cycle.end < state.begun:
            continue
        if not cycle.met:
            effective = cycle.end + ONE_DAY
            return Transition(
                StandingCode.PROBATION,
                effective,
                f"The CME cycle ending {_day(cycle.end)} ended without all four requirements "
                f"met{_needed(cycle)}. Credits dated from {_day(effective)} count toward "
                "making up that cycle as well as toward the current one; the probation year "
                f"ends on {_day(probation_ends(effective))}.",
            )
    return None


def _from_probation_or_suspension(state: StandingInput) -> Transition | None:
    """The ASPS CME policy: "If, at the end of the one-year probationary period, the CME credit
    requirements have still not been met, the physician's membership will be suspended.
    Continued failure to comply will result in the member being dropped from membership."
    Making up the deficit on probation or while suspended restores good standing."""
    begun = state.begun
    if begun is None:  # StandingInput refuses a non-good standing without ``since``
        raise ValueError(f"A {state.current} standing needs the day it began (since).")
    year_over = add_years(begun, 1)  # the first day after the probation or suspension year
    cycle = _cycle_before(state.cycles, begun)
    # No ended cycle means no deficit: nothing is left to make up.
    made_up = begun if cycle is None else cycle.made_up_day()
    if made_up is not None and made_up > state.as_of:
        made_up = None

    if made_up is not None and (state.overridden_on is None or made_up > state.overridden_on):
        effective = max(made_up, begun)
        if effective < year_over:
            return Transition(StandingCode.GOOD, effective, _made_up_reason(cycle, made_up))
    if year_over > state.as_of:
        return None
    what = "probation year" if state.current is StandingCode.PROBATION else "year of suspension"
    ended = f"The {what} ended on {_day(year_over - ONE_DAY)}"
    if made_up is not None and made_up < year_over:
        # Made up in time, but on or before the staff override, so it waited for the year end.
        return Transition(
            StandingCode.GOOD, year_over, f"{ended}. {_made_up_reason(cycle, made_up)}"
        )
    # ``cycle`` is never None here (no cycle means no deficit); the fallback is for typing.
    about = "the CME cycle" if cycle is None else f"the CME cycle ending {_day(cycle.end)}"
    if state.current is StandingCode.PROBATION:
        return Transition(
            StandingCode.SUSPENDED,
            year_over,
            f"{ended} without the deficit of {about} made up. "
            "Making it up ends the suspension; the year of suspension ends on "
            f"{_day(suspension_ends(year_over))}.",
        )
    return Transition(
        StandingCode.DROPPED,
        year_over,
        f"{ended} without the deficit of {about} made up.",
    )


def _cycle_before(cycles: Sequence[CycleOutcome], day: date) -> CycleOutcome | None:
    """The last cycle that ended before ``day``: the one a probation or suspension is about."""
    ended = [cycle for cycle in cycles if cycle.end < day]
    return ended[-1] if ended else None


def _made_up_reason(cycle: CycleOutcome | None, made_up: date) -> str:
    if cycle is None:
        return "There is no ended CME cycle with a deficit to make up."
    if cycle.met:
        return f"The CME cycle ending {_day(cycle.end)} met all four requirements."
    return f"The deficit of the CME cycle ending {_day(cycle.end)} was made up on {_day(made_up)}."


def _needed(cycle: CycleOutcome) -> str:
    """`` (23.5 more patient-safety credits and 10 more ... needed)`` or nothing."""
    if not cycle.missing:
        return ""
    *rest, last = cycle.missing
    words = f"{', '.join(rest)} and {last}" if rest else last
    return f" ({words} needed)"


def next_step_if_nothing_changes(
    current: StandingCode | str, since: date | None, open_cycle: DaySpan | None
) -> tuple[StandingCode, date] | None:
    """The next change of standing a member is headed for if no credit is added (the staff's
    projected standing, docs/rules.md §5): ``(to, effective day)`` or None.

    In good standing with ``open_cycle`` (the current cycle, not met) → probation the day
    after it ends; on probation → suspended the day after the probation year; suspended →
    dropped the day after the year of suspension (the deficit, not made up yet, stays so);
    dropped → nothing. The same days :func:`next_standing` gives when that day comes with
    nothing made up (tests/members/test_standing_projection.py holds it to it). A probation
    set by hand over a deficit already made up returns to good at the year's end instead;
    this projection does not see that case (the make-up day is not measured here).
    """
    current = StandingCode(current)
    if current is StandingCode.GOOD:
        return None if open_cycle is None else (StandingCode.PROBATION, open_cycle.end + ONE_DAY)
    if since is None or current is StandingCode.DROPPED:
        return None
    if current is StandingCode.PROBATION:
        return StandingCode.SUSPENDED, probation_ends(since) + ONE_DAY
    return StandingCode.DROPPED, suspension_ends(since) + ONE_DAY
