"""Reads of members, scoped to who is asking."""

from __future__ import annotations

from django.http import Http404

from members.models import Member, User


def member_of(user: User) -> Member:
    """The signed-in user's own member profile; 404 for accounts without one (e.g. staff)."""
    try:
        return user.member
    except Member.DoesNotExist:
        raise Http404("This account has no member profile.") from None
