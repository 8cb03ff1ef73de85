"""Staff pages: the membership's compliance — the overview (the staff landing page), the list
of members behind each of its counts (with its CSV export) and the projected standing.

The reads are in ``credits.membership_selectors`` (from the per-member compliance summaries)
and ``credits.standing_projection``; the chart is drawn by ``reports.compliance_chart``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cmetrack.http import attachment_disposition
from credits import abps_overview, rules, standing_projection
from credits import membership_selectors as selectors
from credits.membership_selectors import MembershipFilter
from members import formatting
from members.access import staff_page
from members.models import Standing
from reports import compliance_chart
from reports.cme_report import safe_cell
from staff.forms import MembershipFilterForm, OverviewForm, ProjectionForm

LIST_PAGE_SIZE = 50
PROJECTION_PAGE_SIZE = 100
CSV_CHUNK = 2000
CHART_MONTHS = 36
# What the ABPS asks at a deadline, as the overview names it.
ABPS_CODES = [(code.value, code.label) for code in rules.CertificationRequirementCode]
# The populations of the overview: (body, heading, snapshot population).
POPULATIONS = (("asps", "ASPS members", "asps"), ("asaps", "ASAPS members", "asaps"))
REQUIREMENT_LABELS = (
    ("total", "Total (150 credits)"),
    ("category_1", "AMA PRA Category 1 (60)"),
    ("plastic_surgery", "Plastic surgery (50)"),
    ("patient_safety", "Patient safety (20)"),
)


def list_url(**params: object) -> str:
    """The list's address with these filters (empty values left out, except ``status``: an
    empty status asks for every verdict, where no status at all means "at risk")."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value or key == "status":
            query[key] = "on" if value is True else str(value)
    return f"{reverse('staff:at_risk')}?{query.urlencode()}"


def _population(body: str, heading: str, snapshot: str, year: str, today: dt.date) -> dict:
    """One population's counts, each with the list behind it, and its chart."""
    counts = selectors.overview_counts(
        MembershipFilter(years=(int(year),) if year else (), body=body), today=today
    )

    def link(**filters: object) -> str:
        return list_url(year=year, body=body, **{"status": "", **filters})

    statuses = [
        (pace.label, counts[pace.value], link(status=pace.value), pace.value) for pace in rules.Pace
    ]
    requirements = [
        (
            label,
            counts[f"{code}_short_count"],
            counts[f"{code}_short_sum"],
            link(requirement=code, sort="deficit"),
        )
        for code, label in REQUIREMENT_LABELS
    ]
    standings = [
        (standing.label, counts[f"standing_{standing.value}"], link(standing=standing.value))
        for standing in Standing
    ]
    start = _months_back(today, CHART_MONTHS)
    points = selectors.monthly_compliance(snapshot, CHART_MONTHS, today=today)
    return {
        "body": body,
        "heading": heading,
        "members": counts["members"],
        "members_url": link(),
        "statuses": statuses,
        "pending": counts["depends_on_pending"],
        "pending_url": link(pending_only=True),
        "requirements": requirements,
        "standings": standings,
        "chart": compliance_chart.rate_chart(
            points,
            start=start,
            end=today,
            label=f"{heading}: share compliant at each month's end since {formatting.day(start)}",
        )
        if points
        else "",
        "points": [
            (day, members, compliant, compliance_chart.rate(members, compliant))
            for day, members, compliant in points
        ],
    }


def _months_back(today: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` months before ``today``'s."""
    first = dt.date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first - dt.timedelta(days=1)


@staff_page
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The staff landing page: the membership's compliance for the cycles ending in a year."""
    today = timezone.localdate()
    form = OverviewForm(request.GET or None, today=today)
    year = form.cleaned_data.get("year", "") if form.is_valid() else ""
    populations = [
        _population(body, heading, snapshot, year, today) for body, heading, snapshot in POPULATIONS
    ]
    years = [int(year)] if year else list(selectors.default_years(today))
    abps = abps_overview.abps_overview(today)
    return render(
        request,
        "staff/overview.html",
        {
            "form": form,
            "years": years,
            "populations": populations,
            "today": today,
            "projection_url": reverse("staff:projected_standing"),
            "abps": abps,
            "abps_rows": [
                (label, abps.met.get(code, 0), abps.not_met.get(code, 0))
                for code, label in ABPS_CODES
            ],
            "abps_list_url": reverse("staff:at_risk") + "?body=abps&status=",
        },
        status=400 if form.errors else 200,
    )


def _rows(summaries, today: dt.date) -> list[dict]:
    return [
        {
            "summary": summary,
            "member": summary.member,
            "days_left": (summary.cycle_end - today).days,
            "status": selectors.pace_of(summary, today),
            "lacks": selectors.shortfall_words(summary),
        }
        for summary in summaries
    ]


def _list_form(request: HttpRequest, today: dt.date) -> MembershipFilterForm:
    data = request.GET.copy()
    if "status" not in data:  # the members at risk unless the filter asks for another verdict
        data["status"] = rules.Pace.AT_RISK.value
    return MembershipFilterForm(data, today=today)


@staff_page
@require_GET
def at_risk(request: HttpRequest) -> HttpResponse:
    """The members a filter picks, what each lacks, paginated (a constant number of queries)."""
    today = timezone.localdate()
    form = _list_form(request, today)
    chosen = form.chosen()
    page = Paginator(selectors.matching(chosen, today=today), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    if "status" not in query:
        query["status"] = rules.Pace.AT_RISK.value
    return render(
        request,
        "staff/at_risk.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page.object_list, today),
            "chosen": chosen,
            "query": query.urlencode(),
            "csv_url": f"{reverse('staff:at_risk_csv')}?{query.urlencode()}",
            "years": list(chosen.years or selectors.default_years(today)),
        },
        status=400 if form.errors else 200,
    )


CSV_COLUMNS = [
    "asps_id",
    "last_name",
    "first_name",
    "email",
    "membership_type",
    "state",
    "standing",
    "cycle_start",
    "cycle_end",
    "days_left",
    "status",
    "lacks",
    "total_short",
    "category_1_short",
    "plastic_surgery_short",
    "patient_safety_short",
    "patient_safety_pending",
    "depends_on_pending",
]


class _Echo:
    """A file-like object that hands back what the CSV writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


def members_csv(chosen: MembershipFilter, today: dt.date) -> Iterator[str]:
    """The filtered list as CSV lines, read in chunks; every text cell safe from formulas."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(CSV_COLUMNS)
    for summary in selectors.matching(chosen, today=today).iterator(chunk_size=CSV_CHUNK):
        member = summary.member
        row = [
            member.asps_id,
            member.last_name,
            member.first_name,
            member.user.email,
            member.membership_type,
            member.state,
            member.standing,
            formatting.iso_day(summary.cycle_start),
            formatting.iso_day(summary.cycle_end),
            (summary.cycle_end - today).days,
            selectors.pace_of(summary, today).value,
            selectors.shortfall_words(summary),
            summary.total_short,
            summary.category_1_short,
            summary.plastic_surgery_short,
            summary.patient_safety_short,
            summary.patient_safety_pending,
            "yes" if summary.depends_on_pending else "no",
        ]
        yield writer.writerow([safe_cell(value) for value in row])


@staff_page
@require_GET
def at_risk_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as a CSV file, streamed."""
    today = timezone.localdate()
    form = _list_form(request, today)
    if not form.is_valid():
        return HttpResponse(
            "The filters are not valid: correct them on the list first.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        members_csv(form.chosen(), today), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = attachment_disposition(
        f"members-{formatting.iso_day(today)}.csv"
    )
    return response


@staff_page
@require_GET
def projected_standing(request: HttpRequest) -> HttpResponse:
    """Who goes on probation, is suspended or dropped, by date, if nothing changes."""
    today = timezone.localdate()
    form = ProjectionForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    within = data.get("within_days") or 365
    projections = standing_projection.projected_standing(
        today=today, within_days=within, to=data.get("to", "")
    )
    page = Paginator(projections, PROJECTION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = standing_projection.counts(projections)
    return render(
        request,
        "staff/projected_standing.html",
        {
            "form": form,
            "page": page,
            "within": within,
            "last": today + dt.timedelta(days=within),
            "today": today,
            "counts": [(Standing(step).label, counts[step]) for step in counts],
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )
