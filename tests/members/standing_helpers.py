"""What the standing tests share: dates, a cycle's outcome, a member's standing input, the
steps taken."""

from __future__ import annotations

from datetime import date

from members.standing import (
    CycleOutcome,
    StandingCode,
    StandingInput,
    Transition,
)

GOOD = StandingCode.GOOD


PROBATION = StandingCode.PROBATION


SUSPENDED = StandingCode.SUSPENDED


DROPPED = StandingCode.DROPPED


def d(text: str) -> date:
    return date.fromisoformat(text)


def cycle_ending(
    year: int, *, met: bool = False, made_up_on: str | None = None, missing: tuple[str, ...] = ()
) -> CycleOutcome:
    """The calendar cycle ending 31 December ``year`` (started 1 January ``year - 2``)."""
    return CycleOutcome(
        start=date(year - 2, 1, 1),
        end=date(year, 12, 31),
        met=met,
        made_up_on=d(made_up_on) if made_up_on else None,
        missing=missing,
    )


def member(
    current: StandingCode | str = GOOD,
    since: str | None = None,
    *cycles: CycleOutcome,
    as_of: str,
    held: bool = True,
    overridden_on: str | None = None,
) -> StandingInput:
    return StandingInput(
        current=current,
        since=d(since) if since else None,
        held_to_requirement=held,
        cycles=cycles,
        as_of=d(as_of),
        overridden_on=d(overridden_on) if overridden_on else None,
    )


def steps(transitions: tuple[Transition, ...]) -> list[tuple[StandingCode, date]]:
    return [(transition.to, transition.effective) for transition in transitions]


FAILED_2025 = cycle_ending(2025)


MET_2025 = cycle_ending(2025, met=True)
