"""``AnyOf``: the long-list lookup the imports use, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from credits.models import CreditEntry
from members.lookups import AnyOf
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db


def test_matches_any_value_of_ints_strings_and_dates():
    entry, other = CreditEntryFactory(), CreditEntryFactory()
    by_member = CreditEntry.objects.filter(AnyOf(F("member_id"), [entry.member_id, 10**9]))
    assert list(by_member.values_list("id", flat=True)) == [entry.id]
    assert CreditEntry.objects.filter(AnyOf(F("title"), {entry.title})).filter(pk=entry.pk)
    assert not CreditEntry.objects.filter(AnyOf(F("title"), ["nothing like it"])).exists()
    both = CreditEntry.objects.filter(AnyOf(F("end_date"), [entry.end_date, other.end_date]))
    assert set(both.values_list("id", flat=True)) == {entry.id, other.id}


def test_an_empty_list_matches_nothing_without_a_query():
    CreditEntryFactory()
    with CaptureQueriesContext(connection) as queries:
        assert list(CreditEntry.objects.filter(AnyOf(F("member_id"), []))) == []
    assert len(queries) == 0


def test_ten_thousand_values_in_one_query_an_array_on_postgresql():
    entry = CreditEntryFactory()
    ids = [entry.member_id, *range(10**8, 10**8 + 9_999)]
    with CaptureQueriesContext(connection) as queries:
        assert CreditEntry.objects.filter(AnyOf(F("member_id"), ids)).count() == 1
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert " IN (" in sql
