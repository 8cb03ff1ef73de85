"""What an entry may claim (AMA direct credit, how long one entry may span, the State), as pure
rules (``credits.entry_rules``), and where they are documented.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import entry_rules
from credits.rules import ActivityType, Category, add_years
from tests.credits.entry_claims_helpers import (
    SERIES_MESSAGE,
    STATE_MESSAGE,
    TEACHING_MESSAGE,
    days,
)

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
