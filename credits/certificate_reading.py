"""Start from a certificate: read a member's certificate and fill Submit CME with what it says
(docs/certificate-reading.md).

The reading itself is :mod:`certificates` (plain Python: PDF text, or OCR of a photo or scan).
Here is what the web page and the API share: the same checks as every certificate upload
(:func:`credits.entry_checks.check_certificate`: PDF, JPEG or PNG by content, at most 10 MB);
on the page, the certificate kept for the entry (:mod:`credits.pending_certificates`) and read
in a Celery task when a broker is configured, its result waiting in the cache, keyed by the
kept file, until the page picks it up; and the catalogue activity a reading matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

import certificates
from credits import catalogue_selectors, pending_certificates
from credits.entry_checks import check_certificate
from credits.models import Activity
from members import formatting
from members.models import User

logger = logging.getLogger(__name__)

READING = "reading"
DONE = "done"
FAILED = "failed"
# A reading not finished after this long is given up (a stopped worker, say): the member fills
# the form in, the certificate still attached.
GIVE_UP_SECONDS = 90
KEEP_SECONDS = pending_certificates.PENDING_HOURS * 3600
# Below this confidence a read field asks the member to check it.
CHECK_BELOW = 0.75
NOT_READ = (
    "We couldn't read this certificate. It is attached to the entry: fill in the form from it."
)
# Reading is CPU work (OCR takes seconds): at most this many certificates per member per hour,
# on the page and through the API together.
READINGS_PER_HOUR = 60
TOO_MANY = (
    f"You have had {READINGS_PER_HOUR} certificates read in the last hour: fill in the form "
    "yourself, or try again later."
)
DATE_FIELDS = ("start_date", "end_date")
AMOUNT_FIELDS = ("credits", "patient_safety_credits")


def may_read(user: User) -> bool:
    """Count one more reading for ``user`` this hour; False once the hour's readings are used."""
    key = f"certificate-readings:{user.pk}:{int(time.time() // 3600)}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) <= READINGS_PER_HOUR
    except ValueError:  # expired between add and incr: a new hour
        cache.set(key, 1, 3600)
        return True


def read_upload(upload: UploadedFile, *, field_name: str = "file") -> certificates.Reading:
    """Read an uploaded certificate at once (the API). Raises ``ValidationError`` naming
    ``field_name`` for a file that is not a PDF, JPEG or PNG, too large, or unreadable."""
    try:
        check_certificate(upload)
    except ValidationError as error:
        raise ValidationError({field_name: error.message_dict["certificate"]}) from error
    data = upload.read()
    upload.seek(0)
    try:
        return certificates.read_certificate(data)
    except certificates.Unreadable as error:
        raise ValidationError({field_name: [str(error)]}) from error


def keep(*, user: User, upload: UploadedFile) -> pending_certificates.PendingCertificate:
    """Keep the certificate for the entry (checked like any certificate) and mark its reading
    as started. The caller then reads it: :func:`read_kept`, in a task or at once."""
    try:
        pending = pending_certificates.stash(user=user, upload=upload)
    except ValidationError as error:
        raise ValidationError({"file": error.message_dict["certificate"]}) from error
    cache.set(_key(pending), {"status": READING, "started": time.time()}, KEEP_SECONDS)
    return pending


def read_kept(*, user_id: int, token: str) -> str:
    """Read the kept certificate of ``token`` and leave the result for the page. Returns the
    status ("done" or "failed"); a token that is not this user's or has expired reads nothing."""
    user = User.objects.filter(pk=user_id).first()
    pending = pending_certificates.find(user=user, token=token) if user else None
    if pending is None:
        return FAILED
    with pending_certificates.open_file(pending) as kept:
        data = kept.read()
    try:
        reading = certificates.read_certificate(data)
    except certificates.Unreadable as error:
        result = {"status": FAILED, "message": f"{error} {NOT_READ}"}
    except Exception:  # a reader crash must not leave the page waiting
        logger.exception("Reading a certificate failed")
        result = {"status": FAILED, "message": NOT_READ}
    else:
        result = {
            "status": DONE,
            "fields": {name: _text(value) for name, value in reading.fields.items()},
            "confidence": dict(reading.confidence),
            "method": reading.method,
        }
    cache.set(_key(pending), result, KEEP_SECONDS)
    return result["status"]


@dataclass(frozen=True)
class Result:
    """A reading as the page shows it."""

    status: str
    pending: pending_certificates.PendingCertificate
    fields: dict[str, object] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    method: str = ""
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.status != READING

    def found(self) -> dict[str, object]:
        """The fields the certificate stated (the others are left as the form has them)."""
        return {name: value for name, value in self.fields.items() if value not in (None, "")}

    def marks(self, current: dict[str, object] | None = None) -> dict[str, str]:
        """For each field filled from the certificate, "read" or "check" (low confidence);
        with ``current`` (the values posted), only the fields still as they were read."""
        marks = {}
        for name, value in self.found().items():
            if current is not None and not _same(current.get(name), value):
                continue
            sure = self.confidence.get(name, 0.0) >= CHECK_BELOW
            marks[name] = "read" if sure else "check"
        return marks


def prefill(result: Result, *, activity_chosen: bool) -> tuple[dict[str, object], dict[str, str]]:
    """The form's values from a reading, and their marks. With a catalogue activity chosen,
    the catalogue names the activity and the certificate gives only what the member earned."""
    found = result.found()
    if activity_chosen:
        found = {name: value for name, value in found.items() if name in AMOUNT_FIELDS}
    values = {
        name: formatting.credits(value) if isinstance(value, Decimal) else value
        for name, value in found.items()
    }
    marks = {name: mark for name, mark in result.marks().items() if name in values}
    return values, marks


def result_of(*, user: User, token: str) -> Result | None:
    """The reading of the kept certificate ``token``; None when it is not this user's, has
    expired or is gone (the page then answers 404)."""
    pending = pending_certificates.find(user=user, token=token)
    if pending is None:
        return None
    stored = cache.get(_key(pending))
    if stored is None:
        return Result(status=FAILED, pending=pending, message=NOT_READ)
    if stored["status"] == READING:
        if time.time() - stored.get("started", 0) > GIVE_UP_SECONDS:
            return Result(status=FAILED, pending=pending, message=NOT_READ)
        return Result(status=READING, pending=pending)
    if stored["status"] == FAILED:
        return Result(status=FAILED, pending=pending, message=stored.get("message", NOT_READ))
    return Result(
        status=DONE,
        pending=pending,
        fields={name: _typed(name, value) for name, value in stored["fields"].items()},
        confidence=stored.get("confidence", {}),
        method=stored.get("method", ""),
    )


def matching_activity(fields: dict[str, object]) -> Activity | None:
    """The catalogue activity a reading names: same title (ignoring case and punctuation),
    held on the date read when both have dates."""
    return catalogue_selectors.matching_title(
        str(fields.get("title") or ""), on=fields.get("start_date")
    )


def _key(pending: pending_certificates.PendingCertificate) -> str:
    return "certificate-reading:" + hashlib.sha256(pending.path.encode()).hexdigest()


def _text(value: object) -> object:
    if isinstance(value, dt.date | Decimal):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _typed(name: str, value: object) -> object:
    if value in (None, ""):
        return None
    try:
        if name in DATE_FIELDS:
            return dt.date.fromisoformat(str(value))
        if name in AMOUNT_FIELDS:
            return Decimal(str(value))
    except (ValueError, InvalidOperation):
        return None
    return value


def _same(posted: object, read: object) -> bool:
    if posted in (None, ""):
        return False
    if isinstance(read, Decimal):
        try:
            return Decimal(str(posted)) == read
        except InvalidOperation:
            return False
    return str(posted).strip() == str(read).strip()
