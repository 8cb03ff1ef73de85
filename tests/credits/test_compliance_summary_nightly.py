"""The nightly check of the compliance summaries, the month-end snapshots and their backfill,
the chart's selector, and the statuses read from the summaries held to the pure rules on
random members (docs/rules.md §1 "The membership's compliance")."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from credits import compliance_snapshots, compliance_summary_services, rules, selectors
from credits.abps_overview import abps_overview
from credits.membership_selectors import MembershipFilter, matching, monthly_compliance
from credits.models import ComplianceSnapshot, ComplianceSummary, CreditEntry
from credits.rules.pace import status as pace_status
from reports import standing_job
from tests.factories import CreditEntryFactory, MemberFactory

pytestmark = pytest.mark.django_db

# Fixed days: nothing here reads the clock.
MONTH_END = dt.date(2026, 4, 30)
MID_MONTH = dt.date(2026, 5, 12)


def _entry(member, day: dt.date, credits: str, ps: str = "0", **fields) -> CreditEntry:
    if fields.get("category") == 2:
        fields["provider"] = None  # Category 2 names no provider
    ps = str(min(Decimal(ps), Decimal(credits)))
    return CreditEntryFactory(
        member=member,
        end_date=day,
        credits=Decimal(credits),
        patient_safety_credits=Decimal(ps),
        plastic_surgery_credits=Decimal(credits),
        **fields,
    )


def _members() -> list:
    """Members on cycles of their own, some ahead of pace, some behind, one not held."""
    ahead = MemberFactory(cycle_start=dt.date(2025, 1, 1), joined_on=dt.date(2020, 1, 1))
    behind = MemberFactory(cycle_start=dt.date(2025, 1, 1), joined_on=dt.date(2020, 1, 1))
    met = MemberFactory(
        cycle_start=dt.date(2024, 7, 1), joined_on=dt.date(2020, 1, 1), asaps_member=True
    )
    diplomate = MemberFactory(
        cycle_start=dt.date(2023, 1, 1), joined_on=dt.date(2010, 1, 1), abps_certification_year=2020
    )
    MemberFactory(cycle_start=dt.date(2025, 1, 1), membership_type="retired")
    MemberFactory(cycle_start=dt.date(2027, 1, 1), joined_on=dt.date(2026, 2, 1))  # not begun
    _entry(ahead, dt.date(2025, 6, 1), "60", "12", category=1)
    _entry(ahead, dt.date(2025, 11, 1), "30", "8", category=1)
    _entry(behind, dt.date(2025, 2, 1), "5")
    _entry(met, dt.date(2025, 1, 10), "100", "20")
    _entry(met, dt.date(2025, 3, 10), "60", "5")
    _entry(diplomate, dt.date(2024, 3, 1), "90", "10")
    return [ahead, behind, met, diplomate]


# --- The nightly check ----------------------------------------------------------------------


def test_the_nightly_job_refreshes_every_summary_and_counts_the_stale_ones():
    members = _members()
    first = standing_job.evaluate_standing(as_of=MID_MONTH)
    assert first.stale_summaries == 2 * 6  # nothing was there: every member's two rows
    again = standing_job.evaluate_standing(as_of=MID_MONTH)
    assert again.stale_summaries == 0
    ComplianceSummary.objects.filter(member=members[0], cycle_start=dt.date(2025, 1, 1)).update(
        total=Decimal("1")
    )
    CreditEntry.objects.filter(member=members[1]).update(credits=Decimal("150"))  # no service
    third = standing_job.evaluate_standing(as_of=MID_MONTH)
    assert third.stale_summaries == 2  # the spoilt row and the row of the silent write
    assert third.snapshots == 0  # not a month's end


def test_the_check_writes_nothing_when_nothing_is_stale():
    _members()
    compliance_summary_services.refresh(today=MID_MONTH)
    before = dict(ComplianceSummary.objects.values_list("pk", "refreshed_at"))
    assert compliance_summary_services.check(today=MID_MONTH).stale == 0
    assert dict(ComplianceSummary.objects.values_list("pk", "refreshed_at")) == before


def test_a_cycle_that_rolls_over_is_found_stale_and_the_old_row_goes():
    member = MemberFactory(cycle_start=dt.date(2023, 1, 1))
    compliance_summary_services.refresh(today=dt.date(2025, 12, 31))
    checked = compliance_summary_services.check(today=dt.date(2026, 1, 1))
    assert (checked.stale, checked.removed) == (2, 1)  # a new row, a moved one, one gone
    starts = ComplianceSummary.objects.filter(member=member).values_list("cycle_start", flat=True)
    assert sorted(starts) == [dt.date(2023, 1, 1), dt.date(2026, 1, 1)]


# --- Month-end snapshots --------------------------------------------------------------------


def _snapshot(month_end: dt.date) -> dict[str, tuple[int, int]]:
    return {
        s.population: (s.members, s.compliant)
        for s in ComplianceSnapshot.objects.filter(month_end=month_end)
    }


def _by_hand(month_end: dt.date, members: list) -> dict[str, tuple[int, int]]:
    """The definition, member by member: held, joined, cycle begun; compliant or on track."""
    counts = {p: [0, 0] for p in ComplianceSnapshot.Population.values}
    for member in members:
        window = rules.current_cycle(member.cycle_start, month_end)
        if member.joined_on > month_end or window.start > month_end:
            continue
        earned = rules.Window(window.start, month_end)
        values = compliance_summary_services.summarize(selectors.totals_for(member, earned), window)
        ok = pace_status(
            met=values["met"], cycle_end=window.end, behind=values["behind_from"], as_of=month_end
        ) in (rules.Pace.COMPLIANT, rules.Pace.ON_TRACK)
        for population, belongs in (
            ("asps", member.asps_member),
            ("asaps", member.asaps_member),
            ("abps", member.abps_certification_year is not None),
        ):
            if belongs:
                counts[population][0] += 1
                counts[population][1] += ok
    return {p: tuple(c) for p, c in counts.items()}


def test_on_a_month_s_last_day_the_job_records_the_snapshots():
    members = _members()
    run = standing_job.evaluate_standing(as_of=MONTH_END)
    assert run.snapshots == 3
    assert _snapshot(MONTH_END) == _by_hand(MONTH_END, members)
    assert _snapshot(MONTH_END)["asps"][0] == 4  # the retired and the not-yet-begun left out


def test_the_backfill_agrees_with_the_nightly_snapshot_and_with_the_definition():
    members = _members()
    standing_job.evaluate_standing(as_of=MONTH_END)
    nightly = _snapshot(MONTH_END)
    ComplianceSnapshot.objects.all().delete()
    written = compliance_snapshots.backfill(months=18, today=MID_MONTH)
    assert written == 18 * 3
    assert _snapshot(MONTH_END) == nightly
    for month_end in rules.month_ends(MID_MONTH, 18):
        assert _snapshot(month_end) == _by_hand(month_end, members), month_end


def test_the_backfill_command_is_idempotent_and_costs_no_query_per_member(
    django_assert_max_num_queries,
):
    _members()
    MemberFactory.create_batch(20, cycle_start=dt.date(2025, 1, 1))
    # Members (1), per cycle start one aggregate per cycle the months fall in (6 here), one
    # upsert per month end (12): 19, whatever the number of members.
    with django_assert_max_num_queries(19):
        call_command("backfill_compliance_snapshots", months=12, today=MID_MONTH, stdout=None)
    first = list(ComplianceSnapshot.objects.values_list("month_end", "population", "members"))
    call_command("backfill_compliance_snapshots", months=12, today=MID_MONTH)
    again = list(ComplianceSnapshot.objects.values_list("month_end", "population", "members"))
    assert first == again and len(again) == 36


def test_monthly_compliance_is_the_chart_s_series():
    _members()
    compliance_snapshots.backfill(months=40, today=MID_MONTH)
    series = monthly_compliance("asps", months=36, today=MID_MONTH)
    assert len(series) == 36
    assert series[-1].month_end == MONTH_END and series[0].month_end == dt.date(2023, 5, 31)
    assert [s.month_end for s in series] == sorted(s.month_end for s in series)
    _, members, compliant = series[-1]
    assert (members, compliant) == _snapshot(MONTH_END)["asps"]
    assert monthly_compliance("asps", months=36, today=MONTH_END)[-1].month_end == MONTH_END


def test_month_ends():
    assert rules.month_ends(dt.date(2026, 3, 1), 3) == [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
    ]
    assert rules.month_ends(dt.date(2024, 2, 29), 1) == [dt.date(2024, 2, 29)]
    assert rules.month_end(dt.date(2024, 2, 3)) == dt.date(2024, 2, 29)


# --- The ABPS overview ----------------------------------------------------------------------


def test_the_abps_overview_counts_each_requirement_of_the_coming_deadline(
    django_assert_max_num_queries,
):
    today = dt.date(2026, 5, 12)  # the coming deadline: 2026-12-01, year 3 of 2024's cycle
    done = MemberFactory(abps_certification_year=2024)
    short = MemberFactory(abps_certification_year=2024)
    special = MemberFactory(abps_certification_year=2024, abps_special_circumstances=True)
    MemberFactory(abps_certification_year=2025)  # year 3 is 2027: not this deadline
    _entry(done, dt.date(2025, 3, 1), "25", "20", review_status="approved")
    _entry(short, dt.date(2025, 3, 1), "25", "5", review_status="approved")
    _entry(special, dt.date(2025, 3, 1), "2", "2", review_status="approved")
    with django_assert_max_num_queries(3):
        overview = abps_overview(today)
    assert overview.deadline == dt.date(2026, 12, 1)
    assert overview.diplomates == 3
    assert overview.met == {
        "patient_safety": 1,
        "tracer_procedures": 0,
        "special_circumstances": 1,
    }
    assert overview.not_met == {
        "patient_safety": 1,
        "tracer_procedures": 2,
        "special_circumstances": 0,
    }


# --- The property: statuses from the summaries are the pure rules' ---------------------------


@pytest.mark.parametrize("seed", range(4))
def test_the_statuses_read_from_the_summaries_are_the_rules_applied_member_by_member(seed):
    chance = random.Random(seed)
    today = dt.date(2026, 1, 1) + dt.timedelta(days=chance.randrange(365))
    members = []
    for _ in range(12):
        start = dt.date(chance.randrange(2016, 2027), chance.choice([1, 4, 7]), 1)
        member = MemberFactory(cycle_start=start, joined_on=dt.date(2015, 1, 1))
        for _ in range(chance.randrange(0, 12)):
            day = start + dt.timedelta(days=chance.randrange(-400, 2 * 365))
            _entry(
                member,
                day,
                str(chance.choice([5, 10, 25, 40, 60])),
                str(chance.choice([0, 2, 5, 12, 20])),
                category=chance.choice([1, 1, 2]),
                review_status=chance.choice(["approved", "approved", "pending", "rejected"]),
                patient_safety_kind=chance.choice(["general", "quality_assurance"]),
            )
        members.append(member)
    compliance_summary_services.refresh(today=today)
    years = (today.year - 1, today.year, today.year + 1, today.year + 2)
    expected = set()
    for member in members:
        for window in compliance_summary_services.windows_of(member.cycle_start, today):
            if window.end.year not in years:
                continue
            compliance = rules.evaluate(selectors.totals_for(member, window))
            behind = rules.behind_from(
                window,
                [(r.counted, r.required) for r in compliance.requirements],
            )
            pace = pace_status(
                met=compliance.compliant, cycle_end=window.end, behind=behind, as_of=today
            )
            expected.add((member.pk, window.end, pace.value))
    found = set()
    for pace in rules.Pace:
        chosen = MembershipFilter(years=years, status=pace.value)
        found |= {(s.member_id, s.cycle_end, pace.value) for s in matching(chosen, today=today)}
    assert found == expected
    assert len(found) == len(expected) >= 12
    assert len({pace for *_, pace in found}) >= 3  # the seeds reach most statuses
