"""The projected standing page: who goes on probation, is suspended or dropped, and when, if
nothing changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bench.queries import page_queries
from credits.compliance_summary_services import refresh
from members.cycles import add_years
from tests.factories import CreditEntryFactory, MemberFactory
from tests.today import TODAY

pytestmark = pytest.mark.django_db

PAGE = "/staff/members/projected-standing/"
ENDING_THIS_YEAR = dt.date(TODAY.year - 2, 1, 1)
CYCLE_END = dt.date(TODAY.year, 12, 31)


def member(name: str, **fields):
    fields.setdefault("cycle_start", ENDING_THIS_YEAR)
    return MemberFactory(first_name=name, last_name="Projected", **fields)


@pytest.fixture
def world(db):
    behind = member("Behind")
    done = member("Done")
    CreditEntryFactory(
        member=done,
        end_date=ENDING_THIS_YEAR + dt.timedelta(days=5),
        credits=Decimal("160"),
        plastic_surgery_credits=Decimal("60"),
        patient_safety_credits=Decimal("25"),
        review_status="approved",
    )
    later = member("Later", cycle_start=dt.date(TODAY.year - 1, 1, 1))  # ends in 2 years
    life = member("Life", membership_type="life")
    abps_only = member("Abps", asps_member=False, abps_certification_year=2010)
    probation_since = TODAY - dt.timedelta(days=200)
    on_probation = member("Probation", standing="probation", standing_since=probation_since)
    suspended_since = TODAY - dt.timedelta(days=300)
    suspended = member("Suspended", standing="suspended", standing_since=suspended_since)
    dropped = member("Dropped", standing="dropped", standing_since=TODAY - dt.timedelta(days=9))
    refresh(today=TODAY)
    return {
        "behind": behind,
        "done": done,
        "later": later,
        "life": life,
        "abps_only": abps_only,
        "probation": (on_probation, add_years(probation_since, 1)),
        "suspended": (suspended, add_years(suspended_since, 1)),
        "dropped": dropped,
    }


def listed(response) -> list[tuple[str, str, dt.date]]:
    return [(p.member.first_name, p.to, p.on) for p in response.context["page"].object_list]


def test_each_member_headed_for_a_change_is_listed_by_date(reviewer_client, world):
    response = reviewer_client.get(PAGE)

    assert response.status_code == 200
    assert listed(response) == sorted(
        [
            ("Behind", "probation", CYCLE_END + dt.timedelta(days=1)),
            ("Probation", "suspended", world["probation"][1]),
            ("Suspended", "dropped", world["suspended"][1]),
        ],
        key=lambda row: row[2],
    )
    body = response.content.decode()
    assert f'href="/staff/members/{world["behind"].asps_id}/"' in body
    assert (
        "is not met yet (it lacks 150 total, 60 Category 1, 50 plastic surgery, 20 patient" in body
    )


def test_a_longer_period_reaches_later_cycles_and_a_step_can_be_chosen(reviewer_client, world):
    far = reviewer_client.get(f"{PAGE}?within_days=1000&to=probation")

    names = [name for name, to, _ in listed(far)]
    assert names == ["Behind", "Later"]
    assert [row[0] for row in listed(reviewer_client.get(f"{PAGE}?to=dropped"))] == ["Suspended"]


def test_a_bad_period_is_named_next_to_its_field(reviewer_client, world):
    response = reviewer_client.get(f"{PAGE}?within_days=0")

    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()


def test_the_page_takes_as_many_queries_for_many_members_as_for_few(reviewer_client, world):
    few = page_queries(reviewer_client, PAGE)
    for index in range(30):
        member(f"More{index}", standing=("good", "probation")[index % 2], standing_since=TODAY)
    refresh(today=TODAY)

    assert page_queries(reviewer_client, PAGE) == few
