"""The staff's view of the membership over the load data (``make bench BENCH_ARGS=staff``):
the per-member compliance summaries refreshed for everyone, the overview, the at-risk list of
the API, the whole export, and a group reminder of 5,000 emails. docs/performance.md.

Measured on the database of DATABASE_URL, where the 20,000 members x 50 entries are generated
once and kept (``bench.loaddata``), after a full ``refresh()`` of the summaries (itself
measured). The queries of the at-risk list are counted there and, by :func:`measure_staff_queries`,
in the throw-away test database with a membership of 10: equal whatever the size.

Should the overview or the export not answer 200, the work it does is measured instead, and
the figure says so in its ``measured`` note.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Callable

from bench.metrics import Metric, timed

OVERVIEW_URL = "/staff/"  # the overview page, measured once it answers 200 for CME staff
AT_RISK_URL = "/api/v1/staff/compliance/?status=at_risk"
# The staff CSV export of the filtered list, any verdict (the list's default is the members at
# risk). Should it not answer 200, the export is measured as matching()'s rows written by
# Python's csv module instead, and the figure says so.
STAFF_CSV_URL = "/staff/members/at-risk.csv?status="
STAFF_EMAIL = "bench-staff@example.org"
SMALL_ASPS_ID_PREFIX = "S"  # the small membership of measure_staff_queries()


def progress(message: str) -> None:
    print(f"[staff] {message}", flush=True)


def cme_staff(email: str = STAFF_EMAIL):
    """CME staff with two-factor, made once and kept (the load database outlives a run)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from members.access import CME_STAFF_GROUP
    from members.models import User

    user, _ = User.objects.get_or_create(
        email=email, defaults={"password": make_password(None), "is_staff": True}
    )
    user.groups.add(Group.objects.get_or_create(name=CME_STAFF_GROUP)[0])
    if not is_mfa_enabled(user):
        TOTP.activate(user, generate_totp_secret())
    return user


def api_client(user):
    """A test client with a fresh API token of ``user`` (a kept one may have expired)."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def page_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get_ok(client, path: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass

    return get


def answers(client, path: str) -> bool:
    return client.get(path).status_code == 200


# --- The overview ------------------------------------------------------------------------------


def overview_selectors(today: dt.date) -> None:
    """What the overview reads until its page exists: the counts for the default filter, for
    the ASPS members and for the ASAPS members, the month-end series of both, and the ABPS
    diplomates at their coming 1 December deadline."""
    from credits import membership_selectors as selectors
    from credits.abps_overview import abps_overview

    for body in ("", "asps", "asaps"):
        selectors.overview_counts(selectors.MembershipFilter(body=body), today=today)
    for population in ("asps", "asaps"):
        selectors.monthly_compliance(population, today=today)
    abps_overview(today)


def measure_overview(client, today: dt.date, repeat: int) -> Metric:
    if answers(client, OVERVIEW_URL):
        action, how = get_ok(client, OVERVIEW_URL), f"the page {OVERVIEW_URL} (test client)"
    else:
        action = lambda: overview_selectors(today)  # noqa: E731
        how = "the overview's selectors (no overview page at /staff/ yet)"
    action()  # warm up
    progress(f"overview: {how}")
    ms = timed(action, repeat) * 1000
    return {"value": round(ms, 1), "unit": "ms", "limit": 300, "measured": how}


# --- The export --------------------------------------------------------------------------------

CSV_COLUMNS = [
    "asps_id",
    "name",
    "email",
    "membership_type",
    "state",
    "standing",
    "cycle_end",
    "days_left",
    "status",
    "short_by",
    "total_short",
    "category_1_short",
    "plastic_surgery_short",
    "patient_safety_short",
]


def export_rows(today: dt.date) -> int:
    """The whole filtered list (default filter) streamed through Python's csv writer: what
    the export does until the staff CSV view exists. Returns the rows written."""
    from credits import membership_selectors as selectors
    from credits.rules import pace

    out = csv.writer(io.StringIO())
    out.writerow(CSV_COLUMNS)
    rows = 0
    for row in selectors.matching(selectors.MembershipFilter(), today=today).iterator(2000):
        member = row.member
        status = pace.status(
            met=row.met, cycle_end=row.cycle_end, behind=row.behind_from, as_of=today
        )
        out.writerow(
            [
                member.asps_id,
                member.full_name,
                member.user.email,
                member.membership_type,
                member.state,
                member.standing,
                row.cycle_end.isoformat(),
                max((row.cycle_end - today).days, 0),
                status.value,
                row.short_by,
                row.total_short,
                row.category_1_short,
                row.plastic_surgery_short,
                row.patient_safety_short,
            ]
        )
        rows += 1
    return rows


def measure_export(client, today: dt.date) -> Metric:
    if answers(client, STAFF_CSV_URL):
        action, how = get_ok(client, STAFF_CSV_URL), f"the view {STAFF_CSV_URL} (test client)"
    else:
        action = lambda: export_rows(today)  # noqa: E731
        how = "matching() rows through Python's csv writer (no staff CSV view yet)"
    progress(f"export: {how}")
    seconds = timed(action, 3)
    return {"value": round(seconds, 2), "unit": "s", "limit": 5, "measured": how}


# --- The group reminder ------------------------------------------------------------------------


def measure_group_reminder(staff, today: dt.date, members: int = 5000) -> Metric:
    """``members`` group reminder emails queued and sent (the bench's locmem backend): a run of
    the default filter started (every member still short is queued), its sends cut to the
    first ``members`` (not timed), then sent as the Celery task sends them."""
    from django.core import mail

    from credits import membership_selectors as selectors
    from reports import group_reminders
    from reports.models import GroupReminderRun

    # The bench's earlier runs would hold their members for 7 days: start afresh.
    GroupReminderRun.objects.filter(started_by=staff).delete()
    mail.outbox = []
    started = time.perf_counter()
    run = group_reminders.run_start(selectors.MembershipFilter(), by=staff, today=today)
    queued_s = time.perf_counter() - started
    queued = run.planned
    first = run.sends.order_by("member_id").values_list("member_id", flat=True)[:members]
    run.sends.exclude(member_id__in=list(first)).delete()
    GroupReminderRun.objects.filter(pk=run.pk).update(planned=run.sends.count())
    started = time.perf_counter()
    done = group_reminders.send_group_reminders(run.pk)
    sent_s = time.perf_counter() - started
    seconds = queued_s + sent_s
    progress(
        f"group reminder: {queued} queued in {queued_s:.1f} s; {done.sent} sent, "
        f"{done.skipped} skipped, {done.failed} failed, {len(mail.outbox)} emails in {sent_s:.1f} s"
    )
    how = f"run_start() queued {queued} (all short, default filter), {done.sent} sent"
    label = f"{members // 1000}k" if members % 1000 == 0 else str(members)
    return {
        f"group_reminder_{label}_s": {
            "value": round(seconds, 2),
            "unit": "s",
            "limit": 30,
            "measured": how,
        }
    }


# --- Everything --------------------------------------------------------------------------------


def list_queries(client) -> int:
    from bench.queries import page_queries

    return page_queries(client, AT_RISK_URL)


def measure_staff(
    members: int = 20_000,
    entries_per_member: int = 50,
    seed: int = 1,
    repeat: int = 11,
    reminders: int = 5000,
) -> dict[str, Metric]:
    from django.utils import timezone

    from bench.loaddata import LoadSize, ensure
    from credits import compliance_summary_services

    label = f"{members // 1000}k" if members % 1000 == 0 else str(members)
    size = LoadSize(members, entries_per_member, seed)
    started = time.perf_counter()
    generated = ensure(size)
    elapsed = time.perf_counter() - started
    progress(
        f"load data: {size.label} " + (f"generated in {elapsed:.0f} s" if generated else "kept")
    )
    today = timezone.localdate()

    progress("refresh of every member's compliance summary…")
    started = time.perf_counter()
    written = compliance_summary_services.refresh(today=today)
    refresh_s = time.perf_counter() - started
    progress(f"refresh: {written} summaries in {refresh_s:.1f} s")

    staff = cme_staff()
    metrics: dict[str, Metric] = {
        f"compliance_refresh_{label}_s": {"value": round(refresh_s, 2), "unit": "s", "limit": 60}
    }
    metrics[f"staff_overview_{label}_ms"] = measure_overview(page_client(staff), today, repeat)
    progress(f"overview: {metrics[f'staff_overview_{label}_ms']['value']} ms")

    api = api_client(staff)
    at_risk = get_ok(api, AT_RISK_URL)
    at_risk()  # warm up
    ms = timed(at_risk, repeat) * 1000
    metrics[f"staff_at_risk_{label}_ms"] = {"value": round(ms, 1), "unit": "ms", "limit": 200}
    metrics[f"staff_at_risk_queries_{label}"] = {
        "value": list_queries(api),
        "unit": "queries",
        "limit": None,  # checked against staff_at_risk_queries_10 by main()
    }
    progress(f"at-risk list: {ms:.1f} ms")

    metrics[f"staff_csv_{label}_s"] = measure_export(page_client(staff), today)
    progress(f"export: {metrics[f'staff_csv_{label}_s']['value']} s")
    metrics.update(measure_group_reminder(staff, today, reminders))
    return metrics


def measure_staff_queries(members: int = 10) -> dict[str, Metric]:
    """The at-risk list's queries with a small membership (the throw-away test database):
    ``members`` Active members with no credits yet, all at risk."""
    from django.utils import timezone

    from bench.records import bulk_members
    from credits import compliance_summary_services
    from members.models import Member, MembershipType

    first = Member.objects.filter(asps_id__startswith=SMALL_ASPS_ID_PREFIX).count()
    # A cycle that began last January 1: it ends next year, among the list's default years.
    last_january = dt.date(timezone.localdate().year - 1, 1, 1)
    people = bulk_members(
        range(first, first + members),
        asps_id=SMALL_ASPS_ID_PREFIX + "{n:07}",
        email="small{n}@example.org",
        last_name="Small membership",
        membership_type=MembershipType.ACTIVE,
        cycle_start=last_january,
    )
    compliance_summary_services.refresh([member.pk for member in people])
    client = api_client(cme_staff())
    count = list_queries(client)
    rows = len(client.get(AT_RISK_URL).json()["results"])
    progress(f"at-risk list with {members} members: {count} queries, {rows} rows")
    return {f"staff_at_risk_queries_{members}": {"value": count, "unit": "queries", "limit": None}}


def queries_constant(metrics: dict[str, Metric], small: str, large: str) -> None:
    """The large membership's count must equal the small one's: its limit is that count."""
    if small in metrics and large in metrics:
        metrics[large]["limit"] = metrics[small]["value"]
