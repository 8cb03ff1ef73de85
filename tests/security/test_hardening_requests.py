"""Smaller holes closed in what a request carries: file-name headers, control characters in
queries, and ``next`` on the staff claim page.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cmetrack.http import attachment_disposition, safe_filename
from members.models import AuditEvent
from tests.factories import PASSWORD, CreditEntryFactory, MemberFactory
from tests.security.hardening_helpers import PNG_BYTES

pytestmark = pytest.mark.django_db


# --- File names and Content-Disposition ------------------------------------------------

HOSTILE_ASPS_IDS = ['7"\r\nSet-Cookie: x=1', "8\n9", '12"34', "a;b\\c", "ü/../x"]


@pytest.mark.parametrize("asps_id", HOSTILE_ASPS_IDS)
@pytest.mark.parametrize("name", ["reports:cme_csv", "reports:cme_pdf"])
def test_report_downloads_name_the_file_from_safe_characters(client, name, asps_id):
    member = MemberFactory(asps_id=asps_id)
    client.force_login(member.user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    match = re.fullmatch(
        r'(attachment|inline); filename="(cme-report-[A-Za-z0-9-]+-\d{4}-\d\d-\d\d\.(csv|pdf))"'
        r"(; filename\*=UTF-8''[A-Za-z0-9%._-]+)?",
        disposition,
    )
    assert match, disposition
    assert "Set-Cookie" not in response.cookies


def test_the_disposition_helper_never_breaks_a_header():
    for name in ['a"b.pdf', "a\r\nb.csv", "a\\b", "..", "", "résumé.pdf", 'x.p"d\nf']:
        value = attachment_disposition(name)
        assert not re.search(r"[\x00-\x1f\x7f\\]", value), value
        plain = re.match(r'attachment; filename="([^"]*)"', value).group(1)
        assert re.fullmatch(r"[A-Za-z0-9._-]+", plain), value
        assert not plain.startswith(".")
    assert attachment_disposition("cme-report-1.pdf", inline=True) == (
        'inline; filename="cme-report-1.pdf"'
    )
    assert safe_filename("certificate", 5, extension='png"\r\n') == "certificate-5.png"


def test_the_certificate_download_uses_the_same_safe_header(alice_client, alice):
    entry = CreditEntryFactory(
        member=alice, certificate=SimpleUploadedFile("c.png", PNG_BYTES, "image/png")
    )

    response = alice_client.get(reverse("credits:certificate", args=[entry.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{entry.pk}.png"'
    assert response["Content-Type"] == "image/png"


# --- Control characters in query parameters ---------------------------------------------


def test_a_nul_byte_in_the_audit_log_filter_is_dropped(reviewer_client):
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, actor_email="ann@example.org")

    response = reviewer_client.get("/staff/audit-log/", {"who": "ann\x00", "action": "\x01"})

    assert response.status_code == 200
    assert response.context["who"] == "ann"
    assert "\x00" not in response.content.decode()
    assert [event.actor_email for event in response.context["page"]] == ["ann@example.org"]


def test_a_nul_byte_in_the_report_member_is_dropped(reviewer_client, alice):
    response = reviewer_client.get("/reports/cme/", {"member": f"{alice.asps_id}\x00"})

    assert response.status_code == 200
    assert response.context["report"].member == alice
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/staff/reviews/", {"member": "\x00", "status": "pending\x1b", "page": "1\x00"}),
        ("/staff/members/", {"q": "smith\x00"}),
        ("/reports/cme/csv/", {"start": "2025-01-01\x00"}),
        ("/staff/imports/", {"page": "\x002"}),
    ],
)
def test_control_characters_never_reach_a_view(reviewer_client, url, params):
    response = reviewer_client.get(url, params)

    assert response.status_code in (200, 400, 404)
    request = response.wsgi_request
    for name, values in request.GET.lists():
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", name + "".join(values)), (name, values)


def test_control_characters_are_dropped_in_api_queries(client, alice):
    token = client.post(
        "/api/v1/auth/token/", {"email": alice.user.email, "password": PASSWORD}
    ).json()["token"]

    response = client.get(
        "/api/v1/credits/", {"page": "1\x00"}, HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 200


def test_a_nul_byte_would_otherwise_fail_in_postgresql(postgres, reviewer_client):
    """Without the cleaning, PostgreSQL refuses the query (500)."""
    response = reviewer_client.get("/staff/audit-log/", {"who": "a\x00b"})

    assert response.status_code == 200


# --- ?next= on the staff claim page -----------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(document.cookie)",
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "http://testserver/staff/reviews/",
        " javascript:alert(1)",
        "staff/reviews/",
    ],
)
def test_the_claim_page_links_back_only_to_a_path_on_this_site(reviewer_client, alice, target):
    entry = CreditEntryFactory(member=alice)
    url = reverse("staff:review", args=[entry.pk])

    page = reviewer_client.get(url, {"next": target})

    body = page.content.decode()
    assert page.status_code == 200
    assert 'href="/staff/reviews/">Review queue</a>' in body
    assert "evil.example" not in body and "javascript:" not in body
    assert 'name="next" value="/staff/reviews/"' in body

    decided = reviewer_client.post(url, {"decision": "approve", "note": "", "next": target})
    assert decided.status_code == 302
    assert decided["Location"] == "/staff/reviews/"


def test_the_claim_page_keeps_a_path_on_this_site(reviewer_client, alice):
    entry = CreditEntryFactory(member=alice)
    back = "/staff/reviews/?status=approved&page=2"

    page = reviewer_client.get(reverse("staff:review", args=[entry.pk]), {"next": back})

    assert 'href="/staff/reviews/?status=approved&amp;page=2">' in page.content.decode()
