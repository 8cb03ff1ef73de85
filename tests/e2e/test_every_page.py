"""Every page a member, a reviewer and a visitor can open, in a real browser: none is wider
than a phone (390 px), and axe-core finds no serious or critical problem at desktop and phone
width. One browser, one live server, one login per kind of user, the pages in a loop; every
failing page is reported (with its width or its violations), not just the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.csrf import csrf_failure

from cmetrack.errors import server_error
from credits import certificate_reading, compliance_summary_services, rules
from credits.compliance_summary_services import refresh
from credits.demo import load_demo_certification, load_demo_entries
from credits.membership_selectors import MembershipFilter
from credits.models import ComplianceSnapshot, CreditEntry, Source
from credits.review_services import audit_start, review_decide
from imports.models import ImportRejection, ImportRun
from members.invitations import invitation_link
from reports import cme_report, group_reminders
from reports.models import GroupReminderRun, GroupReminderSend
from tests.certificate_files import certificate_pdf
from tests.factories import (
    CreditEntryFactory,
    MemberFactory,
    UserFactory,
    cme_staff_group,
    in_cme_staff,
    with_two_factor,
)

# Serialized rollback restores what data migrations made (providers, the CME staff group).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Routes that are not pages a person opens: downloads, POST-only actions, redirects, steps of
# a login in progress, and allauth features this site does not turn on. Every other named
# route of the site must be in the pages below (test_every_page_is_listed).
NOT_PAGES = {
    "healthz": "a health check for the load balancer",
    "send_email_verification": "POST only",
    "credits:delete": "POST only",
    "credits:restore": "POST only (the Undo of a deletion)",
    "credits:read": "POST only (Start from a certificate sends the file)",
    "credits:tracer_delete": "POST only",
    "credits:certificate": "a file download",
    "reports:cme_pdf": "a file download (PDF)",
    "reports:cme_csv": "a file download (CSV)",
    "staff:import_rejections_csv": "a file download (CSV of the rejected rows)",
    "mfa_download_recovery_codes": "a file download",
    "staff:group_reminder_status": "JSON the group reminder page's script polls",
    "staff:at_risk_csv": "a file download (CSV of the members listed)",
    "account_set_password": "a redirect: every account has a password",
    "account_request_reauthentication_code": "login by code is not turned on",
    "account_confirm_reauthentication_code": "login by code is not turned on",
    "account_confirm_login_code": "login by code is not turned on",
    "mfa_authenticate": "the second step of a login in progress (tests/e2e/test_member_journeys)",
}
OPENED: set[str] = set()  # the route names the pages below open


@dataclass
class Page:
    name: str
    path: str
    status: int = 200


@dataclass
class World:
    member: object
    reviewer: object
    pages: dict[str, list[Page]]


def invitation_path(user) -> str:
    """The path of a new member's invitation link (the welcome page)."""
    OPENED.add("account_welcome")
    return urlsplit(invitation_link(user)).path


def world(tmp_path, settings) -> World:
    """A member with a full record (ASAPS and ABPS too), a reviewer who decided some of it,
    an audit, imports, an issued report: every page has something to show."""
    settings.MEDIA_ROOT = tmp_path
    cme_staff_group()  # made again if an earlier browser test emptied the tables
    today = timezone.localdate()
    member = MemberFactory(
        user__email="surgeon@example.org", first_name="Grace", last_name="Hopper-Lindqvist"
    )
    member.cycle_start = dt.date(today.year - 1, 1, 1)
    member.save(update_fields=["cycle_start"])
    load_demo_entries(member, today=today)
    load_demo_certification(member, today=today)
    reviewer = UserFactory(email="reviewer@example.org", is_staff=True, is_superuser=True)
    in_cme_staff(with_two_factor(reviewer))
    RecoveryCodes.activate(reviewer)  # the recovery codes page shows them

    with_certificate = CreditEntryFactory(
        member=member,
        title="Aesthetic Breast Surgery: Managing Complications of Implant-Based Augmentation",
        end_date=today - dt.timedelta(days=40),
        certificate=SimpleUploadedFile("certificate-of-attendance-2026.pdf", PDF),
    )
    rejected = CreditEntryFactory(member=member, end_date=today - dt.timedelta(days=60))
    review_decide(
        entry=rejected, decision="reject", note="Not a patient-safety topic.", by=reviewer
    )
    imported = CreditEntryFactory(
        member=member,
        title="Plastic Surgery The Meeting 2025",
        source=Source.SOCIETY_IMPORT,
        end_date=today - dt.timedelta(days=90),
        patient_safety_credits=Decimal("0"),
        patient_safety_kind="",
    )
    audit = audit_start(
        members=[member],
        window=rules.Window(member.cycle_start, today),
        note="Please send the certificates of your Category 1 activities.",
        by=reviewer,
    )
    requested = CreditEntry.objects.filter(documentation_requests__isnull=False).first()
    pending = CreditEntry.objects.filter(review_status="pending").first()
    tracer = member.tracer_procedures.first()

    report = cme_report.build_report(
        member, rules.current_cycle(member.cycle_start, today), as_of=today, is_cycle=True
    )
    issued = cme_report.issue_report(report, generated_by=member.user)

    done = ImportRun.objects.create(
        kind=ImportRun.Kind.MEETING_CREDITS,
        file_name="plastic-surgery-the-meeting-2025-attendance-final-v3.csv",
        content="asps_id,session_code,credits\n",
        status=ImportRun.Status.DONE,
        created=120,
        rejected=1,
        uploaded_by=reviewer,
    )
    ImportRejection.objects.create(
        run=done,
        line=7,
        row={"asps_id": "99999999", "session_code": "PSTM25-BREAST-RECONSTRUCTION-SYMPOSIUM"},
        reason="No member with ASPS ID 99999999: the row names a member not on the roster.",
    )
    failed = ImportRun.objects.create(
        kind=ImportRun.Kind.ROSTER,
        file_name="roster.csv",
        content="",
        status=ImportRun.Status.FAILED,
        error="The header must be asps_id,first_name,last_name,credentials,email,"
        "membership_type,joined_on,cycle_start,city,state,country,asaps_member,"
        "abps_certification_year;the_file_had_something_else_entirely_unbroken",
        uploaded_by=reviewer,
    )

    compliance_summary_services.refresh([member.pk], today=today)
    reminded = group_reminders.run_start(MembershipFilter(), by=reviewer, today=today)
    group_reminders.send_group_reminders(reminded.pk)
    sending = GroupReminderRun.objects.create(
        as_of=today, filter={"requirement": "patient_safety"}, status="running", planned=5000
    )
    GroupReminderSend.objects.create(
        run=sending, member=member, status="failed", error="SMTP 550: mailbox unavailable"
    )
    GroupReminderRun.objects.filter(pk=sending.pk).update(sent=1200, skipped=40, failed=1)

    staff_overview_data(today)
    invited = MemberFactory(user__email="new.member@example.org").user
    invited.set_unusable_password()
    invited.save(update_fields=["password"])

    certificate = certificate_pdf()
    read = certificate_reading.keep(
        user=member.user, upload=SimpleUploadedFile("course.pdf", certificate, "application/pdf")
    )
    certificate_reading.read_kept(user_id=member.user.pk, token=read.token)
    reading = certificate_reading.keep(
        user=member.user, upload=SimpleUploadedFile("photo.pdf", certificate, "application/pdf")
    )

    def url(name, *args, query=""):
        OPENED.add(name)
        return reverse(name, args=args) + (f"?{query}" if query else "")

    pages = {
        "visitor": [
            Page("login", url("account_login")),
            Page("password reset", url("account_reset_password")),
            Page("password reset sent", url("account_reset_password_done")),
            Page(
                "password reset, bad link",
                url("account_reset_password_from_key", "1", "bad-key"),
            ),
            Page("password changed", url("account_reset_password_from_key_done")),
            Page("welcome, bad link", url("account_welcome", "1", "bad-key")),
            Page("welcome", invitation_path(invited)),
            Page("sign-up closed", url("account_signup")),
            Page("verification email sent", url("account_email_verification_sent")),
            Page("email confirmation, bad link", url("account_confirm_email", "bad-key")),
            Page("verify", url("reports:verify", issued.code)),
            Page("account inactive", url("account_inactive")),
            Page("404 visitor", "/no-such-page/", 404),
        ],
        "member": [
            Page("dashboard", url("dashboard")),
            Page("entries", url("credits:list")),
            Page("entries previous cycle", url("credits:list", query="cycle=previous")),
            Page("submit", url("credits:new")),
            Page(
                "submit, read from a certificate",
                url("credits:new", query=urlencode({"reading": read.token})),
            ),
            Page(
                "reading a certificate",
                url("credits:reading", query=urlencode({"c": reading.token})),
            ),
            Page("entry with certificate", url("credits:detail", with_certificate.pk)),
            Page("entry pending", url("credits:detail", pending.pk)),
            Page("entry rejected", url("credits:detail", rejected.pk)),
            Page("entry imported", url("credits:detail", imported.pk)),
            Page("entry documentation requested", url("credits:detail", requested.pk)),
            Page("tracer procedures", url("credits:tracer_list")),
            Page("tracer procedure", url("credits:tracer_detail", tracer.pk)),
            Page("report", url("reports:cme")),
            Page("report previous cycle", url("reports:cme", query="cycle=previous")),
            Page(
                "report date range",
                url(
                    "reports:cme",
                    query=f"cycle=range&start={today.year - 1}-01-01&end={today.isoformat()}",
                ),
            ),
            Page("password change", url("account_change_password")),
            Page("email addresses", url("account_email")),
            Page("log out", url("account_logout")),
            Page("two-factor", url("mfa_index")),
            Page("two-factor set-up (confirm access)", url("mfa_activate_totp")),
            Page("confirm access", url("account_reauthenticate")),
            Page("404 member", "/credits/999999/", 404),
            Page("403 admin", "/admin/", 403),
        ],
        "reviewer": [
            Page("overview", url("staff:home")),
            Page("overview, a year", url("staff:home", query=f"year={today.year + 2}")),
            Page("at risk", url("staff:at_risk")),
            Page("members, by deficit", url("staff:at_risk", query="status=&sort=deficit")),
            Page(
                "at risk, a bad filter",
                url("staff:at_risk", query="ends_within_days=-1&body=mars"),
                400,
            ),
            Page("projected standing", url("staff:projected_standing")),
            Page("review queue", url("staff:reviews")),
            Page("review queue, all", url("staff:reviews", query="status=")),
            Page("review claim", url("staff:review", with_certificate.pk)),
            Page("members", url("staff:members")),
            Page("members search", url("staff:members", query="q=Hopper")),
            Page("member", url("staff:member", member.asps_id)),
            Page("member's report", url("reports:cme", query=f"member={member.asps_id}")),
            Page("audits", url("staff:audits")),
            Page("audit", url("staff:audit", audit.pk)),
            Page("imports", url("staff:imports")),
            Page("import run", url("staff:import", done.pk)),
            Page("import run failed", url("staff:import", failed.pk)),
            Page("security log", url("staff:security_log")),
            Page("invite staff", url("staff:invite")),
            Page("group reminders", url("staff:group_reminders")),
            Page("remind these members", url("staff:group_reminder_new", query="status=")),
            Page(
                "remind, a filter that cannot be read",
                url("staff:group_reminder_new", query="requirement=all"),
                400,
            ),
            Page("group reminder done", url("staff:group_reminder", reminded.pk)),
            Page("group reminder sending", url("staff:group_reminder", sending.pk)),
            Page("two-factor (staff)", url("mfa_index")),
            Page("recovery codes", url("mfa_view_recovery_codes")),
            Page("new recovery codes", url("mfa_generate_recovery_codes")),
            Page("turn off two-factor", url("mfa_deactivate_totp")),
            Page("confirm access with a code", url("mfa_reauthenticate")),
        ],
    }
    return World(member=member, reviewer=reviewer, pages=pages)


def staff_overview_data(today: dt.date) -> None:
    """Members whose cycles end this year and next, some behind, some on probation, with
    long names; the compliance summaries and three years of month-end snapshots."""
    for index in range(12):
        start = dt.date(today.year - 2 - (index % 2), 1, 1)
        member = MemberFactory(
            first_name="Maximiliana-Josefine",
            last_name=f"Castellanos-Whitfield {index}",
            cycle_start=start,
            asaps_member=index % 3 == 0,
            standing=("good", "probation", "suspended")[index % 3],
            standing_since=today - dt.timedelta(days=100 + index),
        )
        for _ in range(index):  # no claim: the review queue's own data stays as it was
            CreditEntryFactory(
                member=member,
                end_date=start + dt.timedelta(days=40 * index),
                patient_safety_credits=Decimal("0"),
                patient_safety_kind="",
            )
    refresh()
    month_end = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    for month in range(36):
        for population in ("asps", "asaps"):
            ComplianceSnapshot.objects.create(
                month_end=month_end, population=population, members=1200, compliant=700 + month
            )
        month_end = month_end.replace(day=1) - dt.timedelta(days=1)


def logged_in_context(browser, live_server, user, viewport):
    """A browser context with the user's session (force_login: the login form has its own
    tests), so each kind of user costs one context, not a login per page."""
    context = browser.new_context(viewport=viewport)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['impact']}: {violation['id']} ({len(violation['nodes'])}×, e.g. "
        f"{violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def too_wide(page) -> list[str]:
    """The innermost elements that reach past the right edge, to say what to fix."""
    return page.evaluate(
        """() => {
          const out = el => el.getBoundingClientRect().right > window.innerWidth + 1;
          return [...document.body.querySelectorAll('*')]
            .filter(el => out(el) && ![...el.children].some(out))
            .slice(0, 3)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
        }"""
    )


def header_links_off_screen(page) -> list[str]:
    """Links and buttons of the header that are past the right edge (hidden in a scroll)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('header a, header button')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map(el => el.textContent.trim())"""
    )


def phone_problems(page) -> list[str]:
    """At phone width: wider than the screen, header links past its edge, axe's findings."""
    found = []
    if (width := page.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
        found.append(f"{width} px wide at 390 ({', '.join(too_wide(page))})")
    if hidden := header_links_off_screen(page):
        found.append(f"header links past the right edge: {hidden}")
    return found + [f"phone {v}" for v in serious_violations(page)]


def check_pages(page, live_server, pages: list[Page], problems: dict[str, list[str]]) -> None:
    """Open each page at phone width (width and axe), then at desktop width (axe)."""
    for entry in pages:
        found = problems.setdefault(entry.name, [])
        page.set_viewport_size(PHONE)
        response = page.goto(f"{live_server.url}{entry.path}")
        if response.status != entry.status:
            found.append(f"answered {response.status}, expected {entry.status}")
            continue
        found += phone_problems(page)
        page.set_viewport_size(DESKTOP)
        found += [f"desktop {v}" for v in serious_violations(page)]


def serve_error_pages(page, live_server) -> list[Page]:
    """The 500 page as Django's handler renders it (no context processors, no database) and
    the CSRF failure page, served under the live server so their stylesheet loads."""
    anonymous_post = RequestFactory().post("/")
    anonymous_post.user = AnonymousUser()
    pages = {
        "500": (500, server_error(RequestFactory().get("/"))),
        "403 form expired": (403, csrf_failure(anonymous_post)),
    }

    def answer(status: int, html: str):
        return lambda route: route.fulfill(status=status, body=html, content_type="text/html")

    for status, response in pages.values():
        page.route(f"{live_server.url}/__{status}__", answer(status, response.content.decode()))
    return [Page(name, f"/__{status}__", status) for name, (status, _) in pages.items()]


def report(problems: dict[str, list[str]]) -> None:
    failing = {name: found for name, found in problems.items() if found}
    assert not failing, "\n" + "\n".join(
        f"{name}: {'; '.join(found)}" for name, found in failing.items()
    )


def route_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in ("admin",) or str(pattern.pattern).startswith("api/"):
                continue  # the admin is Django's; the API answers JSON (tests/api)
            names |= route_names(pattern.url_patterns, f"{namespace}{inner}:" if inner else "")
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_page_is_listed(tmp_path, settings):
    """A new page is opened by the browser test below, or said here not to be a page."""
    world(tmp_path, settings)
    missing = route_names(get_resolver().url_patterns) - OPENED - NOT_PAGES.keys()
    assert not missing, f"add these pages to world() (or to NOT_PAGES): {sorted(missing)}"


def test_every_page_fits_a_phone_and_passes_axe(browser, live_server, tmp_path, settings):
    data = world(tmp_path, settings)
    users = {"visitor": None, "member": data.member.user, "reviewer": data.reviewer}
    problems: dict[str, list[str]] = {}
    for kind, user in users.items():
        context = logged_in_context(browser, live_server, user, PHONE)
        page = context.new_page()
        check_pages(page, live_server, data.pages[kind], problems)
        if kind == "visitor":
            check_pages(page, live_server, serve_error_pages(page, live_server), problems)
        context.close()
    report(problems)


def test_the_import_page_with_a_wrong_header_fits_a_phone(browser, live_server):
    """The error printed the expected header in one unbroken line (1,453 px on a phone)."""
    reviewer = in_cme_staff(with_two_factor(UserFactory(is_staff=True)))
    context = logged_in_context(browser, live_server, reviewer, PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/imports/")
    wrong = "asps_id,first_name,last_name,email,membership_type,joined_on,cycle_start\n1,A,B,,,,\n"
    form = page.locator("form", has=page.locator("input[name='meeting_credits-file']"))
    form.locator("input[type=file]").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": wrong.encode()}
    )
    with page.expect_navigation(wait_until="load"):  # the stylesheet applied, not just the DOM
        form.locator("button[type=submit]").click()
    assert page.locator(".errorlist").count() >= 1
    problems = {"imports, wrong header": phone_problems(page)}
    context.close()
    report(problems)
