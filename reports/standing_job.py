"""The standing job (docs/rules.md §5) and the cycle-end reminders, set-based.

Members who share a cycle start share their cycles, so the job asks the database one
``GROUP BY member`` aggregate per (cycle start, window) — never a query per member — and
hands the totals to the pure rules: ``credits.rules.evaluate`` and ``members.standing``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from credits import compliance_snapshots, compliance_summary_services, rules
from members import security_log, standing_services
from members import standing as standing_rules
from members.models import (
    MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT,
    AuditEvent,
    Member,
    ReminderSent,
    StandingChange,
)
from reports import standing_outcomes, standing_replay

logger = logging.getLogger(__name__)
REMINDER_DAYS = (180, 90, 30)


@dataclass
class StandingRun:
    as_of: dt.date
    members: int = 0
    transitions: list[StandingChange] = field(default_factory=list)
    withdrawn: list[StandingChange] = field(default_factory=list)
    # The compliance summaries the nightly check found stale (and rewrote), and the month-end
    # snapshots it recorded (docs/rules.md §1 "The membership's compliance").
    stale_summaries: int = 0
    snapshots: int = 0


def _held_members(first: int | None = None, last: int | None = None) -> list[Member]:
    """Members of the society whose membership type is held to the requirement (rules §5);
    a diplomate tracked here for the ABPS only (``asps_member`` off) has no ASPS standing.
    With ``first`` and ``last``, only those whose id is in that range (one chunk)."""
    return list(_held_queryset(first, last).select_related("user").order_by("pk"))


def _held_queryset(first: int | None = None, last: int | None = None) -> QuerySet[Member]:
    held = Member.objects.filter(
        asps_member=True, membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT
    )
    if first is not None:
        held = held.filter(pk__gte=first)
    if last is not None:
        held = held.filter(pk__lte=last)
    return held


LAST_ID = 2**31 - 1


def member_ranges(chunks: int) -> list[tuple[int, int]]:
    """Every member id from 1 up split into at most ``chunks`` ranges (first, last) that
    follow each other, each holding about as many held members: the chunks the job runs on
    separate workers (``reports.standing_chunks``). Members not held to the requirement
    fall in a range too (their compliance summaries are checked with it)."""
    ids = list(_held_queryset().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return [(1, LAST_ID)]
    size = -(-len(ids) // max(chunks, 1))
    starts = [1, *(ids[i] for i in range(size, len(ids), size))]
    return [
        (first, (starts[n + 1] - 1) if n + 1 < len(starts) else LAST_ID)
        for n, first in enumerate(starts)
    ]


def _last_overrides(members: list[Member]) -> dict[int, dt.date]:
    rows = (
        StandingChange.objects.filter(member__in=members, changed_by__isnull=False)
        .values("member_id")
        .annotate(last=Max("effective_on"))
    )
    return {row["member_id"]: row["last"] for row in rows}


@transaction.atomic
def evaluate_standing(*, as_of: dt.date, fast: bool = True) -> StandingRun:
    """Apply docs/rules.md §5 to every member held to the requirement as of ``as_of``, any day,
    earlier or later (``reports.standing_replay``); record and email every change once;
    then check the compliance summaries. Idempotent: a second run as of the same day
    changes nothing."""
    run = judge_members(as_of=as_of, fast=fast)
    check_summaries(run)
    logger.info(
        "Standing as of %s: %d transitions, %d withdrawn, %d stale compliance summaries",
        as_of,
        len(run.transitions),
        len(run.withdrawn),
        run.stale_summaries,
    )
    return run


@transaction.atomic
def judge_members(
    *, as_of: dt.date, first: int | None = None, last: int | None = None, fast: bool = True
) -> StandingRun:
    """The standing part of :func:`evaluate_standing`, for the held members whose id is
    between ``first`` and ``last`` (all without them): one chunk of the job. Members are
    judged each on their own, so chunks may run in any order, on any worker, and again."""
    members = _held_members(first, last)
    onward = [member for member in members if standing_replay.runs_on(member, as_of)]
    back = [member for member in members if standing_replay.goes_back(member, as_of)]
    run = StandingRun(as_of=as_of, members=len(members))
    changed = _judge_onward(onward, as_of, run, fast=fast)
    rebuilt = standing_replay.go_back(back, as_of)
    run.transitions += rebuilt.changes
    run.withdrawn = rebuilt.withdrawn
    # The days judged first, in one statement, while the standings are still as selected.
    standing_replay.running_on(_held_queryset(first, last), as_of).update(
        standing_judged_to=as_of,
        standing_judged_from=Coalesce("standing_judged_from", "standing_since", Value(as_of)),
    )
    StandingChange.objects.filter(pk__in=[change.pk for change in rebuilt.withdrawn]).delete()
    StandingChange.objects.bulk_create(run.transitions, batch_size=2000, ignore_conflicts=True)
    security_log.record_many(_audit_events(run))
    Member.objects.bulk_update(changed, ["standing", "standing_since"], batch_size=2000)
    Member.objects.bulk_update(
        rebuilt.members,
        ["standing", "standing_since", "standing_judged_from", "standing_judged_to"],
        batch_size=2000,
    )
    messages = [standing_services.standing_email(change) for change in run.transitions]
    transaction.on_commit(lambda: standing_services.send_emails(messages))
    return run


def check_summaries(run: StandingRun, ids: tuple[int, int] | None = None) -> None:
    """Every member's compliance summary as of the day, set-based (the stale ones counted and
    rewritten); on a month's last day, the month-end snapshots from them. With ``ids``, the
    summaries of the members in that range only, and no snapshots (a chunk of the job)."""
    run.stale_summaries = compliance_summary_services.check(today=run.as_of, ids=ids).stale
    if ids is None:
        record_snapshots(run)


def record_snapshots(run: StandingRun) -> None:
    """On a month's last day, the month-end snapshots from the summaries (once a run)."""
    if run.as_of == rules.month_end(run.as_of):
        run.snapshots = len(compliance_snapshots.record_month_end(run.as_of))


def _judge_onward(
    members: list[Member], as_of: dt.date, run: StandingRun, *, fast: bool = True
) -> list[Member]:
    """Judge on from each member's current standing (the nightly run); returns the members
    whose standing changed, the steps added to ``run``.

    The fast path (``fast``) measures the make-up days, the costly part, only for members
    the rules may move: members on probation or suspended, and members in good standing
    for whom the rules, given their cycles met or not, find a step due. The rules stay the
    judge: for a member in good standing they look only at whether each cycle was met
    (``members.standing``), so the answer without make-up days is the answer with them.
    ``fast=False`` measures everyone's, the plain path tests/reports compare it with.
    """
    # However far ahead ``as_of`` is: the cycle a probation or suspension is about, and
    # every cycle since the last day judged.
    look_back = {
        member.pk: standing_rules.look_back_to(
            member.standing, member.standing_since, standing_replay.judged_days(member)[1], as_of
        )
        for member in members
    }
    overrides = _last_overrides(members)
    by_pk = {member.pk: member for member in members}

    def state_of(member: Member, cycles: list[standing_rules.CycleOutcome]):
        if member.standing_since is None:
            # In good standing since first judged: the last cycle that ended before that
            # day and the later ones; older cycles are history from before.
            first, _ = standing_replay.judged_days(member)
            cycles = standing_outcomes.judged(cycles, first or as_of)
        return standing_rules.StandingInput(
            current=member.standing,
            since=member.standing_since,
            held_to_requirement=True,
            cycles=cycles,
            as_of=as_of,
            overridden_on=overrides.get(member.pk),
        )

    def needs_make_up(member_id: int, cycles: list[standing_rules.CycleOutcome]) -> bool:
        state = state_of(by_pk[member_id], cycles)
        if state.current is standing_rules.StandingCode.GOOD:
            return standing_rules.next_standing(state) is not None
        return state.current is not standing_rules.StandingCode.DROPPED

    outcomes = standing_outcomes.outcomes(
        members, as_of, back_to=look_back, needs_make_up=needs_make_up if fast else None
    )
    changed: list[Member] = []
    for member in members:
        steps = standing_rules.transitions_due(state_of(member, outcomes.get(member.pk, [])))
        previous = member.standing
        for step in steps:
            run.transitions.append(
                StandingChange(
                    member=member,
                    from_standing=previous,
                    to_standing=step.to.value,
                    effective_on=step.effective,
                    reason=step.reason,
                )
            )
            previous = step.to.value
        if steps:
            member.standing, member.standing_since = steps[-1].to.value, steps[-1].effective
            changed.append(member)
    return changed


def _audit_events(run: StandingRun) -> Iterable[AuditEvent]:
    for change in run.transitions:
        yield AuditEvent(
            action=AuditEvent.Action.STANDING_CHANGED,
            actor_email="standing job",
            target=change.member.asps_id,
            details={
                "from": change.from_standing,
                "to": change.to_standing,
                "effective_on": change.effective_on.isoformat(),
            },
        )
    for change in run.withdrawn:
        yield AuditEvent(
            action=AuditEvent.Action.STANDING_CHANGED,
            actor_email="standing job",
            target=change.member.asps_id,
            details={
                "withdrawn": True,
                "from": change.from_standing,
                "to": change.to_standing,
                "effective_on": change.effective_on.isoformat(),
                "as_of": run.as_of.isoformat(),
            },
        )


# --- Reminders -------------------------------------------------------------------------------


def reminder_due(days_left: int) -> int | None:
    """Which reminder a member with ``days_left`` in the cycle is due: 180, 90 or 30 days
    before the end (the latest lead time reached), or None."""
    due = [days for days in REMINDER_DAYS if days_left <= days]
    return min(due) if due and days_left >= 1 else None


@transaction.atomic
def send_reminders(*, as_of: dt.date) -> int:
    """Email members not yet compliant 180, 90 and 30 days before their cycle ends, each at
    most once, with what is missing. Returns the number of reminders sent."""
    members = _held_members()
    by_start: dict[dt.date, list[Member]] = defaultdict(list)
    for member in members:
        by_start[member.cycle_start].append(member)
    sent_before = set(
        ReminderSent.objects.filter(cycle_end__gte=as_of).values_list(
            "member_id", "cycle_end", "days_before"
        )
    )
    reminders: list[ReminderSent] = []
    messages = []
    for cycle_start, group in by_start.items():
        cycle = rules.current_cycle(cycle_start, as_of)
        lead = reminder_due(cycle.days_left(as_of))
        if lead is None:
            continue
        totals = standing_outcomes.totals_by_member(cycle_start, cycle)
        for member in group:
            if (member.pk, cycle.end, lead) in sent_before:
                continue
            compliance = rules.evaluate(totals.get(member.pk, rules.Totals.ZERO))
            if compliance.compliant:
                continue
            reminders.append(ReminderSent(member=member, cycle_end=cycle.end, days_before=lead))
            body = render_to_string(
                "emails/cycle_reminder.txt",
                {
                    "member": member,
                    "cycle": cycle,
                    "days_left": cycle.days_left(as_of),
                    "missing": compliance.missing(),
                    "site_url": settings.SITE_URL,
                },
            )
            messages.append(
                (
                    f"[CME Track] {cycle.days_left(as_of)} days left in your CME cycle",
                    body,
                    None,
                    [member.user.email],
                )
            )
    ReminderSent.objects.bulk_create(reminders, batch_size=2000, ignore_conflicts=True)
    transaction.on_commit(lambda: standing_services.send_emails(messages))
    return len(reminders)
