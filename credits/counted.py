"""Every activity counted once (docs/rules.md "Counted once").

One activity is one (member, title ignoring case, spaces and punctuation, provider, start
date, end date): :func:`activity_key`. When the society's record of an activity (a meeting or
ABPS import) repeats an entry the member or staff typed in, the import *supersedes* it at
once: the typed-in entry gets ``superseded_by`` and stops counting everywhere
(:data:`credits.models.COUNTED`), and the import points back at it with ``duplicate_of``, so
staff see the pair flagged on the run page. A second imported row of the same activity under
another activity code is kept as an entry that repeats the first (``duplicate_of`` and
``superseded_by`` both point at the first) and does not count.

The import side works a batch at a time (:class:`Known`, :func:`link_superseded`): a fixed
number of queries per batch, none per row.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F

from credits import rules
from credits.models import CreditEntry, Source
from members import formatting
from members.lookups import AnyOf

IMPORTED = (Source.SOCIETY_IMPORT, Source.ABPS_IMPORT)
HAND_ENTERED = (Source.SELF_REPORTED, Source.STAFF)
REPLACED_MESSAGE = "Replaced by the society's record of this activity"
# Above this many distinct end dates a batch's lookup reads a date range instead of a list.
MAX_LISTED_DATES = 1_000
MEMBER_CHUNK = 10_000

ActivityKey = tuple[int, str, int | None, dt.date, dt.date]


# A meeting file repeats a few hundred titles over thousands of rows: normalize each once.
title_key = functools.lru_cache(maxsize=65_536)(rules.normalize_title)


def activity_key(
    member_id: int, title: str, provider_id: int | None, start: dt.date, end: dt.date
) -> ActivityKey:
    """What makes two entries the same activity (docs/rules.md §3 "Duplicates")."""
    return (member_id, title_key(title), provider_id, start, end)


# --- The form and the API ---------------------------------------------------------------------


class DuplicateEntry(ValidationError):
    """The entry repeats another one (``duplicate``); keyed ``confirm_duplicate``.

    ``recorded_by_society``: the other entry is the society's record (an import), so the
    activity already counts and confirming does not help. The error carries data and a plain
    text message; the edges render it: the web form links to the other entry
    (credits/form_errors.py, templates/credits/_duplicate_error.html), the API adds the other
    entry's id (credits/api/).
    """

    def __init__(self, duplicate: CreditEntry, *, recorded_by_society: bool) -> None:
        self.duplicate = duplicate
        self.recorded_by_society = recorded_by_society
        super().__init__(
            {"confirm_duplicate": [ValidationError(self.text(), code=self.error_code)]}
        )

    @property
    def when(self) -> str:
        """``Jun 15, 2026``, or ``Jun 15, 2026 to Jun 17, 2026``."""
        entry = self.duplicate
        if entry.start_date == entry.end_date:
            return formatting.day(entry.end_date)
        return f"{formatting.day(entry.start_date)} to {formatting.day(entry.end_date)}"

    @property
    def error_code(self) -> str:
        return "recorded_by_society" if self.recorded_by_society else "duplicate"

    def text(self) -> str:
        """The message as plain text (no HTML), as the API returns it."""
        title = f"“{self.duplicate.title}”"
        if self.recorded_by_society:
            return (
                f"The society's record already has this activity: {title} ({self.when}). "
                "It counts once, so there is nothing to add."
            )
        return (
            f"You already recorded this activity: {title} ({self.when}). "
            "If you really attended it twice, confirm to record it again."
        )


def pick_duplicate(candidates: Iterable[CreditEntry], title: str) -> CreditEntry | None:
    """The entry among ``candidates`` (same member, provider, dates) with the same title;
    the society's record first, as it is the one that counts."""
    key = rules.normalize_title(title)
    same = [c for c in candidates if rules.normalize_title(c.title) == key]
    same.sort(key=lambda c: (c.source not in IMPORTED, not c.counts, c.pk))
    return same[0] if same else None


def check_duplicate(duplicate: CreditEntry | None, *, source: str, confirm_duplicate: bool) -> None:
    """Refuse an entry that repeats another: always when the other is the society's record
    (a typed-in entry may not repeat an import), else unless the member confirmed it."""
    if duplicate is None:
        return
    if duplicate.source in IMPORTED and source in HAND_ENTERED:
        raise DuplicateEntry(duplicate, recorded_by_society=True)
    if not confirm_duplicate:
        raise DuplicateEntry(duplicate, recorded_by_society=False)


# --- Imports ---------------------------------------------------------------------------------


@dataclass
class Known:
    """The entries a batch's rows could repeat, by :func:`activity_key`.

    ``imported``: the counted imported entry of each activity. ``hand_entered``: the counted
    entries members or staff typed in. ``posted``: activities posted earlier in this batch,
    as (member id, activity code) of the first posting.
    """

    imported: dict[ActivityKey, int] = field(default_factory=dict)
    hand_entered: dict[ActivityKey, list[int]] = field(default_factory=dict)
    posted: dict[ActivityKey, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, member_ids: set[int], ends: set[dt.date]) -> Known:
        """One query per 10,000 members, narrowed to the batch's end dates."""
        known = cls()
        if not member_ids or not ends:
            return known
        ids = sorted(member_ids)
        for at in range(0, len(ids), MEMBER_CHUNK):
            entries = CreditEntry.objects.filter(
                AnyOf(F("member_id"), ids[at : at + MEMBER_CHUNK]), superseded_by__isnull=True
            )
            if len(ends) <= MAX_LISTED_DATES:
                entries = entries.filter(AnyOf(F("end_date"), ends))
            else:
                entries = entries.filter(end_date__gte=min(ends), end_date__lte=max(ends))
            rows = entries.order_by("id").values_list(
                "id", "member_id", "title", "provider_id", "start_date", "end_date", "source"
            )
            for pk, member_id, title, provider_id, start, end, source in rows:
                key = activity_key(member_id, title, provider_id, start, end)
                if source in IMPORTED:
                    known.imported.setdefault(key, pk)
                else:
                    known.hand_entered.setdefault(key, []).append(pk)
        return known


@dataclass
class Settled:
    """What :func:`settle` decided for one batch."""

    first: list[CreditEntry] = field(default_factory=list)
    # An entry that repeats a posting of this batch, and that posting's (member id, code).
    repeats: list[tuple[CreditEntry, tuple[int, str]]] = field(default_factory=list)
    # Hand-entered entries to supersede, by the (member id, code) of their import.
    superseded: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    flagged: int = 0


def settle(entries: Iterable[CreditEntry], known: Known) -> Settled:
    """Decide, in memory, which new imported entries count and what each replaces."""
    settled = Settled()
    for entry in entries:
        key = activity_key(
            entry.member_id, entry.title, entry.provider_id, entry.start_date, entry.end_date
        )
        if key in known.imported:  # another code of an activity already imported
            entry.duplicate_of_id = entry.superseded_by_id = known.imported[key]
            settled.first.append(entry)
            settled.flagged += 1
        elif key in known.posted:  # another code of an activity posted in this batch
            settled.repeats.append((entry, known.posted[key]))
            settled.flagged += 1
        else:
            known.posted[key] = (entry.member_id, entry.activity_code)
            replaced = known.hand_entered.get(key)
            if replaced:
                entry.duplicate_of_id = replaced[0]
                settled.superseded[(entry.member_id, entry.activity_code)] = replaced
                settled.flagged += 1
            settled.first.append(entry)
    return settled


def post(settled: Settled, *, batch_size: int = 2_000) -> int:
    """Write a settled batch: the entries, then the repeats and the replaced entries' links.

    Two more queries (ids read back, one bulk update) only when the batch has any.
    """
    create = CreditEntry.objects.bulk_create
    create(settled.first, batch_size=batch_size, ignore_conflicts=True)
    wanted = set(settled.superseded) | {ref for _, ref in settled.repeats}
    ids = _ids_of(wanted)
    for entry, ref in settled.repeats:
        entry.duplicate_of_id = entry.superseded_by_id = ids.get(ref)
    create([entry for entry, _ in settled.repeats], batch_size=batch_size, ignore_conflicts=True)
    replaced = [
        CreditEntry(pk=pk, superseded_by_id=ids[ref])
        for ref, pks in settled.superseded.items()
        if ref in ids
        for pk in pks
    ]
    CreditEntry.objects.bulk_update(replaced, ["superseded_by"], batch_size=batch_size)
    return len(settled.first) + len(settled.repeats)


def _ids_of(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ids of entries by (member id, activity code), one query per 10,000 members."""
    if not keys:
        return {}
    found: dict[tuple[int, str], int] = {}
    members = sorted({member_id for member_id, _ in keys})
    codes = {code for _, code in keys}
    for at in range(0, len(members), MEMBER_CHUNK):
        rows = CreditEntry.objects.filter(
            AnyOf(F("member_id"), members[at : at + MEMBER_CHUNK]), AnyOf(F("activity_code"), codes)
        ).values_list("member_id", "activity_code", "id")
        found.update({(m, c): pk for m, c, pk in rows if (m, c) in keys})
    return found


def relink_restored(entries: Iterable[CreditEntry]) -> None:
    """A restored import replaces again the typed-in entry it was flagged against; a restored
    typed-in entry whose activity the society's record now holds is replaced by that record
    (it counts once)."""
    for entry in entries:
        if entry.source in IMPORTED and entry.counts and entry.duplicate_of_id:
            CreditEntry.objects.filter(
                pk=entry.duplicate_of_id, source__in=HAND_ENTERED, superseded_by__isnull=True
            ).update(superseded_by=entry)
        elif entry.source in HAND_ENTERED and entry.counts:
            record = pick_duplicate(
                CreditEntry.objects.filter(
                    member_id=entry.member_id,
                    provider_id=entry.provider_id,
                    start_date=entry.start_date,
                    end_date=entry.end_date,
                    source__in=IMPORTED,
                    superseded_by__isnull=True,
                ),
                entry.title,
            )
            if record is not None:
                CreditEntry.objects.filter(pk=entry.pk).update(superseded_by=record)
                entry.superseded_by_id = record.pk
