"""Reads of a member's entries and reviews, cached under a version every write path changes.

The version is the member's compliance summary rows as stored (each row's cycle and the time
it was written: ``ComplianceSummary.refreshed_at``). Every write to entries, reviews or a
member's cycle (forms, the API, imports, reviews, the admin, undo and restores) refreshes
those rows in its own transaction with a new ``refreshed_at`` (docs/rules.md §1 "The
membership's compliance"; tests/credits/test_compliance_summary_fresh.py holds each write
path to it), so a request that reads the version after a write's commit never finds the data
of before. The version is read from the database on every request (one small query on the
summary's unique index), never from the cache: a cache that missed a message cannot serve an
old answer. A member without summary rows is always read afresh.

Used by the dashboard (``reports.dashboard_data``) and the compliance API
(``credits.api.compliance``); tests/reports/test_dashboard_never_stale.py checks the page after
each write path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import fields
from typing import TypeVar

from django.core.cache import cache

from credits import rules
from credits.models import ComplianceSummary
from members.models import Member

T = TypeVar("T")
TIMEOUT = 24 * 60 * 60  # at most a day: the callers put the day in their key


def version(member: Member) -> str:
    """The member's summary rows as stored: a new value after any write to their entries."""
    rows = ComplianceSummary.objects.filter(member_id=member.pk).order_by("cycle_start")
    return ";".join(
        f"{cycle_start.isoformat()}@{refreshed_at.isoformat()}"
        for cycle_start, refreshed_at in rows.values_list("cycle_start", "refreshed_at")
    )


def cached(member: Member, name: str, key: tuple[object, ...], read: Callable[[], T]) -> T:
    """``read()``, from the cache while the member's version has not changed. ``key`` holds
    every other input of ``read`` (the day, the window, the requirement set…)."""
    current = version(member)
    if not current:
        return read()
    digest = hashlib.sha256(repr((current, key)).encode()).hexdigest()[:40]
    full_key = f"member-data:{name}:{member.pk}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = read()
        cache.set(full_key, value, TIMEOUT)
    return value


def plain_totals(totals: rules.Totals) -> dict[str, object]:
    """Totals as plain values that the cache can store (the kinds' map is read-only);
    ``rules.Totals(**values)`` makes them again."""
    values = {field.name: getattr(totals, field.name) for field in fields(totals)}
    values["patient_safety_by_kind"] = dict(totals.patient_safety_by_kind)
    return values
