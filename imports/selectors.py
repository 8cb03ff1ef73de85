"""Reads of import runs for the staff pages: the runs, their rejected rows, the kind a file
looks like."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from imports import registry, stream
from imports.models import ImportRejection, ImportRun
from imports.reading import read_header


def runs_with_uploader() -> QuerySet[ImportRun]:
    """Runs, newest first, each with who uploaded it."""
    return ImportRun.objects.select_related("uploaded_by")


def runs() -> QuerySet[ImportRun]:
    """The list of runs: newest first, with the uploader, without the files themselves."""
    return runs_with_uploader().defer("content")


def kind_of_file(text: str, *, other_than: str) -> registry.ImportKind | None:
    """The kind a file's header fits, other than the kind it was offered as (or None)."""
    return registry.guess(read_header(text), other_than=other_than)


def rejections_for_download(run: ImportRun) -> Iterator[ImportRejection]:
    """A run's rejected rows in the order of the file, read a batch at a time."""
    return run.rejections.order_by("line", "id").iterator(chunk_size=2000)


def file_columns(run: ImportRun) -> list[str]:
    """The columns of a run's file as its header names them (only its first slice is read)."""
    _, first = next(stream.csv_records(stream.stored_lines(run)), (0, []))
    return list(dict.fromkeys(name for name in stream.header_of(first) if name))


EXTRA_VALUES = "(extra values)"  # what a line with more values than the header had beyond it


def has_extra_values(run: ImportRun) -> bool:
    """Does a rejected row of the run carry values beyond the header's columns?"""
    return run.rejections.filter(row__has_key=EXTRA_VALUES).exists()
