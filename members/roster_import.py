"""The members roster import (docs/imports.md), registered as the kind
``roster`` (:mod:`imports.registry`, from ``MembersConfig.ready()``).

Roster: ``asps_id,email,first_name,last_name,membership_type,joined_on,cycle_start``,
upserted by ASPS ID, plus the optional columns of the bodies that apply (``asps_member``,
``asaps_member``, ``abps_certification_year``, ``abps_special_circumstances``). New members
are invited by email to choose a password through a one-time link
(:mod:`members.invitations`); no account ever gets a default or guessable password.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from imports import services
from imports.models import ImportRun
from imports.reading import BULK_BATCH, chunked, describe_errors, parse_date, run_batches
from imports.registry import ImportKind
from imports.stream import RejectionLog, Row
from members import signals, tasks
from members.cycles import default_cycle_start
from members.models import (
    FIRST_ABPS_CERTIFICATION_YEAR,
    LAST_ABPS_CERTIFICATION_YEAR,
    Member,
    MembershipType,
    User,
    normalize_email,
)
from members.validators import asps_id_problem, is_asps_id

ROSTER_REQUIRED = ("asps_id", "email", "first_name", "last_name", "membership_type", "joined_on")
# Which bodies apply: optional, and an empty cell leaves the member as they are.
BODY_COLUMNS = (
    "asps_member",
    "asaps_member",
    "abps_certification_year",
    "abps_special_circumstances",
)
BOOLEAN_COLUMNS = ("asps_member", "asaps_member", "abps_special_circumstances")
ROSTER_OPTIONAL = ("cycle_start", *BODY_COLUMNS)
# The documented header (docs/imports.md); the body columns may follow it.
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


def _owner_words(user: User) -> str:
    member = getattr(user, "member", None)
    return f"member ASPS ID {member.asps_id}" if member else "a staff login that is not a member"


def import_roster(run: ImportRun) -> None:
    """Upsert the roster file of ``run`` by ASPS ID (docs/imports.md).

    The file is read, checked and written :data:`~imports.reading.ROW_BATCH` rows at a time,
    each batch with a handful of queries: existing members by ASPS ID and logins by email,
    then bulk inserts and updates. Rejected, with the reason: bad ASPS ID or email, unknown
    membership type, bad dates, an ASPS ID or email that already appeared earlier in the
    file, an email that belongs to another member. An empty ``cycle_start`` gives a new
    member the default (docs/rules.md: 1 January after joining) and leaves an existing
    member's cycle as staff set it. More than ``IMPORT_MAX_REJECTED_ROWS`` rejected rows stop
    the run.

    New logins get an unusable password and, once the transaction commits, an invitation
    with a one-time link to choose one (:func:`members.invitations.send_invitations`).
    """
    services.lock_imports("roster")
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
    moved: list[Member] = []  # a new cycle start
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
        if wanted["cycle_start"] != member.cycle_start:
            moved.append(member)
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
    # New members and moved cycles: their compliance summaries, one refresh for the batch.
    signals.cycles_changed([m.pk for m in (*new_members, *moved)])

    invited = [user.pk for user in new_logins if not user.has_usable_password()]
    if invited:
        transaction.on_commit(lambda: _invite_later(invited))


def _invite_later(user_ids: list[int]) -> None:
    tasks.send_invitations.delay(user_ids)


KIND = ImportKind(
    key=ImportRun.Kind.ROSTER,
    required=ROSTER_REQUIRED,
    optional=ROSTER_OPTIONAL,
    importer=import_roster,
    counts=("created", "updated", "unchanged", "rejected"),
    description=(
        "Add new members and update existing ones by ASPS ID. New members are emailed a link "
        "to choose their password."
    ),
    button="Import roster",
)
