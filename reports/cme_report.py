"""The CME report: one builder feeds the page, the PDF and the data file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from credits import certification_selectors, rules, selectors
from credits.models import CreditEntry
from members import formatting
from members.models import Member, User
from reports.area_chart import AreaBar, area_bars
from reports.charts import ChartPoint, cumulative_credits_svg
from reports.models import IssuedReport

# Spreadsheets run cells that begin with these as formulas (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CmeReport:
    member: Member
    window: rules.Window
    is_cycle: bool
    entries: list[CreditEntry]
    totals: rules.Totals
    compliance: rules.Compliance
    chart: str
    as_of: dt.date
    # The other bodies that apply (ASAPS in the same window; the ABPS by its own deadlines).
    bodies: tuple[certification_selectors.BodyStatus, ...] = ()
    # The credits of the entries above per content area (credits.rules.content_areas).
    content_areas: rules.ContentAreaCredits | None = None

    @property
    def area_bars(self) -> list[AreaBar]:
        """The bars of "Credits by content area", shown only when an entry records an area."""
        if self.content_areas is None or not self.content_areas.any_recorded:
            return []
        return area_bars(self.content_areas.areas)

    @property
    def closed(self) -> bool:
        """A cycle that ended before the report's day: short is "Not met", not "Not yet"."""
        return self.is_cycle and self.window.end < self.as_of

    @property
    def is_range(self) -> bool:
        """A date range, not a cycle: plain totals, no 3-year verdict."""
        return not self.is_cycle

    @property
    def verdict(self) -> rules.Verdict:
        """The ASPS verdict in words (credits.rules.verdicts); none for a date range."""
        return rules.verdict(
            self.compliance.requirements, closed=self.closed, totals_only=not self.is_cycle
        )

    @property
    def title(self) -> str:
        if self.is_cycle:
            return f"CME Report for Cycle Ending in {self.window.end.year}"
        return "CME Report for a Date Range"


def cycle_chart(member: Member, window: rules.Window, as_of: dt.date) -> str:
    """The cumulative-credits chart of a window (the dashboard and the report share it)."""
    days = selectors.daily_credits(member, window)
    return cumulative_credits_svg(
        [ChartPoint(day["end_date"], day["all_credits"]) for day in days],
        category_1_points=[ChartPoint(day["end_date"], day["category_1"]) for day in days],
        start=window.start,
        end=window.end,
        required=rules.ASPS.total_required,
        as_of=as_of,
    )


def build_report(
    member: Member, window: rules.Window, *, as_of: dt.date, is_cycle: bool
) -> CmeReport:
    """Everything the report shows, in a constant number of queries (entries, totals, chart,
    and two more for an ABPS diplomate). The credits by content area are added up from the
    entries already read (no query of their own)."""
    totals = selectors.totals_for(member, window)
    # The entries that count, as the totals do (an entry the society's record replaced is not
    # part of the report; the dashboard and the entry page say why).
    entries = list(
        selectors.member_entries(member, window, counted_only=True)
        .select_related("provider")
        .order_by("-end_date", "-start_date", "-id")  # newest first, as members asked
    )
    return CmeReport(
        member=member,
        window=window,
        is_cycle=is_cycle,
        entries=entries,
        content_areas=rules.credits_by_content_area(
            (entry.credits, entry.content_areas) for entry in entries
        ),
        totals=totals,
        compliance=rules.evaluate(totals, rules.ASPS),
        chart=cycle_chart(member, window, as_of),
        as_of=as_of,
        bodies=tuple(
            certification_selectors.bodies_for(
                member, totals=totals, as_of=as_of, include_asps=False
            )
        ),
    )


@transaction.atomic
def issue_report(report: CmeReport, *, generated_by: User | None) -> IssuedReport:
    """Record what a PDF states, under the verification code printed on it."""
    return IssuedReport.objects.create(
        member=report.member,
        window_start=report.window.start,
        window_end=report.window.end,
        compliant=report.compliance.compliant,
        summary={
            "requirements": [
                {
                    "code": str(requirement.code),
                    "label": requirement.label,
                    "required": str(requirement.required),
                    "earned": str(requirement.earned),
                    "counted": str(requirement.counted),
                    "met": requirement.met,
                    "pending": str(requirement.pending),
                }
                for requirement in report.compliance.requirements
            ],
            # What the verification page needs to word the verdict as the PDF did.
            "closed": report.closed,
            "totals_only": not report.is_cycle,
            "entries": len(report.entries),
        },
        generated_by=generated_by,
    )


def issued_verdict(issued: IssuedReport) -> rules.Verdict:
    """The verdict printed on an issued report, worded again from what it recorded (reports
    issued before pending credits were recorded read as having none)."""
    summary = issued.summary or {}
    results = [
        rules.RequirementResult(
            code=row.get("code", ""),
            label=row.get("label", ""),
            required=Decimal(row.get("required", "0")),
            earned=Decimal(row.get("earned", "0")),
            counted=Decimal(row.get("counted", "0")),
            remaining=max(
                Decimal(row.get("required", "0")) - Decimal(row.get("counted", "0")),
                rules.ZERO_CREDITS,
            ),
            met=bool(row.get("met")),
            pending=Decimal(row.get("pending", "0")),
        )
        for row in summary.get("requirements", [])
    ]
    return rules.verdict(
        results,
        closed=bool(summary.get("closed")),
        totals_only=bool(summary.get("totals_only")),
        society="ASPS",
    )


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


CSV_COLUMNS = [
    "entry_id",
    "title",
    "provider",
    "provider_abbreviation",
    "activity_type",
    "category",
    "start_date",
    "end_date",
    "credits",
    "category_1_credits",
    "category_2_credits",
    "plastic_surgery_credits",
    "patient_safety_credits",
    "patient_safety_kind",
    "patient_safety_counts",
    "review_status",
    "source",
    "duplicate_of",
    "city",
    "state",
    "country",
    "certificate_on_file",
    "recorded_at",
]


def report_csv(report: CmeReport) -> str:
    """The data file: one row per entry, every field a spreadsheet user needs, oldest first
    (the page and the PDF list the newest first; a data file reads in date order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in reversed(report.entries):
        provider = entry.provider
        row = [
            entry.pk,
            entry.title,
            provider.name if provider else "",
            provider.abbreviation if provider else "",
            entry.activity_type,
            entry.category,
            formatting.iso_day(entry.start_date),
            formatting.iso_day(entry.end_date),
            entry.credits,
            entry.credits if entry.category == 1 else Decimal("0.00"),
            entry.credits if entry.category == 2 else Decimal("0.00"),
            entry.plastic_surgery_credits,
            entry.patient_safety_credits,
            entry.patient_safety_kind,
            "yes" if entry.patient_safety_counts else "no",
            entry.review_status,
            entry.source,
            entry.duplicate_of_id or "",
            entry.city,
            entry.state,
            entry.country,
            "yes" if entry.certificate else "no",
            formatting.iso_moment(entry.created_at),
        ]
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()
