"""A certificate file written by a write that then fails is removed again.

The file is stored before the entry's row is saved (the row holds its name). If the database
refuses the row afterwards (a constraint, a lost connection), or storing stops half-way (a
full disk), the transaction rolls back and the file would be an orphan on the disk:
:func:`removed_on_failure` deletes what was written. Files of committed entries are never
deleted here (their history keeps them, so staff can restore an entry with its certificate).
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.core.files.storage import Storage

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
_written: contextvars.ContextVar[list[tuple[Storage, str]] | None] = contextvars.ContextVar(
    "certificate_files_written", default=None
)


def written(storage: Storage, name: str) -> None:
    """Note a file just stored, to remove if the write around it fails."""
    files = _written.get()
    if files is not None:
        files.append((storage, name))


def removed_on_failure(function: Callable[P, R]) -> Callable[P, R]:
    """Wrap a write (outside its ``transaction.atomic``): on an error, the files it stored are
    deleted and the error raised again."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        files: list[tuple[Storage, str]] = []
        token = _written.set(files)
        try:
            return function(*args, **kwargs)
        except BaseException:
            for storage, name in files:
                try:
                    storage.delete(name)
                except OSError:
                    logger.exception("Could not remove the orphan certificate file %s", name)
            raise
        finally:
            _written.reset(token)

    return wrapper
