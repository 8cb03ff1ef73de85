"""Reads of members: a member's own profile, and the lookups of the staff pages (which only CME
staff reach, members.access)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.models import AuditEvent, Member, StandingChange, User


def member_of(user: User) -> Member:
    """The signed-in user's own member profile; 404 for accounts without one (e.g. staff)."""
    try:
        return user.member
    except Member.DoesNotExist:
        raise Http404("This account has no member profile.") from None


def member_matches(query: str, prefix: str = "") -> Q:
    """Name, email or ASPS ID: every word must match (staff member lookup, the review queue's
    member filter). ``prefix`` reaches the member through a relation, e.g. ``"member__"``."""
    condition = Q()
    for word in query.split():
        condition &= (
            Q(**{f"{prefix}asps_id__iexact": word})
            | Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}user__email__icontains": word})
        )
    return condition


MEMBER_SEARCH_LIMIT = 100


def member_search(query: str) -> list[Member]:
    """Members matching a staff search, by name; none for an empty query."""
    if not query:
        return []
    found = Member.objects.filter(member_matches(query)).select_related("user")
    return list(found.order_by("last_name", "first_name")[:MEMBER_SEARCH_LIMIT])


def member_by_asps_id(asps_id: str) -> Member:
    """One member for the staff pages, or 404."""
    return get_object_or_404(Member.objects.select_related("user"), asps_id=asps_id)


def members_by_asps_ids(asps_ids: Iterable[str]) -> tuple[list[Member], set[str]]:
    """The members with these ASPS IDs, and the IDs that match nobody."""
    asps_ids = set(asps_ids)
    found = list(Member.objects.filter(asps_id__in=asps_ids))
    return found, asps_ids - {member.asps_id for member in found}


def standing_changes(member: Member, limit: int = 50) -> QuerySet[StandingChange]:
    """The member's latest changes of standing, with who made them."""
    return member.standing_changes.select_related("changed_by")[:limit]


def security_events(*, action: str = "", who: str = "") -> QuerySet[AuditEvent]:
    """The security log, newest first, narrowed to one kind of event and an email fragment
    (an unknown kind narrows nothing)."""
    events = AuditEvent.objects.all()
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    if who:
        events = events.filter(actor_email__icontains=who)
    return events
