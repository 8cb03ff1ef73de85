"""The member's dashboard and the CME report (page, PDF, data file), and report verification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cmetrack.http import attachment_disposition, safe_filename, site_url
from credits import certification_selectors, rules, selectors
from credits.forms import WindowForm
from members import access
from members.models import Member
from reports import cme_report
from reports.actions import MEMBER_LINKS, actions_needed
from reports.dashboard_data import dashboard_data
from reports.models import IssuedReport
from reports.pdf import html_to_pdf
from reports.ways_to_earn import WaysToEarn, ways_to_earn


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if access.lands_on_staff_overview(request.user):
        return redirect("staff:home")
    member = getattr(request.user, "member", None)
    if member is None:
        return render(request, "reports/no_member.html")
    today = timezone.localdate()
    cycle = rules.current_cycle(member.cycle_start, today)
    data = dashboard_data(member, cycle, today)  # cached under the member's version
    totals, reviews = data.totals, data.reviews
    compliance = rules.evaluate(totals, rules.ASPS)
    verdict = rules.verdict(compliance.requirements)
    # One panel per further body (ASAPS, ABPS): docs/rules.md §6.
    bodies = certification_selectors.bodies_for(
        member, totals=totals, as_of=today, include_asps=False
    )
    held_count, held = selectors.held_meeting_credits(member)
    context = {
        "member": member,
        "cycle": cycle,
        "days_left": cycle.days_left(today),
        "compliance": compliance,
        "verdict": verdict,
        "bodies": bodies,
        "actions": actions_needed(
            reviews=reviews,
            entries=data.needing_action,
            held_count=held_count,
            held=held,
            verdicts=dashboard_verdicts(member, compliance, verdict, bodies),
        ),
        "ways_to_earn": ways_to_earn(
            member=member,
            totals=totals,
            compliance=compliance,
            bodies=bodies,
            window=cycle,
            as_of=today,
        ),
        "links": MEMBER_LINKS,
        "chart": data.chart,
        "reviews": reviews,
        "decisions": data.decisions,
        "recent_entries": data.recent_entries,
    }
    return render(request, "reports/dashboard.html", context)


def dashboard_verdicts(
    member: Member,
    compliance: rules.Compliance,
    verdict: rules.Verdict,
    bodies: list[certification_selectors.BodyStatus],
) -> list[tuple[str, rules.Verdict]]:
    """The verdicts the dashboard shows, once each: a society judged by the same numbers as
    ASPS (ASAPS) adds nothing to say."""
    shown = [("ASPS" if bodies else "", verdict)] if member.asps_member else []
    for body in bodies:
        if body.compliance is None:
            continue
        if member.asps_member and body.compliance.requirements == compliance.requirements:
            continue
        shown.append((body.code.upper(), rules.verdict(body.compliance.requirements)))
    return shown


def report_member(request: HttpRequest) -> Member:
    """The member whose report is asked for: one's own, or any member's for CME staff.

    ``?member=<asps_id>`` from anyone but staff is a 404 (the README's list of pages).
    """
    return access.member_for(request.user, request.GET.get("member"))


def requested_report(request: HttpRequest) -> tuple[WindowForm, cme_report.CmeReport | None]:
    member = report_member(request)
    window_form = WindowForm(request.GET or None)
    if window_form.is_bound and not window_form.is_valid():
        return window_form, None
    today = timezone.localdate()
    window = window_form.window(cycle_start=member.cycle_start, today=today)
    is_cycle = not (window_form.is_bound and window_form.cleaned_data.get("start"))
    return window_form, cme_report.build_report(member, window, as_of=today, is_cycle=is_cycle)


def bad_parameters(window_form: WindowForm) -> HttpResponse:
    problems = "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in window_form.errors.items()
    )
    return HttpResponse(
        f"Bad report parameters — {problems}", status=400, content_type="text/plain"
    )


def report_ways_to_earn(
    request: HttpRequest, report: cme_report.CmeReport | None
) -> WaysToEarn | None:
    """The resources for the member's own report of the current cycle: not for another
    cycle or a date range, nor for staff reading a member's report."""
    if report is None or report.is_range or report.member.user_id != request.user.pk:
        return None
    if report.window != rules.current_cycle(report.member.cycle_start, report.as_of):
        return None
    return ways_to_earn(
        member=report.member,
        totals=report.totals,
        compliance=report.compliance,
        bodies=report.bodies,
        window=report.window,
        as_of=report.as_of,
    )


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    window_form, report = requested_report(request)
    context = {
        "report": report,
        "ways_to_earn": report_ways_to_earn(request, report),
        "window_form": window_form,
        "member_param": request.GET.get("member", ""),
        "query": request.GET.urlencode(),
        "links": MEMBER_LINKS,
    }
    return render(request, "reports/cme_report.html", context, status=200 if report else 400)


def report_filename(report: cme_report.CmeReport, extension: str) -> str:
    """``cme-report-<ASPS ID>-<end date>.<ext>``, from safe characters whatever the ID holds."""
    return safe_filename(
        "cme-report", report.member.asps_id, f"{report.window.end:%Y-%m-%d}", extension=extension
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    window_form, report = requested_report(request)
    if report is None:
        return bad_parameters(window_form)
    issued = cme_report.issue_report(report, generated_by=request.user)
    verify_url = site_url(reverse("reports:verify", args=[issued.code]))
    html = render_to_string(
        "reports/cme_report_pdf.html",
        {"report": report, "issued": issued, "verify_url": verify_url},
        request=request,
    )
    pdf = html_to_pdf(html, base_url=site_url("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = report_filename(report, "pdf")
    response["Content-Disposition"] = attachment_disposition(filename, inline=True)
    return response


@login_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    window_form, report = requested_report(request)
    if report is None:
        return bad_parameters(window_form)
    response = HttpResponse(cme_report.report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_disposition(report_filename(report, "csv"))
    return response


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what a certifying board needs to trust a printed report, nothing more."""
    issued = get_object_or_404(IssuedReport.objects.select_related("member"), code=code)
    return render(
        request,
        "reports/verify.html",
        {"issued": issued, "verdict": cme_report.issued_verdict(issued)},
    )
