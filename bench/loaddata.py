"""Realistic load data in bulk: members, providers and entries (``python -m bench.generate``).

Every value keeps the rules that ``credits.services.validate_values`` applies to a form or an
import (credits in 0.25 steps, patient-safety and plastic-surgery credits at most the
credits, Category 1 with an accredited provider and Category 2 with none, society
activities only by import, AMA direct-credit activities as Category 2, short date spans, a
state for every US activity, no date in the future), so the figures measured on it are those
of real records. The same seed gives the same data.

Rows are inserted in bulk: ``COPY ... FROM STDIN`` on PostgreSQL (1,000,000 entries in about
a minute), ``bulk_create`` in batches elsewhere.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from credits.entry_rules import DIRECT_CREDIT_TYPES
from credits.models import (
    ActivityType,
    CreditEntry,
    PatientSafetyKind,
    Provider,
    ReviewStatus,
    Source,
)
from members.models import Member, MembershipType, User

# Part of the label ``ensure()`` records: change it whenever the generator changes what it
# makes from a seed, so that a kept database is generated again.
DATA_VERSION = "v3"
BATCH = 5_000
COPY_CHUNK = 50_000  # rows per COPY buffer: bounded memory whatever the size
PROGRESS_ROWS = 500_000  # a line of progress every so many rows copied
ASPS_ID_PREFIX = "L"  # load data never collides with real or demo members
EMAIL_PREFIX = "load"
CYCLE_STARTS = [dt.date(2016 + n, 1, 1) for n in range(3)]  # cycles ending 2027, 2025, 2026
PLACES = [
    ("Chicago", "IL"),
    ("Houston", "TX"),
    ("Boston", "MA"),
    ("Denver", "CO"),
    ("Seattle", "WA"),
    ("Atlanta", "GA"),
    ("Los Angeles", "CA"),
    ("Miami", "FL"),
]
FIRST_NAMES = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivan", "June"]
TOPICS = [
    "Breast Reconstruction Update",
    "Rhinoplasty Masterclass",
    "Patient Safety in Office-Based Surgery",
    "Hand Surgery Grand Rounds",
    "Body Contouring Symposium",
    "Craniofacial Conference",
    "Opioid Prescribing and Pain Management",
    "Journal Club: Plastic and Reconstructive Surgery",
    "Microsurgery Course",
    "Aesthetic Injectables Workshop",
]
# Regional providers beside the known ones (credits/migrations/0002_known_providers.py).
REGIONAL_PROVIDERS = [f"{city} Plastic Surgery Education Foundation" for city, _ in PLACES]
# Nine in ten members are Active (held to the requirement), the rest Candidates or Residents.
MEMBERSHIP_MIX = [MembershipType.ACTIVE] * 8 + [MembershipType.CANDIDATE, MembershipType.RESIDENT]
# What members record themselves; residency (a year-long entry of its own) is left out.
SELF_REPORTED_TYPES = [
    ActivityType.LIVE_ACTIVITY,
    ActivityType.LIVE_ACTIVITY,
    ActivityType.LIVE_ACTIVITY,
    ActivityType.ENDURING_MATERIAL,
    ActivityType.ENDURING_MATERIAL,
    ActivityType.JOURNAL_ARTICLE,
    ActivityType.RSS,
    ActivityType.TEACHING,
    ActivityType.POSTER,
    ActivityType.PUBLICATION,
    ActivityType.SELF_ASSESSMENT,
    ActivityType.OTHER,
]
PATIENT_SAFETY_KINDS = [PatientSafetyKind.GENERAL] * 6 + [
    PatientSafetyKind.QUALITY_ASSURANCE,
    PatientSafetyKind.DEVICE_TRAINING,
    PatientSafetyKind.RESEARCH,
    PatientSafetyKind.ACCREDITATION_WORKSHOP,
]
# Staff have decided most older claims; some wait, a few were rejected or need documents.
REVIEW_MIX = [ReviewStatus.APPROVED] * 6 + [
    ReviewStatus.PENDING,
    ReviewStatus.PENDING,
    ReviewStatus.REJECTED,
    ReviewStatus.DOCUMENTATION_REQUESTED,
]


@dataclass(frozen=True)
class LoadSize:
    members: int
    entries_per_member: int
    seed: int

    @property
    def label(self) -> str:
        return f"{self.members}x{self.entries_per_member} seed {self.seed} {DATA_VERSION}"


def quarters(rng: random.Random, low: int, high: int) -> Decimal:
    """A credit value between ``low`` and ``high`` in steps of 0.25, with two places."""
    return Decimal(rng.randint(low * 4, high * 4) * 25) / 100


def entry_values(
    rng: random.Random,
    member: Member,
    *,
    self_reported_providers: list[Provider],
    society: Provider,
    today: dt.date,
    number: int,
) -> dict[str, Any]:
    """One entry's values: dated in the member's last seven years (the cycles the standing
    job and the dashboard read), with credits such that most members meet the requirements,
    as most surgeons do. A quarter of the Category 1 credits arrive by society import."""
    since = max(member.cycle_start, today - dt.timedelta(days=7 * 365))
    end = since + dt.timedelta(days=rng.randint(0, (today - since).days))
    credits = quarters(rng, 2, 16)
    imported = rng.random() < 0.2
    category = 1 if imported or rng.random() < 0.65 else 2
    patient_safety = min(credits, quarters(rng, 1, 5)) if rng.random() < 0.6 else Decimal("0.00")
    if imported:
        review = ReviewStatus.APPROVED if patient_safety else ReviewStatus.NOT_REQUIRED
    else:
        review = rng.choice(REVIEW_MIX) if patient_safety else ReviewStatus.NOT_REQUIRED
    city, state = rng.choice(PLACES)
    activity_type = ActivityType.LIVE_ACTIVITY if imported else rng.choice(SELF_REPORTED_TYPES)
    if activity_type in DIRECT_CREDIT_TYPES:
        category = 2  # Category 1 for these only from the AMA: members record them as Category 2
    return {
        "member_id": member.pk,
        "title": f"{rng.choice(TOPICS)} {end.year}",
        "activity_type": activity_type,
        "category": category,
        "provider_id": (
            society.pk
            if imported
            else (rng.choice(self_reported_providers).pk if category == 1 else None)
        ),
        "start_date": end - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2])),
        "end_date": end,
        "credits": credits,
        "patient_safety_credits": patient_safety,
        "patient_safety_kind": (
            rng.choice(PATIENT_SAFETY_KINDS) if patient_safety else PatientSafetyKind.GENERAL
        ),
        "plastic_surgery_credits": min(credits, quarters(rng, 0, 12)),
        "city": city,
        "state": state,
        "country": "United States",
        "source": Source.SOCIETY_IMPORT if imported else Source.SELF_REPORTED,
        "activity_code": f"LOAD{end:%y}-{number:05}" if imported else "",
        "review_status": review,
    }


def _providers() -> tuple[list[Provider], Provider]:
    """Accredited providers members report themselves, and the society that imports."""
    Provider.objects.bulk_create(
        [Provider(name=name, accreditation="ACCME", verified=True) for name in REGIONAL_PROVIDERS],
        ignore_conflicts=True,
    )
    self_reported = list(
        Provider.objects.filter(verified=True, auto_uploaded=False).order_by("name")
    )
    society = Provider.objects.filter(abbreviation="ASPS", auto_uploaded=True).first()
    if society is None:  # a database without the known providers' migration data
        society, _ = Provider.objects.get_or_create(
            name="American Society of Plastic Surgeons",
            defaults={"abbreviation": "ASPS", "accreditation": "ACCME", "auto_uploaded": True},
        )
    return self_reported, society


@transaction.atomic
def generate(size: LoadSize, *, today: dt.date | None = None) -> tuple[int, int]:
    """Insert ``size.members`` members with ``size.entries_per_member`` entries each, after any
    load data already there. Returns (members, entries) created."""
    today = today or timezone.localdate()
    rng = random.Random(size.seed)  # noqa: S311 -- reproducible load data, not secrets
    self_reported_providers, society = _providers()
    unusable = make_password(None)
    first = Member.objects.filter(asps_id__startswith=ASPS_ID_PREFIX).count()
    numbers = range(first, first + size.members)
    users = User.objects.bulk_create(
        [User(email=f"{EMAIL_PREFIX}{n}@example.org", password=unusable) for n in numbers],
        batch_size=BATCH,
    )
    members = Member.objects.bulk_create(
        [
            Member(
                user=user,
                asps_id=f"{ASPS_ID_PREFIX}{n:07}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"Load {n}",
                credentials="MD",
                membership_type=rng.choice(MEMBERSHIP_MIX),
                joined_on=dt.date(2014, 6, 1),
                cycle_start=rng.choice(CYCLE_STARTS),
                city=(place := rng.choice(PLACES))[0],
                state=place[1],
            )
            for n, user in zip(numbers, users, strict=True)
        ],
        batch_size=BATCH,
    )
    entries = (
        entry_values(
            rng,
            member,
            self_reported_providers=self_reported_providers,
            society=society,
            today=today,
            number=number,
        )
        for member in members
        for number in range(size.entries_per_member)
    )
    created = insert(CreditEntry, entries)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner: after a million-row load without them, the
        # standing aggregate was seen running for 18 minutes instead of seconds.
        with connection.cursor() as cursor:
            for model in (Member, CreditEntry):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(members), created


def insert(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows given as {column attribute: value}; the other columns take their default.
    Returns the number of rows inserted."""
    if connection.vendor == "postgresql":
        return _copy(model, rows)
    count = 0
    for chunk in _chunks(rows, BATCH):
        model.objects.bulk_create([model(**row) for row in chunk])
        count += len(chunk)
    return count


def _copy(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """``COPY table (columns) FROM STDIN`` in chunks: no per-row INSERT, no model instances.

    A thread writes the next chunk while PostgreSQL stores the last one (psycopg2 lets go of
    the GIL while it waits), which halves the time on two cores.
    """
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: now if _stamped(field) else field.get_default() for field in fields}
    names = [field.attname for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    chunks = _chunks(rows, COPY_CHUNK)

    def next_buffer() -> tuple[io.StringIO, int] | None:
        chunk = next(chunks, None)
        if chunk is None:
            return None
        buffer = io.StringIO()
        for row in chunk:
            values = {**defaults, **row}
            buffer.write("\t".join([_copy_text(values[name]) for name in names]))
            buffer.write("\n")
        buffer.seek(0)
        return buffer, len(chunk)

    count = 0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as writer, connection.cursor() as cursor:
        pending = writer.submit(next_buffer)
        while (ready := pending.result()) is not None:
            pending = writer.submit(next_buffer)
            buffer, rows_in_buffer = ready
            cursor.copy_expert(statement, buffer)
            count += rows_in_buffer
            if count % PROGRESS_ROWS < rows_in_buffer:
                elapsed = time.perf_counter() - started
                print(f"   {model.__name__}: {count:,} rows in {elapsed:.0f} s", flush=True)
    return count


def _stamped(field: Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _copy_text(value: object) -> str:
    """A value in COPY's text format (``\\N`` is NULL; backslash, tab and newlines escaped)."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


MARKER_TABLE = "bench_load_data"


def ensure(size: LoadSize) -> bool:
    """Make the database hold exactly this load data, generating it only when it does not
    yet (a one-row table records the size and seed generated). True if it generated."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (label varchar(100) NOT NULL)")
        cursor.execute(f"SELECT label FROM {MARKER_TABLE}")  # noqa: S608 -- a constant
        held = [label for (label,) in cursor.fetchall()]
    members = Member.objects.filter(asps_id__startswith=ASPS_ID_PREFIX)
    if held == [size.label] and members.count() == size.members:
        return False
    with transaction.atomic():
        clear()
        generate(size)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608 -- a constant
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (label) VALUES (%s)", [size.label])  # noqa: S608
    return True


def clear() -> None:
    """Delete the load data (members whose ASPS ID starts with ``L``, their logins, entries)."""
    entries, members = CreditEntry._meta.db_table, Member._meta.db_table
    with connection.cursor() as cursor:
        # In SQL: the ORM would load every entry to write its history before deleting it.
        cursor.execute(
            f"DELETE FROM {entries} WHERE member_id IN "  # noqa: S608 -- table names
            f"(SELECT id FROM {members} WHERE asps_id LIKE %s)",
            [f"{ASPS_ID_PREFIX}%"],
        )
    User.objects.filter(member__asps_id__startswith=ASPS_ID_PREFIX).delete()
