"""Writes of the per-member compliance summary (:class:`credits.models.ComplianceSummary`).

:func:`refresh` recomputes the summaries of some members (or of everyone) for their current
cycle and the one before, set-based: members are grouped by cycle start, one ``GROUP BY
member`` aggregate per group covers both windows (the same aggregates as every other page,
``credits.selectors.totals_aggregates``, one set per window), the pure rules
(``credits.rules.evaluate``) judge each member in Python, and the rows are written with one
upsert per thousand; rows of other cycles (a cycle start changed, a cycle rolled over) go.

Every write to entries, reviews or a member's cycle refreshes the members it touched in its
own transaction (docs/rules.md §1 "The membership's compliance"): one member costs four
queries. The nightly standing job runs :func:`check`, which writes only the rows found stale
and says how many there were (none, when every write path did its part).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from credits import rules
from credits.models import ComplianceSummary, CreditEntry
from credits.selectors import totals_aggregates
from members.models import Member
from members.signals import member_cycles_changed

BATCH = 1000
CHUNK = BATCH * 5
CODES = rules.RequirementCode
SUMMARY_FIELDS = [
    "cycle_end",
    "total",
    "category_1",
    "plastic_surgery",
    "patient_safety",
    "patient_safety_pending",
    "total_short",
    "category_1_short",
    "plastic_surgery_short",
    "patient_safety_short",
    "short_by",
    "met",
    "behind_from",
    "depends_on_pending",
    "refreshed_at",
]
# What a row says (everything but when it was written): what "stale" compares.
COMPARED_FIELDS = ["cycle_start", *(f for f in SUMMARY_FIELDS if f != "refreshed_at")]


def summarize(totals: rules.Totals, window: rules.Window) -> dict[str, object]:
    """The summary's values for one member's totals over one cycle (the pure rules judge)."""
    compliance = rules.evaluate(totals, rules.ASPS)
    result = {code: compliance.requirement(code) for code in CODES}
    shorts = {code: result[code].remaining for code in CODES}
    patient_safety = result[CODES.PATIENT_SAFETY]
    without_pending = patient_safety.counted - totals.patient_safety_pending
    return {
        "cycle_start": window.start,
        "cycle_end": window.end,
        "total": result[CODES.TOTAL].counted,
        "category_1": result[CODES.CATEGORY_1].counted,
        "plastic_surgery": result[CODES.PLASTIC_SURGERY].counted,
        "patient_safety": patient_safety.counted,
        "patient_safety_pending": totals.patient_safety_pending,
        "total_short": shorts[CODES.TOTAL],
        "category_1_short": shorts[CODES.CATEGORY_1],
        "plastic_surgery_short": shorts[CODES.PLASTIC_SURGERY],
        "patient_safety_short": shorts[CODES.PATIENT_SAFETY],
        "short_by": max(shorts.values(), default=Decimal(0)),
        "met": compliance.compliant,
        "behind_from": rules.behind_from(
            window, [(result[code].counted, result[code].required) for code in CODES]
        ),
        "depends_on_pending": compliance.compliant
        and totals.patient_safety_pending > 0
        and without_pending < patient_safety.required,
    }


def windows_of(cycle_start: dt.date, today: dt.date) -> tuple[rules.Window, rules.Window]:
    """The cycles a member's summary keeps as of ``today``: the current one and the one before."""
    current = rules.current_cycle(cycle_start, today)
    return current, current.previous()


def totals_by_member(
    member_ids: list[int], windows: tuple[rules.Window, ...]
) -> dict[tuple[int, rules.Window], rules.Totals]:
    """Each member's totals in each window, in one ``GROUP BY member`` aggregate (one set of
    aggregates per window, each narrowed to its window); a member without entries is absent."""
    aggregates = {}
    for index, window in enumerate(windows):
        scope = Q(end_date__gte=window.start, end_date__lte=window.end)
        aggregates.update(totals_aggregates(scope, prefix=f"w{index}_"))
    rows = (
        CreditEntry.objects.filter(member_id__in=member_ids)
        .in_window(min(w.start for w in windows), max(w.end for w in windows))
        .values("member_id")
        .annotate(**aggregates)
        .order_by()
    )
    found = {}
    for row in rows:
        for index, window in enumerate(windows):
            prefix = f"w{index}_"
            values = {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}
            found[(row["member_id"], window)] = rules.Totals.from_row(values)
    return found


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Refreshed:
    """What a refresh did: rows ``written``, rows of other cycles ``removed``, and (for
    :func:`check`) how many rows were ``stale`` (missing, different or of another cycle)."""

    written: int = 0
    removed: int = 0
    stale: int = 0


def _by_cycle_start(members: QuerySet[Member]) -> dict[dt.date, list[int]]:
    by_start: dict[dt.date, list[int]] = defaultdict(list)
    for pk, cycle_start in members.values_list("pk", "cycle_start").iterator(chunk_size=5000):
        by_start[cycle_start].append(pk)
    return by_start


def _run(
    member_ids: Iterable[int] | None,
    today: dt.date,
    *,
    compare: bool,
    ids: tuple[int, int] | None = None,
) -> Refreshed:
    members = Member.objects.order_by()
    if ids is not None:
        members = members.filter(pk__gte=ids[0], pk__lte=ids[1])
    if member_ids is not None:
        ids = sorted(set(member_ids))
        if not ids:
            return Refreshed()
        members = members.filter(pk__in=ids)
    done = Refreshed()
    now = timezone.now()
    for cycle_start, group in _by_cycle_start(members).items():
        windows = windows_of(cycle_start, today)
        for chunk in _chunks(group, CHUNK):
            totals = totals_by_member(chunk, windows)
            rows = [
                ComplianceSummary(
                    member_id=member_id,
                    refreshed_at=now,
                    **summarize(totals.get((member_id, window), rules.Totals.ZERO), window),
                )
                for window in windows
                for member_id in chunk
            ]
            if compare:
                rows = _stale_rows(chunk, rows)
                done.stale += len(rows)
            removed, _ = (
                ComplianceSummary.objects.filter(member_id__in=chunk)
                .exclude(cycle_start__in=[window.start for window in windows])
                .delete()
            )
            done.removed += removed
            done.stale += removed if compare else 0
            done.written += _upsert(rows)
    return done


def _stale_rows(chunk: list[int], rows: list[ComplianceSummary]) -> list[ComplianceSummary]:
    """Of the freshly computed ``rows``, those the stored ones do not already say."""
    stored = {
        (values["member_id"], values["cycle_start"]): values
        for values in ComplianceSummary.objects.filter(member_id__in=chunk).values(
            "member_id", *COMPARED_FIELDS
        )
    }
    stale = []
    for row in rows:
        before = stored.get((row.member_id, row.cycle_start))
        if before is None or any(before[f] != getattr(row, f) for f in COMPARED_FIELDS):
            stale.append(row)
    return stale


def _upsert(rows: list[ComplianceSummary]) -> int:
    """One statement per thousand rows; atomic with the caller's transaction (a failed write
    rolls back the summary with it)."""
    if rows:
        ComplianceSummary.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["member", "cycle_start"],
            update_fields=SUMMARY_FIELDS,
        )
    return len(rows)


def refresh(member_ids: Iterable[int] | None = None, *, today: dt.date | None = None) -> int:
    """Recompute the summaries of ``member_ids`` (everyone when ``None``) as of ``today``;
    return how many rows were written. Idempotent."""
    return _run(member_ids, today or timezone.localdate(), compare=False).written


def refresh_member(member_id: int, *, today: dt.date | None = None) -> None:
    """After a write to one member's entries or reviews: their summaries, at once."""
    refresh([member_id], today=today)


def check(*, today: dt.date, ids: tuple[int, int] | None = None) -> Refreshed:
    """The nightly check: recompute everyone's summaries as of ``today``, write only the rows
    that are missing or say something else (a cycle rolled over, or a write path that failed
    to refresh), and remove rows of cycles no longer kept; ``stale`` counts them all. With
    ``ids`` (first, last), the members whose id is in that range (a chunk of the nightly
    job, reports/standing_chunks.py)."""
    return _run(None, today, compare=True, ids=ids)


def _on_cycles_changed(sender: object, member_ids: list[int], **kwargs: object) -> None:
    refresh(member_ids)


def connect_signals() -> None:
    """New members and moved cycles (``members`` tells, it may not call us): their summaries,
    in the transaction that wrote them. From ``CreditsConfig.ready()``."""
    member_cycles_changed.connect(_on_cycles_changed, dispatch_uid="credits.compliance_summary")
