"""Writes that concern members. Forms, commands, imports and tasks all call these."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .cycles import default_cycle_start
from .models import Member, MembershipType, User, normalize_email


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
    one-time link. No account ever gets a default or guessable password (contract, roster).
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
    return member


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=normalize_email(email)).first()
