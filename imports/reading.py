"""Reading an import file: its text, its header, its rows (docs/imports.md: CSV,
UTF-8, header row, comma-separated).

Built on :mod:`imports.stream`, which reads a run's stored file a slice at a time.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence

from imports import stream
from imports.models import ImportRun
from imports.stream import ImportFileError, Row

MAX_FILE_BYTES = 20 * 1024 * 1024
# Lookups go to the database this many keys at a time: a handful of queries per file, never
# one per row, and well under SQLite's limit on query parameters.
LOOKUP_CHUNK = 10_000
BULK_BATCH = 2_000
# Rows read, checked and written at a time: memory stays bounded whatever the file's length.
ROW_BATCH = 10_000


def decode_file(data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text: UTF-8 (a byte-order mark is allowed), at most 20 MB (docs/imports.md)."""
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
    """``YYYY-MM-DD`` (the documented form) or ``M/D/YYYY`` (what spreadsheets save)."""
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


def describe_errors(errors: dict[str, list[str]], columns: dict[str, str] | None = None) -> str:
    """Field errors as one sentence per column: ``credits: Enter a number, e.g. 1.25.``"""
    columns = columns or {}
    return " ".join(
        f"{columns.get(field, field)}: {' '.join(str(message) for message in messages)}"
        for field, messages in errors.items()
    )
