"""Every activity counted once (docs/rules.md "Counted once"), as a property: members driven
through the services have the compliance of the rules applied to their distinct activities.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits import counted, rules, selectors, services
from credits.models import CreditEntry
from reports import cme_report
from tests.credits.counted_once_helpers import (
    HAND_COURSE,
    TODAY,
    YEAR_2025,
    row,
    run_import,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(alice):
    return alice


# --- The property: compliance equals the rules applied to the distinct activities -----------

ACTIVITIES = [
    # (title, provider or "" for Category 2, start, end, credits, patient-safety credits)
    ("Hand Course 2025", "ACS", dt.date(2025, 3, 10), dt.date(2025, 3, 10), "10", "2"),
    ("Spring Meeting 2025", "ACS", dt.date(2025, 4, 3), dt.date(2025, 4, 5), "21.25", "12"),
    ("Breast Symposium", "Baker Gordon", dt.date(2025, 5, 1), dt.date(2025, 5, 2), "13", "0"),
    ("Breast Symposium", "Baker Gordon", dt.date(2025, 9, 1), dt.date(2025, 9, 2), "13", "3"),
    ("Journal reading", "", dt.date(2025, 6, 1), dt.date(2025, 6, 1), "4.5", "1"),
]


def variant(title: str, how: int) -> str:
    """The same title as people and files spell it."""
    return [
        title,
        title.upper(),
        title.replace(" ", ""),
        f"  {title.lower()}. ",
        title.replace(" ", ", ", 1),
    ][how]


operations = st.lists(
    st.one_of(
        st.tuples(st.just("self"), st.integers(0, 4), st.integers(0, 4)),
        st.tuples(st.just("import"), st.integers(0, 4), st.integers(0, 4), st.sampled_from("AB")),
        st.tuples(st.just("reject"), st.integers(0, 4)),
        st.tuples(st.just("delete"), st.integers(0, 4)),
    ),
    min_size=1,
    max_size=10,
)


def _values(activity: int, how: int) -> dict:
    title, provider, start, end, credits, ps = ACTIVITIES[activity]
    return {
        **HAND_COURSE,
        "title": variant(title, how),
        "category": 1 if provider else 2,
        "provider": provider,
        "start_date": start,
        "end_date": end,
        "credits": Decimal(credits),
        "patient_safety_credits": Decimal(ps),
        "plastic_surgery_credits": Decimal(credits),
    }


def expected_totals(state: dict[int, dict]) -> rules.Totals:
    """The rules applied to the member's distinct activities: each counted once, from the
    society's record when there is one, else from the member's entry."""
    row = {key: Decimal(0) for key in rules.Totals().as_row()}
    for activity, facts in state.items():
        if not (facts["imported"] or facts["own"]):
            continue
        _, provider, _, _, credits, ps = ACTIVITIES[activity]
        credits, ps = Decimal(credits), Decimal(ps)
        category = "category_1" if provider else "category_2"
        row[category] += credits
        row["plastic_surgery"] += credits
        if facts["imported"] or not facts["rejected"]:
            row["ps_general"] += ps
            row[f"ps_{category}"] += ps
            if not facts["imported"] and ps:
                row["ps_pending"] += ps
    return rules.Totals.from_row(row)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_compliance_equals_the_rules_applied_to_the_distinct_activities(reviewer, ops):
    from credits import review_services

    with transaction.atomic():
        member = MemberFactory()
        # activity -> what exists: the member's own entry, imported, its claim rejected
        state: dict[int, dict] = {}
        for op in ops:
            kind, activity = op[0], op[1]
            facts = state.setdefault(activity, {"own": None, "imported": False, "rejected": False})
            if kind == "self":
                try:
                    entry = services.entry_create(
                        member=member, values=_values(activity, op[2]), today=TODAY
                    )
                except ValidationError as error:
                    # Refused only as a repeat of what already counts for that activity.
                    assert isinstance(error, counted.DuplicateEntry)
                    assert facts["own"] is not None or facts["imported"]
                else:
                    assert facts["own"] is None and not facts["imported"]
                    facts.update(own=entry.pk, rejected=False)
            elif kind == "import":
                title, provider, start, end, credits, ps = ACTIVITIES[activity]
                run_import(
                    row(
                        member,
                        activity_code=f"ACT{activity}-{op[3]}",
                        activity_title=variant(title, op[2]),
                        provider=provider,
                        category="1" if provider else "2",
                        start_date=start.isoformat(),
                        end_date=end.isoformat(),
                        credits=credits,
                        patient_safety_credits=ps,
                        plastic_surgery_credits=credits,
                    )
                )
                facts["imported"] = True
            elif facts["own"] is not None:
                entry = CreditEntry.objects.get(pk=facts["own"])
                if kind == "delete" and entry.counts:
                    services.entry_delete(entry=entry)
                    facts.update(own=None, rejected=False)
                elif kind == "reject" and entry.patient_safety_credits:
                    review_services.review_decide(
                        entry=entry, decision="reject", note="No certificate.", by=reviewer
                    )
                    facts["rejected"] = True

        expected = rules.evaluate(expected_totals(state))
        totals = selectors.totals_for(member, YEAR_2025)
        assert totals == expected_totals(state), (ops, state, totals, expected_totals(state))
        assert rules.evaluate(totals) == expected
        # The standing job's and the report's totals are the same set.
        by_member = selectors.totals_by_member(start=YEAR_2025.start, end=YEAR_2025.end)
        assert by_member.get(member.pk, rules.Totals()) == totals
        report = cme_report.build_report(member, YEAR_2025, as_of=TODAY, is_cycle=False)
        assert sum((e.credits for e in report.entries), Decimal(0)) == (
            totals.category_1 + totals.category_2
        )
        # Each distinct activity is one counted entry.
        assert CreditEntry.objects.filter(member=member).counted().count() == sum(
            1 for facts in state.values() if facts["own"] or facts["imported"]
        )
        transaction.set_rollback(True)
