"""Reads of the credit imports for the staff run page."""

from __future__ import annotations

from credits.abps_import import ABPS_CODE_PREFIX
from credits.models import CreditEntry, Source
from imports import registry
from imports.models import ImportRun
from imports.reading import run_rows

SOURCE_OF = {
    ImportRun.Kind.MEETING_CREDITS: Source.SOCIETY_IMPORT,
    ImportRun.Kind.ABPS: Source.ABPS_IMPORT,
}


def flagged_duplicates(run: ImportRun) -> list[CreditEntry]:
    """The entries this run created that repeat a hand-entered one (for the run page).

    Entries created while the run ran, flagged, and carrying one of the file's keys.
    """
    if run.kind not in SOURCE_OF or not run.flagged_duplicates or run.finished_at is None:
        return []
    candidates = list(
        CreditEntry.objects.filter(
            source=SOURCE_OF[run.kind],
            duplicate_of__isnull=False,
            created_at__gte=run.created_at,
            created_at__lte=run.finished_at,
        ).select_related("member", "provider", "duplicate_of")
    )
    if not candidates:
        return []
    kind = registry.get(run.kind)
    wanted = {(e.member.asps_id, e.activity_code) for e in candidates}
    found = set()
    for row in run_rows(run, required=kind.required, optional=kind.optional):
        if run.kind == ImportRun.Kind.ABPS:
            key = (row.values["asps_id"], ABPS_CODE_PREFIX + row.values["abps_record_id"])
        else:
            key = (row.values["asps_id"], row.values["activity_code"])
        if key in wanted:
            found.add(key)
    return [e for e in candidates if (e.member.asps_id, e.activity_code) in found]
