"""Reads of the activity catalogue (docs/rules.md §3): search it, find one activity, weigh a
claim against what the activity was designated for, and pick the patient-safety resources a
member can still use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from credits import rules
from credits.models import COUNTED, Activity, CatalogueKind, CreditEntry, ReviewStatus
from members.models import Member

SEARCH_LIMIT = 20
QUERY_MAX_LENGTH = 100
CODE_MAX_LENGTH = Activity._meta.get_field("code").max_length


def offered() -> QuerySet[Activity]:
    """The catalogue as members see it: active activities (a part only while its whole is
    active too), with what names them."""
    return (
        Activity.objects.filter(active=True)
        .filter(Q(parent__isnull=True) | Q(parent__active=True))
        .select_related("provider", "parent")
    )


def matching(query: str) -> QuerySet[Activity]:
    """The offered activities whose title, code or provider (or, for a part, its whole's
    title) holds every word of ``query``: whole activities first, then their parts, each with
    its offered parts (prefetched). An empty query finds nothing."""
    words = " ".join(str(query)[:QUERY_MAX_LENGTH].split()).split(" ")
    words = [word for word in words if word][:8]
    if not words:
        return Activity.objects.none()
    matches = offered()
    for word in words:
        matches = matches.filter(
            Q(title__icontains=word)
            | Q(code__icontains=word)
            | Q(provider__name__icontains=word)
            | Q(provider__abbreviation__iexact=word)
            | Q(parent__title__icontains=word)
        )
    # A whole, then its parts: ordered by the whole's title, the whole first (NULLs sort last
    # on PostgreSQL and first on SQLite: say which).
    return matches.prefetch_related(_offered_parts()).order_by(
        Coalesce("parent__title", "title"), F("parent_id").asc(nulls_first=True), "title", "code"
    )


def search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Activity]:
    """At most ``limit`` of :func:`matching`."""
    return list(matching(query)[:limit])


def _words(title: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", title.casefold())


def matching_title(title: str, *, on: object = None) -> Activity | None:
    """The offered activity whose title (a part's with or without its whole's) is ``title``,
    ignoring case and punctuation, and which was held on ``on`` when both have a date; None
    when there is none or more than one. One query."""
    words = _words(title[: QUERY_MAX_LENGTH * 3])
    if not words:
        return None
    candidates = offered().filter(title__icontains=max(words, key=len))
    if isinstance(on, dt.date):
        candidates = candidates.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )
    found = [
        activity
        for activity in candidates[:50]
        if words in (_words(activity.title), _words(activity.full_title))
    ]
    return found[0] if len(found) == 1 else None


def by_code(code: str, *, offered_only: bool = True) -> Activity | None:
    """The activity with this code (exact, ignoring case), or ``None``; an activity no longer
    offered only when ``offered_only`` is false (an entry that already names it)."""
    code = str(code or "").strip()
    if not code or len(code) > CODE_MAX_LENGTH:
        return None
    activities = offered() if offered_only else Activity.objects.select_related("parent")
    return activities.filter(code__iexact=code).prefetch_related(_offered_parts()).first()


def _offered_parts() -> Prefetch:
    """An activity's parts that are offered, as ``activity.offered_parts``."""
    parts = Activity.objects.filter(active=True).order_by("title", "code")
    return Prefetch("parts", queryset=parts, to_attr="offered_parts")


def designations_for(
    *, member: Member, activity: Activity, exclude_entry_id: int | None = None
) -> list[rules.Designation]:
    """The designations a claim on ``activity`` falls under, the activity's own first, each
    with what ``member`` already claimed on it in other counted entries.

    Two queries at most (one sum per designation).
    """
    wholes = [activity] if activity.parent_id is None else [activity, activity.parent]
    designations = []
    for whole in wholes:
        # A whole counts the claims on its parts too; a part only its own.
        linked = Q(activity=whole)
        if whole.parent_id is None:
            linked |= Q(activity__parent=whole)
        claimed = (
            CreditEntry.objects.filter(COUNTED, linked, member=member)
            .exclude(pk=exclude_entry_id)
            .aggregate(
                credits=Coalesce(Sum("credits"), rules.ZERO_CREDITS),
                patient_safety=Coalesce(
                    Sum(
                        "patient_safety_credits",
                        filter=~Q(review_status=ReviewStatus.REJECTED),
                    ),
                    rules.ZERO_CREDITS,
                ),
            )
        )
        designations.append(
            whole.designation(
                claimed=claimed["credits"], claimed_patient_safety=claimed["patient_safety"]
            )
        )
    return designations


def patient_safety_resources(*, used_up: Collection[str] = ()) -> list[Activity]:
    """The catalogue's patient-safety resources, without those whose topic no longer counts
    for the member (a capped topic whose cap is used up, ``used_up``)."""
    resources = (
        offered().filter(kind=CatalogueKind.RESOURCE).exclude(patient_safety_kind__in=list(used_up))
    )
    return list(resources.order_by("title"))
