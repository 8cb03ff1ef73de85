"""Reading an import file as a stream, and keeping its rejected rows with a cap.

An import never holds the whole file, all its rows or all its rejections in memory:

- :func:`stored_lines` reads the file of a run from the database one slice at a time
  (:data:`SLICE_CHARS` characters) and yields its lines;
- :func:`read_rows` turns lines into :class:`Row` objects one at a time (the csv module reads
  a quoted value across lines as usual);
- :class:`RejectionLog` writes rejected rows to the database in batches and stops the run once
  more than ``IMPORT_MAX_REJECTED_ROWS`` rows (default 1,000) are rejected: a file that is
  mostly wrong (the wrong kind of file, a broken export) is not worth reading to its end.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models.functions import Substr

from imports.models import ImportRejection, ImportRun

SLICE_CHARS = 1 << 20  # characters of the stored file read at a time
REJECTION_BATCH = 1_000  # rejected rows written to the database at a time
DEFAULT_MAX_REJECTED_ROWS = 1_000


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not UTF-8, too large, wrong header)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record of a CSV file: its first line (the header is line 1) and its cells."""

    line: int
    values: dict[str, str]
    problem: str = ""


# --- Lines ----------------------------------------------------------------------------------


def split_lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of a text given in pieces, each with its line end (``\\r\\n``, ``\\r`` or
    ``\\n``, as ``open(newline="")`` reads them: old Mac spreadsheets end lines with ``\\r``).

    Each piece is split by :class:`io.StringIO` (in C): about 1 ms per megabyte, four times
    faster than a regular expression, and yielded one line at a time (a megabyte of two-byte
    lines held as a list would cost 30 MB).
    """
    rest = ""
    for piece in pieces:
        previous = None
        for line in io.StringIO(rest + piece, newline=""):  # one line at a time
            if previous is not None:
                yield previous
            previous = line
        rest = ""
        # The last line may go on in the next piece; a "\r" at its end may be half a "\r\n".
        if previous is not None:
            if previous.endswith("\n"):
                yield previous
            else:
                rest = previous
    if rest:
        yield rest


def stored_pieces(run_id: int, size: int | None = None) -> Iterator[str]:
    """The file of an import run, read from the database ``size`` characters at a time."""
    size = size or SLICE_CHARS
    start = 1
    while True:
        piece = (
            ImportRun.objects.filter(pk=run_id)
            .annotate(piece=Substr("content", start, size))
            .values_list("piece", flat=True)
            .first()
        )
        if not piece:
            return
        yield piece
        if len(piece) < size:
            return
        start += size


def stored_lines(run: ImportRun) -> Iterator[str]:
    """The lines of the file of ``run``, without loading the file as a whole."""
    return split_lines(stored_pieces(run.pk))


# --- CSV records and rows -------------------------------------------------------------------


def csv_records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """The records of CSV lines, each with the number of the last line it was read from; a
    text that is not CSV raises :class:`ImportFileError`."""
    lines = iter(lines)
    first = next(lines, "")
    reader = csv.reader(_chain(first.lstrip("\ufeff"), lines))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise ImportFileError(
            f"Line {reader.line_num} cannot be read as CSV ({error}). Save the file again as "
            "“CSV UTF-8” and import it again; nothing of it was imported."
        ) from error


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def header_of(cells: Sequence[str]) -> list[str]:
    return [name.strip().lower() for name in cells]


def check_header(header: list[str], *, required: Sequence[str], optional: Sequence[str]) -> None:
    """Raise :class:`ImportFileError` unless the header names every required column."""
    if not any(header):
        raise ImportFileError(
            f"The file is empty. Its first line must be the header: {', '.join(required)}"
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise ImportFileError(f"The header names these columns twice: {', '.join(repeated)}.")
    missing = [name for name in required if name not in header]
    if missing:
        columns = ", ".join([*required, *optional])  # spaces: a long message may wrap
        raise ImportFileError(
            f"The header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first line must be: {columns}"
        )


def read_rows(
    lines: Iterable[str], *, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[Row]:
    """The records of CSV lines one at a time, each keyed by the column names, cells stripped.

    Every required column has a value (maybe empty); an optional one only if the file has
    it. Blank lines are skipped. A record with more or fewer cells than the header has a
    ``problem``: the importer rejects it without guessing which cell is which.
    """
    records = csv_records(lines)
    line, cells = next(records, (0, []))
    header = header_of(cells)
    check_header(header, required=required, optional=optional)
    width, named = len(header), all(header)
    strip = str.strip
    for last_line, cells in records:
        start, line = line + 1, last_line
        if not "".join(cells).strip():
            continue
        if len(cells) == width and named:  # the usual row: one value per column
            yield Row(line=start, values=dict(zip(header, map(strip, cells), strict=True)))
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        for name in required:
            values.setdefault(name, "")
        problem = ""
        if len(cells) != width:
            problem = (
                f"This line has {len(cells)} values but the header has {width} columns "
                "(a missing or extra comma? Quote values that contain commas)."
            )
            if len(cells) > width:
                values["(extra values)"] = ", ".join(cells[width:])
        yield Row(line=start, values=values, problem=problem)


def batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- Rejected rows --------------------------------------------------------------------------


def max_rejected_rows() -> int:
    """How many rejected rows a run keeps before it stops (``IMPORT_MAX_REJECTED_ROWS``)."""
    return max(1, int(getattr(settings, "IMPORT_MAX_REJECTED_ROWS", DEFAULT_MAX_REJECTED_ROWS)))


class RejectionLog:
    """The rejected rows of one run, written to the database a batch at a time.

    At most ``limit`` rows are kept; the next rejected row stops the run: :attr:`stopped_at`
    is its line, and the importer reads no further (:meth:`close` marks the run stopped).
    """

    def __init__(self, run: ImportRun, limit: int | None = None) -> None:
        self.run = run
        self.limit = limit or max_rejected_rows()
        self.count = 0
        self.stopped_at: int | None = None
        self._batch: list[ImportRejection] = []

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def add(self, line: int, row: dict[str, str], reason: str) -> None:
        if self.stopped:
            return
        if self.count >= self.limit:
            self.stopped_at = line
            return
        self._batch.append(ImportRejection(run=self.run, line=line, row=row, reason=reason))
        self.count += 1
        if len(self._batch) >= REJECTION_BATCH:
            self.flush()

    def flush(self) -> None:
        ImportRejection.objects.bulk_create(self._batch)
        self._batch = []

    def close(self) -> None:
        """Write what is left, count it on the run, and mark the run stopped if it is."""
        self.flush()
        self.run.rejected = self.count
        if self.stopped:
            self.run.status = ImportRun.Status.STOPPED
            self.run.error = stop_message(self.limit, self.stopped_at)


def stop_message(limit: int, line: int | None) -> str:
    return (
        f"The import stopped at line {line}: more than {limit:,} rows were rejected, so the "
        "rest of the file was not read. Most likely the file is not the kind chosen, or it was "
        f"saved wrongly. The rows before line {line} were imported as counted here, and the "
        f"first {limit:,} rejected rows are listed below with their reasons. Correct the file "
        "and import it again: rows already imported are left as they are."
    )
