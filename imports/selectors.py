"""Reads of import runs for the staff pages."""

from __future__ import annotations

from django.db.models import QuerySet

from imports.models import ImportRun


def runs_with_uploader() -> QuerySet[ImportRun]:
    """Runs, newest first, each with who uploaded it."""
    return ImportRun.objects.select_related("uploaded_by")


def runs() -> QuerySet[ImportRun]:
    """The list of runs: newest first, with the uploader, without the files themselves."""
    return runs_with_uploader().defer("content")
