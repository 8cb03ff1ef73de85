"""Writes to credit entries: create, change, attach a certificate, delete and restore.

Each write first checks the entry with :mod:`credits.entry_checks` (one validation for the
form, the API and the imports). The names callers know from here (``check_entry``,
``validate_values``, ``ENTRY_FIELDS``, ``Errors`` …) are the ones of that module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

from credits import (
    catalogue_checks,
    certificate_files,
    compliance_summary_services,
    counted,
    review_states,
    rules,
)
from credits.entry_checks import CREDIT_FIELDS as CREDIT_FIELDS
from credits.entry_checks import ENTRY_FIELDS as ENTRY_FIELDS
from credits.entry_checks import (
    CheckedEntry,
    check_certificate,
    check_entry,
    find_duplicate,
    review_status_for,
)
from credits.entry_checks import Errors as Errors
from credits.entry_checks import validate_values as validate_values
from credits.models import CreditEntry, Decision, ReviewStatus, Source
from members.models import Member, User


def _attach_certificate(entry: CreditEntry, upload: UploadedFile) -> None:
    """Store the file under a new name (as ``FieldFile.save`` does), noted for removal if the
    write fails later (:mod:`credits.certificate_files`); a file half-stored (a full disk) is
    removed at once."""
    extension = check_certificate(upload)
    field = entry.certificate
    name = field.field.generate_filename(entry, f"certificate.{extension}")
    try:
        stored = field.storage.save(name, upload, max_length=field.field.max_length)
    except BaseException:
        if field.storage.exists(name):
            field.storage.delete(name)
        raise
    certificate_files.written(field.storage, stored)
    entry.certificate = stored


def lock_member_entries(member: Member) -> None:
    """Make writers of one member's entries wait for each other until their transaction ends.

    A row lock on the member (``FOR NO KEY UPDATE`` on PostgreSQL: it does not hold up
    inserts that merely refer to the member, such as imports). Call it inside the transaction,
    before the duplicate check. SQLite runs one writer at a time and takes no row locks.
    """
    features = connection.features
    if not features.has_select_for_update:
        return
    lock = Member.objects.select_for_update(no_key=features.has_select_for_no_key_update)
    list(lock.filter(pk=member.pk).values_list("pk", flat=True))


@certificate_files.removed_on_failure
@transaction.atomic
def entry_create(
    *,
    member: Member,
    values: Mapping[str, Any],
    certificate: UploadedFile | None = None,
    confirm_duplicate: bool = False,
    source: str = Source.SELF_REPORTED,
    today: dt.date | None = None,
) -> CreditEntry:
    """Record one activity for a member (the form, the API and staff all come here).

    The duplicate check reads, then inserts: the member is locked first (see
    :func:`lock_member_entries`), so the same activity posted twice at once is recorded once
    and the second post is told it is a duplicate.
    """
    if certificate is not None:
        check_certificate(certificate)
    lock_member_entries(member)
    checked = check_entry(
        member=member,
        values=values,
        today=today,
        confirm_duplicate=confirm_duplicate,
        source=source,
    )
    entry = CreditEntry(member=member, source=source)
    _apply(entry, checked)
    entry.review_status = review_status_for(
        source=source, patient_safety_credits=entry.patient_safety_credits
    )
    if certificate is not None:  # as on the website: the requested proof is here
        _attach_certificate(entry, certificate)
        entry.review_status = review_states.after_certificate(entry.review_status)
    vouched = catalogue_checks.vouching_designation(entry)
    if vouched is not None:
        entry.review_status = ReviewStatus.APPROVED
    entry.full_clean(exclude=["provider", "duplicate_of", "member", "activity"])
    entry.save()
    if vouched is not None:
        _record_catalogue_approval(
            entry, vouched, before={**review_states.snapshot(entry), "review_status": "pending"}
        )
    compliance_summary_services.refresh_member(entry.member_id)
    return entry


def _record_catalogue_approval(
    entry: CreditEntry, designation: rules.Designation, *, before: dict[str, str]
) -> None:
    """docs/rules.md §4: the catalogue decided; its designation is the reason."""
    review_states.record(
        entry=entry,
        decision=Decision.CATALOGUE,
        before=before,
        by=None,
        ip=None,
        note=rules.approval_reason(designation, entry.patient_safety_credits),
    )


@certificate_files.removed_on_failure
@transaction.atomic
def entry_update(
    *,
    entry: CreditEntry,
    values: Mapping[str, Any],
    certificate: UploadedFile | None = None,
    confirm_duplicate: bool = False,
    today: dt.date | None = None,
    by: User | None = None,
    ip: str | None = None,
) -> CreditEntry:
    """Change a self-reported entry (the form and the API come here).

    A decided patient-safety claim whose judged values change goes back to review
    (:mod:`credits.review_states`); the move is kept with ``by`` (default: the member) and
    ``ip``.
    """
    if certificate is not None:
        check_certificate(certificate)
    lock_member_entries(entry.member)  # claims on one catalogue activity are summed
    checked = check_entry(
        member=entry.member,
        values=values,
        entry=entry,
        today=today,
        confirm_duplicate=confirm_duplicate,
        source=entry.source,
    )
    stored = _locked(entry)
    before = review_states.snapshot(stored)
    judged_before = review_states.judged(stored)
    _apply(entry, checked)
    entry.review_status = review_states.after_edit(
        entry, status=before["review_status"], judged_before=judged_before
    )
    if certificate is not None:  # as on the website: the requested proof is here
        _attach_certificate(entry, certificate)
        entry.review_status = review_states.after_certificate(entry.review_status)
    vouched = catalogue_checks.vouching_designation(entry)
    if vouched is not None:
        entry.review_status = ReviewStatus.APPROVED
    entry.full_clean(exclude=["provider", "duplicate_of", "member", "activity"])
    entry.save()
    compliance_summary_services.refresh_member(entry.member_id)
    if vouched is not None:
        _record_catalogue_approval(entry, vouched, before=before)
        return entry
    review_states.record_if_moved(
        entry=entry,
        decision=Decision.MEMBER_EDIT,
        before=before,
        by=by or entry.member.user,
        ip=ip,
    )
    return entry


def _locked(entry: CreditEntry) -> CreditEntry:
    """The entry as stored, locked until the end of the transaction (a staff decision on it
    waits, and then sees the edit)."""
    return (
        CreditEntry.objects.select_for_update(of=("self",))
        .select_related("provider", "member")
        .get(pk=entry.pk)
    )


def _apply(entry: CreditEntry, checked: CheckedEntry) -> None:
    provider = checked.provider
    if provider is not None and provider.pk is None:
        provider.save()
    for field, value in checked.values.items():
        if field != "provider":
            setattr(entry, field, value)
    entry.provider = provider
    entry.duplicate_of = checked.duplicate_of


@certificate_files.removed_on_failure
@transaction.atomic
def certificate_upload(
    *,
    entry: CreditEntry,
    certificate: UploadedFile,
    by: User | None = None,
    ip: str | None = None,
) -> CreditEntry:
    """Attach (or replace) the certificate of an entry.

    A claim whose documentation was requested returns to the review queue (docs/rules.md); an
    audit's request for this certificate is answered by the file itself.
    """
    before = review_states.snapshot(_locked(entry))
    _attach_certificate(entry, certificate)
    entry.review_status = review_states.after_certificate(before["review_status"])
    entry.save()
    if entry.review_status != before["review_status"]:  # a pending claim counts differently
        compliance_summary_services.refresh_member(entry.member_id)
    review_states.record_if_moved(
        entry=entry,
        decision=Decision.CERTIFICATE,
        before=before,
        by=by or entry.member.user,
        ip=ip,
    )
    return entry


@transaction.atomic
def entry_delete(*, entry: CreditEntry) -> None:
    """Delete an entry; django-simple-history keeps its last version, for the member's Undo
    (:func:`entry_undo_delete`) and for staff to restore."""
    member_id = entry.member_id
    entry.delete()  # an entry it replaced counts again (``superseded_by`` is set to null)
    compliance_summary_services.refresh_member(member_id)


@transaction.atomic
def entries_restore(*, history_ids: list[int]) -> int:
    """Bring deleted entries back as they were when deleted (docs/rules.md)."""
    records = CreditEntry.history.filter(pk__in=history_ids, history_type="-")
    restored = []
    for record in records:
        if CreditEntry.objects.filter(pk=record.id).exists():
            continue
        entry = record.instance
        _drop_links_to_deleted(entry)
        entry.save()
        restored.append(entry)
    counted.relink_restored(restored)
    compliance_summary_services.refresh({entry.member_id for entry in restored})
    return len(restored)


# How long a member may undo the deletion of an entry (the message's Undo button).
UNDO_DELETE_MINUTES = 10


class UndoTooLate(Exception):
    """The deletion is older than :data:`UNDO_DELETE_MINUTES`: member services restore it."""


class UndoWouldRepeat(Exception):
    """Since the deletion the member typed in the same activity again (``other``): bringing
    the deleted entry back would count the activity twice (docs/rules.md "Counted once")."""

    def __init__(self, other: CreditEntry) -> None:
        super().__init__(other.title)
        self.other = other


@transaction.atomic
def entry_undo_delete(*, record: Any, now: dt.datetime) -> CreditEntry:
    """Undo a member's deletion of their entry (``record``: its last version, deleted),
    within :data:`UNDO_DELETE_MINUTES`; the counting rules run again (:mod:`credits.counted`):
    the society's record of the activity replaces it, and an entry the member typed in again
    meanwhile refuses it (:class:`UndoWouldRepeat`)."""
    if now - record.history_date > dt.timedelta(minutes=UNDO_DELETE_MINUTES):
        raise UndoTooLate
    entry = record.instance
    lock_member_entries(entry.member)
    other = find_duplicate(
        member=entry.member,
        values={f: getattr(entry, f) for f in ("title", "start_date", "end_date")},
        provider=entry.provider,
        entry=entry,
    )
    if (
        other is not None
        and other.source in counted.HAND_ENTERED
        and other.counts
        and entry.duplicate_of_id != other.pk
        and other.duplicate_of_id != entry.pk
    ):
        raise UndoWouldRepeat(other)
    entries_restore(history_ids=[record.history_id])
    return CreditEntry.objects.get(pk=record.id)


def _drop_links_to_deleted(entry: CreditEntry) -> None:
    """A link to an entry deleted meanwhile would not hold (the counting rules relink)."""
    for field in ("duplicate_of_id", "superseded_by_id"):
        linked = getattr(entry, field)
        if linked is not None and not CreditEntry.objects.filter(pk=linked).exists():
            setattr(entry, field, None)
