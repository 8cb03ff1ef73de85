"""The database itself refuses impossible entries, whatever code writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from credits.models import CreditEntry
from tests.factories import CreditEntryFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes",
    [
        {"credits": Decimal("0")},
        {"credits": Decimal("-1")},
        {"patient_safety_credits": Decimal("6")},
        {"patient_safety_credits": Decimal("-1")},
        {"plastic_surgery_credits": Decimal("5.25")},
        {"category": 3},
        {"category": 2},  # Category 2 with a provider
        {"provider": None},  # Category 1 without one
    ],
)
def test_the_database_refuses_an_impossible_entry(alice, changes):
    fields = {"credits": Decimal("5"), "provider": ProviderFactory(), **changes}
    entry = CreditEntryFactory.build(member=alice, **fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.bulk_create([entry])


def test_the_database_refuses_an_end_before_the_start(alice):
    entry = CreditEntryFactory(member=alice)

    with pytest.raises(IntegrityError), transaction.atomic():
        later = entry.end_date.replace(year=entry.end_date.year + 5)
        CreditEntry.objects.filter(pk=entry.pk).update(start_date=later)
