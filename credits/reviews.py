"""The review of patient-safety claims and documentation audits (docs/rules.md).

"Submitted credits that have been designated for patient safety and risk management may be
subject to review" (the ASAPS and ASPS CME policies). One service per decision, called by the
staff pages and the API alike; every decision is kept in the audit trail and emailed to the member.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string

from credits import review_states, rules, selectors
from credits.models import (
    STAFF_DECISIONS,
    CreditEntry,
    Decision,
    DocumentationAudit,
    DocumentationRequest,
    ReviewDecision,
    ReviewStatus,
    Source,
)
from members import access
from members import audit as audit_log
from members.models import AuditEvent, Member, User

REVIEW_PERMISSION = access.REVIEW_PERMISSION
STATUS_AFTER = review_states.STATUS_AFTER_DECISION
NOTE_REQUIRED = {
    Decision.REJECT: "Say why the claim is rejected: the member reads this note.",
    Decision.REQUEST_DOCUMENTATION: "Say what documentation you need: the member reads this note.",
}


def may_review(user: User) -> bool:
    """CME staff with two-factor (members.access decides)."""
    return access.is_cme_staff(user)


def _email_member(decision: ReviewDecision) -> None:
    member = decision.member
    context = {"decision": decision, "member": member, "site_url": settings.SITE_URL}
    send_mail(
        subject=f"[CME Track] Your CME entry “{decision.entry_title}”: "
        f"{decision.get_decision_display().lower()}",
        message=render_to_string("emails/review_decision.txt", context),
        from_email=None,
        recipient_list=[member.user.email],
    )


@transaction.atomic
def review_decide(
    *,
    entry: CreditEntry,
    decision: str,
    note: str = "",
    by: User,
    ip: str | None = None,
    seen_status: str = "",
) -> ReviewDecision:
    """Approve, reject or ask for documentation of one entry's claim.

    ``seen_status`` is the status the reviewer saw when deciding (the page and the API send
    it): when another reviewer decided meanwhile, the decision is refused instead of silently
    overturning theirs. Nobody decides their own claim.

    A rejected claim stops counting at once; the rest of the entry still counts (docs/rules.md).
    ``ip`` is the reviewer's address (the page or API passes it). Raises ``ValidationError``
    keyed by ``decision`` or ``note``.
    """
    note = note.strip()
    if decision not in STAFF_DECISIONS:
        raise ValidationError({"decision": ["Choose approve, reject or request_documentation."]})
    if decision in NOTE_REQUIRED and not note:
        raise ValidationError({"note": [NOTE_REQUIRED[decision]]})
    entry = CreditEntry.objects.select_for_update().select_related("member__user").get(pk=entry.pk)
    if not access.may_decide_claims_of(by, entry.member):
        raise ValidationError(
            {"decision": ["This is your own claim: another reviewer must decide it."]}
        )
    if seen_status and seen_status != entry.review_status:
        raise ValidationError(
            {
                "decision": [
                    "Another reviewer decided this claim meanwhile (it is now "
                    f"{entry.get_review_status_display().lower()}): look at it again before "
                    "deciding."
                ]
            }
        )
    if entry.patient_safety_credits <= 0:
        raise ValidationError(
            {
                "decision": [
                    "This entry claims no patient-safety credits: there is nothing to decide."
                ]
            }
        )
    before = review_states.snapshot(entry)
    entry.review_status = review_states.after_decision(decision)
    entry.save(update_fields=["review_status", "updated_at"])
    record = review_states.record(
        entry=entry, decision=decision, note=note, before=before, by=by, ip=ip
    )
    transaction.on_commit(lambda: _email_member(record))
    return record


# --- The queue -------------------------------------------------------------------------------


def review_queue(
    *,
    status: str | None = ReviewStatus.PENDING,
    member_query: str = "",
    kind: str = "",
    ended_from: dt.date | None = None,
    ended_to: dt.date | None = None,
) -> QuerySet[CreditEntry]:
    """Patient-safety claims to review, oldest submission first."""
    claims = CreditEntry.objects.filter(patient_safety_credits__gt=0).select_related(
        "member__user", "provider"
    )
    if status:
        claims = claims.filter(review_status=status)
    if member_query:
        claims = claims.filter(member_matches(member_query, prefix="member__"))
    if kind:
        claims = claims.filter(patient_safety_kind=kind)
    if ended_from:
        claims = claims.filter(end_date__gte=ended_from)
    if ended_to:
        claims = claims.filter(end_date__lte=ended_to)
    return claims.order_by("created_at", "id")


def member_matches(query: str, prefix: str = "") -> Q:
    """Name, email or ASPS ID (staff member lookup and the queue's member filter)."""
    condition = Q()
    for word in query.split():
        condition &= (
            Q(**{f"{prefix}asps_id__iexact": word})
            | Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}user__email__icontains": word})
        )
    return condition


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


def sample_members(candidates: Iterable[Member], size: int, seed: str) -> list[Member]:
    """A random sample that the same seed reproduces exactly (sorted by ASPS ID first)."""
    ordered = sorted(candidates, key=lambda member: member.asps_id)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))  # noqa: S311 - not security


# Entries an audit may ask about: the member's own Category 1 records without a certificate.
# The society's imports are its own record, never audited.
AUDITED_SOURCES = (Source.SELF_REPORTED, Source.STAFF)


@transaction.atomic
def audit_start(
    *,
    members: Sequence[Member],
    window: rules.Window,
    note: str,
    by: User,
    sample_size: int | None = None,
    seed: str = "",
    ip: str | None = None,
) -> DocumentationAudit:
    """Ask each member for the certificates of their Category 1 entries that lack one.

    Asking changes no claim's review status: an approved claim stays approved, a pending one
    pending. Each request is a :class:`DocumentationRequest`, answered when the certificate
    arrives. Each member with something to send gets one email listing their entries.
    """
    if not note.strip():
        raise ValidationError({"note": ["Say what you need: the members read this note."]})
    if not members:
        raise ValidationError({"members": ["Choose at least one member."]})
    audit = DocumentationAudit.objects.create(
        window_start=window.start,
        window_end=window.end,
        sample_size=sample_size,
        seed=seed,
        note=note.strip(),
        created_by=by,
    )
    audit.members.set(members)
    entries = list(
        CreditEntry.objects.filter(
            member__in=members, category=1, certificate="", source__in=AUDITED_SOURCES
        )
        .in_window(window.start, window.end)
        .select_related("member__user")
        .order_by("member_id", "end_date", "id")
    )
    DocumentationRequest.objects.bulk_create(
        DocumentationRequest(audit=audit, entry=entry, member=entry.member, entry_title=entry.title)
        for entry in entries
    )
    by_member: dict[int, list[CreditEntry]] = {}
    for entry in entries:
        by_member.setdefault(entry.member_id, []).append(entry)
    audit_log.record(
        AuditEvent.Action.DOCUMENTATION_REQUESTED,
        actor=by,
        ip=ip,
        target=f"documentation audit {audit.pk}",
        members=len(members),
        members_asked=len(by_member),
        entries=len(entries),
    )
    transaction.on_commit(lambda: _email_audit_digests(audit, list(by_member.values())))
    return audit


def _email_audit_digests(audit: DocumentationAudit, batches: list[list[CreditEntry]]) -> None:
    """One email per member, listing every entry the audit asks about."""
    messages = []
    for entries in batches:
        member = entries[0].member
        context = {
            "audit": audit,
            "member": member,
            "entries": entries,
            "site_url": settings.SITE_URL,
        }
        count = len(entries)
        messages.append(
            EmailMessage(
                subject=f"[CME Track] Please upload {count} CME certificate"
                f"{'' if count == 1 else 's'}",
                body=render_to_string("emails/documentation_audit.txt", context),
                to=[member.user.email],
            )
        )
    if messages:
        get_connection().send_messages(messages)


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
