"""The activity catalogue import (docs/imports.md "Activity catalogue"), registered as the kind
``catalogue`` (:mod:`imports.registry`, from ``CreditsConfig.ready()``).

Upserted by code, set-based and streamed like the credit imports. The file is read 10,000
rows at a time; for each batch one query loads the activities the rows name (their own codes
and the wholes they are parts of), one more the parts of the activities that are to become
parts, every row is checked in memory (:mod:`credits.catalogue_rows`), and the new and
changed activities are written with one ``INSERT … ON CONFLICT (code) DO UPDATE`` per 2,000:
the wholes first, then the parts, which need their wholes' ids (one query reads those the
batch created). An activity the file repeats as it is is not written at all, so importing the
same file twice changes nothing, ``updated_at`` included.

Parts (``part_of``): one level only, as in the catalogue (a meeting and its sessions). A
part's whole must already be in the catalogue or come on an earlier line of the file, and be
a whole itself; an activity that has parts cannot become a part. Every rejected row is kept
with all its problems (:class:`imports.stream.RejectionLog`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from credits.catalogue_rows import (
    CATALOGUE_OPTIONAL,
    CATALOGUE_REQUIRED,
    DEFAULTS,
    Problems,
    current_values,
    merged_problems,
    read_row,
)
from credits.import_posting import ProviderBook
from credits.models import Activity
from imports import services
from imports.models import ImportRun
from imports.reading import BULK_BATCH, chunked, describe_errors, run_batches
from imports.registry import ImportKind
from imports.stream import RejectionLog, Row
from members.lookups import AnyOf

# The model's field of each column (the others have the column's name).
FIELD_OF_COLUMN = {"part_of": "parent", "provider": "provider"}
PLAIN_COLUMNS = tuple(column for column in DEFAULTS if column not in FIELD_OF_COLUMN)


@dataclass
class FileSoFar:
    """What the lines read so far said: the first line of each code, the whole of each
    activity imported with a ``part_of`` cell (``""`` for a whole), the parts given to each
    whole."""

    first_line: dict[str, int] = field(default_factory=dict)
    whole_of: dict[str, str] = field(default_factory=dict)
    parts: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class Checked:
    """A row that passed every check and changes the catalogue."""

    code: str
    values: dict[str, Any]  # every column, the file's cells over the catalogue's values
    given: frozenset[str]  # the columns of the file, whose fields an update sets
    existing: Activity | None
    parent_id: int | None  # known now (the activity's own, when the file has no part_of)
    whole: str  # or the code of the whole whose id the write looks up


def import_catalogue(run: ImportRun) -> None:
    """Import the catalogue file of ``run``: counts ``created``, ``updated``, ``unchanged``,
    ``rejected``. More than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows stop the run."""
    services.lock_imports("catalogue")
    book = ProviderBook()
    rejections = RejectionLog(run)
    so_far = FileSoFar()
    for rows in run_batches(run, required=CATALOGUE_REQUIRED, optional=CATALOGUE_OPTIONAL):
        _catalogue_batch(run, rows, book, so_far, rejections)
        if rejections.stopped:
            break
    rejections.close()


def _catalogue_batch(
    run: ImportRun,
    rows: list[Row],
    book: ProviderBook,
    so_far: FileSoFar,
    rejections: RejectionLog,
) -> None:
    """Check and write one batch of rows."""
    named = {row.values.get("code", "") for row in rows}
    named |= {row.values.get("part_of", "") for row in rows}
    known = _activities(named - {""})
    children = _parts_of(
        known[row.values["code"]].pk
        for row in rows
        if row.values.get("part_of") and row.values.get("code") in known
    )
    checked: list[Checked] = []
    for row in rows:
        if rejections.stopped:
            break
        outcome = _check(row, book, known, children, so_far)
        if isinstance(outcome, str):
            rejections.add(row.line, row.values, outcome)
        elif outcome is None:
            run.unchanged += 1
        else:
            checked.append(outcome)
    _write(run, checked, known)


def _check(
    row: Row,
    book: ProviderBook,
    known: dict[str, Activity],
    children: dict[int, list[str]],
    so_far: FileSoFar,
) -> Checked | str | None:
    """One row: what to write, the reason it is rejected, or ``None`` if nothing changes."""
    if row.problem:
        return row.problem
    code, typed, problems = read_row(row.values, book.find)
    if code in so_far.first_line:
        return (
            f"The code {code} already appeared on line {so_far.first_line[code]}; only that "
            "line was imported."
        )
    if code:
        so_far.first_line[code] = row.line
    existing = known.get(code)
    current = current_values(existing)
    values = {**current, **typed}
    merged_problems(values, problems)
    sets_whole = "part_of" in typed
    if sets_whole and values["part_of"]:
        _whole_problems(code, values["part_of"], existing, known, children, so_far, problems)
    if problems:
        return describe_errors(problems)
    if sets_whole:
        so_far.whole_of[code] = values["part_of"]
        if values["part_of"]:
            so_far.parts[values["part_of"]] += 1
    if existing is not None and values == current:
        return None
    given = frozenset(typed)
    if not sets_whole:  # the file leaves parts and wholes as they are
        parent_id = existing.parent_id if existing is not None else None
        return Checked(code, values, given, existing, parent_id, whole="")
    return Checked(code, values, given, existing, parent_id=None, whole=values["part_of"])


def _whole_problems(
    code: str,
    whole: str,
    existing: Activity | None,
    known: dict[str, Activity],
    children: dict[int, list[str]],
    so_far: FileSoFar,
    problems: Problems,
) -> None:
    """Why ``code`` cannot be a part of ``whole`` (one level only), into ``problems``."""

    def whole_of(other: str) -> str | None:  # "" for a whole, None if nobody knows it
        if other in so_far.whole_of:
            return so_far.whole_of[other]
        activity = known.get(other)
        if activity is None:
            return None
        return activity.parent.code if activity.parent_id is not None else ""

    def problem(message: str) -> None:
        problems.setdefault("part_of", []).append(message)

    if whole == code:
        problem("An activity cannot be a part of itself.")
        return
    whole_is = whole_of(whole)
    if whole_is is None and whole in so_far.first_line:
        problem(
            f"The line of {whole} (line {so_far.first_line[whole]}) was rejected, so its "
            "parts cannot be imported: correct both and import them again."
        )
    elif whole_is is None:
        problem(
            f"No activity has the code {whole}, in the catalogue or on an earlier line of "
            "the file (list a whole before its parts)."
        )
    elif whole_is:
        problem(
            f"{whole} is itself a part of {whole_is}: a part belongs to a whole activity, "
            "not to another part."
        )
    still_parts = so_far.parts[code] > 0
    if existing is not None and not still_parts:
        still_parts = any(
            so_far.whole_of.get(child, code) == code for child in children.get(existing.pk, ())
        )
    if still_parts:
        problem(f"{code} has parts of its own: an activity with parts cannot be a part.")


# --- Reads and writes: a handful of queries per batch ----------------------------------------


def _activities(codes: set[str]) -> dict[str, Activity]:
    """The catalogue's activities with these codes, each with its whole."""
    found: dict[str, Activity] = {}
    for chunk in chunked(codes):
        found.update(
            (activity.code, activity)
            for activity in Activity.objects.filter(AnyOf(F("code"), chunk)).select_related(
                "parent"
            )
        )
    return found


def _parts_of(whole_ids: Iterable[int]) -> dict[int, list[str]]:
    """The codes of the parts of these activities, by the id of their whole."""
    parts: dict[int, list[str]] = {}
    for chunk in chunked(set(whole_ids)):
        rows = Activity.objects.filter(AnyOf(F("parent_id"), chunk)).values_list(
            "parent_id", "code"
        )
        for parent_id, code in rows:
            parts.setdefault(parent_id, []).append(code)
    return parts


def _write(run: ImportRun, checked: list[Checked], known: dict[str, Activity]) -> None:
    """Create and update the batch's activities: the wholes, then the parts."""
    if not checked:
        return
    wholes = [c for c in checked if not c.whole]
    parts = [c for c in checked if c.whole]
    _upsert(wholes)
    if parts:
        ids = {code: activity.pk for code, activity in known.items()}
        created = {c.whole for c in parts} - ids.keys()
        for chunk in chunked(created):
            ids.update(Activity.objects.filter(AnyOf(F("code"), chunk)).values_list("code", "pk"))
        for part in parts:
            part.parent_id = ids[part.whole]
        _upsert(parts)
    run.created += sum(1 for c in checked if c.existing is None)
    run.updated += sum(1 for c in checked if c.existing is not None)


def _upsert(checked: list[Checked]) -> None:
    if not checked:
        return
    # Every row of a file has the file's columns: the fields an update sets.
    given = sorted(checked[0].given)
    fields = ["updated_at", *(FIELD_OF_COLUMN.get(column, column) for column in given)]
    Activity.objects.bulk_create(
        [
            Activity(
                code=c.code,
                title=c.values["title"],
                parent_id=c.parent_id,
                provider_id=c.values["provider"],
                **{column: c.values[column] for column in PLAIN_COLUMNS},
            )
            for c in checked
        ],
        batch_size=BULK_BATCH,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=fields,
    )


KIND = ImportKind(
    key=ImportRun.Kind.CATALOGUE,
    required=CATALOGUE_REQUIRED,
    optional=CATALOGUE_OPTIONAL,
    importer=import_catalogue,
    counts=("created", "updated", "unchanged", "rejected"),
    description=(
        "Activities members claim credit for, with what each is designated for. A row "
        "updates the activity of the same code; parts come after their whole."
    ),
    button="Import activities",
)
