"""Import files: what every import shares, and the members roster import.

Contract ("Import files"): CSV, UTF-8, header row, comma-separated. Rows that cannot be
imported are never lost: each is kept as an :class:`~members.models.ImportRejection` with
its line and the reason, and the good rows of the file still import. An
:class:`~members.models.ImportRun` records every file and what became of it.

The shared part (reading the file, the run's life cycle, rejections) lives here because
``members`` is the lowest app: ``credits.imports`` builds on it (DESIGN.md: members ← credits).

Roster (contract): ``asps_id,email,first_name,last_name,membership_type,joined_on,cycle_start``,
upserted by ASPS ID, plus the optional columns of the bodies that apply (``asps_member``,
``asaps_member``, ``abps_certification_year``, ``abps_special_circumstances``). New members
are invited by email to choose a password through a one-time link; no account ever gets a
default or guessable password.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from members import import_stream as stream
from members import security_log as audit_log
from members.cycles import default_cycle_start
from members.import_stream import ImportFileError, RejectionLog, Row
from members.models import (
    FIRST_ABPS_CERTIFICATION_YEAR,
    LAST_ABPS_CERTIFICATION_YEAR,
    AuditEvent,
    ImportRun,
    Member,
    MembershipType,
    User,
    normalize_email,
)
from members.validators import ASPS_ID_RULE, is_asps_id

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
# Lookups go to the database this many keys at a time: a handful of queries per file, never
# one per row, and well under SQLite's limit on query parameters.
LOOKUP_CHUNK = 10_000
BULK_BATCH = 2_000
# Rows read, checked and written at a time: memory stays bounded whatever the file's length.
ROW_BATCH = 10_000


# --- Reading files ---------------------------------------------------------------------------


def decode_file(data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text: UTF-8 (a byte-order mark is allowed), at most 20 MB (contract)."""
    if len(data) > max_bytes:
        raise ImportFileError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes // 1_048_576} MB. Split it into smaller files."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} is not valid UTF-8). "
            "Save it as “CSV UTF-8” and upload it again."
        ) from error
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV text file (it contains NUL bytes).")
    return text


def read_header(text: str) -> list[str]:
    """The header's column names, stripped and lower-cased (only the first record is read)."""
    _, first = next(stream.csv_records(stream.split_lines([text])), (0, []))
    return stream.header_of(first)


def check_header(text: str, *, required: Sequence[str], optional: Sequence[str] = ()) -> None:
    """Raise :class:`ImportFileError` unless the header names every required column."""
    stream.check_header(read_header(text), required=required, optional=optional)


def read_csv(text: str, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """All the rows of a small CSV text (the importers read :func:`run_rows` instead)."""
    return list(stream.read_rows(stream.split_lines([text]), required=required, optional=optional))


def run_rows(
    run: ImportRun, *, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[Row]:
    """The rows of the file of ``run``, one at a time, read from the database in slices."""
    return stream.read_rows(stream.stored_lines(run), required=required, optional=optional)


def run_batches(
    run: ImportRun, *, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[list[Row]]:
    """The rows of the file of ``run`` in batches of :data:`ROW_BATCH`: an importer checks
    and writes one batch with a handful of queries, then reads the next."""
    return stream.batches(run_rows(run, required=required, optional=optional), ROW_BATCH)


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` (the contract's form) or ``M/D/YYYY`` (what spreadsheets save)."""
    text = text.strip()
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return dt.date.fromisoformat(text)
        if text.count("/") == 2:
            return dt.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None
    return None


def chunked(values: Iterable, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- Runs and rejections ---------------------------------------------------------------------


FINISHED = (ImportRun.Status.DONE, ImportRun.Status.STOPPED)


def run_create(
    *, kind: str, file_name: str, content: str, uploaded_by: User | None = None
) -> ImportRun:
    """Record a file to import (status "queued"); a task or a command then runs it."""
    return ImportRun.objects.create(
        kind=kind, file_name=file_name[:255], content=content, uploaded_by=uploaded_by
    )


def lock_imports(name: str) -> None:
    """Let imports of one kind run one after the other (PostgreSQL; SQLite serialises writers).

    The unique constraints already make a second, simultaneous import of the same file create
    nothing; the lock also makes its counts exact ("unchanged" rather than "created").
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cmetrack:{name}"])


def perform_run(run_id: int, importer: Callable[[ImportRun], None]) -> ImportRun | None:
    """Run one import, at most once, all or nothing.

    Safe to call twice (a retried or redelivered task): a run already done is left alone, and
    a second worker waits for the first one's lock and then finds the run done. The import
    runs in one transaction with the run's status: if it fails, nothing of it remains, the
    run is marked failed with the error, and the error is raised again so that the task can
    retry. A file that cannot be read at all (:class:`ImportFileError`) fails without retry.
    A run that rejects more rows than ``IMPORT_MAX_REJECTED_ROWS`` stops there: what it read
    before is kept, with its rejected rows, and the run is marked stopped.
    """
    runs = ImportRun.objects.defer("content")  # the importer reads the file in slices
    run = runs.filter(pk=run_id).first()
    if run is None or run.status in FINISHED:
        return run
    ImportRun.objects.filter(pk=run_id).exclude(status__in=FINISHED).update(
        status=ImportRun.Status.RUNNING, error=""
    )
    try:
        with transaction.atomic():
            run = runs.select_for_update().get(pk=run_id)
            if run.status in FINISHED:
                return run
            for field in ("created", "updated", "unchanged", "held", "rejected"):
                setattr(run, field, 0)
            run.flagged_duplicates = 0
            run.error = ""
            importer(run)  # a run that rejects too many rows comes back "stopped"
            if run.status != ImportRun.Status.STOPPED:
                run.status = ImportRun.Status.DONE
            run.finished_at = timezone.now()
            run.save()
            _audit(run, counts=run_summary(run))
    except ImportFileError as error:
        _run_failed(run_id, str(error))
    except Exception as error:
        _run_failed(run_id, f"The import stopped on an error and nothing of it was kept: {error}")
        raise
    return ImportRun.objects.defer("content").get(pk=run_id)


def _run_failed(run_id: int, message: str) -> None:
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.FAILED, error=message, finished_at=timezone.now()
    )
    run = ImportRun.objects.defer("content").select_related("uploaded_by").get(pk=run_id)
    _audit(run, error=message)


def _audit(run: ImportRun, **details: str) -> None:
    """The audit log's line for a finished (or failed) run; the upload itself is logged by
    the staff page, with the uploader's address."""
    audit_log.record(
        AuditEvent.Action.IMPORT,
        actor=run.uploaded_by,
        target=f"import run {run.pk}",
        kind=run.kind,
        file=run.file_name,
        status=run.status,
        **details,
    )


def run_summary(run: ImportRun) -> str:
    """The counts as the commands print them, e.g. "created 3, updated 1, …, rejected 2"."""
    parts = [f"created {run.created}"]
    if run.kind == ImportRun.Kind.ROSTER:
        parts.append(f"updated {run.updated}")
    parts.append(f"unchanged {run.unchanged}")
    if run.kind == ImportRun.Kind.MEETING_CREDITS:
        parts.append(f"held {run.held}")
    parts.append(f"rejected {run.rejected}")
    if run.kind != ImportRun.Kind.ROSTER:
        parts.append(f"flagged duplicates {run.flagged_duplicates}")
    return ", ".join(parts)


def describe_errors(errors: dict[str, list[str]], columns: dict[str, str] | None = None) -> str:
    """Field errors as one sentence per column: ``credits: Enter a number, e.g. 1.25.``"""
    columns = columns or {}
    return " ".join(
        f"{columns.get(field, field)}: {' '.join(str(message) for message in messages)}"
        for field, messages in errors.items()
    )


# --- The members roster ----------------------------------------------------------------------

ROSTER_REQUIRED = ("asps_id", "email", "first_name", "last_name", "membership_type", "joined_on")
# Which bodies apply (issue 10): optional, and an empty cell leaves the member as they are.
BODY_COLUMNS = (
    "asps_member",
    "asaps_member",
    "abps_certification_year",
    "abps_special_circumstances",
)
BOOLEAN_COLUMNS = ("asps_member", "asaps_member", "abps_special_circumstances")
ROSTER_OPTIONAL = ("cycle_start", *BODY_COLUMNS)
# The contract's header; the body columns may follow it.
ROSTER_COLUMNS = (*ROSTER_REQUIRED, "cycle_start")
MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "membership_type",
    "joined_on",
    "cycle_start",
    *BODY_COLUMNS,
)
MEMBERSHIP_TYPES = tuple(MembershipType.values)
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    raw: dict[str, str]
    asps_id: str
    email: str
    first_name: str
    last_name: str
    membership_type: str
    joined_on: dt.date
    cycle_start: dt.date | None
    bodies: dict[str, bool | int]  # only the body columns the row gives a value in


def _body_values(values: dict[str, str], error: Callable[[str, str], None]) -> dict:
    """The optional body columns of one row, typed; empty cells are left out."""
    bodies: dict[str, bool | int] = {}
    for column in BOOLEAN_COLUMNS:
        text = values.get(column, "").lower()
        if text in YES:
            bodies[column] = True
        elif text in NO:
            bodies[column] = False
        elif text:
            error(column, f"“{values[column]}” is not yes or no.")
    year_text = values.get("abps_certification_year", "")
    if year_text:
        if (
            year_text.isascii()
            and year_text.isdigit()  # "²" is a digit to Python, not to int()
            and FIRST_ABPS_CERTIFICATION_YEAR <= int(year_text) <= LAST_ABPS_CERTIFICATION_YEAR
        ):
            bodies["abps_certification_year"] = int(year_text)
        else:
            error(
                "abps_certification_year",
                f"“{year_text}” is not a certification year "
                f"({FIRST_ABPS_CERTIFICATION_YEAR}–{LAST_ABPS_CERTIFICATION_YEAR}).",
            )
    return bodies


def _roster_row(row: Row) -> RosterRow | str:
    """Typed values of one roster line, or the reason it cannot be imported."""
    if row.problem:
        return row.problem
    values = row.values
    errors: dict[str, list[str]] = {}

    def error(column: str, message: str) -> None:
        errors.setdefault(column, []).append(message)

    asps_id = values["asps_id"]
    if not asps_id:
        error("asps_id", "Empty: every member needs their ASPS ID.")
    elif not is_asps_id(asps_id):
        error("asps_id", asps_id_problem(asps_id))
    email = normalize_email(values["email"])
    try:
        validate_email(email)
    except ValidationError:
        error("email", f"“{values['email']}” is not an email address.")
    for column in ("first_name", "last_name"):
        if not values[column]:
            error(column, "Empty.")
        elif len(values[column]) > 100:
            error(column, "Longer than 100 characters.")
    membership_type = values["membership_type"].lower()
    if membership_type not in MEMBERSHIP_TYPES:
        error(
            "membership_type",
            f"“{values['membership_type']}” is not a membership type; use one of "
            f"{', '.join(MEMBERSHIP_TYPES)}.",
        )
    joined_on = parse_date(values["joined_on"])
    if joined_on is None:
        error("joined_on", f"“{values['joined_on']}” is not a date (YYYY-MM-DD).")
    cycle_text = values.get("cycle_start", "")
    cycle_start = parse_date(cycle_text) if cycle_text else None
    if cycle_text and cycle_start is None:
        error("cycle_start", f"“{cycle_text}” is not a date (YYYY-MM-DD).")
    bodies = _body_values(values, error)
    if errors:
        return describe_errors(errors)
    return RosterRow(
        line=row.line,
        raw=row.values,
        asps_id=asps_id,
        email=email,
        first_name=values["first_name"],
        last_name=values["last_name"],
        membership_type=membership_type,
        joined_on=joined_on,
        cycle_start=cycle_start,
        bodies=bodies,
    )


def asps_id_problem(asps_id: str) -> str:
    """Why a cell is not an ASPS ID, quoting it only when it is safe to show as it is."""
    shown = f"“{asps_id}” is" if asps_id.isprintable() and len(asps_id) <= 40 else "This is"
    return f"{shown} not an ASPS ID ({ASPS_ID_RULE})."


def _owner_words(user: User) -> str:
    member = getattr(user, "member", None)
    return f"member ASPS ID {member.asps_id}" if member else "a staff login that is not a member"


def import_roster(run: ImportRun) -> None:
    """Upsert the roster file of ``run`` by ASPS ID (contract: "Members roster").

    The file is read, checked and written :data:`ROW_BATCH` rows at a time, each batch with a
    handful of queries: existing members by ASPS ID and logins by email, then bulk inserts
    and updates. Rejected, with the reason: bad ASPS ID or email, unknown membership type, bad
    dates, an ASPS ID or email that already appeared earlier in the file, an email that
    belongs to another member. An empty ``cycle_start`` gives a new member the default
    (docs/rules.md: 1 January after joining) and leaves an existing member's cycle as staff set
    it. More than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows stop the run.

    New logins get an unusable password and, once the transaction commits, an invitation
    with a one-time link to choose one (:func:`members.invitations.send_invitations`).
    """
    lock_imports("roster")
    rejections = RejectionLog(run)
    first_line_of_id: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    for batch in run_batches(run, required=ROSTER_REQUIRED, optional=ROSTER_OPTIONAL):
        rows: list[RosterRow] = []
        for row in batch:
            if rejections.stopped:
                break
            checked = _roster_row(row)
            if isinstance(checked, str):
                rejections.add(row.line, row.values, checked)
            elif checked.asps_id in first_line_of_id:
                rejections.add(
                    row.line,
                    row.values,
                    f"ASPS ID {checked.asps_id} already appeared on line "
                    f"{first_line_of_id[checked.asps_id]}; only that line was imported.",
                )
            elif checked.email in first_line_of_email:
                rejections.add(
                    row.line,
                    row.values,
                    f"The email {checked.email} already appeared on line "
                    f"{first_line_of_email[checked.email]} for another ASPS ID.",
                )
            else:
                first_line_of_id[checked.asps_id] = row.line
                first_line_of_email[checked.email] = row.line
                rows.append(checked)
        _roster_write(run, rows, rejections)
        if rejections.stopped:
            break
    rejections.close()


def _roster_write(run: ImportRun, rows: list[RosterRow], rejections: RejectionLog) -> None:
    """Create and update the members of one batch of checked rows (in line order)."""
    members: dict[str, Member] = {}
    for ids in chunked(r.asps_id for r in rows):
        members.update(
            (m.asps_id, m) for m in Member.objects.filter(asps_id__in=ids).select_related("user")
        )
    owners: dict[str, User] = {}
    for emails in chunked(r.email for r in rows):
        owners.update(
            (u.email, u) for u in User.objects.filter(email__in=emails).select_related("member")
        )

    new_members: list[Member] = []
    changed_members: list[Member] = []
    changed_users: list[User] = []
    for row in rows:
        if rejections.stopped and row.line >= rejections.stopped_at:
            break
        member = members.get(row.asps_id)
        owner = owners.get(row.email)
        # A login without a member profile (say, a staff member's) becomes the new member's.
        free_login = owner is not None and member is None and not hasattr(owner, "member")
        if owner is not None and not free_login and (member is None or owner != member.user):
            rejections.add(
                row.line,
                row.raw,
                f"The email {row.email} belongs to {_owner_words(owner)}: "
                "each member needs an email address of their own.",
            )
            continue
        special = row.bodies.get(
            "abps_special_circumstances", member.abps_special_circumstances if member else False
        )
        year = row.bodies.get(
            "abps_certification_year", member.abps_certification_year if member else None
        )
        if special and year is None:
            rejections.add(
                row.line,
                row.raw,
                "abps_special_circumstances: Only ABPS diplomates come under the Special "
                "Circumstances policy: give abps_certification_year too.",
            )
            continue
        if member is None:
            user = owner or User(email=row.email, password=make_password(None))
            new_members.append(
                Member(
                    user=user,
                    asps_id=row.asps_id,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    membership_type=row.membership_type,
                    joined_on=row.joined_on,
                    cycle_start=row.cycle_start or default_cycle_start(row.joined_on),
                    **row.bodies,
                )
            )
            continue
        wanted = {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "membership_type": row.membership_type,
            "joined_on": row.joined_on,
            "cycle_start": row.cycle_start or member.cycle_start,
            **row.bodies,
        }
        member_changed = any(getattr(member, f) != value for f, value in wanted.items())
        email_changed = member.user.email != row.email
        if member_changed:
            for field, value in wanted.items():
                setattr(member, field, value)
            changed_members.append(member)
        if email_changed:
            member.user.email = row.email
            changed_users.append(member.user)
        if member_changed or email_changed:
            run.updated += 1
        else:
            run.unchanged += 1

    new_logins = [m.user for m in new_members]
    User.objects.bulk_create([u for u in new_logins if u.pk is None], batch_size=BULK_BATCH)
    Member.objects.bulk_create(new_members, batch_size=BULK_BATCH)
    Member.objects.bulk_update(changed_members, MEMBER_FIELDS, batch_size=BULK_BATCH)
    User.objects.bulk_update(changed_users, ["email"], batch_size=BULK_BATCH)
    # allauth also accepts the addresses it has on record: a changed email replaces them all.
    for ids in chunked(u.pk for u in changed_users):
        EmailAddress.objects.filter(user_id__in=ids).delete()
    run.created += len(new_members)

    invited = [user.pk for user in new_logins if not user.has_usable_password()]
    if invited:
        transaction.on_commit(lambda: _invite_later(invited))


def _invite_later(user_ids: list[int]) -> None:
    from members.tasks import send_invitations  # the task module imports this one

    send_invitations.delay(user_ids)
