"""Realistic load data in bulk: members, providers and entries (``generate_load_data``).

Every value keeps the rules (credits in 0.25 steps, patient-safety and plastic-surgery credits
at most the credits, Category 1 with an accredited provider, Category 2 with none, no date in
the future), so the figures measured on it are those of real records. The same seed gives the
same data. Rows are inserted with ``bulk_create`` in batches: one INSERT per batch.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from credits.models import (
    ActivityType,
    CreditEntry,
    PatientSafetyKind,
    Provider,
    ReviewStatus,
    Source,
)
from members.models import Member, MembershipType, User

BATCH = 5_000
CYCLE_STARTS = [dt.date(2016 + n, 1, 1) for n in range(3)]  # cycles ending 2027, 2025, 2026
STATES = [("Chicago", "IL"), ("Houston", "TX"), ("Boston", "MA"), ("Denver", "CO")]
TITLES = [
    "Breast Reconstruction Update",
    "Rhinoplasty Masterclass",
    "Patient Safety in Office-Based Surgery",
    "Hand Surgery Grand Rounds",
    "Body Contouring Symposium",
    "Craniofacial Conference",
    "Opioid Prescribing and Pain Management",
    "Journal Club: Plastic and Reconstructive Surgery",
]
MEMBERSHIP_MIX = [MembershipType.ACTIVE] * 8 + [MembershipType.CANDIDATE, MembershipType.RESIDENT]


@dataclass(frozen=True)
class LoadSize:
    members: int
    entries_per_member: int
    seed: int

    @property
    def label(self) -> str:
        return f"{self.members}x{self.entries_per_member} seed {self.seed}"


def quarters(rng: random.Random, low: int, high: int) -> Decimal:
    """A credit value between ``low`` and ``high`` in steps of 0.25."""
    return Decimal(rng.randint(low * 4, high * 4)) / 4


def entry_for(rng: random.Random, member: Member, providers: list[Provider], today: dt.date):
    """An entry in the member's last two cycles or the current one (what the standing job
    reads), with credits such that most members meet the requirements, as most surgeons do."""
    since = max(member.cycle_start, today - dt.timedelta(days=7 * 365))
    end = since + dt.timedelta(days=rng.randint(0, (today - since).days))
    category = 1 if rng.random() < 0.7 else 2
    credits = quarters(rng, 2, 14)
    imported = category == 1 and rng.random() < 0.25
    patient_safety = min(credits, quarters(rng, 0, 4)) if rng.random() < 0.6 else Decimal(0)
    city, state = rng.choice(STATES)
    return CreditEntry(
        member=member,
        title=f"{rng.choice(TITLES)} {end.year}",
        activity_type=rng.choice(ActivityType.values),
        category=category,
        provider=rng.choice(providers) if category == 1 else None,
        start_date=end - dt.timedelta(days=rng.randint(0, 2)),
        end_date=end,
        credits=credits,
        patient_safety_credits=patient_safety,
        patient_safety_kind=rng.choice(PatientSafetyKind.values),
        plastic_surgery_credits=min(credits, quarters(rng, 0, 12)),
        city=city,
        state=state,
        country="United States",
        source=Source.SOCIETY_IMPORT if imported else Source.SELF_REPORTED,
        activity_code=f"LOAD-{member.asps_id}-{rng.getrandbits(40):x}" if imported else "",
        review_status=(
            ReviewStatus.NOT_REQUIRED
            if imported or not patient_safety
            else rng.choice([ReviewStatus.PENDING, ReviewStatus.APPROVED, ReviewStatus.APPROVED])
        ),
    )


@transaction.atomic
def generate(size: LoadSize, *, today: dt.date | None = None) -> tuple[int, int]:
    """Insert ``size.members`` members with ``size.entries_per_member`` entries each.

    ASPS IDs start with ``L`` and emails with ``load``, so load data never collides with real or
    demo members. Returns (members, entries) created.
    """
    today = today or dt.date.today()
    rng = random.Random(size.seed)  # noqa: S311 -- reproducible load data, not secrets
    providers = list(Provider.objects.filter(verified=True, auto_uploaded=False)[:20]) or [
        Provider.objects.create(name="Load Test Foundation", accreditation="ACCME", verified=True)
    ]
    unusable = make_password(None)
    first = Member.objects.filter(asps_id__startswith="L").count()
    numbers = range(first, first + size.members)
    users = User.objects.bulk_create(
        [User(email=f"load{n}@example.org", password=unusable) for n in numbers],
        batch_size=BATCH,
    )
    members = Member.objects.bulk_create(
        [
            Member(
                user=user,
                asps_id=f"L{n:07}",
                first_name=rng.choice(["Ana", "Ben", "Chen", "Dana", "Eli", "Fay"]),
                last_name=f"Load {n}",
                credentials="MD",
                membership_type=rng.choice(MEMBERSHIP_MIX),
                joined_on=dt.date(2014, 6, 1),
                cycle_start=rng.choice(CYCLE_STARTS),
                city="Chicago",
                state="IL",
            )
            for n, user in zip(numbers, users, strict=True)
        ],
        batch_size=BATCH,
    )
    created = 0
    batch: list[CreditEntry] = []
    for member in members:
        batch.extend(
            entry_for(rng, member, providers, today) for _ in range(size.entries_per_member)
        )
        if len(batch) >= BATCH:
            CreditEntry.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    CreditEntry.objects.bulk_create(batch)
    return len(members), created + len(batch)
