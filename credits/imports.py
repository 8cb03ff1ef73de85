"""Credit imports: society meeting credits and ABPS records (contract "Import files").

Both are set-based and streamed: the file is read 10,000 rows at a time, and for each batch
a fixed handful of queries load what the rows refer to (members by ASPS ID, every provider,
the entries that already carry the rows' activity codes, held rows, hand-entered entries
that could be duplicates), each row is
checked in memory by :func:`credits.services.validate_values` (the same rules as the form),
and the good rows are written with ``bulk_create``. Nothing runs a query per row, and memory
stays bounded whatever the file's length. More than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows
(default 1,000) stop the run.

- Idempotent on (``asps_id``, ``activity_code``): the unique constraint
  ``entry_one_per_member_and_activity_code`` and ``ignore_conflicts=True`` make a second
  import of the same file — even a simultaneous one — create nothing; its rows count as
  "unchanged". A posted entry is the society's record and is never updated by a later file
  (**Decision**: corrections go through staff).
- Rows for unknown members or with bad values are kept as ``ImportRejection`` with every
  problem in words; the good rows still import.
- Meeting credits arrive "4-6 weeks after the completed CME evaluation" (seed 004): a row
  without ``evaluation_completed_on`` is held (``HeldMeetingCredit``) and posted by a later
  file that carries the same (``asps_id``, ``activity_code``) with the evaluation completed;
  that later row's empty cells are filled from the held one.
- Every activity counts once (rules.md §3, :mod:`credits.counted`): when the member entered
  the same activity by hand (same title ignoring case, spaces and punctuation, provider and
  dates), the import supersedes that entry at once (it stops counting) and points to it with
  ``duplicate_of``; a row of an activity already imported under another code is kept as an
  entry that does not count. Both are counted in ``flagged_duplicates`` for staff.
- Imported patient-safety credits are approved on arrival (rules.md §4).
- The files carry no place: the entry takes the member's city, state and country, as seed 004
  allows ("Your home city is acceptable"), or "—" and "United States" when the profile has
  none. **Decision.**
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from credits import counted, rules
from credits.models import (
    ActivityType,
    Category,
    CreditEntry,
    HeldMeetingCredit,
    PatientSafetyKind,
    Provider,
    Source,
)
from credits.services import Errors, review_status_for, validate_values
from members import imports as common
from members.import_stream import RejectionLog
from members.imports import Row, chunked, parse_date
from members.lookups import AnyOf
from members.models import ImportRun, Member
from members.validators import is_asps_id

MEETING_REQUIRED = (
    "asps_id",
    "activity_code",
    "activity_title",
    "provider",
    "start_date",
    "end_date",
    "category",
    "credits",
    "patient_safety_credits",
    "patient_safety_kind",
    "plastic_surgery_credits",
    "evaluation_completed_on",
)
MEETING_OPTIONAL = ("activity_type",)
ABPS_REQUIRED = (
    "asps_id",
    "abps_record_id",
    "record_type",
    "title",
    "completed_on",
    "credits",
    "patient_safety_credits",
)
ABPS_OPTIONAL = ("activity_type", "plastic_surgery_credits")
COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ImportRun.Kind.ROSTER: (common.ROSTER_REQUIRED, common.ROSTER_OPTIONAL),
    ImportRun.Kind.MEETING_CREDITS: (MEETING_REQUIRED, MEETING_OPTIONAL),
    ImportRun.Kind.ABPS: (ABPS_REQUIRED, ABPS_OPTIONAL),
}

# Society meetings are live activities unless the file says otherwise.
MEETING_DEFAULT_ACTIVITY_TYPE = ActivityType.LIVE_ACTIVITY
# Seed 003: the CC exam earns "60 Category I CME credits", awarded directly by the AMA (seed
# 002 "Direct Credit": "ABMS/ABPS Certification, Recertification and Maintenance of
# Certification"). ABPS-approved CC activities are, in ABMS's words, "Lifelong Learning and
# Self-Assessment" activities. **Decision.**
CC_EXAM = "cc_exam"
CC_ACTIVITY = "cc_activity"
CC_EXAM_CREDITS = Decimal(60)
CC_EXAM_TITLE = "ABPS Continuous Certification Examination"
CC_ACTIVITY_DEFAULT_TYPE = ActivityType.SELF_ASSESSMENT
ABPS_CODE_PREFIX = "ABPS-"
AMA = ("American Medical Association (direct credit)", "AMA", "AMA PRA direct credit")
ABPS = ("American Board of Plastic Surgery", "ABPS", "ABMS member board")

NO_CITY = "—"
DEFAULT_COUNTRY = "United States"
MAX_TITLE = CreditEntry._meta.get_field("title").max_length
MAX_CODE = CreditEntry._meta.get_field("activity_code").max_length
CHOICES = {
    "activity_type": ActivityType.values,
    "category": [str(value) for value in Category.values],
    "patient_safety_kind": PatientSafetyKind.values,
}


@dataclass(frozen=True, slots=True)
class Place:
    """A member's id and home town: all the rows need of a member."""

    member_id: int
    city: str
    state: str
    country: str


@dataclass(frozen=True, slots=True)
class Posting:
    """A row that passed every check, ready to become an entry."""

    member_id: int
    activity_code: str
    values: dict[str, Any]
    provider: Provider | None


class ProviderBook:
    """Every provider, read in one query, by lower-case name and by abbreviation.

    A name nobody knows becomes a new unverified provider (rules.md §3: staff check it), one
    object per name, saved in bulk by :meth:`save_new` only if a posted row uses it.
    """

    def __init__(self) -> None:
        self.known: dict[str, Provider] = {}
        for provider in Provider.objects.order_by("-verified", "id"):
            for label in (provider.name, provider.abbreviation):
                if label:
                    self.known.setdefault(_label_key(label), provider)
        self.new: dict[str, Provider] = {}

    def resolve(self, typed: str) -> Provider:
        key = _label_key(typed)
        known = self.known.get(key)
        if known is not None:
            return known
        return self.new.setdefault(key, Provider(name=typed[:200], verified=False))

    def save_new(self, used: Iterable[Provider | None]) -> None:
        """Create the new providers the posted rows use, then give each its primary key."""
        unsaved = {p.name: p for p in used if p is not None and p.pk is None}
        if not unsaved:
            return
        Provider.objects.bulk_create(unsaved.values(), ignore_conflicts=True)
        # With ignore_conflicts the database does not return keys: read them back by name.
        for name, pk in Provider.objects.filter(name__in=unsaved).values_list("name", "pk"):
            unsaved[name].pk = pk


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def check_file(kind: str, text: str) -> None:
    """Raise ``ImportFileError`` unless ``text`` has the header of an import of ``kind``."""
    required, optional = COLUMNS[kind]
    common.check_header(text, required=required, optional=optional)


# --- Lookups: one query per 10,000 keys -----------------------------------------------------


def _places(asps_ids: Iterable[str]) -> dict[str, Place]:
    places = {}
    for ids in chunked(set(asps_ids)):
        rows = Member.objects.filter(AnyOf(F("asps_id"), ids)).values_list(
            "asps_id", "id", "city", "state", "country"
        )
        for asps_id, member_id, city, state, country in rows:
            places[asps_id] = Place(
                member_id, city or NO_CITY, state or "", country or DEFAULT_COUNTRY
            )
    return places


class PlaceBook:
    """The members' places met so far in a run, so that a member whose rows are spread over
    the file is looked up once, not once per batch. Unknown ASPS IDs are remembered too. At
    most :data:`MAX_PLACES` are kept (then the book starts afresh): memory stays bounded."""

    MAX_PLACES = 100_000

    def __init__(self) -> None:
        self._known: dict[str, Place | None] = {}

    def places(self, asps_ids: Iterable[str]) -> dict[str, Place]:
        wanted = set(asps_ids)
        new = wanted.difference(self._known)
        if len(self._known) + len(new) > self.MAX_PLACES:
            self._known = {}
            new = wanted
        found = _places(new)
        self._known.update((asps_id, found.get(asps_id)) for asps_id in new)
        return {a: p for a in wanted if (p := self._known[a]) is not None}


def _existing_keys(member_ids: set[int], codes: set[str]) -> set[tuple[int, str]]:
    """(member, activity code) pairs that already have an entry."""
    keys: set[tuple[int, str]] = set()
    for ids in chunked(member_ids):
        entries = CreditEntry.objects.filter(AnyOf(F("member_id"), ids)).exclude(activity_code="")
        if len(codes) <= 1_000:
            entries = entries.filter(AnyOf(F("activity_code"), codes))
        keys.update(entries.values_list("member_id", "activity_code"))
    return keys


# --- Checking rows ---------------------------------------------------------------------------


def _check(
    row: Row,
    entry_values: dict[str, Any],
    *,
    place: Place | None,
    asps_id: str,
    problems: list[str],
    columns: Mapping[str, str],
    book: ProviderBook,
    source: str,
    today: dt.date,
) -> tuple[dict[str, Any], Provider | None, str]:
    """Validate one row's entry values; the reason (all problems in words) or ``""``."""
    if place is None and is_asps_id(asps_id):
        problems.insert(0, f"No member has ASPS ID {asps_id}: import the roster first.")
    if place is not None:
        entry_values.update(city=place.city, state=place.state, country=place.country)
    else:
        entry_values.update(city=NO_CITY, state="", country=DEFAULT_COUNTRY)
    cleaned, provider, errors = validate_values(
        entry_values, today=today, source=source, resolve_provider=book.resolve
    )
    if len(cleaned["title"]) > MAX_TITLE:
        errors.add("title", f"Longer than {MAX_TITLE} characters.")
    _explain_choices(errors, entry_values)
    reason = " ".join([*problems, common.describe_errors(errors, dict(columns))]).strip()
    if row.problem:
        reason = row.problem
    return cleaned, provider, reason


def _explain_choices(errors: Errors, values: Mapping[str, Any]) -> None:
    """The form says "choose from the list"; a file's reader needs the codes."""
    for field, allowed in CHOICES.items():
        if field in errors and str(values[field]) not in allowed:
            errors[field] = [f"“{values[field]}” is not one of {', '.join(allowed)}."]


def _code_problems(code: str, column: str, longest: int = MAX_CODE) -> list[str]:
    if not code:
        return [f"{column}: Empty."]
    if len(code) > longest:
        return [f"{column}: Longer than {longest} characters."]
    return []


def _asps_id_problems(asps_id: str) -> list[str]:
    if not asps_id:
        return ["asps_id: Empty."]
    if not is_asps_id(asps_id):
        return [f"asps_id: {common.asps_id_problem(asps_id)}"]
    return []


def _repeat(first_line: dict[tuple[str, str], int], key: tuple[str, str], line: int) -> str | None:
    if all(key) and key in first_line:
        return (
            f"ASPS ID {key[0]} and code {key[1]} already appeared on line {first_line[key]}; "
            "only that line was imported."
        )
    first_line.setdefault(key, line)
    return None


# --- Writing ---------------------------------------------------------------------------------


def _post(run: ImportRun, postings: list[Posting], *, source: str, book: ProviderBook) -> None:
    """Create the entries of the good rows in bulk, each activity counted once
    (:mod:`credits.counted`): an import supersedes the member's own entry of the same
    activity; another code of an activity already imported is kept but does not count. Both
    are flagged for staff."""
    book.save_new(p.provider for p in postings)
    known = counted.Known.load(
        {p.member_id for p in postings}, {p.values["end_date"] for p in postings}
    )
    entries = []
    for posting in postings:
        values = posting.values
        entries.append(
            CreditEntry(
                member_id=posting.member_id,
                title=values["title"],
                activity_type=values["activity_type"],
                category=values["category"],
                provider_id=posting.provider.pk if posting.provider is not None else None,
                start_date=values["start_date"],
                end_date=values["end_date"],
                credits=values["credits"],
                patient_safety_credits=values["patient_safety_credits"],
                patient_safety_kind=values["patient_safety_kind"],
                plastic_surgery_credits=values["plastic_surgery_credits"],
                city=values["city"],
                state=values["state"],
                country=values["country"],
                source=source,
                activity_code=posting.activity_code,
                review_status=review_status_for(
                    source=source, patient_safety_credits=values["patient_safety_credits"]
                ),
            )
        )
    settled = counted.settle(entries, known)
    run.flagged_duplicates += settled.flagged
    run.created += counted.post(settled)


# --- Society meeting credits -----------------------------------------------------------------

MEETING_COLUMNS = {"title": "activity_title"}


def import_meeting_credits(run: ImportRun, *, today: dt.date | None = None) -> None:
    """Import the meeting-credit file of ``run`` (contract: "Society meeting credits").

    Counts: ``created`` (posted), ``unchanged`` (already posted), ``held`` (waiting for the
    evaluation), ``rejected``, ``flagged_duplicates``. Held rows whose entry now exists are
    dropped at every run. The file is read :data:`~members.imports.ROW_BATCH` rows at a time;
    more than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows stop the run.
    """
    today = today or timezone.localdate()
    common.lock_imports("credits")
    held = {(h.asps_id, h.activity_code): h for h in HeldMeetingCredit.objects.all()}
    held_places = _places(key[0] for key in held)
    held_existing = _existing_keys(
        {place.member_id for place in held_places.values()}, {key[1] for key in held}
    )
    done_holding = {
        h.pk
        for key, h in held.items()
        if key[0] in held_places and (held_places[key[0]].member_id, key[1]) in held_existing
    }
    book, place_book = ProviderBook(), PlaceBook()
    rejections = RejectionLog(run)
    first_line: dict[tuple[str, str], int] = {}
    for rows in common.run_batches(run, required=MEETING_REQUIRED, optional=MEETING_OPTIONAL):
        places = place_book.places(r.values["asps_id"] for r in rows)
        _meeting_batch(run, rows, places, held, done_holding, first_line, rejections, book, today)
        if rejections.stopped:
            break
    for pks in chunked(done_holding):
        HeldMeetingCredit.objects.filter(pk__in=pks).delete()
    rejections.close()


def _meeting_batch(
    run: ImportRun,
    rows: list[Row],
    places: dict[str, Place],
    held: dict[tuple[str, str], HeldMeetingCredit],
    done_holding: set[int],
    first_line: dict[tuple[str, str], int],
    rejections: RejectionLog,
    book: ProviderBook,
    today: dt.date,
) -> None:
    """Check and write one batch of meeting-credit rows (``places``: their members')."""
    existing = _existing_keys(
        {place.member_id for place in places.values()}, {r.values["activity_code"] for r in rows}
    )

    def posted(key: tuple[str, str]) -> bool:
        place = places.get(key[0])
        return place is not None and (place.member_id, key[1]) in existing

    postings: list[Posting] = []
    holds: dict[tuple[str, str], HeldMeetingCredit] = {}
    for row in rows:
        if rejections.stopped:
            break
        key = (row.values["asps_id"], row.values["activity_code"])
        repeat = _repeat(first_line, key, row.line)
        if repeat:
            rejections.add(row.line, row.values, repeat)
            continue
        values = dict(row.values)
        waiting = held.get(key)
        if waiting is not None:
            values.update({c: v for c, v in waiting.row.items() if not values.get(c)})
        problems = _code_problems(values["activity_code"], "activity_code")
        if values["asps_id"] not in places:  # a known member's ID is a valid one
            problems += _asps_id_problems(values["asps_id"])
        evaluated = values["evaluation_completed_on"]
        evaluated_on = parse_date(evaluated) if evaluated else None
        if evaluated and evaluated_on is None:
            problems.append(f"evaluation_completed_on: “{evaluated}” is not a date (YYYY-MM-DD).")
        elif evaluated_on is not None and evaluated_on > today:
            problems.append("evaluation_completed_on: This date is in the future.")
        place = places.get(values["asps_id"])
        cleaned, provider, reason = _check(
            row,
            {
                "title": values["activity_title"],
                "activity_type": values.get("activity_type") or MEETING_DEFAULT_ACTIVITY_TYPE,
                "category": values["category"],
                "provider": values["provider"],
                "start_date": parse_date(values["start_date"]),
                "end_date": parse_date(values["end_date"]),
                "credits": values["credits"],
                "patient_safety_credits": values["patient_safety_credits"],
                "patient_safety_kind": values["patient_safety_kind"],
                "plastic_surgery_credits": values["plastic_surgery_credits"],
            },
            place=place,
            asps_id=values["asps_id"],
            problems=problems,
            columns=MEETING_COLUMNS,
            book=book,
            source=Source.SOCIETY_IMPORT,
            today=today,
        )
        if reason:
            rejections.add(row.line, row.values, reason)
        elif posted(key):
            run.unchanged += 1
        elif evaluated_on is None:
            holds[key] = HeldMeetingCredit(
                asps_id=key[0], activity_code=key[1], row=values, first_seen_run=run
            )
        else:
            postings.append(Posting(place.member_id, key[1], cleaned, provider))
            if waiting is not None:
                done_holding.add(waiting.pk)

    _post(run, postings, source=Source.SOCIETY_IMPORT, book=book)
    HeldMeetingCredit.objects.bulk_create(
        holds.values(),
        batch_size=2_000,
        update_conflicts=True,
        unique_fields=["asps_id", "activity_code"],
        update_fields=["row"],
    )
    run.held += len(holds)


# --- ABPS records ----------------------------------------------------------------------------

# The file has no category: a Category 1 claim the rules refuse is about its activity type.
ABPS_COLUMNS = {
    "start_date": "completed_on",
    "end_date": "completed_on",
    "category": "activity_type",
}


def _board_providers() -> dict[str, Provider]:
    """The AMA (direct credit) and the ABPS, from the data migration (created if missing)."""
    found = {}
    for record_type, (name, abbreviation, accreditation) in ((CC_EXAM, AMA), (CC_ACTIVITY, ABPS)):
        found[record_type], _ = Provider.objects.get_or_create(
            name=name,
            defaults={
                "abbreviation": abbreviation,
                "accreditation": accreditation,
                "verified": True,
            },
        )
    return found


def import_abps(run: ImportRun, *, today: dt.date | None = None) -> None:
    """Import the ABPS file of ``run`` (README "Import files", docs/imports.md).

    ``record_type`` ``cc_exam``: the Continuous Certification exam passed, 60 AMA PRA
    Category 1 credits awarded directly by the AMA (seed 003), activity type
    ``board_certification``. ``cc_activity``: an ABPS-approved CC activity, Category 1 from the
    ABPS, activity type ``self_assessment`` unless the file says otherwise. Plastic-surgery
    credits default to all the credits: the board's program is plastic surgery (**Decision**).
    Idempotent on (``asps_id``, ``"ABPS-" + abps_record_id``).
    """
    today = today or timezone.localdate()
    common.lock_imports("credits")
    boards = _board_providers()
    book, place_book = ProviderBook(), PlaceBook()
    rejections = RejectionLog(run)
    first_line: dict[tuple[str, str], int] = {}
    for rows in common.run_batches(run, required=ABPS_REQUIRED, optional=ABPS_OPTIONAL):
        places = place_book.places(r.values["asps_id"] for r in rows)
        _abps_batch(run, rows, places, boards, first_line, rejections, book, today)
        if rejections.stopped:
            break
    rejections.close()


def _abps_batch(
    run: ImportRun,
    rows: list[Row],
    places: dict[str, Place],
    boards: dict[str, Provider],
    first_line: dict[tuple[str, str], int],
    rejections: RejectionLog,
    book: ProviderBook,
    today: dt.date,
) -> None:
    """Check and write one batch of ABPS rows (``places``: their members')."""
    existing = _existing_keys(
        {place.member_id for place in places.values()},
        {ABPS_CODE_PREFIX + r.values["abps_record_id"] for r in rows},
    )
    postings: list[Posting] = []
    for row in rows:
        if rejections.stopped:
            break
        values = row.values
        record_id = values["abps_record_id"]
        code = ABPS_CODE_PREFIX + record_id if record_id else ""
        repeat = _repeat(first_line, (values["asps_id"], code), row.line)
        if repeat:
            rejections.add(row.line, values, repeat)
            continue
        problems = _code_problems(record_id, "abps_record_id", MAX_CODE - len(ABPS_CODE_PREFIX))
        if values["asps_id"] not in places:  # a known member's ID is a valid one
            problems += _asps_id_problems(values["asps_id"])
        record_type = values["record_type"].lower()
        credits: str = values["credits"]
        if record_type == CC_EXAM:
            title = values["title"] or CC_EXAM_TITLE
            activity_type = values.get("activity_type") or ActivityType.BOARD_CERTIFICATION
            credits = credits or str(CC_EXAM_CREDITS)
            parsed = _credits_or_none(credits)
            if parsed is not None and parsed != CC_EXAM_CREDITS:
                problems.append(
                    "credits: A passed CC exam earns 60 AMA PRA Category 1 credits (seed 003); "
                    "leave the cell empty or write 60."
                )
        elif record_type == CC_ACTIVITY:
            title = values["title"]
            activity_type = values.get("activity_type") or CC_ACTIVITY_DEFAULT_TYPE
        else:
            title, activity_type = values["title"], ActivityType.OTHER
            problems.append(
                f"record_type: “{values['record_type']}” is not one of {CC_EXAM}, {CC_ACTIVITY}."
            )
        completed_on = parse_date(values["completed_on"])
        provider = boards.get(record_type, boards[CC_ACTIVITY])
        cleaned, provider, reason = _check(
            row,
            {
                "title": title,
                "activity_type": activity_type,
                "category": Category.CATEGORY_1,
                "provider": provider.name,
                "start_date": completed_on,
                "end_date": completed_on,
                "credits": credits,
                "patient_safety_credits": values["patient_safety_credits"],
                "patient_safety_kind": PatientSafetyKind.GENERAL,
                "plastic_surgery_credits": values.get("plastic_surgery_credits") or credits,
            },
            place=places.get(values["asps_id"]),
            asps_id=values["asps_id"],
            problems=problems,
            columns=ABPS_COLUMNS,
            book=book,
            source=Source.ABPS_IMPORT,
            today=today,
        )
        if reason:
            rejections.add(row.line, values, reason)
        elif (places[values["asps_id"]].member_id, code) in existing:
            run.unchanged += 1
        else:
            postings.append(Posting(places[values["asps_id"]].member_id, code, cleaned, provider))

    _post(run, postings, source=Source.ABPS_IMPORT, book=book)


def _credits_or_none(text: str) -> Decimal | None:
    try:
        return rules.quantize_credits(text.strip())
    except ValueError:
        return None


# --- Dispatch and staff views' reads ---------------------------------------------------------

IMPORTERS: Mapping[str, Callable[[ImportRun], None]] = {
    ImportRun.Kind.MEETING_CREDITS: import_meeting_credits,
    ImportRun.Kind.ABPS: import_abps,
}
SOURCE_OF = {
    ImportRun.Kind.MEETING_CREDITS: Source.SOCIETY_IMPORT,
    ImportRun.Kind.ABPS: Source.ABPS_IMPORT,
}


def import_credits(run: ImportRun) -> None:
    """The importer of a credit run, by its kind."""
    IMPORTERS[run.kind](run)


def flagged_duplicates(run: ImportRun) -> list[CreditEntry]:
    """The entries this run created that repeat a hand-entered one (for the run page).

    Entries created while the run ran, flagged, and carrying one of the file's keys.
    """
    if run.kind not in SOURCE_OF or not run.flagged_duplicates or run.finished_at is None:
        return []
    candidates = list(
        CreditEntry.objects.filter(
            source=SOURCE_OF[run.kind],
            duplicate_of__isnull=False,
            created_at__gte=run.created_at,
            created_at__lte=run.finished_at,
        ).select_related("member", "provider", "duplicate_of")
    )
    if not candidates:
        return []
    required, optional = COLUMNS[run.kind]
    wanted = {(e.member.asps_id, e.activity_code) for e in candidates}
    found = set()
    for row in common.run_rows(run, required=required, optional=optional):
        if run.kind == ImportRun.Kind.ABPS:
            key = (row.values["asps_id"], ABPS_CODE_PREFIX + row.values["abps_record_id"])
        else:
            key = (row.values["asps_id"], row.values["activity_code"])
        if key in wanted:
            found.add(key)
    return [e for e in candidates if (e.member.asps_id, e.activity_code) in found]
