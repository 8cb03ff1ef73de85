"""The filters of :mod:`members.formatting` for templates: ``{% load formatting_tags %}``.

``{{ entry.end_date|day }}`` → ``Jun 15, 2026``; ``{{ run.created_at|moment }}`` →
``Jun 15, 2026 14:05`` (in the current time zone, UTC); ``{{ value|iso_day }}``,
``{{ event.at|iso_moment }}``; ``{{ entry.credits|credits }}`` → ``1.5``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from members import formatting

register = template.Library()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _as_day(value: dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return _local(value).date()
    return value or None


@register.filter
def day(value: dt.date | None) -> str:
    return formatting.day(_as_day(value))


@register.filter
def iso_day(value: dt.date | None) -> str:
    return formatting.iso_day(_as_day(value))


@register.filter
def moment(value: dt.datetime | None) -> str:
    return formatting.moment(_local(value)) if value else ""


@register.filter
def iso_moment(value: dt.datetime | None) -> str:
    return formatting.iso_moment(_local(value)) if value else ""


@register.filter
def credits(value: Decimal | int | None) -> str:
    return formatting.credits(value)


@register.filter
def review_label(status: str | None) -> str:
    """``documentation_requested`` → ``Documentation requested``: a review status in words
    (members.formatting.REVIEW_LABELS), e.g. in an audit trail."""
    return formatting.review_label(status)
