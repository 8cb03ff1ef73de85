"""Writes of group reminders: staff remind the members an at-risk filter picks, each of their
own deficit (docs/rules.md §1 "Reminding a group"), as a Celery job.

- :func:`run_start` resolves the filter once, into one :class:`GroupReminderSend` row per
  member (status "queued", unique per run), and queues the task once that is committed.
- :func:`send_group_reminders` (the task's one call, and the benchmark's) works through the
  queued rows in batches of :data:`BATCH` members, set-based: per batch, one transaction
  locks the members' rows (in id order, so two runs never deadlock), skips those reminded by
  any run in the last 7 days, and claims the others ("sending", with the time); then the
  emails go out over one connection; then one update marks them sent (or failed, with the
  error) and the run's counts are recounted — per batch, never per email.

Two runs at the same moment: the second waits for the first's lock on a member, then finds
that member claimed and skips them, so a member gets at most one group reminder in 7 days. A
retried task takes up where it stopped: rows already sent or skipped are left alone, rows
still "sending" (the worker died mid-batch) are sent again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from credits.membership_selectors import MembershipFilter
from members.models import Member, User
from reports import group_reminder_email
from reports.group_reminder_selectors import SKIPPED, quiet_since, recipients, reminded_since
from reports.models import GroupReminderRun, GroupReminderSend

logger = logging.getLogger(__name__)
BATCH = 500
Send = GroupReminderSend.Status
Run = GroupReminderRun.Status
TO_DO = (Send.QUEUED, Send.SENDING)


def filter_as_json(chosen: MembershipFilter) -> dict[str, object]:
    values = dataclasses.asdict(chosen)
    values.pop("extra", None)
    values["years"] = list(chosen.years)
    return values


def filter_from_json(values: dict[str, object]) -> MembershipFilter:
    known = {field.name for field in dataclasses.fields(MembershipFilter)} - {"extra"}
    chosen = {name: value for name, value in values.items() if name in known}
    chosen["years"] = tuple(chosen.get("years") or ())
    return MembershipFilter(**chosen)


def run_start(chosen: MembershipFilter, *, by: User | None, today: dt.date) -> GroupReminderRun:
    """Record a run of the filter as of ``today``, its members (those still short) resolved
    now, once; ``reports.tasks.group_reminder_enqueue`` also queues the task."""
    with transaction.atomic():
        reminder_run = GroupReminderRun.objects.create(
            started_by=by, as_of=today, filter=filter_as_json(chosen)
        )
        member_ids = recipients(chosen, today=today).values_list("member_id", flat=True)
        GroupReminderSend.objects.bulk_create(
            (GroupReminderSend(run=reminder_run, member_id=pk) for pk in member_ids.iterator()),
            batch_size=2000,
            ignore_conflicts=True,
        )
        reminder_run.planned = reminder_run.sends.count()
        reminder_run.save(update_fields=["planned"])
    return reminder_run


def send_group_reminders(run_id: int) -> GroupReminderRun:
    """Send a run's reminders (see the module's docstring); safe to call again: a run done is
    left alone, a run that failed or stopped half-way goes on where it stopped."""
    GroupReminderRun.objects.filter(pk=run_id).exclude(status=Run.DONE).update(
        status=Run.RUNNING, started_at=Coalesce("started_at", Value(timezone.now())), error=""
    )
    reminder_run = GroupReminderRun.objects.get(pk=run_id)
    if reminder_run.status != Run.RUNNING:
        return reminder_run
    chosen = filter_from_json(reminder_run.filter)
    try:
        after = 0
        while True:
            batch = list(
                GroupReminderSend.objects.filter(
                    run_id=run_id, status__in=TO_DO, member_id__gt=after
                )
                .order_by("member_id")
                .values_list("member_id", flat=True)[:BATCH]
            )
            if not batch:
                break
            _send_batch(reminder_run, chosen, batch)
            _recount(run_id)
            after = batch[-1]
    except Exception as error:
        _recount(run_id)
        GroupReminderRun.objects.filter(pk=run_id).update(
            status=Run.FAILED,
            error=f"The run stopped on an error: {error}",
            finished_at=timezone.now(),
        )
        raise
    _recount(run_id)
    GroupReminderRun.objects.filter(pk=run_id).update(status=Run.DONE, finished_at=timezone.now())
    reminder_run.refresh_from_db()
    logger.info(
        "Group reminder %s: %d sent, %d skipped, %d failed",
        run_id,
        reminder_run.sent,
        reminder_run.skipped,
        reminder_run.failed,
    )
    return reminder_run


def _send_batch(reminder_run: GroupReminderRun, chosen: MembershipFilter, batch: list[int]) -> None:
    summaries = _claim(reminder_run, chosen, batch)
    if not summaries:
        return
    today = timezone.localdate()
    parts = group_reminder_email.Parts.load()
    sent: list[int] = []
    failed: dict[int, str] = {}
    with get_connection() as connection:
        for summary in summaries:
            email = group_reminder_email.message(
                summary, today=today, parts=parts, connection=connection
            )
            try:
                connection.send_messages([email])
            except Exception as error:  # one address refused: record it, go on with the rest
                failed[summary.member_id] = str(error) or error.__class__.__name__
            else:
                sent.append(summary.member_id)
    rows = GroupReminderSend.objects.filter(run=reminder_run, status=Send.SENDING)
    with transaction.atomic():
        rows.filter(member_id__in=sent).update(status=Send.SENT, sent_at=timezone.now())
        for member_id, error in failed.items():
            rows.filter(member_id=member_id).update(
                status=Send.FAILED, error=error[:1000], sent_at=None
            )


def _claim(reminder_run: GroupReminderRun, chosen: MembershipFilter, batch: list[int]):
    """In one transaction: lock the batch's members, skip who was reminded lately (any run),
    who has no address and who left the list; claim the rest. Returns the claimed members'
    summaries (with member and user) to write to."""
    rows = GroupReminderSend.objects.filter(run=reminder_run, member_id__in=batch)
    with transaction.atomic():
        # Row locks in id order: a second run's claim of the same members waits here.
        list(Member.objects.filter(pk__in=batch).order_by("pk").select_for_update().values("pk"))
        now = timezone.now()
        recent = set(
            reminded_since(quiet_since(now))
            .filter(member_id__in=batch)
            .exclude(run=reminder_run)
            .values_list("member_id", flat=True)
        )
        summaries = {
            summary.member_id: summary
            for summary in recipients(chosen, today=reminder_run.as_of).filter(member_id__in=batch)
        }
        no_email = {
            pk
            for pk, summary in summaries.items()
            if not summary.member.user.email or not summary.member.user.is_active
        }
        changed = set(batch) - set(summaries)
        _mark(rows.filter(status=Send.QUEUED, member_id__in=recent), Send.SKIPPED_RECENT)
        _mark(rows.filter(status__in=TO_DO, member_id__in=changed), Send.SKIPPED_CHANGED)
        _mark(rows.filter(status__in=TO_DO, member_id__in=no_email), Send.SKIPPED_NO_EMAIL)
        claimed = set(summaries) - recent - no_email
        rows.filter(status__in=TO_DO, member_id__in=claimed).update(
            status=Send.SENDING, sent_at=now
        )
        # A row "sending" from a worker that died is this run's own: it goes out again.
        going = set(rows.filter(status=Send.SENDING).values_list("member_id", flat=True))
    return [summaries[pk] for pk in sorted(going) if pk in summaries]


def _mark(rows, status: str) -> None:
    rows.update(status=status, sent_at=None)


def _recount(run_id: int) -> None:
    """The run's counts from its rows: one aggregate, one update (per batch)."""
    counts = GroupReminderSend.objects.filter(run_id=run_id).aggregate(
        planned=Count("pk"),
        sent=Count("pk", filter=Q(status=Send.SENT)),
        skipped=Count("pk", filter=Q(status__in=SKIPPED)),
        failed=Count("pk", filter=Q(status=Send.FAILED)),
    )
    GroupReminderRun.objects.filter(pk=run_id).update(**counts)
