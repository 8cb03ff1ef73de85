"""The review status of a patient-safety claim, as a state machine (docs/rules.md §4).

One place says how a claim's status may move and records every move:

- staff decide (approve, reject, request documentation) -> :func:`after_decision`;
- the member changes what was judged -> a decided claim (approved or rejected) goes back to
  ``pending`` (:func:`after_edit`); editing anything else (city, activity type, ...) changes
  nothing; removing the patient-safety credits leaves nothing to review;
- a certificate arrives for a claim whose documentation staff asked for -> ``pending``;
- a documentation audit asks for certificates without touching any status (it writes a
  :class:`~credits.models.DocumentationRequest`, see :mod:`credits.review_services`).

Every move is kept twice: as a :class:`~credits.models.ReviewDecision` beside the claim (who,
when, from which IP, the entry before and after) and as an event of the security log.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from credits.models import (
    CreditEntry,
    Decision,
    DocumentationAudit,
    ReviewDecision,
    ReviewStatus,
    Source,
)
from members import security_log
from members.models import AuditEvent, User

# What a reviewer judged: any change to one of these reopens a decided claim.
JUDGED_FIELDS = (
    "title",
    "provider_id",
    "category",
    "start_date",
    "end_date",
    "credits",
    "patient_safety_credits",
    "patient_safety_kind",
    "activity_id",
)
DECIDED = (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
STATUS_AFTER_DECISION = {
    Decision.APPROVE: ReviewStatus.APPROVED,
    Decision.REJECT: ReviewStatus.REJECTED,
    Decision.REQUEST_DOCUMENTATION: ReviewStatus.DOCUMENTATION_REQUESTED,
}


def initial_status(*, source: str, patient_safety_credits: Decimal) -> str:
    """Self-reported patient-safety claims are reviewed; imports arrive approved."""
    if patient_safety_credits <= 0:
        return ReviewStatus.NOT_REQUIRED
    if source == Source.SELF_REPORTED:
        return ReviewStatus.PENDING
    return ReviewStatus.APPROVED


def judged(entry: CreditEntry) -> dict[str, Any]:
    """The values a reviewer judged, typed (``Decimal("4") == Decimal("4.00")``)."""
    return {field: getattr(entry, field) for field in JUDGED_FIELDS}


def snapshot(entry: CreditEntry) -> dict[str, str]:
    """What the review history keeps of an entry before and after a move (JSON)."""
    return {
        "review_status": entry.review_status,
        "title": entry.title,
        "provider": entry.provider.name if entry.provider_id else "",
        "category": str(entry.category),
        "start_date": entry.start_date.isoformat(),
        "end_date": entry.end_date.isoformat(),
        "credits": str(entry.credits),
        "patient_safety_credits": str(entry.patient_safety_credits),
        "patient_safety_kind": entry.patient_safety_kind,
        "activity": entry.activity.code if entry.activity_id else "",
        "patient_safety_counts": "yes" if entry.patient_safety_counts else "no",
    }


def after_decision(decision: str) -> str:
    return STATUS_AFTER_DECISION[Decision(decision)]


def after_edit(entry: CreditEntry, *, status: str, judged_before: dict[str, Any]) -> str:
    """The status of a claim once ``entry`` holds the member's new values."""
    if entry.patient_safety_credits <= 0:
        return ReviewStatus.NOT_REQUIRED
    if status == ReviewStatus.NOT_REQUIRED:  # a new claim
        return initial_status(source=entry.source, patient_safety_credits=Decimal(1))
    if status in DECIDED and judged(entry) != judged_before:
        return initial_status(source=entry.source, patient_safety_credits=Decimal(1))
    return status


def after_certificate(status: str) -> str:
    """A claim waiting for its documentation returns to the queue; others stay as they are."""
    if status == ReviewStatus.DOCUMENTATION_REQUESTED:
        return ReviewStatus.PENDING
    return status


def record(
    *,
    entry: CreditEntry,
    decision: str,
    before: dict[str, str],
    by: User | None,
    ip: str | None,
    note: str = "",
    audit: DocumentationAudit | None = None,
) -> ReviewDecision:
    """Keep one move of a claim: beside the claim and in the security log."""
    after = snapshot(entry)
    if by is not None and not by.is_authenticated:
        by = None
    move = ReviewDecision.objects.create(
        entry=entry,
        member=entry.member,
        entry_title=entry.title,
        decision=decision,
        note=note,
        before=before,
        after=after,
        decided_by=by,
        ip=ip or None,
        audit=audit,
    )
    changed = {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }
    security_log.record(
        AuditEvent.Action.REVIEW_DECISION
        if decision in STATUS_AFTER_DECISION
        else AuditEvent.Action.REVIEW_STATUS_CHANGED,
        actor=by,
        ip=ip,
        target=f"entry {entry.pk} of {entry.member.asps_id}",
        decision=decision,
        before=before["review_status"],
        after=after["review_status"],
        changed=changed,
    )
    return move


def record_if_moved(
    *, entry: CreditEntry, decision: str, before: dict[str, str], by: User | None, ip: str | None
) -> ReviewDecision | None:
    """After a member's edit or upload: keep the move, if the status moved."""
    if before["review_status"] == entry.review_status:
        return None
    return record(entry=entry, decision=decision, before=before, by=by, ip=ip)
