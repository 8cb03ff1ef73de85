from __future__ import annotations

from decimal import Decimal

from django import template
from django.http import QueryDict

from credits import rules
from credits.models import CreditEntry
from credits.rules import verdicts
from members import formatting

register = template.Library()


@register.filter
def credits(value: Decimal | int | None) -> str:
    """1.50 → "1.5", 7.00 → "7": credits as members write them (members.formatting)."""
    return formatting.credits(value)


@register.filter
def quoted(value: str | None) -> str:
    """A note in quotation marks that ends its sentence: “Please upload it.” — a period is
    added inside the marks only when the note has no closing punctuation of its own."""
    text = " ".join(str(value or "").split())
    if text and text[-1] not in ".!?…":
        text += "."
    return f"“{text}”"


def _badges(entry: CreditEntry) -> list[formatting.Badge]:
    return formatting.entry_badges(
        status=entry.review_status,
        patient_safety_credits=entry.patient_safety_credits,
        imported=entry.is_imported,
        replaced=bool(entry.superseded_by_id),
        repeats=bool(entry.duplicate_of_id),
    )


@register.inclusion_tag("credits/_badges.html")
def review_badge(entry: CreditEntry, plain: bool = False) -> dict:
    """The badge of an entry's review (PS pending review, PS approved, ...), derived in
    members.formatting. ``plain=True``: the words alone, "—" for none (the PDF's column)."""
    badge = formatting.review_badge(entry.review_status, entry.patient_safety_credits)
    return {"badges": [badge] if badge else [], "plain": plain}


@register.inclusion_tag("credits/_badges.html")
def entry_badges(entry: CreditEntry) -> dict:
    """Every badge of an entry: imported, its review, replaced or repeating another."""
    return {"badges": _badges(entry), "plain": False}


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def verdict_row(requirement: rules.RequirementResult) -> verdicts.Row:
    """A requirement of an open window with its verdict in words (the ABPS milestones):
    ``{% include "reports/_requirement.html" with row=requirement|verdict_row %}``."""
    return verdicts.Row(requirement, verdicts.requirement_status(requirement))


@register.simple_tag
def verdict_of(
    compliance: rules.Compliance,
    closed: bool = False,
    totals_only: bool = False,
    society: str = "",
) -> rules.Verdict:
    """The verdict of a compliance in words (credits.rules.verdicts, the one home of that
    wording): ``{% verdict_of compliance closed=report.closed as verdict %}``."""
    return rules.verdict(
        compliance.requirements, closed=closed, totals_only=totals_only, society=society
    )
