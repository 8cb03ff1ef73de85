"""The staff's projected standing (docs/rules.md §5): who goes on probation, is suspended or
is dropped, and on which day, if nothing changes — no credit added, no deficit made up.

Set-based: one query for the members in good standing whose current cycle is not met (from
the compliance summaries), one for the members on probation or suspended; the pure rule
(:func:`members.standing.next_step_if_nothing_changes`) gives each their next step.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from credits.membership_selectors import shortfall_words
from credits.models import ComplianceSummary
from members import standing as standing_rules
from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Member, Standing

STEPS = (Standing.PROBATION, Standing.SUSPENDED, Standing.DROPPED)


@dataclass(frozen=True)
class _Span:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Projection:
    """One member's next step: ``to`` (a :class:`members.models.Standing` value) on ``on``,
    because the open cycle ending ``cycle_end`` is not met (``lacks``: what it lacks in credits),
    or because the probation or suspension year ends."""

    member: Member
    to: str
    on: dt.date
    cycle_end: dt.date | None = None
    lacks: str = ""

    @property
    def label(self) -> str:
        return Standing(self.to).label


def _held() -> dict:
    """Members the standing job judges (docs/rules.md §5): ASPS members held to the requirement."""
    return {"asps_member": True, "membership_type__in": MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT}


def projected_standing(*, today: dt.date, within_days: int, to: str = "") -> list[Projection]:
    """Every step due from tomorrow to ``within_days`` days ahead, by date then name (two
    queries whatever the membership's size)."""
    last = today + dt.timedelta(days=within_days)
    found: list[Projection] = []
    if to in ("", Standing.PROBATION):
        unmet = ComplianceSummary.objects.filter(
            met=False,
            cycle_end__gte=today,
            cycle_end__lt=last,
            member__standing=Standing.GOOD,
            **{f"member__{key}": value for key, value in _held().items()},
        ).select_related("member", "member__user")
        for summary in unmet:
            member = summary.member
            cycle = _Span(summary.cycle_start, summary.cycle_end)
            step = standing_rules.next_step_if_nothing_changes(
                member.standing, member.standing_since, cycle
            )
            if step is not None and today < step[1] <= last:
                found.append(
                    Projection(
                        member, step[0].value, step[1], summary.cycle_end, shortfall_words(summary)
                    )
                )
    wanted = [value for value in (Standing.PROBATION, Standing.SUSPENDED) if _leads_to(value, to)]
    if wanted:
        members = Member.objects.filter(
            standing__in=wanted, standing_since__isnull=False, **_held()
        ).select_related("user")
        for member in members:
            step = standing_rules.next_step_if_nothing_changes(
                member.standing, member.standing_since, None
            )
            if step is not None and today < step[1] <= last:
                found.append(Projection(member, step[0].value, step[1]))
    found.sort(key=lambda p: (p.on, p.member.last_name, p.member.first_name, p.member.pk))
    return found


def _leads_to(current: str, to: str) -> bool:
    """Whether a member on ``current`` standing can take the step to ``to`` ("" for any)."""
    nxt = {Standing.PROBATION: Standing.SUSPENDED, Standing.SUSPENDED: Standing.DROPPED}
    return to in ("", nxt[current])


def counts(projections: list[Projection]) -> dict[str, int]:
    """How many take each step."""
    by_step = Counter(p.to for p in projections)
    return {step.value: by_step.get(step.value, 0) for step in STEPS}
