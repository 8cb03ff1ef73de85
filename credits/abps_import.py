"""The ABPS records import (README "Import files", docs/imports.md), registered as the kind
``abps`` (:mod:`imports.registry`, from ``CreditsConfig.ready()``).

What every credit import shares is in :mod:`credits.import_posting`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from credits import rules
from credits.import_posting import (
    MAX_CODE,
    Place,
    PlaceBook,
    Posting,
    ProviderBook,
    asps_id_problems,
    check_row,
    code_problems,
    existing_keys,
    post,
    repeat_of,
)
from credits.models import ActivityType, Category, PatientSafetyKind, Provider, Source
from imports import services
from imports.models import ImportRun
from imports.reading import parse_date, run_batches
from imports.registry import ImportKind
from imports.stream import RejectionLog, Row

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

# ABPS Continuous Certification: the CC exam earns "60 Category I CME credits", awarded
# directly by the AMA (the ASPS CME requirements, "Direct Credit": "ABMS/ABPS Certification,
# Recertification and Maintenance of Certification"). ABPS-approved CC activities are, in
# ABMS's words, "Lifelong Learning and Self-Assessment" activities. **Decision.**
CC_EXAM = "cc_exam"
CC_ACTIVITY = "cc_activity"
CC_EXAM_CREDITS = Decimal(60)
CC_EXAM_TITLE = "ABPS Continuous Certification Examination"
CC_ACTIVITY_DEFAULT_TYPE = ActivityType.SELF_ASSESSMENT
ABPS_CODE_PREFIX = "ABPS-"
AMA = ("American Medical Association (direct credit)", "AMA", "AMA PRA direct credit")
ABPS = ("American Board of Plastic Surgery", "ABPS", "ABMS member board")


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
    Category 1 credits awarded directly by the AMA (ABPS Continuous Certification), activity type
    ``board_certification``. ``cc_activity``: an ABPS-approved CC activity, Category 1 from the
    ABPS, activity type ``self_assessment`` unless the file says otherwise. Plastic-surgery
    credits default to all the credits: the board's program is plastic surgery (**Decision**).
    Idempotent on (``asps_id``, ``"ABPS-" + abps_record_id``).
    """
    today = today or timezone.localdate()
    services.lock_imports("credits")
    boards = _board_providers()
    book, place_book = ProviderBook(), PlaceBook()
    rejections = RejectionLog(run)
    first_line: dict[tuple[str, str], int] = {}
    for rows in run_batches(run, required=ABPS_REQUIRED, optional=ABPS_OPTIONAL):
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
    existing = existing_keys(
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
        repeat = repeat_of(first_line, (values["asps_id"], code), row.line)
        if repeat:
            rejections.add(row.line, values, repeat)
            continue
        problems = code_problems(record_id, "abps_record_id", MAX_CODE - len(ABPS_CODE_PREFIX))
        if values["asps_id"] not in places:  # a known member's ID is a valid one
            problems += asps_id_problems(values["asps_id"])
        record_type = values["record_type"].lower()
        credits: str = values["credits"]
        if record_type == CC_EXAM:
            title = values["title"] or CC_EXAM_TITLE
            activity_type = values.get("activity_type") or ActivityType.BOARD_CERTIFICATION
            credits = credits or str(CC_EXAM_CREDITS)
            parsed = _credits_or_none(credits)
            if parsed is not None and parsed != CC_EXAM_CREDITS:
                problems.append(
                    "credits: A passed CC exam earns 60 AMA PRA Category 1 credits; "
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
        cleaned, provider, reason = check_row(
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

    post(run, postings, source=Source.ABPS_IMPORT, book=book)


def _credits_or_none(text: str) -> Decimal | None:
    try:
        return rules.quantize_credits(text.strip())
    except ValueError:
        return None


KIND = ImportKind(
    key=ImportRun.Kind.ABPS,
    required=ABPS_REQUIRED,
    optional=ABPS_OPTIONAL,
    importer=import_abps,
    counts=("created", "unchanged", "rejected", "flagged_duplicates"),
    description=(
        "Continuous Certification exams (60 Category 1 credits) and ABPS-approved activities."
    ),
    button="Import ABPS records",
)
