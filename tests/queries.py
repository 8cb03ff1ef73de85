"""Counting the queries of a page, for the tests that hold them constant."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def page_queries(client: Client, path: str) -> int:
    """The queries of one GET of ``path`` (which must answer 200).

    A first GET renews the session, which happens at most once a minute whatever the page
    (cmetrack.middleware.SessionLifetimeMiddleware): only the page's own queries are counted.
    """
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)
