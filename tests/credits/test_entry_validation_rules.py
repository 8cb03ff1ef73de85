"""What an entry may claim: AMA direct credit, how long one entry may span, the State.

The rules are pure (``credits.entry_rules``); the one validation service applies them to the
submission form, the API and the imports, so each reproduction is refused in all three.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from credits import abps_import, entry_rules, meeting_import, services
from credits.models import CreditEntry, Provider
from credits.rules import ActivityType, Category, add_years
from imports import services as common
from imports.models import ImportRun

TODAY = dt.date(2026, 11, 22)
DIRECT_CREDIT = sorted(entry_rules.DIRECT_CREDIT_TYPES)
TEACHING_MESSAGE = (
    "Teaching is AMA PRA Category 1 only when awarded directly by the AMA: choose the "
    "American Medical Association as provider, or Category 2."
)
STATE_MESSAGE = "State is required for an activity in the United States"
SERIES_MESSAGE = "Only a year-long regularly scheduled series may be combined into one entry"

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


# --- The pure rules ------------------------------------------------------------------------


@given(
    kind=st.sampled_from(list(ActivityType)),
    category=st.sampled_from(list(Category)),
    by_ama=st.booleans(),
)
def test_direct_credit_category_1_needs_the_ama_and_nothing_else_is_touched(kind, category, by_ama):
    problem = entry_rules.direct_credit_problem(kind, category, by_ama=by_ama)

    refused = kind in entry_rules.DIRECT_CREDIT_TYPES and category == 1 and not by_ama
    assert (problem is not None) == refused
    if refused:
        assert "only when awarded directly by the AMA" in problem
        assert "choose the American Medical Association as provider, or Category 2" in problem


def test_the_teaching_message_names_the_rule():
    assert entry_rules.direct_credit_problem("teaching", 1, by_ama=False) == TEACHING_MESSAGE


@pytest.mark.parametrize(
    ("name", "abbreviation", "expected"),
    [
        ("American Medical Association (direct credit)", "AMA", True),
        ("american  medical association", "", True),
        ("AMA", "", True),
        ("Northwestern University Feinberg School of Medicine", "", False),
        ("American Medical Association Alliance of Anything", "", False),
        ("Amateur Medical Academy", "AMAC", False),
    ],
)
def test_which_provider_is_the_ama(name, abbreviation, expected):
    assert entry_rules.names_the_ama(name, abbreviation) is expected


@given(start=days, length=st.integers(min_value=0, max_value=3 * 366))
def test_a_series_spans_at_most_one_year(start, length):
    end = start + dt.timedelta(days=length)

    problem = entry_rules.span_problem("rss", start, end)

    within_a_year = end < add_years(start, 1)
    assert (problem is None) == within_a_year
    if problem:
        assert problem.startswith(SERIES_MESSAGE)


@given(
    kind=st.sampled_from(list(ActivityType)),
    start=days,
    length=st.integers(min_value=0, max_value=9 * 366),
)
def test_every_bound_is_a_real_bound_and_residency_keeps_its_own_rule(kind, start, length):
    end = start + dt.timedelta(days=length)
    limit = entry_rules.SPAN_LIMITS.get(kind)

    problem = entry_rules.span_problem(kind, start, end)

    if kind == ActivityType.RESIDENCY:
        assert limit is None and problem is None
    else:
        assert (problem is None) == (end <= limit.last_day(start))
        assert entry_rules.span_problem(kind, start, start) is None  # one day is always fine


def test_the_bounds_chosen():
    start = dt.date(2025, 3, 1)
    live = entry_rules.SPAN_LIMITS[ActivityType.LIVE_ACTIVITY]
    assert live.last_day(start) == dt.date(2025, 3, 31)  # 31 days, both included
    assert entry_rules.SPAN_LIMITS[ActivityType.RSS].last_day(start) == dt.date(2026, 2, 28)
    assert entry_rules.SPAN_LIMITS[ActivityType.JOURNAL_ARTICLE].years == 1
    assert entry_rules.SPAN_LIMITS[ActivityType.ADVANCED_DEGREE].years == 7
    assert entry_rules.span_problem("live_activity", start, dt.date(2025, 4, 1)) == (
        "A live activity (meeting, course, workshop) spans at most 31 days in one entry: "
        "Mar 1, 2025 to Apr 1, 2025 is longer (at most until Mar 31, 2025). Enter each activity "
        "as its own entry. Only a regularly scheduled series may combine sessions, for up to "
        "a year."
    )


@pytest.mark.parametrize(
    "country",
    ["United States", "united  states", "USA", "U.S.A.", "US", "u.s.", "United States of America"],
)
def test_state_is_required_in_the_united_states(country):
    assert entry_rules.is_united_states(country)
    assert STATE_MESSAGE in entry_rules.state_problem(country, " ")
    assert entry_rules.state_problem(country, "IL") is None


@pytest.mark.parametrize("country", ["Canada", "Brazil", "Australia", "Russia", "Belarus"])
def test_state_is_optional_elsewhere(country):
    assert not entry_rules.is_united_states(country)
    assert entry_rules.state_problem(country, "") is None


def test_the_pure_rules_import_nothing_from_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(entry_rules))
    modules = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [m for m in modules if m and m.startswith(("django", "credits.models"))]


# --- Reproductions, through the service, the form, the API and the import -----------------

# (values changed from a good entry, field named, words of the message)
REPRODUCTIONS = {
    "teaching from a university": (
        {
            "activity_type": "teaching",
            "provider": "Northwestern University Feinberg School of Medicine",
        },
        "category",
        TEACHING_MESSAGE,
    ),
    "a three-year series": (
        {
            "activity_type": "rss",
            "start_date": dt.date(2022, 1, 1),
            "end_date": dt.date(2024, 12, 31),
            "credits": Decimal("100"),
            "plastic_surgery_credits": Decimal("100"),
        },
        "end_date",
        SERIES_MESSAGE,
    ),
    "no state in the United States": ({"state": ""}, "state", STATE_MESSAGE),
}


def valid(**changes: object) -> dict:
    values = {
        "title": "Grand Rounds 2025",
        "activity_type": "live_activity",
        "category": 1,
        "provider": "Baker Gordon Educational Foundation",
        "start_date": dt.date(2025, 3, 20),
        "end_date": dt.date(2025, 3, 22),
        "credits": Decimal("13"),
        "patient_safety_credits": Decimal("0"),
        "patient_safety_kind": "general",
        "plastic_surgery_credits": Decimal("13"),
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }
    return values | changes


def as_text(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in values.items()}


def service_errors(member, **changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.check_entry(member=member, values=valid(**changes), today=TODAY)
    return caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPRODUCTIONS)
def test_each_reproduction_is_refused_by_the_service(alice, case):
    changes, field, message = REPRODUCTIONS[case]

    errors = service_errors(alice, **changes)

    assert any(message in text for text in errors[field]), errors


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPRODUCTIONS)
def test_each_reproduction_is_refused_by_the_form_next_to_its_field(alice, client, case):
    changes, field, message = REPRODUCTIONS[case]
    client.force_login(alice.user)

    response = client.post(reverse("credits:new"), as_text(valid(**changes)))

    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert message.split(":")[0] in body
    assert not CreditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPRODUCTIONS)
def test_each_reproduction_is_a_400_naming_the_field_in_the_api(alice, case):
    changes, field, message = REPRODUCTIONS[case]
    api = APIClient()
    api.force_authenticate(alice.user)

    response = api.post("/api/v1/credits/", as_text(valid(**changes)), format="json")

    assert response.status_code == 400, response.content
    assert any(message in text for text in response.json()[field])
    assert not CreditEntry.objects.exists()


@pytest.mark.django_db
def test_the_api_gives_every_broken_rule_at_once(alice):
    api = APIClient()
    api.force_authenticate(alice.user)
    values = valid(
        activity_type="teaching",
        provider="A University",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 6, 30),
        state="",
    )

    response = api.post("/api/v1/credits/", as_text(values), format="json")

    assert response.status_code == 400
    assert {"category", "end_date", "state"} <= set(response.json())


@pytest.mark.django_db
def test_an_old_entry_breaking_a_rule_must_be_mended_when_edited(alice):
    """An edit goes through the same check: the member fixes the entry to keep it."""
    entry = services.entry_create(member=alice, values=valid(), today=TODAY)
    api = APIClient()
    api.force_authenticate(alice.user)

    response = api.patch(f"/api/v1/credits/{entry.pk}/", {"state": ""}, format="json")

    assert response.status_code == 400
    assert STATE_MESSAGE in response.json()["state"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DIRECT_CREDIT)
@pytest.mark.parametrize("typed", ["AMA", "American Medical Association", "ama"])
def test_direct_credit_from_the_ama_is_accepted_and_stored_with_the_known_provider(
    alice, kind, typed
):
    checked = services.check_entry(
        member=alice, values=valid(activity_type=kind, provider=typed), today=TODAY
    )

    assert checked.provider == Provider.objects.get(abbreviation="AMA")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DIRECT_CREDIT)
def test_direct_credit_from_anyone_else_is_refused_but_category_2_is_fine(alice, kind):
    errors = service_errors(alice, activity_type=kind)
    assert "only when awarded directly by the AMA" in errors["category"][0]

    checked = services.check_entry(
        member=alice, values=valid(activity_type=kind, category=2, provider=""), today=TODAY
    )
    assert checked.provider is None


@pytest.mark.django_db
def test_a_year_long_series_and_a_state_outside_the_united_states_are_fine(alice):
    checked = services.check_entry(
        member=alice,
        values=valid(
            activity_type="rss",
            start_date=dt.date(2024, 9, 4),
            end_date=dt.date(2025, 9, 3),
            country="Canada",
            state="",
        ),
        today=TODAY,
    )

    assert checked.values["state"] == ""


@pytest.mark.django_db
def test_a_two_month_meeting_is_refused(alice):
    errors = service_errors(alice, start_date=dt.date(2025, 1, 10), end_date=dt.date(2025, 3, 10))

    assert "spans at most 31 days in one entry" in errors["end_date"][0]


@pytest.mark.django_db
def test_residency_keeps_its_own_rule(alice):
    checked = services.check_entry(
        member=alice,
        values=valid(
            activity_type="residency",
            start_date=dt.date(2019, 7, 1),
            end_date=dt.date(2022, 6, 30),
            credits=Decimal("150"),
            plastic_surgery_credits=Decimal("150"),
        ),
        today=TODAY,
    )

    assert checked.values["credits"] == Decimal("150.00")


# --- Imports ---------------------------------------------------------------------------------

MEETING_HEADER = ",".join((*meeting_import.MEETING_REQUIRED, "activity_type"))
ABPS_HEADER = ",".join((*abps_import.ABPS_REQUIRED, "activity_type"))


def csv_text(header: str, *rows: dict[str, str]) -> str:
    columns = header.split(",")
    return "\n".join([header, *(",".join(r.get(c, "") for c in columns) for r in rows)]) + "\n"


def meeting_row(**changes: str) -> dict[str, str]:
    return {
        "asps_id": "20001",
        "activity_code": "PSTM25-S101",
        "activity_title": "Plastic Surgery The Meeting 2025",
        "provider": "ASPS",
        "start_date": "2025-10-10",
        "end_date": "2025-10-12",
        "category": "1",
        "credits": "7.5",
        "patient_safety_credits": "0",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "7.5",
        "evaluation_completed_on": "2025-10-20",
        "activity_type": "live_activity",
    } | changes


def abps_row(**changes: str) -> dict[str, str]:
    return {
        "asps_id": "20001",
        "abps_record_id": "R1",
        "record_type": "cc_exam",
        "title": "",
        "completed_on": "2024-06-14",
        "credits": "",
        "patient_safety_credits": "0",
    } | changes


def run_import(kind: str, text: str) -> ImportRun:
    run = common.run_create(kind=kind, file_name="file.csv", content=text)
    return common.perform_run(run.pk)


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


@pytest.mark.django_db
def test_meeting_rows_breaking_the_rules_are_rejected_with_the_reason(member):
    text = csv_text(
        MEETING_HEADER,
        meeting_row(),
        meeting_row(activity_code="T1", activity_type="teaching"),
        meeting_row(
            activity_code="GR", activity_type="rss", start_date="2022-01-01", end_date="2024-12-31"
        ),
        meeting_row(activity_code="LONG", start_date="2025-01-10", end_date="2025-10-12"),
        meeting_row(activity_code="T2", activity_type="teaching", category="2", provider=""),
    )

    run = run_import(ImportRun.Kind.MEETING_CREDITS, text)

    assert (run.created, run.rejected) == (2, 3)
    reasons = {r.line: r.reason for r in run.rejections.all()}
    assert reasons[3] == f"category: {TEACHING_MESSAGE}"
    assert reasons[4].startswith(f"end_date: {SERIES_MESSAGE}")
    assert "spans at most 31 days in one entry" in reasons[5]


@pytest.mark.django_db
def test_an_imported_row_takes_the_members_home_and_needs_no_state(member):
    """The files carry no place: a member without a state on file still gets the import."""
    member.state = ""
    member.save()

    run = run_import(ImportRun.Kind.MEETING_CREDITS, csv_text(MEETING_HEADER, meeting_row()))

    assert (run.created, run.rejected) == (1, 0)
    assert CreditEntry.objects.get().state == ""


@pytest.mark.django_db
def test_the_abps_exam_is_direct_credit_from_the_ama_and_imports(member):
    run = run_import(ImportRun.Kind.ABPS, csv_text(ABPS_HEADER, abps_row()))

    assert (run.created, run.rejected) == (1, 0)
    entry = CreditEntry.objects.get()
    assert (entry.activity_type, entry.provider.abbreviation) == ("board_certification", "AMA")


@pytest.mark.django_db
def test_an_abps_activity_claiming_board_certification_from_the_board_is_rejected(member):
    text = csv_text(
        ABPS_HEADER,
        abps_row(
            abps_record_id="R2",
            record_type="cc_activity",
            title="Recertification",
            credits="10",
            activity_type="board_certification",
        ),
    )

    run = run_import(ImportRun.Kind.ABPS, text)

    assert (run.created, run.rejected) == (0, 1)
    assert "only when awarded directly by the AMA" in run.rejections.get().reason


def test_the_rules_are_documented():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    rules_doc = (root / "docs" / "rules.md").read_text()
    section = rules_doc.split("## What an entry may claim", 1)[1].split("\n## ", 1)[0]
    for words in ("directly by the AMA", "31 days", "one year", "State", "imports"):
        assert words in section
    assert "directly by the AMA" in (root / "README.md").read_text()
