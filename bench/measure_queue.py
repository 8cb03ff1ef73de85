"""The staff review queue at 5,000 pending claims (``make bench BENCH_ARGS=queue``).

Measured in the throw-away test database: 5,000 pending patient-safety claims across 500
members (and as many entries that claim nothing, which the queue must skip), then the time of
``GET /staff/reviews/?status=pending`` for CME staff with two-factor, and its queries at 5,000
claims against 50 (equal whatever the size). docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench.metrics import Metric, timed

QUEUE_URL = "/staff/reviews/?status=pending"
QUEUE_ASPS_ID_PREFIX = "Q"  # the members of this measurement


def cme_staff_with_two_factor():
    """A reviewer as the staff pages want one: in the CME staff group, with an authenticator."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from members.access import CME_STAFF_GROUP
    from members.models import User

    user = User.objects.create(
        email="bench-reviewer@example.org", password=make_password(None), is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=CME_STAFF_GROUP)[0])
    TOTP.activate(user, generate_totp_secret())
    return user


def pending_claims(claims: int, *, members: int = 500) -> None:
    """``claims`` pending claims spread over ``members`` new members, one bulk insert each."""
    from bench.records import bench_provider, bulk_members
    from credits.models import (
        ActivityType,
        CreditEntry,
        PatientSafetyKind,
        ReviewStatus,
        Source,
    )
    from members.models import Member, MembershipType

    first = Member.objects.filter(asps_id__startswith=QUEUE_ASPS_ID_PREFIX).count()
    numbers = range(first, first + members)
    people = bulk_members(
        numbers,
        asps_id=QUEUE_ASPS_ID_PREFIX + "{n:07}",
        email="queue{n}@example.org",
        last_name="Queue member",
        credentials="MD",
        membership_type=MembershipType.ACTIVE,
    )
    provider = bench_provider()
    day = dt.date(2025, 5, 1)

    def entry(n: int, *, claim: bool) -> CreditEntry:
        return CreditEntry(
            member=people[n % len(people)],
            title=f"{'Patient Safety' if claim else 'Plastic Surgery'} Course {n}",
            activity_type=ActivityType.LIVE_ACTIVITY,
            category=1,
            provider=provider,
            start_date=day,
            end_date=day,
            credits=Decimal("5"),
            patient_safety_credits=Decimal("1") if claim else Decimal("0"),
            patient_safety_kind=PatientSafetyKind.GENERAL,
            city="Chicago",
            state="IL",
            country="United States",
            source=Source.SELF_REPORTED,
            review_status=ReviewStatus.PENDING if claim else ReviewStatus.NOT_REQUIRED,
        )

    CreditEntry.objects.bulk_create(
        [entry(n, claim=True) for n in range(claims)]
        + [entry(n, claim=False) for n in range(claims)],
        batch_size=2000,
    )


def measure_queue(claims: int = 5000, repeat: int = 11) -> dict[str, Metric]:
    from django.test import Client

    from bench.queries import page_queries

    client = Client()
    client.force_login(cme_staff_with_two_factor())
    pending_claims(50, members=50)
    few = page_queries(client, QUEUE_URL)
    pending_claims(claims - 50)
    many = page_queries(client, QUEUE_URL)

    def get() -> None:
        response = client.get(QUEUE_URL)
        if response.status_code != 200:
            raise RuntimeError(f"{QUEUE_URL} answered {response.status_code}")

    get()  # templates load once per process
    seconds = timed(get, repeat)
    return {
        f"queue_pending_{claims}_s": {"value": round(seconds, 3), "unit": "s", "limit": 0.1},
        "queue_queries_50": {"value": few, "unit": "queries", "limit": few},
        f"queue_queries_{claims}": {"value": many, "unit": "queries", "limit": few},
    }
