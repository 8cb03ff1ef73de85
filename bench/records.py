"""One member with N alike entries: the record the dashboard, the PDF and the query counts
are measured on (``bench/run.py``). Built here, not with the tests' factories: the benchmark
never imports the tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from credits import rules
from credits.models import (
    ActivityType,
    CreditEntry,
    PatientSafetyKind,
    Provider,
    ReviewStatus,
    Source,
)
from members.models import Member, MembershipType, User

# One member per measurement, apart from the load data (L) and the import's members (B).
RECORD_ASPS_ID_PREFIX = "P"


def bench_provider() -> Provider:
    """The accredited provider every bench entry names."""
    provider, _ = Provider.objects.get_or_create(
        name="Baker Gordon Educational Foundation",
        defaults={"abbreviation": "BGEF", "accreditation": "ACCME", "verified": True},
    )
    return provider


def bulk_members(
    numbers: range, *, asps_id: str, email: str, last_name: str, **fields: object
) -> list[Member]:
    """New members, one per number, inserted in bulk with unusable passwords: ``asps_id`` and
    ``email`` are formats of ``n`` (e.g. ``"B{n:06}"``, ``"bench{n}@example.org"``); ``fields``
    set the rest (the cycle starts on 2016-01-01 unless ``cycle_start`` says otherwise)."""
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=email.format(n=n), password=password) for n in numbers], batch_size=2_000
    )
    return Member.objects.bulk_create(
        [
            Member(
                user=user,
                asps_id=asps_id.format(n=n),
                first_name="Bench",
                last_name=f"{last_name} {n}",
                **{"joined_on": dt.date(2015, 6, 1), "cycle_start": dt.date(2016, 1, 1), **fields},
            )
            for n, user in zip(numbers, users, strict=True)
        ],
        batch_size=2_000,
    )


def member_with_entries(
    entries: int, *, today: dt.date | None = None, patient_safety: Decimal = Decimal("1")
) -> Member:
    """A new Active member with ``entries`` alike Category 1 entries (5 credits, of them
    ``patient_safety`` patient-safety credits waiting for review) in the current cycle,
    inserted in bulk: the record the dashboard, the PDF and the query counts are measured on."""
    today = today or timezone.localdate()
    number = Member.objects.filter(asps_id__startswith=RECORD_ASPS_ID_PREFIX).count()
    user = User.objects.create(email=f"page{number}@example.org", password=make_password(None))
    member = Member.objects.create(
        user=user,
        asps_id=f"{RECORD_ASPS_ID_PREFIX}{number:07}",
        first_name="Bench",
        last_name=f"Page {number}",
        credentials="MD",
        membership_type=MembershipType.ACTIVE,
        joined_on=dt.date(2015, 6, 1),
        cycle_start=dt.date(2016, 1, 1),
        city="Chicago",
        state="IL",
    )
    provider = bench_provider()
    day = rules.current_cycle(member.cycle_start, today).start
    CreditEntry.objects.bulk_create(
        CreditEntry(
            member=member,
            title=f"Plastic Surgery Course {n}",
            activity_type=ActivityType.LIVE_ACTIVITY,
            category=1,
            provider=provider,
            start_date=day,
            end_date=day,
            credits=Decimal("5"),
            patient_safety_credits=patient_safety,
            patient_safety_kind=PatientSafetyKind.GENERAL,
            plastic_surgery_credits=Decimal("4"),
            city="Chicago",
            state="IL",
            country="United States",
            source=Source.SELF_REPORTED,
            review_status=ReviewStatus.PENDING if patient_safety else ReviewStatus.NOT_REQUIRED,
        )
        for n in range(entries)
    )
    return member
