"""Holes found by attacking the merged hardening on a production-like set-up.

Each test reproduces one finding (and failed before its fix).
"""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from credits import review_services
from tests.factories import (
    PASSWORD,
    CreditEntryFactory,
    MemberFactory,
    UserFactory,
    in_cme_staff,
    with_two_factor,
)

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


# --- The token answer itself is a secret ---------------------------------------------------


def test_the_token_answer_is_not_stored(alice):
    """The answer holding the token is sent to an anonymous request (no session, no
    Authorization header yet), so the private-answers rule did not cover it."""
    response = APIClient().post(
        TOKEN_URL, {"email": alice.user.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_refused_token_request_is_not_stored_either(alice):
    response = APIClient().post(
        TOKEN_URL, {"email": alice.user.email, "password": "wrong password"}, format="json"
    )

    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


# --- Control characters in the path ----------------------------------------------------------


@pytest.mark.parametrize("path", ["/verify/%00abc/", "/verify/a%0d%0ab/"])
def test_a_control_character_in_a_public_path_is_a_404(postgres, client, path):
    """``/verify/<code>/`` is public: a NUL byte in the code reached PostgreSQL (500)."""
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/verify/%00abc/", "/staff/members/%0dx/", "/%07/"])
def test_a_path_refused_before_the_login_is_read_gets_the_site_404_page(client, path):
    """The middleware refuses control characters before the login is read; the site's 404
    page (its navigation asks who the user is) must still render, as for an anonymous user."""
    response = client.get(path)

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_nul_byte_in_a_staff_member_path_is_a_404(postgres, reviewer_client):
    response = reviewer_client.get("/staff/members/%00x/")

    assert response.status_code == 404


def test_a_control_character_in_an_api_path_is_a_json_404(client):
    response = client.get("/api/v1/credits/%00/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Review decisions: known holes, not fixed here ------------------------------------------


def _hidden_fields(html: str) -> dict[str, str]:
    form = re.search(r'(?s)<form method="post"[^>]*class="decision-form".*?</form>', html)
    assert form is not None
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_a_reviewer_does_not_silently_overturn_a_decision_made_meanwhile(
    reviewer, reviewer_client, alice
):
    """Two reviewers clear the same queue: B opens the claim while it is pending, A approves
    it, B (who never saw A's decision) rejects it. B's reject is taken and the member gets
    two emails: approved, then rejected."""
    entry = CreditEntryFactory(member=alice)
    other = with_two_factor(in_cme_staff(UserFactory(email="second@example.org", is_staff=True)))
    page = reviewer_client.get(f"/staff/reviews/{entry.pk}/")
    fields = _hidden_fields(page.content.decode())

    review_services.review_decide(entry=entry, decision="approve", by=other)
    reviewer_client.post(
        f"/staff/reviews/{entry.pk}/", {**fields, "decision": "reject", "note": "No proof."}
    )

    entry.refresh_from_db()
    assert entry.review_status == "approved"


def test_a_reviewer_cannot_approve_their_own_claim():
    """invite_staff makes an existing member's login CME staff; that member then approves
    their own patient-safety claim through the API (or the page)."""
    user = with_two_factor(in_cme_staff(UserFactory(email="both@example.org", is_staff=True)))
    own = MemberFactory(user=user)
    entry = CreditEntryFactory(member=own)
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(
        f"/api/v1/reviews/{entry.pk}/decision/", {"decision": "approve"}, format="json"
    )

    entry.refresh_from_db()
    assert response.status_code in (400, 403)
    assert entry.review_status == "pending"


def test_a_decision_made_meanwhile_is_refused_through_the_api_too(reviewer, alice):
    entry = CreditEntryFactory(member=alice)
    other = with_two_factor(in_cme_staff(UserFactory(email="third@example.org", is_staff=True)))
    review_services.review_decide(entry=entry, decision="approve", by=other)
    api = APIClient()
    api.force_authenticate(reviewer)

    response = api.post(
        f"/api/v1/reviews/{entry.pk}/decision/",
        {"decision": "reject", "note": "No proof.", "seen_status": "pending"},
        format="json",
    )

    assert response.status_code == 400
    assert "decided this claim meanwhile" in response.json()["decision"][0]
    entry.refresh_from_db()
    assert entry.review_status == "approved"


def test_a_permission_granted_alone_does_not_make_cme_staff(staff_user):
    from django.contrib.auth.models import Permission

    from members import access

    staff_user.user_permissions.add(Permission.objects.get(codename="review_claims"))
    with_two_factor(staff_user)

    assert not access.is_cme_staff(staff_user)
