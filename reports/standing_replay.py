"""Running the standing job as of any day, earlier or later (README "Nightly jobs").

The job remembers, for each member, the first and the last day it judged them
(``Member.standing_judged_from`` and ``standing_judged_to``). Effective dates are the days
the rules name, not the days the job ran, so the history the job records up to its last day
is the same whichever days it ran on. A run as of a day:

- on or after the last day judged: judges on from the member's current standing (the
  nightly run; the same day twice changes nothing);
- between the first and the last day judged: changes nothing — the history already holds
  every step due by then, and the present stays as of the last day judged;
- before the first day judged: the member's history now starts on that day. The steps the
  rules give from that day (the first judgement looks at the last cycle that ended before
  it) up to the last day judged are computed again; steps already recorded stay as they are
  and are not emailed again, new steps are recorded and emailed, and steps the job recorded
  that no longer follow are withdrawn (with an entry in the security log). The standing is then
  the one the job would have reached running on those days in date order.

A staff override is a decision the job never undoes: a run before the first override after
its day recomputes only the job's steps up to that override, and the present is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from members import standing as standing_rules
from members.models import Member, Standing, StandingChange
from reports import standing_outcomes

ONE_DAY = dt.timedelta(days=1)


def judged_days(member: Member) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day the job judged ``member``. Members judged before the job kept
    these days count as judged on the day their current standing began."""
    since = member.standing_since
    return (member.standing_judged_from or since, member.standing_judged_to or since)


def runs_on(member: Member, as_of: dt.date) -> bool:
    """Whether a run as of ``as_of`` judges on from the member's current standing: never
    judged, or judged up to ``as_of`` at most, with a standing that began by then."""
    _, last = judged_days(member)
    since = member.standing_since
    return last is None or (last <= as_of and (since is None or since <= as_of))


def running_on(members: QuerySet[Member], as_of: dt.date) -> QuerySet[Member]:
    """:func:`runs_on` in SQL, for updating the days judged in one statement."""
    last = Coalesce("standing_judged_to", "standing_since")
    since_by_then = Q(standing_since__isnull=True) | Q(standing_since__lte=as_of)
    return members.alias(last_judged=last).filter(
        Q(last_judged__isnull=True) | (Q(last_judged__lte=as_of) & since_by_then)
    )


def goes_back(member: Member, as_of: dt.date) -> bool:
    """Whether ``as_of`` is before the first day the job judged ``member``."""
    first, _ = judged_days(member)
    return first is not None and as_of < first


@dataclass
class Rebuilt:
    """What going back changed: new steps to record and email, job steps withdrawn, and the
    members to save (days judged, and the standing when no override came after)."""

    changes: list[StandingChange] = field(default_factory=list)
    withdrawn: list[StandingChange] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """One member's recomputation: from the last override on or before the day (or from
    good standing), judged as of ``until``; steps before ``stop`` (the next override)."""

    anchor: StandingChange | None
    stop: dt.date | None
    until: dt.date

    @property
    def back_to(self) -> dt.date | None:
        return self.anchor.effective_on if self.anchor else None

    def covers(self, change: StandingChange) -> bool:
        after_anchor = self.anchor is None or change.effective_on >= self.anchor.effective_on
        return after_anchor and (self.stop is None or change.effective_on < self.stop)


def go_back(members: list[Member], as_of: dt.date) -> Rebuilt:
    """Judge ``members`` again from ``as_of``, a day before the first day judged (module
    docstring). Set-based: the cycles are measured for all of them at once per look-back."""
    done = Rebuilt()
    if not members:
        return done
    overrides: dict[int, list[StandingChange]] = defaultdict(list)
    recorded: dict[int, list[StandingChange]] = defaultdict(list)
    history = StandingChange.objects.filter(member__in=members).order_by("effective_on", "id")
    for change in history:
        (recorded if change.changed_by_id is None else overrides)[change.member_id].append(change)

    plans: dict[int, _Plan] = {}
    groups: dict[tuple[dt.date, dt.date], list[Member]] = defaultdict(list)
    for member in members:
        before = [o for o in overrides[member.pk] if o.effective_on <= as_of]
        after = [o for o in overrides[member.pk] if o.effective_on > as_of]
        stop = after[0].effective_on if after else None
        _, last = judged_days(member)
        until = max(as_of, last if stop is None else min(last, stop - ONE_DAY))
        plan = plans[member.pk] = _Plan(before[-1] if before else None, stop, until)
        groups[(until, plan.back_to or as_of)].append(member)

    for (until, back_to), group in groups.items():
        cycles = standing_outcomes.outcomes(group, until, back_to=back_to)
        for member in group:
            steps = recorded[member.pk]
            _rebuild(member, plans[member.pk], cycles.get(member.pk, []), steps, as_of, done)
    return done


def _rebuild(
    member: Member,
    plan: _Plan,
    cycles: list[standing_rules.CycleOutcome],
    recorded: list[StandingChange],
    as_of: dt.date,
    done: Rebuilt,
) -> None:
    anchor = plan.anchor
    if anchor is None:
        cycles = standing_outcomes.judged(cycles, as_of)
    state = standing_rules.StandingInput(
        current=anchor.to_standing if anchor else Standing.GOOD,
        since=anchor.effective_on if anchor else None,
        held_to_requirement=True,
        cycles=cycles,
        as_of=plan.until,
        overridden_on=anchor.effective_on if anchor else None,
    )
    steps = standing_rules.transitions_due(state)
    derived = list(_changes(member, state.current, steps))
    existing = [change for change in recorded if plan.covers(change)]
    keep = {_key(change) for change in derived}
    have = {_key(change) for change in existing}
    done.withdrawn += [change for change in existing if _key(change) not in keep]
    done.changes += [change for change in derived if _key(change) not in have]
    member.standing_judged_from = as_of
    member.standing_judged_to = judged_days(member)[1]
    if plan.stop is None:
        member.standing = steps[-1].to.value if steps else state.current.value
        member.standing_since = steps[-1].effective if steps else state.since
    done.members.append(member)


def _changes(
    member: Member, current: str, steps: Iterable[standing_rules.Transition]
) -> Iterable[StandingChange]:
    previous = current
    for step in steps:
        yield StandingChange(
            member=member,
            from_standing=str(previous),
            to_standing=step.to.value,
            effective_on=step.effective,
            reason=step.reason,
        )
        previous = step.to.value


def _key(change: StandingChange) -> tuple[str, str, dt.date]:
    return (change.from_standing, change.to_standing, change.effective_on)
