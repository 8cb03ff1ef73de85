"""``AnyOf``: a column equal to any value of a long list, without Django's work per value.

``filter(member_id__in=ids)`` prepares each of 10,000 ids one by one in Python before the
query is sent; the imports ask such questions for every batch of rows. ``AnyOf`` sends the
list as it is: one array parameter on PostgreSQL (``column = ANY(%s)``), plain ``IN (...)``
parameters elsewhere. The values must already be what the column holds (ints, strings,
dates): nothing converts them.

    CreditEntry.objects.filter(AnyOf(F("member_id"), ids))
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)

    def as_postgresql(self, compiler, connection):
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
