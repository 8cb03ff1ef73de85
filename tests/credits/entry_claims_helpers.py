"""What the entry-claim tests share."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from credits import entry_rules

TODAY = dt.date(2026, 11, 22)


DIRECT_CREDIT = sorted(entry_rules.DIRECT_CREDIT_TYPES)


TEACHING_MESSAGE = (
    "Teaching is AMA PRA Category 1 only when awarded directly by the AMA: choose the "
    "American Medical Association as provider, or Category 2."
)


STATE_MESSAGE = "State is required for an activity in the United States"


SERIES_MESSAGE = "Only a year-long regularly scheduled series may be combined into one entry"


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
