"""A certificate chosen on an entry form that failed, kept so the member need not choose it again.

Browsers do not keep a chosen file across a page that comes back with errors. A good certificate
(:func:`credits.entry_checks.check_certificate`) that arrived with other mistakes waits in the
private media storage under ``pending-certificates/<user id>/`` (never served: certificates are
only downloaded through the entry's page). The form carries a signed token naming the file:
it is bound to the user who chose it (another user's token is refused) and expires after
:data:`PENDING_HOURS`. Each new pending file first clears those older than that.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from credits.entry_checks import check_certificate
from members.models import User

PENDING_DIR = "pending-certificates"
PENDING_HOURS = 6
SALT = "credits.pending-certificate"


@dataclass(frozen=True)
class PendingCertificate:
    """``token`` goes back in the form; ``filename`` is the name the member chose."""

    token: str
    filename: str
    path: str


def _user_dir(user: User) -> str:
    return f"{PENDING_DIR}/{user.pk}/"


def stash(*, user: User, upload: UploadedFile) -> PendingCertificate:
    """Keep a certificate that passed :func:`check_certificate` for the member's next try."""
    extension = check_certificate(upload)
    purge_stale()
    name = f"{_user_dir(user)}{int(time.time())}-{uuid.uuid4().hex}.{extension}"
    path = default_storage.save(name, upload)
    filename = PurePath(upload.name or f"certificate.{extension}").name[:100]
    token = signing.dumps({"user": user.pk, "path": path, "name": filename}, salt=SALT)
    return PendingCertificate(token=token, filename=filename, path=path)


def find(*, user: User, token: str) -> PendingCertificate | None:
    """The pending certificate of ``token``; None when it is not this user's, has expired or
    is gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=PENDING_HOURS * 3600)
    except signing.BadSignature:  # SignatureExpired included
        return None
    path = str(data.get("path", ""))
    if (
        data.get("user") != user.pk
        or not path.startswith(_user_dir(user))
        or ".." in path
        or not default_storage.exists(path)
    ):
        return None
    return PendingCertificate(token=token, filename=str(data.get("name", "")), path=path)


def open_file(pending: PendingCertificate) -> File:
    return default_storage.open(pending.path, "rb")


def discard(pending: PendingCertificate | None) -> None:
    if pending is not None and default_storage.exists(pending.path):
        default_storage.delete(pending.path)


def purge_stale(now: float | None = None) -> int:
    """Delete pending certificates older than :data:`PENDING_HOURS` (their tokens have expired).

    The age is read from the name (``<unix time>-<random>.<ext>``), not from the file system.
    """
    now = time.time() if now is None else now
    oldest = now - PENDING_HOURS * 3600
    if not default_storage.exists(PENDING_DIR):
        return 0
    deleted = 0
    user_dirs, _ = default_storage.listdir(PENDING_DIR)
    for user_dir in user_dirs:
        _, files = default_storage.listdir(f"{PENDING_DIR}/{user_dir}")
        for name in files:
            stamp = name.split("-", 1)[0]
            if not stamp.isdigit() or int(stamp) < oldest:
                default_storage.delete(f"{PENDING_DIR}/{user_dir}/{name}")
                deleted += 1
    return deleted
