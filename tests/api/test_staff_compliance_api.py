"""``/api/v1/staff/compliance/`` and ``/summary/``: who may ask, what each filter picks, the
pages, and the counts held to the pure rules member by member on generated data."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench.loaddata import LoadSize, generate
from bench.records import bulk_members
from credits import compliance_summary_services, rules, selectors
from credits.models import CreditEntry, ReviewStatus
from credits.rules import pace, verdicts
from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Member, Standing
from tests.factories import CreditEntryFactory, MemberFactory, UserFactory, in_cme_staff
from tests.today import TODAY, shifted

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/compliance/"
SUMMARY = "/api/v1/staff/compliance/summary/"
CODES = ("total", "category_1", "plastic_surgery", "patient_safety")


@pytest.fixture
def staff(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


def entries(member: Member, count: int, **fields: object) -> None:
    """``count`` alike Category 1 entries (5 credits, 4 in plastic surgery, 1 patient-safety
    credit approved unless said otherwise) in the member's current cycle."""
    values = {"patient_safety_credits": Decimal("1"), "review_status": ReviewStatus.APPROVED}
    CreditEntryFactory.create_in_bulk(count, member=member, **{**values, **fields})


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["member"]["asps_id"] for row in response.json()["results"]]


# --- Who may ask -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, SUMMARY])
def test_members_and_staff_outside_the_group_get_404_and_staff_without_two_factor_403(
    path, alice, staff_user
):
    no2fa = in_cme_staff(UserFactory(email="new-staff@example.org", is_staff=True))
    client = APIClient()
    assert client.get(path).status_code == 401
    for user in (alice.user, staff_user):
        client.force_authenticate(user)
        assert client.get(path).status_code == 404
    client.force_authenticate(no2fa)
    refused = client.get(path)
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["detail"]


def test_a_staff_token_works_and_loses_access_with_its_second_factor(reviewer):
    from allauth.mfa.models import Authenticator
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    assert client.get(SUMMARY).status_code == 200

    Authenticator.objects.filter(user=reviewer).delete()
    assert client.get(SUMMARY).status_code == 403


# --- The filters ---------------------------------------------------------------------------------


@pytest.fixture
def membership(db):
    """One member per case, all in the cycle 2025-2027 (with the default "today") unless said:

    met, on track (credits keep pace), at risk (none yet), pending (met only with claims under
    review), no_ps (short of patient safety only), texan (TX), asaps, abps, probation,
    resident (not held to the requirement), soon (cycle ends in 15 days, nothing earned)."""
    made = {}

    def member(key: str, **fields: object) -> Member:
        made[key] = MemberFactory(asps_id=f"{len(made) + 50000}", last_name=key, **fields)
        return made[key]

    entries(member("met"), 30)
    entries(member("on_track"), 16)
    member("at_risk")
    entries(
        member("pending"),
        30,
        patient_safety_credits=Decimal("1"),
        review_status=ReviewStatus.PENDING,
    )
    entries(member("no_ps"), 30, patient_safety_credits=Decimal("0"))
    entries(member("texan", state="TX"), 30)
    entries(member("asaps", asaps_member=True), 30)
    entries(member("abps", abps_certification_year=2020), 30)
    entries(member("probation", standing=Standing.PROBATION), 30)
    entries(member("resident", membership_type="resident"), 30)
    member("soon", cycle_start=shifted(dt.date(2017, 7, 1)))  # 2023-07-01 to 2026-06-30
    compliance_summary_services.refresh()
    return {key: value.asps_id for key, value in made.items()}


def picked(staff, membership, query: str) -> set[str]:
    names = {asps_id: key for key, asps_id in membership.items()}
    return {names[asps_id] for asps_id in ids(staff.get(f"{LIST}?{query}"))}


HELD = {"met", "on_track", "at_risk", "pending", "no_ps", "texan", "asaps", "abps", "probation"}
HELD_ALL = HELD | {"soon"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", HELD_ALL),
        ("status=compliant", HELD - {"on_track", "at_risk", "no_ps"}),
        ("status=on_track", {"on_track"}),
        ("status=at_risk", {"at_risk", "no_ps", "soon"}),
        (f"status=short&years={shifted(dt.date(2024, 1, 1)).year}", HELD - {"soon"}),
        ("requirement=patient_safety", {"on_track", "at_risk", "no_ps", "soon"}),
        ("requirement=total", {"on_track", "at_risk", "soon"}),
        ("ends_within_days=30", {"soon"}),
        ("ends_within_days=30&status=compliant", set()),
        ("membership_type=resident", {"resident"}),
        ("state=tx", {"texan"}),
        ("body=asaps", {"asaps"}),
        ("body=abps", {"abps"}),
        ("body=asps", HELD_ALL),
        ("standing=probation", {"probation"}),
        ("pending_only=true", {"pending"}),
        ("pending_only=false", HELD_ALL),
        (f"years={TODAY.year}", {"soon"}),
        (f"years={TODAY.year}&years={TODAY.year + 1}", HELD_ALL),
    ],
)
def test_each_filter_picks_its_members(staff, membership, query, expected):
    assert picked(staff, membership, query) == expected


def test_rows_sort_by_days_left_or_by_deficit(staff, membership):
    by_days = ids(staff.get(f"{LIST}?status=at_risk"))
    by_deficit = ids(staff.get(f"{LIST}?status=at_risk&sort=deficit"))

    assert by_days[0] == membership["soon"]  # its cycle ends first
    assert by_deficit[-1] == membership["no_ps"]  # short of 20 credits, the others of 150
    assert sorted(by_days) == sorted(by_deficit)


def test_a_row_says_what_the_member_lacks(staff, membership):
    (row,) = staff.get(f"{LIST}?status=at_risk&requirement=patient_safety&sort=deficit").json()[
        "results"
    ][-1:]

    no_ps = Member.objects.get(asps_id=membership["no_ps"])
    assert row["member"] == {
        "asps_id": no_ps.asps_id,
        "name": no_ps.full_name,
        "email": no_ps.user.email,
        "membership_type": "active",
        "state": "IL",
        "standing": "good",
    }
    cycle = rules.current_cycle(no_ps.cycle_start, TODAY)
    assert (row["cycle_start"], row["cycle_end"]) == (
        cycle.start.isoformat(),
        cycle.end.isoformat(),
    )
    assert row["days_left"] == (cycle.end - TODAY).days
    assert (row["status"], row["met"], row["depends_on_pending"]) == ("at_risk", False, False)
    assert row["short_by"] == "20.00"
    assert row["requirements"] == [
        {"code": "total", "label": "Total (Cat. 1 + Cat. 2)", "required": "150.00",
         "counted": "150.00", "short": "0.00"},
        {"code": "category_1", "label": "AMA PRA Category 1", "required": "60.00",
         "counted": "150.00", "short": "0.00"},
        {"code": "plastic_surgery", "label": "Plastic surgery", "required": "50.00",
         "counted": "120.00", "short": "0.00"},
        {"code": "patient_safety", "label": "Patient safety", "required": "20.00",
         "counted": "0.00", "short": "20.00"},
    ]  # fmt: skip


def test_the_summary_counts_what_the_list_lists(staff, membership):
    counts = staff.get(SUMMARY).json()

    assert counts["members"] == len(HELD_ALL)
    assert (counts["compliant"], counts["on_track"], counts["at_risk"], counts["short"]) == (
        6,
        1,
        3,
        0,
    )
    assert counts["depends_on_pending"] == 1
    assert counts["standing"] == {"good": 9, "probation": 1, "suspended": 0, "dropped": 0}
    by_code = {row["code"]: row for row in counts["requirements"]}
    assert by_code["patient_safety"]["short_count"] == 4
    assert counts["years"] == [TODAY.year, TODAY.year + 1]
    assert counts["as_of"] == TODAY.isoformat()
    filtered = staff.get(f"{SUMMARY}?status=at_risk&body=asps").json()
    assert filtered["members"] == filtered["at_risk"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=late", "status"),
        ("status=", "status"),
        ("requirement=cme", "requirement"),
        ("years=20x6", "years"),
        ("years=1900", "years"),
        ("years=", "years"),
        ("ends_within_days=-1", "ends_within_days"),
        ("ends_within_days=soon", "ends_within_days"),
        ("ends_within_days=", "ends_within_days"),
        ("membership_type=fellow", "membership_type"),
        ("body=aaps", "body"),
        ("standing=excellent", "standing"),
        ("pending_only=maybe", "pending_only"),
        ("sort=name", "sort"),
        ("state=", "state"),
    ],
)
@pytest.mark.parametrize("path", [LIST, SUMMARY])
def test_a_wrong_value_answers_400_naming_its_parameter(staff, path, query, field):
    response = staff.get(f"{path}?{query}")

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert all(isinstance(message, str) for message in errors[field])


def test_a_pages_form_reads_empty_fields_as_not_chosen():
    from django.http import QueryDict

    from credits.api.staff_compliance import read_filter

    chosen, errors = read_filter(
        QueryDict("status=&years=&state=&ends_within_days=&pending_only=on&sort=deficit"),
        form=True,
    )
    assert errors == {}
    assert (chosen.status, chosen.years, chosen.state, chosen.ends_within_days) == (
        "",
        (),
        "",
        None,
    )
    assert (chosen.pending_only, chosen.sort) == (True, "deficit")
    _, errors = read_filter(QueryDict("status=late"), form=True)
    assert list(errors) == ["status"]


# --- Pages and queries -------------------------------------------------------------------------


def test_the_list_comes_in_pages_of_50(staff):
    bulk_members(
        range(55),
        asps_id="T{n:05}",
        email="t{n}@example.org",
        last_name="Paged",
        cycle_start=shifted(dt.date(2016, 1, 1)),
    )
    compliance_summary_services.refresh()

    first = staff.get(LIST).json()
    second = staff.get(first["next"]).json()

    assert (first["count"], len(first["results"]), first["previous"]) == (55, 50, None)
    assert (len(second["results"]), second["next"]) == (5, None)
    seen = [row["member"]["asps_id"] for row in first["results"] + second["results"]]
    assert sorted(seen) == [f"T{n:05}" for n in range(55)]
    assert staff.get(f"{LIST}?page=3").status_code == 404


def queries(staff, path: str) -> int:
    staff.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert staff.get(path).status_code == 200
    return len(captured)


def test_the_same_queries_for_10_members_as_for_200(staff):
    def add(numbers: range) -> None:
        bulk_members(
            numbers,
            asps_id="T{n:05}",
            email="t{n}@example.org",
            last_name="Q",
            cycle_start=shifted(dt.date(2016, 1, 1)),
        )
        compliance_summary_services.refresh()

    add(range(10))
    few = {path: queries(staff, path) for path in (f"{LIST}?status=at_risk", SUMMARY)}
    add(range(10, 200))
    many = {path: queries(staff, path) for path in few}

    assert many == few
    assert len(staff.get(f"{LIST}?status=at_risk").json()["results"]) == 50


# --- The counts against the pure rules, member by member --------------------------------------


def judged(member: Member, window: rules.Window) -> dict[str, object]:
    """What the pure rules say of one member's cycle as of today, from the member's own
    entries: the status, what is short, and whether the verdict is met only thanks to the
    claims under review (a requirement "Met (pending review)", as the dashboard words it)."""
    totals = selectors.totals_for(member, window)
    compliance = rules.evaluate(totals, rules.ASPS)
    results = [compliance.requirement(rules.RequirementCode(code)) for code in CODES]
    behind = rules.behind_from(window, [(r.counted, r.required) for r in results])
    provisional = [verdicts.requirement_status(r) == verdicts.Status.MET_PENDING for r in results]
    return {
        "status": pace.status(
            met=compliance.compliant, cycle_end=window.end, behind=behind, as_of=TODAY
        ).value,
        "short": {r.code.value: r.remaining for r in results},
        "depends_on_pending": compliance.compliant and any(provisional),
    }


def expected_counts(members: list[Member], years: set[int]) -> dict[str, object]:
    counts: dict[str, object] = dict.fromkeys(
        ["members", *(p.value for p in rules.Pace), "depends_on_pending"], 0
    )
    counts["short_count"] = dict.fromkeys(CODES, 0)
    counts["short_credits"] = dict.fromkeys(CODES, Decimal(0))
    counts["standing"] = dict.fromkeys(Standing.values, 0)
    for member in members:
        current = rules.current_cycle(member.cycle_start, TODAY)
        for window in (current, current.previous()):
            if window.end.year not in years:
                continue
            verdict = judged(member, window)
            counts["members"] += 1
            counts[verdict["status"]] += 1
            counts["depends_on_pending"] += verdict["depends_on_pending"]
            counts["standing"][member.standing] += 1
            for code, short in verdict["short"].items():
                counts["short_count"][code] += short > 0
                counts["short_credits"][code] += short
    return counts


def answered_counts(answer: dict) -> dict[str, object]:
    counts = {
        key: answer[key]
        for key in ["members", *(p.value for p in rules.Pace), "depends_on_pending", "standing"]
    }
    counts["short_count"] = {row["code"]: row["short_count"] for row in answer["requirements"]}
    counts["short_credits"] = {
        row["code"]: Decimal(row["short_credits"]) for row in answer["requirements"]
    }
    return counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_counts_equal_the_pure_rules_member_by_member(staff, seed):
    rng = random.Random(seed)
    generate(
        LoadSize(members=36, entries_per_member=rng.choice([70, 90, 110]), seed=seed), today=TODAY
    )
    for member in Member.objects.all():
        member.standing = rng.choice(Standing.values)
        member.asaps_member = rng.random() < 0.3
        member.abps_certification_year = rng.choice([None, None, 2018])
        member.save()
        if rng.random() < 0.4:  # some record much less
            pks = sorted(member.credit_entries.values_list("pk", flat=True))
            dropped = rng.sample(pks, len(pks) - rng.randint(0, 40))
            CreditEntry.objects.filter(pk__in=dropped).delete()
    compliance_summary_services.refresh()
    years = {TODAY.year - 2, TODAY.year - 1, TODAY.year, TODAY.year + 1, TODAY.year + 2}
    query = "&".join(f"years={year}" for year in sorted(years))
    held = list(Member.objects.filter(membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT))

    everyone = answered_counts(staff.get(f"{SUMMARY}?{query}").json())
    asaps = answered_counts(staff.get(f"{SUMMARY}?{query}&body=asaps").json())

    assert everyone == expected_counts(held, years)
    assert asaps == expected_counts([m for m in held if m.asaps_member], years)
    assert everyone["at_risk"] and everyone["compliant"] and everyone["short"]
    for status in rules.Pace:
        listed = staff.get(f"{LIST}?{query}&status={status.value}").json()
        assert listed["count"] == everyone[status.value]
        for row in listed["results"]:
            member = Member.objects.get(asps_id=row["member"]["asps_id"])
            window = rules.Window(
                dt.date.fromisoformat(row["cycle_start"]), dt.date.fromisoformat(row["cycle_end"])
            )
            assert judged(member, window)["status"] == row["status"] == status.value
