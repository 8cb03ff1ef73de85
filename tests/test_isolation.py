"""Nothing of member A reaches member B: every URL and API endpoint, six visitors.

One table holds every route of the site outside ``/admin/`` and ``/accounts/`` (allauth's own
pages, which hold no member data and are covered by tests/members/test_auth.py), with the
status each visitor gets. ``test_every_route_is_in_the_table`` fails when a route is added
without a row here, so the table cannot fall behind the URLconf.

Visitors: anonymous, alice (owns the data), bob (another member), CME staff (with two-factor),
"outsider" (``is_staff`` but outside the CME staff group: sees no member data) and "no2fa"
(in the CME staff group without two-factor yet: sent to set it up wherever another member's
data would show). Whatever bob and the outsider may open, the answer is searched for alice's
name, email, ASPS ID and the title of her entry, in pages, JSON, the CSV and the PDF's text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from credits import certificate_reading
from credits.compliance_summary_services import refresh
from credits.models import (
    CompletedTracerProcedure,
    CreditEntry,
    DocumentationAudit,
    TracerProcedure,
)
from imports import services as import_services
from imports.models import ImportRejection, ImportRun
from reports.models import GroupReminderRun, GroupReminderSend, IssuedReport
from tests.certificate_files import certificate_pdf
from tests.factories import CreditEntryFactory, UserFactory, in_cme_staff
from tests.today import TODAY

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_TITLE = "Alice Zanzibar Flap Masterclass"
ALICE_ASPS_ID = "97531"
VISITORS = ("anonymous", "alice", "bob", "staff", "outsider", "no2fa")
NOT_SEEING_ALICE = ("bob", "outsider", "no2fa")


@dataclass(frozen=True)
class Route:
    """One request and the status each visitor gets (in the order of ``VISITORS``)."""

    method: str
    url: str  # formatted with the ids of alice's objects
    statuses: tuple[int, int, int, int, int, int]
    data: Callable[[], dict] | None = None
    api: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.url}"


def entry_form() -> dict:
    return {
        "title": "Changed by someone else",
        "activity_type": "live_activity",
        "category": "1",
        "provider": "Baker Gordon Educational Foundation",
        "start_date": "2025-05-01",
        "end_date": "2025-05-01",
        "credits": "5",
        "patient_safety_credits": "0",
        "plastic_surgery_credits": "0",
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }


def tracer_form() -> dict:
    from credits.models import TracerProcedure

    procedure = TracerProcedure.objects.get(name="Breast reduction")
    return {"procedure": str(procedure.pk), "completed_on": "2025-05-01"}


def read_upload() -> dict:
    return {"file": SimpleUploadedFile("c.pdf", certificate_pdf(), "application/pdf")}


def certificate() -> dict:
    return {"certificate": SimpleUploadedFile("c.pdf", PDF_BYTES, "application/pdf")}


LOGIN = 302  # pages send the anonymous visitor to the login page
TWO_FA = 303  # stands for the redirect to the two-factor set-up page (a 302 to it)
TO_STAFF = 302  # staff without a member profile are sent to the staff overview
ROUTES = [
    # Public.
    Route("get", "/healthz", (200, 200, 200, 200, 200, 200)),
    Route(
        "get", "/verify/{code}/", (200, 200, 200, 200, 200, 200)
    ),  # by an unguessable code, by design
    Route("get", "/api/v1/schema/", (200, 200, 200, 200, 200, 200), api=True),
    Route("get", "/api/v1/docs/", (200, 200, 200, 200, 200, 200)),
    # A member's own pages: bob sees his own (empty) record, never alice's.
    Route("get", "/", (LOGIN, 200, 200, TO_STAFF, 200, TO_STAFF)),
    Route("get", "/credits/", (LOGIN, 200, 200, 404, 404, 404)),
    Route("get", "/credits/new/", (LOGIN, 200, 200, 404, 404, 404)),
    # Start from a certificate: each member reads their own; the reading is alice's alone.
    Route("post", "/credits/new/read/", (LOGIN, 302, 302, 404, 404, 404), data=read_upload),
    Route("get", "/credits/new/reading/?c={reading}", (LOGIN, 302, 404, 404, 404, 404)),
    Route("get", "/credits/new/?reading={reading}", (LOGIN, 200, 200, 404, 404, 404)),
    Route("get", "/reports/cme/", (LOGIN, 200, 200, 404, 404, 404)),
    Route("get", "/reports/cme/pdf/", (LOGIN, 200, 200, 404, 404, 404)),
    Route("get", "/reports/cme/csv/", (LOGIN, 200, 200, 404, 404, 404)),
    # Alice's objects.
    Route("get", "/credits/{entry}/", (LOGIN, 200, 404, 200, 404, TWO_FA)),  # staff read it
    Route("post", "/credits/{entry}/", (LOGIN, 302, 404, 404, 404, TWO_FA), data=entry_form),
    # Delete asks to confirm (GET), deletes (POST); staff read entries but never delete them.
    Route("get", "/credits/{entry}/delete/", (LOGIN, 200, 404, 404, 404, TWO_FA)),
    Route("post", "/credits/{entry}/delete/", (LOGIN, 302, 404, 404, 404, TWO_FA)),
    # Undo a deletion: alice's entry is in place, so she is sent back to it; nobody else may.
    Route("get", "/credits/{entry}/restore/", (LOGIN, 405, 405, 405, 405, 405)),  # POST only
    Route("post", "/credits/{entry}/restore/", (LOGIN, 302, 404, 404, 404, 404)),
    Route("post", "/credits/{deleted}/restore/", (LOGIN, 302, 404, 404, 404, 404)),
    Route("get", "/credits/{entry}/certificate/", (LOGIN, 200, 404, 200, 404, TWO_FA)),
    Route(
        "post",
        "/credits/{entry}/certificate/",
        (LOGIN, 302, 404, 404, 404, TWO_FA),
        data=certificate,
    ),
    Route("get", "/credits/tracer-procedures/", (LOGIN, 200, 200, 404, 404, 404)),
    Route(
        "post", "/credits/tracer-procedures/", (LOGIN, 302, 302, 404, 404, 404), data=tracer_form
    ),
    Route("get", "/credits/tracer-procedures/{tracer}/", (LOGIN, 200, 404, 404, 404, 404)),
    Route(
        "post",
        "/credits/tracer-procedures/{tracer}/",
        (LOGIN, 302, 404, 404, 404, 404),
        data=tracer_form,
    ),
    Route("get", "/credits/tracer-procedures/{tracer}/delete/", (LOGIN, 405, 405, 405, 405, 405)),
    Route("post", "/credits/tracer-procedures/{tracer}/delete/", (LOGIN, 302, 404, 404, 404, 404)),
    Route("get", "/reports/cme/?member={asps_id}", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/reports/cme/pdf/?member={asps_id}", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/reports/cme/csv/?member={asps_id}", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    # Staff pages: a 404 for members.
    Route("get", "/staff/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", f"/staff/?year={TODAY.year + 1}", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/members/at-risk/?status=", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/members/at-risk.csv?status=", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/members/projected-standing/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/reviews/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/reviews/{entry}/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route(
        "post",
        "/staff/reviews/{entry}/",
        (LOGIN, 404, 404, 302, 404, TWO_FA),
        data=lambda: {"decision": "approve"},
    ),
    Route("get", "/staff/members/?q=Able", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/members/{asps_id}/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/audits/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/audits/{audit}/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/imports/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/imports/{run}/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/imports/{run}/rejected.csv", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/audit-log/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    # Group reminders: staff only; alice is short in this world (the summaries are refreshed),
    # so a send starts a run and staff are sent to its page.
    Route("get", "/staff/reminders/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/reminders/new/?status=", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route(
        "post",
        "/staff/reminders/new/?status=",
        (LOGIN, 404, 404, 302, 404, TWO_FA),
        data=lambda: {"confirm": "send"},
    ),
    Route("get", "/staff/reminders/{reminder}/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    Route("get", "/staff/reminders/{reminder}/status/", (LOGIN, 404, 404, 200, 404, TWO_FA)),
    # Adding staff: superusers only (CME staff who are not superusers get a 404 too;
    # staff without two-factor are sent to set it up first).
    Route("get", "/staff/invite/", (LOGIN, 404, 404, 404, 404, TWO_FA)),
    Route(
        "post",
        "/staff/invite/",
        (LOGIN, 404, 404, 404, 404, TWO_FA),
        data=lambda: {"email": "x@example.org"},
    ),
    # The API: 401 without credentials, 404 for someone else's object, 403 for staff-only.
    Route("post", "/api/v1/auth/token/", (400, 400, 400, 400, 400, 400), api=True, data=dict),
    Route("get", "/api/v1/me/", (401, 200, 200, 404, 404, 404), api=True),
    Route("get", "/api/v1/compliance/", (401, 200, 200, 404, 404, 404), api=True),
    Route("get", "/api/v1/providers/", (401, 200, 200, 200, 200, 200), api=True),
    # The activity catalogue holds no member's data: any signed-in account reads it.
    Route(
        "post",
        "/api/v1/certificates/read/",
        (401, 200, 200, 404, 404, 404),
        api=True,
        data=read_upload,
    ),
    Route("get", "/api/v1/activities/?q=Zanzibar", (401, 200, 200, 200, 200, 200), api=True),
    Route("get", "/api/v1/activities/{activity}/", (401, 200, 200, 200, 200, 200), api=True),
    Route("get", "/api/v1/credits/", (401, 200, 200, 404, 404, 404), api=True),
    Route("post", "/api/v1/credits/", (401, 201, 201, 404, 404, 404), api=True, data=entry_form),
    Route("get", "/api/v1/credits/{entry}/", (401, 200, 404, 404, 404, 404), api=True),
    Route(
        "patch",
        "/api/v1/credits/{entry}/",
        (401, 200, 404, 404, 404, 404),
        api=True,
        data=lambda: {"title": "Renamed"},
    ),
    Route("get", "/api/v1/credits/{entry}/certificate/", (401, 200, 404, 200, 404, 403), api=True),
    Route("delete", "/api/v1/credits/{entry}/", (401, 204, 404, 404, 404, 404), api=True),
    Route("get", "/api/v1/reviews/", (401, 403, 403, 200, 403, 403), api=True),
    Route(
        "post",
        "/api/v1/reviews/{entry}/decision/",
        (401, 403, 403, 200, 403, 403),
        api=True,
        data=lambda: {"decision": "approve"},
    ),
    # The membership's compliance: a 404 for anyone but CME staff (the two-factor 403 aside).
    Route("get", "/api/v1/staff/compliance/", (401, 404, 404, 200, 404, 403), api=True),
    Route("get", "/api/v1/staff/compliance/summary/", (401, 404, 404, 200, 404, 403), api=True),
]


@pytest.fixture
def world(alice, bob, reviewer, staff_user):
    """Alice's record with something behind every URL; bob's with an entry of his own."""
    alice.asps_id = ALICE_ASPS_ID
    alice.save()
    entry = CreditEntryFactory(
        member=alice,
        title=SECRET_TITLE,
        patient_safety_credits=Decimal("2"),
        certificate=SimpleUploadedFile("c.pdf", PDF_BYTES, "application/pdf"),
    )
    CreditEntryFactory(member=bob, title="Bob's own course", patient_safety_credits=Decimal("0"))
    deleted = CreditEntryFactory(member=alice, title=f"{SECRET_TITLE} (deleted)")
    deleted_pk = deleted.pk
    deleted.delete()  # within the few minutes its Undo lasts
    audit = DocumentationAudit.objects.create(
        window_start=dt.date(2025, 1, 1),
        window_end=dt.date(2027, 12, 31),
        note="Please upload your certificates.",
        created_by=reviewer,
    )
    audit.members.add(alice)
    run = import_services.run_create(
        kind=ImportRun.Kind.ROSTER,
        file_name="r.csv",
        content=f"asps_id,email\n{ALICE_ASPS_ID},alice@example.org\n",
    )
    ImportRejection.objects.create(  # alice's row, rejected: staff may download it, no one else
        run=run,
        line=2,
        row={"asps_id": ALICE_ASPS_ID, "email": "alice@example.org"},
        reason="Able: a made-up reason",
    )
    tracer = CompletedTracerProcedure.objects.create(
        member=alice,
        procedure=TracerProcedure.objects.create(name="Breast reduction"),
        completed_on=dt.date(2025, 3, 1),
    )
    reminder = GroupReminderRun.objects.create(as_of=dt.date(2026, 6, 15), filter={})
    GroupReminderSend.objects.create(  # alice's email failed: staff see her name, no one else
        run=reminder, member=alice, status="failed", error="Able: a made-up error"
    )
    printed = IssuedReport.objects.create(  # as the PDF view does, without rendering one
        member=alice,
        window_start=dt.date(2025, 1, 1),
        window_end=dt.date(2027, 12, 31),
        compliant=False,
        summary={},
        generated_by=alice.user,
    )
    refresh()  # the staff overview and lists read the compliance summaries
    kept = certificate_reading.keep(
        user=alice.user, upload=SimpleUploadedFile("c.pdf", PDF_BYTES, "application/pdf")
    )
    certificate_reading.read_kept(user_id=alice.user.pk, token=kept.token)
    return {
        "ids": {
            "entry": entry.pk,
            "asps_id": ALICE_ASPS_ID,
            "audit": audit.pk,
            "run": run.pk,
            "code": printed.code,
            "tracer": tracer.pk,
            "reminder": reminder.pk,
            "deleted": deleted_pk,
            "activity": "ASAPS-MEETING",  # shipped by a data migration
            "reading": kept.token,  # alice's certificate, read for Submit CME
        },
        "users": {
            "alice": alice.user,
            "bob": bob.user,
            "staff": reviewer,
            "outsider": staff_user,  # is_staff, outside the CME staff group
            "no2fa": in_cme_staff(UserFactory(email="new-staff@example.org", is_staff=True)),
        },
        "secrets": [SECRET_TITLE, "Able", "alice@example.org", ALICE_ASPS_ID],
    }


def visit(route: Route, who: str, world: dict):
    client = Client()
    user = world["users"].get(who)
    if user is not None and route.api and route.url != "/api/v1/auth/token/":
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    elif user is not None:
        client.force_login(user)
    url = route.url.format(**world["ids"])
    data = route.data() if route.data else {}
    if route.api and route.method in ("post", "patch") and "file" not in data:
        return getattr(client, route.method)(url, data, content_type="application/json")
    return getattr(client, route.method)(url, data)


def readable(response) -> str:
    """The text a person would read: the page, the JSON, the CSV, or the PDF's text."""
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if content.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return content.decode(errors="replace")


@pytest.mark.parametrize("who", VISITORS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_each_visitor_gets_what_the_table_says_and_bob_never_sees_alice(route, who, world):
    response = visit(route, who, world)

    expected = route.statuses[VISITORS.index(who)]
    if expected == TWO_FA:
        assert response.status_code == 302, readable(response)[:500]
        assert response["Location"] == reverse("mfa_activate_totp")
    else:
        assert response.status_code == expected, readable(response)[:500]
    if expected == LOGIN and who == "anonymous" and not route.api:
        assert response["Location"].startswith("/accounts/login/")
    if who in NOT_SEEING_ALICE and "{code}" not in route.url:
        body = readable(response)
        leaked = [secret for secret in world["secrets"] if secret in body]
        assert not leaked, f"{route.id} shows bob {leaked}"


@pytest.mark.parametrize("who", NOT_SEEING_ALICE)
def test_others_writes_to_alices_entry_change_nothing(world, who):
    entry = CreditEntry.objects.get(pk=world["ids"]["entry"])
    before = (entry.title, entry.certificate.name, entry.review_status)

    for route in ROUTES:
        if route.method != "get" and "{entry}" in route.url:
            visit(route, who, world)

    entry.refresh_from_db()
    assert (entry.title, entry.certificate.name, entry.review_status) == before
    assert CreditEntry.objects.filter(pk=entry.pk).exists()


def routes_of(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes_of(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + str(pattern.pattern)


def test_every_route_is_in_the_table():
    """Compared with every converter written ``<>``: ``/credits/<int:pk>/`` is ``/credits/<>/``."""
    placeholders = dict.fromkeys(
        (
            "entry",
            "asps_id",
            "audit",
            "run",
            "code",
            "tracer",
            "deleted",
            "activity",
            "reminder",
            "reading",
        ),
        "<>",
    )
    in_table = {route.url.split("?")[0].format(**placeholders) for route in ROUTES}
    routes = {
        re.sub(r"<[^>]*>", "<>", route)
        for route in routes_of(get_resolver().url_patterns)
        if not route.startswith(("/admin/", "/accounts/")) and "format" not in route
    }

    assert routes - in_table == set()
