"""Reads of the reviews: the queue of patient-safety claims, a claim beside its member's
standing, the decisions taken, and documentation audits (who may be drawn, their progress).

The writes are in :mod:`credits.review_services`. Only CME staff reach these reads (the staff
pages and the API check members.access first).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from credits import rules, selectors
from credits.models import (
    CreditEntry,
    DocumentationAudit,
    DocumentationRequest,
    ReviewDecision,
    ReviewStatus,
)
from members.models import Member, MembershipType
from members.selectors import member_matches

# --- The queue -------------------------------------------------------------------------------


# The statuses the queue counts and offers as filters, in the order of a claim's life.
QUEUE_STATUSES = (
    ReviewStatus.PENDING,
    ReviewStatus.DOCUMENTATION_REQUESTED,
    ReviewStatus.APPROVED,
    ReviewStatus.REJECTED,
)


def _claims(
    *,
    member_query: str = "",
    kind: str = "",
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
) -> QuerySet[CreditEntry]:
    """Patient-safety claims matching the queue's filters, whatever their status."""
    claims = CreditEntry.objects.filter(patient_safety_credits__gt=0)
    if member_query:
        claims = claims.filter(member_matches(member_query, prefix="member__"))
    if kind:
        claims = claims.filter(patient_safety_kind=kind)
    if ended_from:
        claims = claims.filter(end_date__gte=ended_from)
    if ended_to:
        claims = claims.filter(end_date__lte=ended_to)
    return claims


def review_queue(
    *,
    status: str | None = ReviewStatus.PENDING,
    member_query: str = "",
    kind: str = "",
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
) -> QuerySet[CreditEntry]:
    """Patient-safety claims to review, oldest submission first.

    The index ``entry_claims_queue`` (status, submission) serves the filter and the order.
    """
    claims = _claims(
        member_query=member_query, kind=kind, ended_from=ended_from, ended_to=ended_to
    ).select_related("member__user", "provider")
    if status:
        claims = claims.filter(review_status=status)
    return claims.order_by("created_at", "id")


def queue_counts(
    *,
    member_query: str = "",
    kind: str = "",
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
) -> dict[str, int]:
    """How many claims of each queue status match the other filters: one query."""
    rows = (
        _claims(member_query=member_query, kind=kind, ended_from=ended_from, ended_to=ended_to)
        .filter(review_status__in=QUEUE_STATUSES)
        .values("review_status")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {str(status): 0 for status in QUEUE_STATUSES}
    counts.update({row["review_status"]: row["count"] for row in rows})
    return counts


def claim_for_review(pk: int) -> CreditEntry:
    """One entry for a reviewer, with its member and provider, or 404."""
    return get_object_or_404(CreditEntry.objects.select_related("member__user", "provider"), pk=pk)


def claim_history(entry: CreditEntry) -> QuerySet[ReviewDecision]:
    """The decisions taken on one entry, with who took them."""
    return entry.decisions.select_related("decided_by")


def member_decisions(member: Member, limit: int = 50) -> QuerySet[ReviewDecision]:
    """The latest decisions taken on a member's claims."""
    return ReviewDecision.objects.filter(member=member).select_related("decided_by")[:limit]


@dataclass(frozen=True)
class ClaimInContext:
    """A claim with the member's counted patient-safety credits with and without it."""

    entry: CreditEntry
    window: rules.Window
    with_claim: rules.RequirementResult
    without_claim: rules.RequirementResult


def claims_in_context(entries: Sequence[CreditEntry]) -> list[ClaimInContext]:
    """Each claim beside its member's patient-safety standing in the cycle holding it.

    One aggregate query for the whole page, however many members it shows.
    """
    windows = {
        entry.pk: rules.cycle_containing(entry.member.cycle_start, entry.end_date)
        for entry in entries
    }
    keys = {(entry.member_id, windows[entry.pk]) for entry in entries}
    totals = selectors.totals_for_windows(keys)
    result = []
    for entry in entries:
        with_claim = totals[(entry.member_id, windows[entry.pk])]
        without_claim = with_claim
        if entry.patient_safety_counts and entry.counts:  # a replaced entry is not in totals
            without_claim = with_claim.without_patient_safety(
                rules.PatientSafetyKind(entry.patient_safety_kind),
                entry.patient_safety_credits,
                category=entry.category,
                pending=entry.patient_safety_under_review,
            )
        result.append(
            ClaimInContext(
                entry=entry,
                window=windows[entry.pk],
                with_claim=rules.evaluate(with_claim).requirement(
                    rules.RequirementCode.PATIENT_SAFETY
                ),
                without_claim=rules.evaluate(without_claim).requirement(
                    rules.RequirementCode.PATIENT_SAFETY
                ),
            )
        )
    return result


# --- Documentation audits --------------------------------------------------------------------


def documentation_audit_candidates() -> QuerySet[Member]:
    """Members a random documentation audit draws from: active members and candidates."""
    return Member.objects.filter(
        membership_type__in=[MembershipType.ACTIVE, MembershipType.CANDIDATE]
    )


def sample_members(candidates: Iterable[Member], size: int, seed: str) -> list[Member]:
    """A random sample that the same seed reproduces exactly (sorted by ASPS ID first)."""
    ordered = sorted(candidates, key=lambda member: member.asps_id)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))  # noqa: S311 - not security


def recent_documentation_audits(limit: int = 50) -> QuerySet[DocumentationAudit]:
    return DocumentationAudit.objects.select_related("created_by")[:limit]


def documentation_audit(pk: int) -> DocumentationAudit:
    """One documentation audit, or 404."""
    return get_object_or_404(DocumentationAudit, pk=pk)


def audit_progress(audit: DocumentationAudit) -> list[dict]:
    """Per member of an audit: entries asked for, and how many have a certificate since."""
    requested = (
        DocumentationRequest.objects.filter(audit=audit)
        .values("member_id")
        .annotate(
            asked=Count("id"),
            answered=Count(
                "id",
                filter=Q(entry__isnull=False) & ~Q(entry__certificate=""),
            ),
        )
    )
    by_member = {row["member_id"]: row for row in requested}
    return [
        {
            "member": member,
            "asked": by_member.get(member.pk, {}).get("asked", 0),
            "answered": by_member.get(member.pk, {}).get("answered", 0),
        }
        for member in audit.members.select_related("user").order_by("last_name", "first_name")
    ]
