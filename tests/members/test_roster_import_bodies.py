"""The roster's optional body columns: asps_member, asaps_member,
abps_certification_year, abps_special_circumstances. The documented columns are unchanged."""

from __future__ import annotations

import pytest

from imports import services
from imports.models import ImportRun
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

HEADER = "asps_id,email,first_name,last_name,membership_type,joined_on,cycle_start"
BODIES = "asaps_member,abps_certification_year,abps_special_circumstances,asps_member"


def run_import(text: str) -> ImportRun:
    run = services.run_create(kind=ImportRun.Kind.ROSTER, file_name="roster.csv", content=text)
    return services.perform_run(run.pk)


def test_a_file_without_the_body_columns_gives_the_defaults():
    run_import(f"{HEADER}\n30001,carol@example.org,Carol,Chen,active,2019-03-09,\n")

    member = Member.objects.get(asps_id="30001")
    assert (member.asps_member, member.asaps_member) == (True, False)
    assert member.abps_certification_year is None
    assert member.abps_special_circumstances is False


def test_the_body_columns_set_a_new_member():
    run = run_import(
        f"{HEADER},{BODIES}\n30001,carol@example.org,Carol,Chen,active,2019-03-09,,Yes,2021,no,1\n"
    )

    assert run.created == 1
    member = Member.objects.get(asps_id="30001")
    assert member.asaps_member is True
    assert member.abps_certification_year == 2021
    assert member.abps_special_circumstances is False


def test_empty_body_cells_leave_an_existing_member_as_they_are():
    member = MemberFactory(
        asps_id="30001",
        user__email="carol@example.org",
        first_name="Carol",
        last_name="Chen",
        joined_on="2019-03-09",
        cycle_start="2020-01-01",
        asaps_member=True,
        abps_certification_year=2018,
    )

    run = run_import(
        f"{HEADER},{BODIES}\n30001,carol@example.org,Carol,Chen,active,2019-03-09,,,,yes,\n"
    )

    member.refresh_from_db()
    assert run.updated == 1
    assert (member.asaps_member, member.abps_certification_year) == (True, 2018)
    assert member.abps_special_circumstances is True


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (",,maybe,,,", "asaps_member: “maybe” is not yes or no."),
        (",,,21,,", "abps_certification_year: “21” is not a certification year"),
        (",,,²,,", "abps_certification_year: “²” is not a certification year"),  # a "digit"
        (",,,,yes,", "Only ABPS diplomates come under the Special Circumstances policy"),
    ],
)
def test_bad_body_values_are_rejected_with_the_reason(cells, reason):
    run = run_import(
        f"{HEADER},{BODIES}\n30001,carol@example.org,Carol,Chen,active,2019-03-09{cells}\n"
    )

    assert run.rejected == 1
    assert reason in run.rejections.get().reason
    assert not Member.objects.exists()
