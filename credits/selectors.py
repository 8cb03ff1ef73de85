"""Reads of credit entries, always scoped to the member or user asking.

The rules engine is fed by *one* aggregate query per member and window
(:func:`totals_for`); the standing job uses the same aggregates grouped by member
(:data:`TOTALS_AGGREGATES`), so the rules see identical numbers everywhere.

Every total counts the same set of entries, :data:`COUNTED`: an entry replaced by the
society's record of the same activity (``superseded_by``) counts nowhere — not on the
dashboard, the report and its PDF and data file, the API, the standing job or the reminders.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from credits import rules
from credits.counted import HAND_ENTERED
from credits.models import (
    COUNTED,
    CreditEntry,
    DocumentationRequest,
    HeldMeetingCredit,
    Provider,
    ReviewStatus,
)
from members import access
from members.models import Member, User

ACTION_ENTRIES = 5  # the entries the dashboard's "Action needed" names one by one
ZERO = Value(0, output_field=DecimalField(max_digits=8, decimal_places=2))
PATIENT_SAFETY_COUNTS = ~Q(review_status=ReviewStatus.REJECTED)
PATIENT_SAFETY_UNDER_REVIEW = Q(
    review_status__in=[ReviewStatus.PENDING, ReviewStatus.DOCUMENTATION_REQUESTED]
)


def _sum(field: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), ZERO)


def totals_aggregates(scope: Q | None = None, prefix: str = "") -> dict[str, Coalesce]:
    """The aggregates behind ``rules.Totals.from_row()``, optionally narrowed by ``scope``.

    Only :data:`COUNTED` entries count. Rejected patient-safety claims do not count; the rest
    of their entry does (the rules, "Review of patient-safety claims"). Pending claims count
    provisionally.
    """
    scope = COUNTED & scope if scope is not None else COUNTED

    def total(field: str, condition: Q | None = None) -> Coalesce:
        return _sum(field, scope & condition if condition is not None else scope)

    aggregates = {
        "category_1": total("credits", Q(category=1)),
        "category_2": total("credits", Q(category=2)),
        "plastic_surgery": total("plastic_surgery_credits"),
        **{
            f"ps_{kind.value}": total(
                "patient_safety_credits", PATIENT_SAFETY_COUNTS & Q(patient_safety_kind=kind.value)
            )
            for kind in rules.PatientSafetyKind
        },
        "ps_pending": total("patient_safety_credits", PATIENT_SAFETY_UNDER_REVIEW),
        "ps_category_1": total("patient_safety_credits", PATIENT_SAFETY_COUNTS & Q(category=1)),
        "ps_category_2": total("patient_safety_credits", PATIENT_SAFETY_COUNTS & Q(category=2)),
    }
    return {prefix + key: aggregate for key, aggregate in aggregates.items()}


TOTALS_AGGREGATES = totals_aggregates()


def entries_for(user: User) -> QuerySet[CreditEntry]:
    """Entries the user may see: their own; CME staff see everyone's (members.access)."""
    return access.scope(CreditEntry.objects.all(), user)


def entry_for(user: User, pk: int) -> CreditEntry:
    """One entry, or 404 when it does not exist *or belongs to someone else*."""
    return get_object_or_404(
        entries_for(user).select_related(
            "member__user", "provider", "duplicate_of", "superseded_by"
        ),
        pk=pk,
    )


def member_entries(
    member: Member,
    window: rules.Window | None = None,
    *,
    counted_only: bool = False,
    newest_first: bool = False,
    missing_certificate: bool = False,
) -> QuerySet[CreditEntry]:
    """The member's entries, oldest first (the report), or ``newest_first`` (My entries).

    ``counted_only``: those that count (the report lists those). ``missing_certificate``: the
    entries typed in (by the member or staff) that have no certificate yet; the society's
    record of an activity needs none.
    """
    entries = CreditEntry.objects.filter(member=member)
    if counted_only:
        entries = entries.filter(COUNTED)
    if missing_certificate:
        entries = entries.filter(certificate="", source__in=HAND_ENTERED)
    if window is not None:
        entries = entries.in_window(window.start, window.end)
    order = (
        ("-end_date", "-start_date", "-id") if newest_first else ("end_date", "start_date", "id")
    )
    return entries.select_related("provider").order_by(*order)


def is_own_entry(user: User, pk: int) -> bool:
    return CreditEntry.objects.owned_by(user).filter(pk=pk).exists()


def deleted_entry(member: Member, pk: int) -> object | None:
    """The last version of the member's entry ``pk`` as it was deleted (django-simple-history),
    or None: never deleted, someone else's, or back in the record since."""
    if CreditEntry.objects.filter(pk=pk).exists():
        return None
    return (
        CreditEntry.history.filter(id=pk, member_id=member.pk, history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )


def totals_for(member: Member, window: rules.Window) -> rules.Totals:
    """The member's totals in a window, in one aggregate query."""
    return rules.Totals.from_row(_in_window(member, window).aggregate(**TOTALS_AGGREGATES))


def _in_window(member: Member, window: rules.Window) -> QuerySet[CreditEntry]:
    return CreditEntry.objects.filter(member=member).in_window(window.start, window.end)


def totals_for_windows(
    keys: Iterable[tuple[int, rules.Window]],
) -> dict[tuple[int, rules.Window], rules.Totals]:
    """Totals of several (member, window) pairs in one query (e.g. a page of review claims).

    Each entry is labelled with the pair holding it and the aggregates are grouped by that
    label: the query grows by one condition per pair, not by a dozen sums per pair (a page of
    50 claims took 0.3 s the other way). A member's windows must not overlap for that (an
    entry would belong to two pairs); when they do, each pair is summed on its own instead.
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    if _overlapping(keys):
        return _totals_window_by_window(keys)
    # Built as SQL with parameters: 50 When() expressions cost more to build than to run.
    member, end = (connection.ops.quote_name(name) for name in ("member_id", "end_date"))
    when = f"WHEN {member} = %s AND {end} >= %s AND {end} <= %s THEN %s"
    pair_of = RawSQL(  # noqa: S611 - column names quoted, every value a parameter
        f"CASE {' '.join([when] * len(keys))} ELSE NULL END",
        [
            value
            for index, (member_id, window) in enumerate(keys)
            for value in (member_id, window.start, window.end, index)
        ],
        output_field=IntegerField(),
    )
    rows = (
        CreditEntry.objects.filter(member_id__in={member_id for member_id, _ in keys})
        .annotate(pair=pair_of)
        .filter(pair__isnull=False)
        .values("pair")
        .annotate(**TOTALS_AGGREGATES)
        .order_by()
    )
    by_pair = {row["pair"]: rules.Totals.from_row(row) for row in rows}
    nothing = rules.Totals.from_row(dict.fromkeys(TOTALS_AGGREGATES))
    return {key: by_pair.get(index, nothing) for index, key in enumerate(keys)}


def _overlapping(keys: list[tuple[int, rules.Window]]) -> bool:
    """Do two windows of the same member share a day?"""
    by_member: dict[int, list[rules.Window]] = {}
    for member_id, window in keys:
        by_member.setdefault(member_id, []).append(window)
    for windows in by_member.values():
        ordered = sorted(windows, key=lambda window: window.start)
        if any(later.start <= earlier.end for earlier, later in itertools.pairwise(ordered)):
            return True
    return False


def _totals_window_by_window(
    keys: list[tuple[int, rules.Window]],
) -> dict[tuple[int, rules.Window], rules.Totals]:
    aggregates = {}
    for index, (member_id, window) in enumerate(keys):
        scope = Q(member_id=member_id, end_date__gte=window.start, end_date__lte=window.end)
        aggregates |= totals_aggregates(scope, prefix=f"w{index}_")
    member_ids = {member_id for member_id, _ in keys}
    row = CreditEntry.objects.filter(member_id__in=member_ids).aggregate(**aggregates)
    return {
        key: rules.Totals.from_row(
            {
                name[len(f"w{index}_") :]: value
                for name, value in row.items()
                if name.startswith(f"w{index}_")
            }
        )
        for index, key in enumerate(keys)
    }


def totals_by_member(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    members: Iterable[int] | None = None,
) -> dict[int, rules.Totals]:
    """Totals of many members in one ``GROUP BY`` query over a common date window."""
    entries = CreditEntry.objects.all()
    if start is not None and end is not None:
        entries = entries.in_window(start, end)
    if members is not None:
        entries = entries.filter(member_id__in=list(members))
    rows = entries.values("member_id").annotate(**TOTALS_AGGREGATES).order_by()
    return {row["member_id"]: rules.Totals.from_row(row) for row in rows}


def daily_credits(member: Member, window: rules.Window) -> list[dict]:
    """Credits per end date in the window (for the cumulative chart), in one query."""
    return list(
        _in_window(member, window)
        .filter(COUNTED)
        .values("end_date")
        .annotate(all_credits=Sum("credits"), category_1=_sum("credits", Q(category=1)))
        .order_by("end_date")
    )


def credits_by_content_area(member: Member, window: rules.Window) -> rules.ContentAreaCredits:
    """The credits of the member's counted entries in the window per content area (an entry
    covering two areas counts in both; one covering none under Not recorded), in one query.

    Each entry's credits and content areas are read and added up in Python
    (:func:`credits.rules.credits_by_content_area`): the areas are a JSON list, which SQLite
    and PostgreSQL unnest differently, and a member's window holds a few hundred entries.
    """
    return rules.credits_by_content_area(
        _in_window(member, window).filter(COUNTED).values_list("credits", "content_areas")
    )


# Staff asked about a claim, or an audit asked for a certificate still missing.
DOCUMENTATION_WANTED = Q(review_status=ReviewStatus.DOCUMENTATION_REQUESTED) | Q(
    Exists(DocumentationRequest.objects.filter(entry=OuterRef("pk"))), certificate=""
)

# Counts of the claims the dashboard lists by review status.
REVIEW_COUNTS = {
    "under_review": Count(
        "id", filter=COUNTED & PATIENT_SAFETY_UNDER_REVIEW & Q(patient_safety_credits__gt=0)
    ),
    "rejected": Count("id", filter=COUNTED & Q(review_status=ReviewStatus.REJECTED)),
    "documentation_requested": Count("id", filter=COUNTED & DOCUMENTATION_WANTED),
    # The member's entries that the society's record of the same activity replaced.
    "replaced": Count("id", filter=~COUNTED),
}


def totals_and_review_counts(
    member: Member, window: rules.Window
) -> tuple[rules.Totals, dict[str, int]]:
    """:func:`totals_for` and the member's patient-safety claims under review, rejected and
    waiting for documents, in one aggregate query (the dashboard)."""
    row = _in_window(member, window).aggregate(**TOTALS_AGGREGATES, **REVIEW_COUNTS)
    return rules.Totals.from_row(row), {name: row[name] for name in REVIEW_COUNTS}


def entries_needing_action(
    member: Member, window: rules.Window, *, limit: int = ACTION_ENTRIES
) -> list[CreditEntry]:
    """The newest entries of the window the member has to act on: a documentation request
    open, or a patient-safety claim not accepted (the dashboard's "Action needed"), in one
    query. Each is marked ``wants_documentation`` (else it was rejected)."""
    wanted = ExpressionWrapper(DOCUMENTATION_WANTED, output_field=BooleanField())
    return list(
        _in_window(member, window)
        .filter(DOCUMENTATION_WANTED | Q(review_status=ReviewStatus.REJECTED))
        .annotate(wants_documentation=wanted)
        .only("id", "title", "end_date", "review_status", "certificate")
        .order_by("-end_date", "-id")[:limit]
    )


def held_meeting_credits(
    member: Member, *, limit: int = ACTION_ENTRIES
) -> tuple[int, list[dict[str, object]]]:
    """Society meeting credits held until the member completes the meeting's CME evaluation
    (docs/imports.md, "Held rows"): how many, and the newest ``limit`` (activity title, code,
    credits), in one query."""
    held = (
        HeldMeetingCredit.objects.filter(asps_id=member.asps_id)
        .annotate(held_count=Window(Count("id")))
        .order_by("-held_since", "-id")[:limit]
    )
    rows = [
        {
            "code": row.activity_code,
            "title": str((row.row or {}).get("activity_title") or row.activity_code),
            "credits": str((row.row or {}).get("credits") or ""),
            "count": row.held_count,
        }
        for row in held
    ]
    return (rows[0]["count"] if rows else 0), rows


def known_providers() -> QuerySet[Provider]:
    return Provider.objects.filter(verified=True).order_by("name")
