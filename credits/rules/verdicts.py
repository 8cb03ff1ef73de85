"""What a verdict says, in words: the one home of "Met", "Met (pending review)", "Not yet",
"Not met" and the overall sentence (docs/rules.md §1, "Verdicts in words").

The dashboard, the report page, its PDF and the public verification page all call
:func:`verdict`; nothing else words a verdict. The rules count pending patient-safety credits
provisionally (docs/rules.md §4): a requirement met only thanks to them is "Met (pending
review)", and the overall sentence says how many credits are still pending. A cycle that has
closed says "Not met" where an open one says "Not yet". A date range that is not a cycle gets
no verdict at all (the 3-year requirements are judged over a whole cycle): plain totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from credits.rules.amounts import ZERO_CREDITS, plural
from credits.rules.requirements import MISSING_NOUNS, RequirementResult

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


class Status(StrEnum):
    MET = "met"
    MET_PENDING = "met_pending"  # met only if the pending claims are approved
    NOT_YET = "not_yet"  # short, and the cycle is still open
    NOT_MET = "not_met"  # short, and the cycle has closed
    TOTALS = "totals"  # a date range: no verdict


# The words and the tone (a CSS class suffix: ok, pending, todo, bad) of each status.
STATUS_WORDS = {
    Status.MET: ("Met", "ok"),
    Status.MET_PENDING: ("Met (pending review)", "pending"),
    Status.NOT_YET: ("Not yet", "todo"),
    Status.NOT_MET: ("Not met", "bad"),
    Status.TOTALS: ("", ""),
}

RANGE_NOTE = (
    "Totals for this date range only: the 3-year requirements are judged over a whole cycle, "
    "not over a date range."
)


def missing(result: RequirementResult) -> str:
    """``"23.5 more patient-safety credits"``: what a requirement still needs."""
    return plural(result.remaining, MISSING_NOUNS.get(result.code, "more credit{s}"))


def requirement_status(result: RequirementResult, *, closed: bool = False) -> Status:
    if result.met:
        if result.pending and result.counted - result.pending < result.required:
            return Status.MET_PENDING
        return Status.MET
    return Status.NOT_MET if closed else Status.NOT_YET


@dataclass(frozen=True)
class Row:
    """One requirement and its verdict in words (a row of a table, a tile of the dashboard)."""

    result: RequirementResult
    status: Status

    @property
    def words(self) -> str:
        return STATUS_WORDS[self.status][0]

    @property
    def tone(self) -> str:
        return STATUS_WORDS[self.status][1]

    @property
    def met(self) -> bool:
        return self.status in (Status.MET, Status.MET_PENDING)


@dataclass(frozen=True)
class Verdict:
    """A whole verdict: its status, one sentence (``headline``), an optional second one
    (``detail``) and the rows."""

    status: Status
    headline: str
    detail: str
    rows: tuple[Row, ...]
    pending: Decimal = ZERO_CREDITS  # the pending credits the verdict depends on

    @property
    def tone(self) -> str:
        return STATUS_WORDS[self.status][1] if self.status != Status.TOTALS else "totals"

    @property
    def met(self) -> bool:
        return self.status in (Status.MET, Status.MET_PENDING)

    @property
    def provisional(self) -> bool:
        return self.status == Status.MET_PENDING

    @property
    def is_totals(self) -> bool:
        return self.status == Status.TOTALS

    @property
    def provisional_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.status == Status.MET_PENDING)


def pending_sentence(pending: Decimal) -> str:
    """``"Met only if the 37 pending patient-safety credits are approved"``."""
    if pending == 1:
        return "Met only if the 1 pending patient-safety credit is approved"
    return f"Met only if the {plural(pending, 'pending patient-safety credit{s}')} are approved"


def verdict(
    requirements: Sequence[RequirementResult],
    *,
    closed: bool = False,
    totals_only: bool = False,
    society: str = "",
) -> Verdict:
    """The verdict over ``requirements`` in words.

    ``closed``: the cycle has ended (short is "Not met", not "Not yet"). ``totals_only``: the
    window is a date range, not a cycle (no verdict). ``society``: e.g. "ASAPS", named in the
    sentence when the page shows more than one society.
    """
    if totals_only:
        rows = tuple(Row(result, Status.TOTALS) for result in requirements)
        return Verdict(Status.TOTALS, "Totals for this date range", RANGE_NOTE, rows)
    rows = tuple(Row(result, requirement_status(result, closed=closed)) for result in requirements)
    count = NUMBER_WORDS.get(len(rows), str(len(rows)))
    whose = f"{society} " if society else ""
    subject = f"All {count} {whose}requirements met" if len(rows) > 1 else f"{whose}Requirement met"
    short = [missing(row.result) for row in rows if not row.met]
    if short and closed:
        return Verdict(
            Status.NOT_MET,
            f"Not met: the cycle ended with {'; '.join(short)} still needed",
            "",
            rows,
        )
    if short:
        return Verdict(Status.NOT_YET, f"Still needed: {'; '.join(short)}", "", rows)
    provisional = [row for row in rows if row.status == Status.MET_PENDING]
    if provisional:
        pending = max(row.result.pending for row in provisional)
        return Verdict(
            Status.MET_PENDING,
            f"{subject} — {plural(pending, 'patient-safety credit{s}')} still pending review",
            f"{pending_sentence(pending)}.",
            rows,
            pending,
        )
    return Verdict(Status.MET, subject, "", rows)
