"""Reads of group reminders (staff reminding the members an at-risk filter picks, each of
their own deficit): who a filter would remind and who would be skipped, a run's progress and
the runs. The 7-day rule is docs/rules.md §1 "Reminding a group"; its writes are in
:mod:`reports.group_reminders`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from credits.membership_selectors import MembershipFilter, matching
from credits.models import ComplianceSummary
from reports.models import GroupReminderRun, GroupReminderSend

# A member who got a group reminder (of any run) this recently is not reminded again.
QUIET_DAYS = 7
# Rows that hold a member's place: the email went out, or is going out now.
HOLDS_THE_MEMBER = (GroupReminderSend.Status.SENT, GroupReminderSend.Status.SENDING)
SKIPPED = (
    GroupReminderSend.Status.SKIPPED_RECENT,
    GroupReminderSend.Status.SKIPPED_NO_EMAIL,
    GroupReminderSend.Status.SKIPPED_CHANGED,
)
FAILED_SHOWN = 200


def quiet_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=QUIET_DAYS)


def recipients(chosen: MembershipFilter, *, today: dt.date) -> QuerySet[ComplianceSummary]:
    """The summaries of the members the filter picks who are still short of a requirement:
    a member who meets every requirement gets no reminder, whatever the filter."""
    return matching(chosen, today=today).filter(met=False)


def reminded_since(since: dt.datetime) -> QuerySet[GroupReminderSend]:
    """The sends that hold their member for the 7-day rule, from ``since`` on (any run)."""
    return GroupReminderSend.objects.filter(status__in=HOLDS_THE_MEMBER, sent_at__gte=since)


def has_email() -> Q:
    """A member we can write to: an address, and a login not closed."""
    return ~Q(member__user__email="") & Q(member__user__is_active=True)


@dataclass(frozen=True)
class Preview:
    listed: int  # the members the filter picks
    already_met: int  # of them, meeting every requirement: left out
    recent: int  # short, but reminded within 7 days: skipped
    no_email: int  # short, not reminded lately, but no address: skipped
    will_get: int  # the rest: each gets the email
    sample: ComplianceSummary | None  # the first who will get it


def preview(chosen: MembershipFilter, *, today: dt.date, now: dt.datetime) -> Preview:
    """What a run started now with this filter would do: the counts in one aggregate query,
    and the first member who would get the email (for the sample)."""
    recent = Exists(reminded_since(quiet_since(now)).filter(member_id=OuterRef("member_id")))
    rows = matching(chosen, today=today)
    counts = rows.order_by().aggregate(
        listed=Count("pk"),
        already_met=Count("pk", filter=Q(met=True)),
        recent=Count("pk", filter=Q(met=False) & recent),
        no_email=Count("pk", filter=Q(met=False) & ~recent & ~has_email()),
    )
    will_get = counts["listed"] - counts["already_met"] - counts["recent"] - counts["no_email"]
    sample = rows.filter(has_email(), ~recent, met=False).first()
    return Preview(**counts, will_get=will_get, sample=sample)


def runs() -> QuerySet[GroupReminderRun]:
    return GroupReminderRun.objects.select_related("started_by")


def run(pk: int) -> GroupReminderRun:
    return get_object_or_404(runs(), pk=pk)


def counts_by_status(run_id: int) -> dict[str, int]:
    """How many of the run's members are at each status (one ``GROUP BY``)."""
    rows = (
        GroupReminderSend.objects.filter(run_id=run_id)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def skipped_by_reason(run_id: int) -> list[tuple[str, int]]:
    counts = counts_by_status(run_id)
    return [
        (GroupReminderSend.Status(status).label, counts[status])
        for status in SKIPPED
        if counts.get(status)
    ]


def failed_sends(run_id: int) -> QuerySet[GroupReminderSend]:
    """The members whose email failed, with the error (the first :data:`FAILED_SHOWN`)."""
    return (
        GroupReminderSend.objects.filter(run_id=run_id, status=GroupReminderSend.Status.FAILED)
        .select_related("member")
        .order_by("member__last_name", "member_id")[:FAILED_SHOWN]
    )


def progress(reminder_run: GroupReminderRun) -> dict[str, object]:
    """A run's progress as the status endpoint sends it (plain values)."""
    return {
        "status": reminder_run.status,
        "status_label": reminder_run.get_status_display(),
        "planned": reminder_run.planned,
        "sent": reminder_run.sent,
        "skipped": reminder_run.skipped,
        "failed": reminder_run.failed,
        "handled": reminder_run.handled,
        "finished": reminder_run.status
        in (GroupReminderRun.Status.DONE, GroupReminderRun.Status.FAILED),
    }
