from __future__ import annotations

from decimal import Decimal

from django import template
from django.http import QueryDict

from credits import rules

register = template.Library()


@register.filter
def credits(value: Decimal | int | None) -> str:
    """1.50 → "1.5", 7.00 → "7": credits as members write them."""
    if value is None or value == "":
        return "0"
    return rules.format_credits(Decimal(value))


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()
