"""What the credit imports share (meeting credits, :mod:`credits.meeting_import`; ABPS
records, :mod:`credits.abps_import`): the lookups of a batch, the checking of a row and the
posting of the good rows.

Both are set-based and streamed: the file is read 10,000 rows at a time, and for each batch
a fixed handful of queries load what the rows refer to (members by ASPS ID, every provider,
the entries that already carry the rows' activity codes, held rows, hand-entered entries
that could be duplicates), each row is checked in memory by
:func:`credits.services.validate_values` (the same rules as the form), and the good rows are
written with ``bulk_create``. Nothing runs a query per row, and memory stays bounded whatever
the file's length. More than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows (default 1,000) stop
the run.

- Idempotent on (``asps_id``, ``activity_code``): the unique constraint
  ``entry_one_per_member_and_activity_code`` and ``ignore_conflicts=True`` make a second
  import of the same file — even a simultaneous one — create nothing; its rows count as
  "unchanged". A posted entry is the society's record and is never updated by a later file
  (**Decision**: corrections go through staff).
- Rows for unknown members or with bad values are kept as ``ImportRejection`` with every
  problem in words; the good rows still import.
- Every activity counts once (the rules, "Counted once"; :mod:`credits.counted`): when the
  member entered the same activity by hand (same title ignoring case, spaces and punctuation,
  provider and dates), the import supersedes that entry at once (it stops counting) and points
  to it with ``duplicate_of``; a row of an activity already imported under another code is
  kept as an entry that does not count. Both are counted in ``flagged_duplicates`` for staff.
- A meeting row whose activity code is a code of the activity catalogue names that activity
  and takes its content areas; it may not claim more than the activity, or its whole, is
  designated for (:func:`designation_problems`; the batch's activities in one query).
- Imported patient-safety credits are approved on arrival (docs/rules.md §3, the catalogue).
- The files carry no place: the entry takes the member's city, state and country (a home
  city is acceptable, as the form says), or "—" and "United States" when the profile has
  none. **Decision.**
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from credits import compliance_summary_services, counted, rules
from credits.models import (
    Activity,
    ActivityType,
    Category,
    CreditEntry,
    PatientSafetyKind,
    Provider,
)
from credits.services import Errors, review_status_for, validate_values
from imports.models import ImportRun
from imports.reading import chunked, describe_errors
from imports.stream import Row
from members.lookups import AnyOf
from members.models import Member
from members.validators import asps_id_problem, is_asps_id

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
    activity: Activity | None = None  # the catalogue's activity of the same code


class ProviderBook:
    """Every provider, read in one query, by lower-case name and by abbreviation.

    A name nobody knows becomes a new unverified provider (staff check it), one object per
    name, saved in bulk by :meth:`save_new` only if a posted row uses it.
    """

    def __init__(self) -> None:
        self.known: dict[str, Provider] = {}
        for provider in Provider.objects.order_by("-verified", "id"):
            for label in (provider.name, provider.abbreviation):
                if label:
                    self.known.setdefault(_label_key(label), provider)
        self.new: dict[str, Provider] = {}

    def find(self, typed: str) -> Provider | None:
        """The known provider of that name or abbreviation (any case), or ``None``."""
        return self.known.get(_label_key(typed))

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


# --- Lookups: one query per 10,000 keys -----------------------------------------------------


def places_of(asps_ids: Iterable[str]) -> dict[str, Place]:
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
        found = places_of(new)
        self._known.update((asps_id, found.get(asps_id)) for asps_id in new)
        return {a: p for a in wanted if (p := self._known[a]) is not None}


def catalogue_activities(codes: Iterable[str]) -> dict[str, Activity]:
    """The catalogue's activities with these codes (exactly), each with its whole."""
    found: dict[str, Activity] = {}
    for chunk in chunked({code for code in codes if code}):
        activities = Activity.objects.filter(AnyOf(F("code"), chunk)).select_related("parent")
        found.update((activity.code, activity) for activity in activities)
    return found


def existing_keys(member_ids: set[int], codes: set[str]) -> set[tuple[int, str]]:
    """(member, activity code) pairs that already have an entry."""
    keys: set[tuple[int, str]] = set()
    for ids in chunked(member_ids):
        entries = CreditEntry.objects.filter(AnyOf(F("member_id"), ids)).exclude(activity_code="")
        if len(codes) <= 1_000:
            entries = entries.filter(AnyOf(F("activity_code"), codes))
        keys.update(entries.values_list("member_id", "activity_code"))
    return keys


# --- Checking rows ---------------------------------------------------------------------------


def check_row(
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
    reason = " ".join([*problems, describe_errors(errors, dict(columns))]).strip()
    if row.problem:
        reason = row.problem
    return cleaned, provider, reason


def _explain_choices(errors: Errors, values: Mapping[str, Any]) -> None:
    """The form says "choose from the list"; a file's reader needs the codes."""
    for field, allowed in CHOICES.items():
        if field in errors and str(values[field]) not in allowed:
            errors[field] = [f"“{values[field]}” is not one of {', '.join(allowed)}."]


def designation_problems(activity: Activity, credits: str) -> list[str]:
    """A claim of more credits than the catalogue's activity, or its whole, is designated for
    (docs/rules.md §3, "The activity catalogue: designated maximum"); a number the rules
    refuse is theirs to explain."""
    try:
        claimed = rules.quantize_credits(credits)
    except ValueError:
        return []
    designations = [activity.designation()]
    if activity.parent_id is not None:
        designations.append(activity.parent.designation())
    problem = rules.credits_problem(designations, claimed)
    return [f"credits: {problem}"] if problem else []


def code_problems(code: str, column: str, longest: int = MAX_CODE) -> list[str]:
    if not code:
        return [f"{column}: Empty."]
    if len(code) > longest:
        return [f"{column}: Longer than {longest} characters."]
    return []


def asps_id_problems(asps_id: str) -> list[str]:
    if not asps_id:
        return ["asps_id: Empty."]
    if not is_asps_id(asps_id):
        return [f"asps_id: {asps_id_problem(asps_id)}"]
    return []


def repeat_of(
    first_line: dict[tuple[str, str], int], key: tuple[str, str], line: int
) -> str | None:
    if all(key) and key in first_line:
        return (
            f"ASPS ID {key[0]} and code {key[1]} already appeared on line {first_line[key]}; "
            "only that line was imported."
        )
    first_line.setdefault(key, line)
    return None


# --- Writing ---------------------------------------------------------------------------------


def post(run: ImportRun, postings: list[Posting], *, source: str, book: ProviderBook) -> None:
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
                activity_id=posting.activity.pk if posting.activity is not None else None,
                content_areas=list(posting.activity.content_areas) if posting.activity else [],
                review_status=review_status_for(
                    source=source, patient_safety_credits=values["patient_safety_credits"]
                ),
            )
        )
    settled = counted.settle(entries, known)
    run.flagged_duplicates += settled.flagged
    run.created += counted.post(settled)
    # The members whose entries changed (an entry it replaced is the same member's): their
    # compliance summaries, set-based, once for the batch.
    compliance_summary_services.refresh({posting.member_id for posting in postings})
