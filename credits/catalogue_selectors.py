"""Reads of the activity catalogue (docs/rules.md §3): search it, find one activity, weigh a
claim against what the activity was designated for, and pick the patient-safety resources a
member can still use.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from credits import rules
from credits.models import COUNTED, Activity, CatalogueKind, CreditEntry, ReviewStatus
from members.models import Member

SEARCH_LIMIT = 20
QUERY_MAX_LENGTH = 100


def offered() -> QuerySet[Activity]:
    """The catalogue as members see it: active activities, with what names them."""
    return (
        Activity.objects.filter(active=True)
        .exclude(parent__active=False)
        .select_related("provider", "parent")
    )


def search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Activity]:
    """Activities whose title, code or provider holds every word of ``query``.

    Whole activities first, then their parts; at most ``limit``. An empty query finds nothing.
    """
    words = " ".join(str(query)[:QUERY_MAX_LENGTH].split()).split(" ")
    words = [word for word in words if word][:8]
    if not words:
        return []
    matches = offered()
    for word in words:
        matches = matches.filter(
            Q(title__icontains=word)
            | Q(code__icontains=word)
            | Q(provider__name__icontains=word)
            | Q(provider__abbreviation__iexact=word)
            | Q(parent__title__icontains=word)
        )
    # A whole, then its parts: ordered by the whole's title, the whole first.
    grouped = matches.order_by(
        Coalesce("parent__title", "title"), F("parent_id").asc(nulls_first=True), "title"
    )
    return list(grouped[:limit])


def by_code(code: str, *, offered_only: bool = True) -> Activity | None:
    """The activity with this code (exact, ignoring case), or ``None``; an activity no longer
    offered only when ``offered_only`` is false (an entry that already names it)."""
    code = str(code or "").strip()
    if not code:
        return None
    activities = offered() if offered_only else Activity.objects.select_related("parent")
    return activities.filter(code__iexact=code).first()


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
