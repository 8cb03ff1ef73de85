"""The standing job (rules.md §5) and the cycle-end reminders, set-based.

Members who share a cycle start share their cycles, so the job asks the database one
``GROUP BY member`` aggregate per (cycle start, window) — never a query per member — and
hands the totals to the pure rules: ``credits.rules.evaluate`` and ``members.standing``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import operator
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string

from credits import rules, selectors
from credits.models import CreditEntry
from credits.selectors import totals_aggregates
from members import audit
from members import standing as standing_rules
from members.models import (
    MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT,
    AuditEvent,
    Member,
    ReminderSent,
    Standing,
    StandingChange,
    User,
)

logger = logging.getLogger(__name__)
REMINDER_DAYS = (180, 90, 30)
TOTALS = totals_aggregates()


@dataclass
class StandingRun:
    as_of: dt.date
    members: int = 0
    transitions: list[StandingChange] = field(default_factory=list)


def _held_members() -> list[Member]:
    """Members of the society whose membership type is held to the requirement (rules §5);
    a diplomate tracked here for the ABPS only (``asps_member`` off) has no ASPS standing."""
    return list(
        Member.objects.filter(
            asps_member=True, membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT
        )
        .select_related("user")
        .order_by("pk")
    )


def _totals_by_member(cycle_start: dt.date, window: rules.Window) -> dict[int, rules.Totals]:
    """One aggregate for every held member with this cycle start, over one window."""
    rows = (
        CreditEntry.objects.filter(
            member__cycle_start=cycle_start,
            member__membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT,
        )
        .in_window(window.start, window.end)
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
    """The first day each failing member's deficit was made up (rules.md §5 Decision:
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


def _outcomes(
    members: list[Member], as_of: dt.date
) -> dict[int, list[standing_rules.CycleOutcome]]:
    """Each member's last two ended cycles, measured: all the standing rules look at
    (an episode lasts at most two years, a cycle three)."""
    outcomes: dict[int, list[standing_rules.CycleOutcome]] = defaultdict(list)
    by_start: dict[dt.date, list[Member]] = defaultdict(list)
    for member in members:
        by_start[member.cycle_start].append(member)
    for cycle_start, group in by_start.items():
        current = rules.current_cycle(cycle_start, as_of)
        ended = [current.previous()] if current.start > cycle_start else []
        if ended and ended[0].start > cycle_start:
            ended.insert(0, ended[0].previous())
        for window in ended:
            if window.end >= as_of:
                continue
            totals = _totals_by_member(cycle_start, window)
            compliance = {
                member.pk: rules.evaluate(totals.get(member.pk, rules.Totals.ZERO))
                for member in group
            }
            failing = {
                member_id: totals.get(member_id, rules.Totals.ZERO)
                for member_id, result in compliance.items()
                if not result.compliant
            }
            made_up = _made_up_days(cycle_start, window, failing, as_of)
            for member in group:
                result = compliance[member.pk]
                outcomes[member.pk].append(
                    standing_rules.CycleOutcome.of(
                        window,
                        met=result.compliant,
                        made_up_on=made_up.get(member.pk),
                        missing=result.missing(),
                    )
                )
    return outcomes


def _last_overrides(members: list[Member]) -> dict[int, dt.date]:
    rows = (
        StandingChange.objects.filter(member__in=members, changed_by__isnull=False)
        .values("member_id")
        .annotate(last=Max("effective_on"))
    )
    return {row["member_id"]: row["last"] for row in rows}


@transaction.atomic
def evaluate_standing(*, as_of: dt.date) -> StandingRun:
    """Apply rules.md §5 to every member held to the requirement; record and email every
    change. Idempotent: a second run on the same day changes nothing."""
    members = _held_members()
    outcomes = _outcomes(members, as_of)
    overrides = _last_overrides(members)
    run = StandingRun(as_of=as_of, members=len(members))
    changed: list[Member] = []
    for member in members:
        cycles = outcomes.get(member.pk, [])
        if member.standing_since is None:
            # A first run judges the most recent ended cycle only, not old history.
            cycles = cycles[-1:]
        steps = standing_rules.transitions_due(
            standing_rules.StandingInput(
                current=member.standing,
                since=member.standing_since,
                held_to_requirement=True,
                cycles=cycles,
                as_of=as_of,
                overridden_on=overrides.get(member.pk),
            )
        )
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
    StandingChange.objects.bulk_create(run.transitions, batch_size=2000, ignore_conflicts=True)
    audit.record_many(
        AuditEvent(
            action=AuditEvent.Action.STANDING_CHANGED,
            actor_email="standing job",
            target=change.member.asps_id,
            details={
                "from": change.from_standing,
                "to": change.to_standing,
                "effective_on": change.effective_on.isoformat(),
            },
        )
        for change in run.transitions
    )
    Member.objects.bulk_update(changed, ["standing", "standing_since"], batch_size=2000)
    messages = [_standing_email(change) for change in run.transitions]
    transaction.on_commit(lambda: _send(messages))
    logger.info("Standing as of %s: %d transitions", as_of, len(run.transitions))
    return run


@transaction.atomic
def standing_override(
    *, member: Member, standing: str, note: str, by: User, on: dt.date
) -> StandingChange:
    """Staff set a member's standing by hand, with a note (rules.md §5: "Staff may override
    with a note"). The job respects it from that day (members.standing)."""
    if standing not in Standing.values:
        raise ValidationError({"standing": ["Choose a standing from the list."]})
    if not note.strip():
        raise ValidationError({"note": ["Say why: the note is kept in the member's history."]})
    change = StandingChange.objects.create(
        member=member,
        from_standing=member.standing,
        to_standing=standing,
        effective_on=on,
        reason=note.strip(),
        changed_by=by,
    )
    member.standing, member.standing_since = standing, on
    member.save(update_fields=["standing", "standing_since"])
    audit.record(
        AuditEvent.Action.STANDING_CHANGED,
        actor=by,
        target=member.asps_id,
        to=standing,
        effective_on=on.isoformat(),
        override=True,
    )
    message = _standing_email(change)
    transaction.on_commit(lambda: _send([message]))
    return change


def _standing_email(change: StandingChange) -> tuple[str, str, str | None, list[str]]:
    member = change.member
    body = render_to_string(
        "emails/standing_change.txt",
        {"change": change, "member": member, "site_url": settings.SITE_URL},
    )
    subject = f"[CME Track] Your membership standing: {change.get_to_standing_display()}"
    return (subject, body, None, [member.user.email])


def _send(messages: list[tuple[str, str, str | None, list[str]]]) -> None:
    if messages:
        send_mass_mail(messages, fail_silently=False, connection=get_connection())


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
        totals = _totals_by_member(cycle_start, cycle)
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
    transaction.on_commit(lambda: _send(messages))
    return len(reminders)
