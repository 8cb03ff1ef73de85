"""The review of patient-safety claims and documentation audits (docs/rules.md): the writes.

"Submitted credits that have been designated for patient safety and risk management may be
subject to review" (the ASAPS and ASPS CME policies). One service per decision, called by the
staff pages and the API alike; every decision is kept in the security log and emailed to the
member. The reads (the queue, an audit's progress) are in :mod:`credits.review_selectors`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string

from credits import compliance_summary_services, review_states, rules
from credits.models import (
    STAFF_DECISIONS,
    CreditEntry,
    Decision,
    DocumentationAudit,
    DocumentationRequest,
    ReviewDecision,
    Source,
)
from members import access, formatting, security_log
from members.models import AuditEvent, Member, User

NOTE_REQUIRED = {
    Decision.REJECT: "Say why the claim is rejected: the member reads this note.",
    Decision.REQUEST_DOCUMENTATION: "Say what documentation you need: the member reads this note.",
}


def _email_member(decision: ReviewDecision) -> None:
    member = decision.member
    context = {"decision": decision, "member": member, "site_url": settings.SITE_URL}
    send_mail(
        subject=formatting.decision_subject(decision.decision, decision.entry_title),
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
    compliance_summary_services.refresh_member(entry.member_id)  # a rejection stops counting
    record = review_states.record(
        entry=entry, decision=decision, note=note, before=before, by=by, ip=ip
    )
    transaction.on_commit(lambda: _email_member(record))
    return record


# --- Documentation audits --------------------------------------------------------------------


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
    security_log.record(
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
