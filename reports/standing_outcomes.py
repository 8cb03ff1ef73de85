"""What the standing job measures: each member's ended cycles, met or not, and the day a
deficit was made up (docs/rules.md §5), set-based.

Members who share a cycle start share their cycles, so one ``GROUP BY member`` aggregate per
(cycle start, window) serves them all — never a query per member.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Mapping

from credits import rules, selectors
from credits.models import CreditEntry
from credits.selectors import totals_aggregates
from members import standing as standing_rules
from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Member

TOTALS = totals_aggregates()
FEW = 2000  # members whose entries are read by id rather than by cycle start


def totals_by_member(
    cycle_start: dt.date,
    window: rules.Window,
    ids: tuple[int, int] | None = None,
    *,
    members: list[int] | None = None,
) -> dict[int, rules.Totals]:
    """One aggregate for every held member with this cycle start, over one window; with
    ``ids`` (first, last), only members whose id is in that range (a chunk of the job);
    with ``members``, only those."""
    entries = CreditEntry.objects.filter(
        member__cycle_start=cycle_start,
        member__membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT,
    )
    if ids is not None:
        entries = entries.filter(member_id__gte=ids[0], member_id__lte=ids[1])
    if members is not None:
        entries = entries.filter(member_id__in=members)
    rows = (
        entries.in_window(window.start, window.end)
        .values("member_id")
        .annotate(**TOTALS)
        .order_by()
    )
    return {row["member_id"]: rules.Totals.from_row(row) for row in rows}


def _made_up_days(
    cycle_start: dt.date,
    failed: rules.Window,
    failed_totals: dict[int, rules.Totals],
    as_of: dt.date,
) -> dict[int, dt.date]:
    """The first day each failing member's deficit was made up (docs/rules.md §5 Decision:
    credits dated after the failed cycle count toward it).

    Two queries: the totals since the failed cycle, which tell who has made it up by
    ``as_of`` at all, then the daily totals of those members alone, summed day after day.
    ``members.standing.first_day_made_up`` then finds each member's day by a binary search
    over those running sums: about log2(days) evaluations, not one a day.
    """
    if not failed_totals or as_of <= failed.end:
        return {}
    since = selectors.totals_by_member(
        start=failed.end + dt.timedelta(days=1), end=as_of, members=failed_totals
    )
    made_up_by_now = [
        member_id
        for member_id, totals in failed_totals.items()
        if member_id in since and rules.evaluate(totals + since[member_id]).compliant
    ]
    if not made_up_by_now:
        return {}
    daily = (
        CreditEntry.objects.filter(
            member_id__in=made_up_by_now, end_date__gt=failed.end, end_date__lte=as_of
        )
        .values("member_id", "end_date")
        .annotate(**TOTALS)
        .values_list("member_id", "end_date", *TOTALS)
        .order_by("member_id", "end_date")
    )
    # running[member][n]: the failed cycle's sums plus the member's first n days after it.
    days: dict[int, list[dt.date]] = defaultdict(list)
    running: dict[int, list[tuple]] = {}
    for member_id, end_date, *sums in daily:
        if member_id not in running:
            failed_row = failed_totals[member_id].as_row()
            running[member_id] = [tuple(failed_row[key] for key in TOTALS)]
        so_far = running[member_id]
        so_far.append(tuple(map(operator.add, so_far[-1], sums)))
        days[member_id].append(end_date)

    def made_up_on(member_id: int) -> dt.date | None:
        def made_up_by(day: dt.date) -> bool:
            sums = running[member_id][bisect.bisect_right(days[member_id], day)]
            row = dict(zip(TOTALS, sums, strict=True))
            return rules.evaluate(rules.Totals.from_row(row)).compliant

        return standing_rules.first_day_made_up(
            failed.end, as_of, made_up_by, credit_days=days[member_id]
        )

    return {member_id: made_up_on(member_id) for member_id in made_up_by_now}


def outcomes(
    members: list[Member],
    as_of: dt.date,
    *,
    back_to: dt.date | Mapping[int, dt.date] | None = None,
    needs_make_up: Callable[[int, list[standing_rules.CycleOutcome]], bool] | None = None,
) -> dict[int, list[standing_rules.CycleOutcome]]:
    """Each member's ended cycles, measured, oldest first: at least the last two, and every
    cycle back to the last one that ended before ``back_to`` — one day for all, or each
    member's own day (``members.standing.look_back_to``; a member left out needs only the
    last two). Members who share a cycle start are measured together, back to the earliest
    day any of them needs: older cycles do no harm to the rules, and the work stays one
    aggregate per (cycle start, window), however far ahead ``as_of`` is.

    The make-up days are the costly part (the daily totals after a failed cycle). With
    ``needs_make_up``, they are measured only for the members it answers True for, given
    their cycles measured without make-up days (met or not); the others' failed cycles
    carry no make-up day. The standing job asks the rules themselves (``reports.standing_job``):
    a member in good standing whom the rules move nowhere needs none.
    """
    outcomes: dict[int, list[standing_rules.CycleOutcome]] = defaultdict(list)
    by_start: dict[dt.date, list[Member]] = defaultdict(list)
    for member in members:
        by_start[member.cycle_start].append(member)
    for cycle_start, group in by_start.items():
        if isinstance(back_to, Mapping):
            days = [back_to[member.pk] for member in group if member.pk in back_to]
            group_back_to = min(days) if days else None
        else:
            group_back_to = back_to
        windows = ended_windows(cycle_start, as_of, group_back_to)
        ids = (min(member.pk for member in group), max(member.pk for member in group))
        # The fast path evaluates each member on the cycles the rules need of them alone: the
        # last one that ended before their own ``back_to`` and the later ones.
        needed = {
            member.pk: _first_needed(windows, back_to, member.pk if needs_make_up else None)
            for member in group
        }
        measured = []
        for index, window in enumerate(windows):
            wanted = [pk for pk, first in needed.items() if first <= index]
            # An older cycle few members need: their entries alone (a bounded IN list).
            few = wanted if len(wanted) < min(len(group), FEW) else None
            totals = totals_by_member(cycle_start, window, ids, members=few)
            measured.append(
                (
                    window,
                    {
                        member.pk: (
                            rules.evaluate(found := totals.get(member.pk, rules.Totals.ZERO)),
                            found,
                        )
                        for member in group
                        if needed[member.pk] <= index
                    },
                )
            )
        asked = _asked(group, measured, needs_make_up)
        for window, compliance in measured:
            failing = {
                member_id: found
                for member_id, (result, found) in compliance.items()
                if not result.compliant and member_id in asked
            }
            made_up = _made_up_days(cycle_start, window, failing, as_of)
            for member in group:
                if member.pk not in compliance:
                    continue
                result, _ = compliance[member.pk]
                outcomes[member.pk].append(
                    standing_rules.CycleOutcome.of(
                        window,
                        met=result.compliant,
                        made_up_on=made_up.get(member.pk),
                        missing=result.missing(),
                    )
                )
    return outcomes


def _first_needed(
    windows: list[rules.Window],
    back_to: dt.date | Mapping[int, dt.date] | None,
    member_id: int | None,
) -> int:
    """The index of the first of ``windows`` a member is evaluated on: with the member's own
    ``back_to``, the last window that ended before it; else the first."""
    if member_id is None or not isinstance(back_to, Mapping) or member_id not in back_to:
        return 0
    before = [index for index, window in enumerate(windows) if window.end < back_to[member_id]]
    return before[-1] if before else 0


def _asked(
    group: list[Member],
    measured: list[tuple[rules.Window, dict[int, tuple[rules.Compliance, rules.Totals]]]],
    needs_make_up: Callable[[int, list[standing_rules.CycleOutcome]], bool] | None,
) -> set[int]:
    """The members of ``group`` whose make-up days are measured."""
    if needs_make_up is None:
        return {member.pk for member in group}
    asked = set()
    for member in group:
        plain = [
            standing_rules.CycleOutcome.of(
                window, met=compliance[member.pk][0].compliant, missing=()
            )
            for window, compliance in measured
            if member.pk in compliance
        ]
        if any(not cycle.met for cycle in plain) and needs_make_up(member.pk, plain):
            asked.add(member.pk)
    return asked


def ended_windows(
    cycle_start: dt.date, as_of: dt.date, back_to: dt.date | None = None
) -> list[rules.Window]:
    """The cycles that ended before ``as_of``, oldest first: the last two, and with
    ``back_to`` every one back to the last that ended before ``back_to``. None before the
    member's first cycle."""
    windows: list[rules.Window] = []
    window = rules.current_cycle(cycle_start, as_of)
    while window.start > cycle_start:
        window = window.previous()
        windows.insert(0, window)
        if len(windows) >= 2 and (back_to is None or window.end < back_to):
            break
    return windows


def judged(
    cycles: list[standing_rules.CycleOutcome], first_day: dt.date
) -> list[standing_rules.CycleOutcome]:
    """The cycles a member in good standing from the start is judged on, when the job first
    judged them on ``first_day``: the last cycle that ended before that day and every later
    one. Older cycles are history from before the member was tracked here."""
    before = [index for index, cycle in enumerate(cycles) if cycle.end < first_day]
    return cycles[before[-1] :] if before else list(cycles)
