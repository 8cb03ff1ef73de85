"""Writes of the per-member compliance summary (:class:`credits.models.ComplianceSummary`).

:func:`refresh` recomputes the summaries of some members (or of everyone) for their current
cycle and the one before, set-based: members are grouped by cycle start, one ``GROUP BY
member`` aggregate per group and window (the same aggregates as every other page,
``credits.selectors.TOTALS_AGGREGATES``), the pure rules (``credits.rules.evaluate``) judge
each member in Python, and the rows are written with one upsert per thousand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from credits import rules
from credits.models import ComplianceSummary, CreditEntry
from credits.selectors import TOTALS_AGGREGATES
from members.models import Member

BATCH = 1000
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


def _windows(cycle_start: dt.date, today: dt.date) -> tuple[rules.Window, rules.Window]:
    current = rules.current_cycle(cycle_start, today)
    return current, current.previous()


def _totals(member_ids: list[int], window: rules.Window) -> dict[int, rules.Totals]:
    rows = (
        CreditEntry.objects.filter(member_id__in=member_ids)
        .in_window(window.start, window.end)
        .values("member_id")
        .annotate(**TOTALS_AGGREGATES)
        .order_by()
    )
    return {row["member_id"]: rules.Totals.from_row(row) for row in rows}


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def refresh(member_ids: Iterable[int] | None = None, *, today: dt.date | None = None) -> int:
    """Recompute the summaries of ``member_ids`` (everyone when ``None``) as of ``today``;
    return how many rows were written. Idempotent."""
    today = today or timezone.localdate()
    members = Member.objects.all()
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    by_start: dict[dt.date, list[int]] = defaultdict(list)
    for pk, cycle_start in members.values_list("pk", "cycle_start").iterator(chunk_size=5000):
        by_start[cycle_start].append(pk)
    written = 0
    now = timezone.now()
    for cycle_start, ids in by_start.items():
        windows = _windows(cycle_start, today)
        for chunk in _chunks(ids, BATCH * 5):
            rows = []
            for window in windows:
                totals = _totals(chunk, window)
                for member_id in chunk:
                    values = summarize(totals.get(member_id, rules.Totals.ZERO), window)
                    rows.append(ComplianceSummary(member_id=member_id, refreshed_at=now, **values))
            written += _upsert(rows)
    return written


def _upsert(rows: list[ComplianceSummary]) -> int:
    with transaction.atomic():
        ComplianceSummary.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["member", "cycle_start"],
            update_fields=SUMMARY_FIELDS,
        )
    return len(rows)


def refresh_member(member_id: int, *, today: dt.date | None = None) -> None:
    """After a write to one member's entries or reviews: their summaries, at once."""
    refresh([member_id], today=today)
