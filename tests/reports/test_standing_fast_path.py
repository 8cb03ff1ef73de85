"""The standing job's fast path (make-up days measured only for members the rules may move)
against the plain one (everyone's measured): the same steps, the same ends (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.models import Member, StandingChange
from reports import standing_job
from tests.factories import CreditEntryFactory, MemberFactory, UserFactory, on_fixed_cycles

# Cycles of members starting 2016-01-01 end 2018, 2021, 2024, 2027, 2030 (on_fixed_cycles).
RUN_DAYS = st.lists(
    st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2031, 6, 1)),
    min_size=1,
    max_size=4,
    unique=True,
).map(sorted)
# (credits, plastic surgery, patient safety): a whole cycle, half of one, a little.
PORTIONS = {"whole": (150, 50, 20), "half": (75, 25, 10), "little": (10, 0, 0)}
credit = st.tuples(
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 1, 31)),
    st.sampled_from(sorted(PORTIONS)),
    st.sampled_from(["approved", "approved", "pending", "rejected"]),
)
# Where each member starts: good, or a standing (set by staff or not) since a day.
start = st.one_of(
    st.just(None),
    st.tuples(
        st.sampled_from(["probation", "suspended", "dropped", "good"]),
        st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2024, 6, 1)),
        st.booleans(),
    ),
)
member_spec = st.tuples(st.lists(credit, max_size=6), start)


def run(specs, days, *, fast: bool) -> tuple[list, list]:
    """Members as ``specs`` say, the job run as of ``days`` in order; the steps of each run
    and what each member ends with. Rolled back afterwards."""
    staff = UserFactory()
    with transaction.atomic():
        members = []
        for entries, begins in specs:
            member = on_fixed_cycles(MemberFactory())
            for day, portion, status in entries:
                total, plastic, safety = PORTIONS[portion]
                CreditEntryFactory(
                    member=member,
                    start_date=day,
                    end_date=day,
                    credits=Decimal(total),
                    plastic_surgery_credits=Decimal(plastic),
                    patient_safety_credits=Decimal(safety),
                    review_status=status,
                )
            if begins is not None:
                standing, since, by_staff = begins
                StandingChange.objects.create(
                    member=member,
                    from_standing="good",
                    to_standing=standing,
                    effective_on=since,
                    reason="set for the test",
                    changed_by=staff if by_staff else None,
                )
                Member.objects.filter(pk=member.pk).update(standing=standing, standing_since=since)
            members.append(member)
        index = {member.pk: n for n, member in enumerate(members)}
        steps = []
        for day in days:
            with transaction.atomic():
                judged = standing_job.evaluate_standing(as_of=day, fast=fast)
            steps.append(
                sorted(
                    (
                        index[change.member_id],
                        change.from_standing,
                        change.to_standing,
                        change.effective_on,
                        change.reason,
                    )
                    for change in judged.transitions
                )
            )
        ends = [
            Member.objects.values_list("standing", "standing_since", "standing_judged_to").get(
                pk=member.pk
            )
            for member in members
        ]
        transaction.set_rollback(True)
    return steps, ends


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(member_spec, min_size=1, max_size=4), days=RUN_DAYS)
def test_the_fast_path_takes_the_same_steps_as_the_plain_one(
    db, django_capture_on_commit_callbacks, specs, days
):
    plain = run(specs, days, fast=False)
    fast = run(specs, days, fast=True)

    assert fast == plain


def test_the_property_can_fail_a_fast_path_that_skips_a_make_up(db, monkeypatch):
    """A member on probation who made up the deficit: measured without make-up days (as a
    fast path asking no one would), they stay on probation; the real fast path agrees with
    the plain one that they are back in good standing."""
    specs = [
        ([(dt.date(2025, 3, 1), "whole", "approved")], ("probation", dt.date(2025, 1, 1), False))
    ]
    days = [dt.date(2025, 6, 1)]
    plain = run(specs, days, fast=False)
    assert plain[1][0][0] == "good"
    assert run(specs, days, fast=True) == plain

    from reports import standing_outcomes

    original = standing_outcomes.outcomes
    monkeypatch.setattr(
        standing_outcomes,
        "outcomes",
        lambda *args, **kwargs: original(*args, **{**kwargs, "needs_make_up": lambda *_: False}),
    )
    assert run(specs, days, fast=True) != plain
