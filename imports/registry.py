"""The kinds of import: each app registers its own from its ``AppConfig.ready()``.

A kind says what its file looks like (required and optional columns), which function imports
a run of it, which Celery task runs that function, which counts its runs report, and the
words of the staff upload page. :mod:`imports` never imports the apps that register kinds:
the registry is how it finds their importers (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from imports.models import ImportRun

Importer = Callable[[ImportRun], None]

# The task that runs every kind unless a kind names another one (imports.tasks).
DEFAULT_TASK = "imports.run_import"
COUNTS = ("created", "updated", "unchanged", "held", "rejected", "flagged_duplicates")


@dataclass(frozen=True)
class ImportKind:
    key: str  # an ImportRun.Kind value: what the run stores
    required: tuple[str, ...]
    optional: tuple[str, ...]
    importer: Importer
    counts: tuple[str, ...]  # the run's counts that apply, in the order they are shown
    description: str = ""  # what the file does, on the staff upload page
    button: str = ""
    task: str = DEFAULT_TASK

    @property
    def label(self) -> str:
        return ImportRun.Kind(self.key).label

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    """Add (or replace) a kind; its key must be one of ``ImportRun.Kind``."""
    if kind.key not in ImportRun.Kind.values:
        raise ValueError(f"{kind.key!r} is not an ImportRun.Kind: add it there first.")
    unknown = set(kind.counts) - set(COUNTS)
    if unknown:
        raise ValueError(f"Unknown counts for {kind.key}: {', '.join(sorted(unknown))}.")
    _KINDS[kind.key] = kind


def get(key: str) -> ImportKind:
    """The registered kind ``key`` (``KeyError`` if no app registered it)."""
    return _KINDS[key]


def kinds() -> list[ImportKind]:
    """Every registered kind, in the order of ``ImportRun.Kind``."""
    order = list(ImportRun.Kind.values)
    return sorted(_KINDS.values(), key=lambda kind: order.index(kind.key))


def guess(header: list[str], *, other_than: str = "") -> ImportKind | None:
    """The registered kind whose required columns the header names, when a file was offered
    as another kind (``other_than``): the one naming most of the header, if any."""
    names = set(header)
    fitting = [
        kind
        for kind in kinds()
        if kind.key != other_than and kind.required and names.issuperset(kind.required)
    ]
    return max(fitting, key=lambda kind: len(names & set(kind.columns)), default=None)
