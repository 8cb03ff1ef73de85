"""Writes that concern members. Forms, commands, imports and tasks all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from members import security_log, signals
from members.cycles import default_cycle_start
from members.models import AuditEvent, Member, MembershipType, User, normalize_email


@transaction.atomic
def member_create(
    *,
    email: str,
    asps_id: str,
    first_name: str,
    last_name: str,
    joined_on: dt.date,
    membership_type: str = MembershipType.ACTIVE,
    cycle_start: dt.date | None = None,
    credentials: str = "",
    city: str = "",
    state: str = "",
    country: str = "United States",
    password: str | None = None,
) -> Member:
    """Create a login and its member profile.

    Without a password the account has an unusable one: the member chooses theirs through a
    one-time link. No account ever gets a default or guessable password (docs/imports.md).
    """
    user = User.objects.create_user(email=email, password=password)
    member = Member(
        user=user,
        asps_id=asps_id.strip(),
        first_name=first_name,
        last_name=last_name,
        credentials=credentials,
        membership_type=membership_type,
        joined_on=joined_on,
        cycle_start=cycle_start or default_cycle_start(joined_on),
        city=city,
        state=state,
        country=country,
    )
    member.full_clean()
    member.save()
    signals.cycles_changed([member.pk])
    return member


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=normalize_email(email)).first()


# Which bodies' requirements apply to a member (docs/rules.md): set by staff or the roster.
BODIES_FIELDS = (
    "asps_member",
    "asaps_member",
    "abps_certification_year",
    "abps_special_circumstances",
)


@transaction.atomic
def member_bodies_update(
    *, member: Member, values: Mapping[str, Any], by: User, ip: str | None = None
) -> Member:
    """Staff set which bodies' requirements apply to a member; the change, before and after,
    is kept in the security log. Raises ``ValidationError`` keyed by field."""
    before = {field: getattr(member, field) for field in BODIES_FIELDS}
    for field in BODIES_FIELDS:
        if field in values:
            setattr(member, field, values[field])
    others = [f.name for f in Member._meta.concrete_fields if f.name not in BODIES_FIELDS]
    member.full_clean(exclude=others, validate_unique=False)
    member.save(update_fields=list(BODIES_FIELDS))
    after = {field: getattr(member, field) for field in BODIES_FIELDS}
    changed = {
        field: [before[field], after[field]]
        for field in BODIES_FIELDS
        if before[field] != after[field]
    }
    if changed:
        security_log.record(
            AuditEvent.Action.REQUIREMENT_SETS_CHANGED,
            actor=by,
            ip=ip,
            target=member.asps_id,
            **changed,
        )
    return member
