"""The society meeting-credit import (docs/imports.md), registered as
the kind ``meeting_credits`` (:mod:`imports.registry`, from ``CreditsConfig.ready()``).

What every credit import shares is in :mod:`credits.import_posting`. Meeting credits arrive
weeks after the member completes the activity's CME evaluation: a row without
``evaluation_completed_on`` is held (``HeldMeetingCredit``) and posted by a later file that
carries the same (``asps_id``, ``activity_code``) with the evaluation completed; that later
row's empty cells are filled from the held one.

A row whose ``activity_code`` is the code of a catalogue activity (:class:`credits.models.
Activity`) is linked to it: the entry names the activity and takes its content areas, and a
row claiming more credits than the activity, or the whole it is a part of, is designated for
is rejected (docs/rules.md §3). A code the catalogue does not have links nothing. The batch's
activities are read in one query.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from credits.import_posting import (
    Place,
    PlaceBook,
    Posting,
    ProviderBook,
    asps_id_problems,
    catalogue_activities,
    check_row,
    code_problems,
    designation_problems,
    existing_keys,
    places_of,
    post,
    repeat_of,
)
from credits.models import ActivityType, HeldMeetingCredit, Source
from imports import services
from imports.models import ImportRun
from imports.reading import chunked, parse_date, run_batches
from imports.registry import ImportKind
from imports.stream import RejectionLog, Row

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

# Society meetings are live activities unless the file says otherwise.
MEETING_DEFAULT_ACTIVITY_TYPE = ActivityType.LIVE_ACTIVITY

MEETING_COLUMNS = {"title": "activity_title"}


def import_meeting_credits(run: ImportRun, *, today: dt.date | None = None) -> None:
    """Import the meeting-credit file of ``run`` (docs/imports.md).

    Counts: ``created`` (posted), ``unchanged`` (already posted), ``held`` (waiting for the
    evaluation), ``rejected``, ``flagged_duplicates``. Held rows whose entry now exists are
    dropped at every run. The file is read :data:`~imports.reading.ROW_BATCH` rows at a time;
    more than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows stop the run.
    """
    today = today or timezone.localdate()
    services.lock_imports("credits")
    held = {(h.asps_id, h.activity_code): h for h in HeldMeetingCredit.objects.all()}
    held_places = places_of(key[0] for key in held)
    held_existing = existing_keys(
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
    for rows in run_batches(run, required=MEETING_REQUIRED, optional=MEETING_OPTIONAL):
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
    codes = {r.values["activity_code"] for r in rows}
    existing = existing_keys({place.member_id for place in places.values()}, codes)
    catalogue = catalogue_activities(codes)

    def posted(key: tuple[str, str]) -> bool:
        place = places.get(key[0])
        return place is not None and (place.member_id, key[1]) in existing

    postings: list[Posting] = []
    holds: dict[tuple[str, str], HeldMeetingCredit] = {}
    for row in rows:
        if rejections.stopped:
            break
        key = (row.values["asps_id"], row.values["activity_code"])
        repeat = repeat_of(first_line, key, row.line)
        if repeat:
            rejections.add(row.line, row.values, repeat)
            continue
        values = dict(row.values)
        waiting = held.get(key)
        if waiting is not None:
            values.update({c: v for c, v in waiting.row.items() if not values.get(c)})
        problems = code_problems(values["activity_code"], "activity_code")
        activity = catalogue.get(key[1])
        if activity is not None:
            problems += designation_problems(activity, values["credits"])
        if values["asps_id"] not in places:  # a known member's ID is a valid one
            problems += asps_id_problems(values["asps_id"])
        evaluated = values["evaluation_completed_on"]
        evaluated_on = parse_date(evaluated) if evaluated else None
        if evaluated and evaluated_on is None:
            problems.append(f"evaluation_completed_on: “{evaluated}” is not a date (YYYY-MM-DD).")
        elif evaluated_on is not None and evaluated_on > today:
            problems.append("evaluation_completed_on: This date is in the future.")
        place = places.get(values["asps_id"])
        cleaned, provider, reason = check_row(
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
            postings.append(Posting(place.member_id, key[1], cleaned, provider, activity))
            if waiting is not None:
                done_holding.add(waiting.pk)

    post(run, postings, source=Source.SOCIETY_IMPORT, book=book)
    HeldMeetingCredit.objects.bulk_create(
        holds.values(),
        batch_size=2_000,
        update_conflicts=True,
        unique_fields=["asps_id", "activity_code"],
        update_fields=["row"],
    )
    run.held += len(holds)


KIND = ImportKind(
    key=ImportRun.Kind.MEETING_CREDITS,
    required=MEETING_REQUIRED,
    optional=MEETING_OPTIONAL,
    importer=import_meeting_credits,
    counts=("created", "unchanged", "held", "rejected", "flagged_duplicates"),
    description=(
        "Credits of society meetings. Rows without a completed evaluation wait until a later "
        "file completes them."
    ),
    button="Import meeting credits",
)
