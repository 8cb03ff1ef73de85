"""schemathesis: fuzz every operation from the live OpenAPI schema, in-process (WSGI).

No server errors, and every response conforms to the schema (status codes and bodies).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from cmetrack.http import CONTROL_CHARACTERS
from credits import compliance_summary_services
from tests.factories import CreditEntryFactory


@pytest.fixture
def api_schema(db):
    """The schema, called in-process. Like Django's test client, keep the test's database
    connection open across requests: each request's end would otherwise close it (on
    PostgreSQL, in the middle of the test's transaction)."""
    from cmetrack.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    # The member and their token are per test, which Hypothesis would otherwise flag.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_schema(case, alice, reviewer):
    CreditEntryFactory(member=alice)
    staff_only = case.operation.path.startswith(("/api/v1/reviews/", "/api/v1/staff/"))
    user = reviewer if staff_only else alice.user
    if staff_only:
        compliance_summary_services.refresh()  # alice's cycle in the staff compliance list
    token, _ = Token.objects.get_or_create(user=user)

    # Why this one check is off: a request can match the schema and still break a rule
    # that OpenAPI 3.0 cannot state across fields (end before start, patient-safety
    # credits above the credits, a date in the future, an auto-uploaded provider, a
    # duplicate). Those answer 400 naming the field, which tests/api/test_api.py checks
    # rule by rule. Every other check stays on: no 5xx, documented status codes,
    # conforming bodies and content types, and rejection of schema-invalid input.
    excluded = [schemathesis.checks.positive_data_acceptance]
    if case.media_type == "multipart/form-data":
        # And for multipart bodies, the rejection of schema-invalid input: schemathesis'
        # WSGI transport sends each value as a file part named after its field
        # (schemathesis/transport/wsgi.py, _to_werkzeug_parts), so Django files it under
        # request.FILES and a PATCH sees the field as absent and valid. The same request
        # from a real client answers 400 (tests/api/test_api.py sends blank and bad fields
        # as multipart); the other checks stay on for these requests.
        excluded.append(schemathesis.checks.negative_data_rejection)
    if any(
        CONTROL_CHARACTERS.search(f"{name}{value}") for name, value in (case.query or {}).items()
    ):
        # And for a query with a control character: the site removes them from every query
        # parameter before any view (cmetrack.middleware.CleanQueryParametersMiddleware), so
        # a value invalid only by its control characters is a valid one by then and may be
        # answered 200 (tests/security/test_hardening_requests.py checks that cleaning).
        excluded.append(schemathesis.checks.negative_data_rejection)
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        excluded_checks=excluded,
    )
