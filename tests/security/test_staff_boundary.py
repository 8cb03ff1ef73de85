"""Who is staff is decided once (members.access) and holds on every surface.

Reproduces what an attacker found: ``is_staff`` outside the CME staff group, and CME staff
before they set up two-factor, downloaded any member's certificates, entries and reports;
the admin let any ``is_staff`` account in. The route-by-route table is tests/test_isolation.py;
these are the surfaces outside it (the admin, templates, the predicates themselves).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from members import access
from tests.factories import CreditEntryFactory, UserFactory, in_cme_staff, with_two_factor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(alice, staff_user, reviewer):
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    return {
        "member": alice.user,
        "outsider": staff_user,  # is_staff, not in the group
        "no2fa": in_cme_staff(UserFactory(email="new@example.org", is_staff=True)),
        "staff": reviewer,
        "superuser without two-factor": superuser,
        "superuser": with_two_factor(
            UserFactory(email="root2@example.org", is_staff=True, is_superuser=True)
        ),
        "group without is_staff": with_two_factor(
            in_cme_staff(UserFactory(email="grouponly@example.org"))
        ),
    }


@pytest.mark.parametrize(
    ("who", "cme_staff", "needs_two_factor"),
    [
        ("member", False, False),
        ("outsider", False, False),
        ("no2fa", False, True),
        ("staff", True, False),
        ("superuser without two-factor", False, True),
        ("superuser", True, False),
        ("group without is_staff", False, False),
    ],
)
def test_one_predicate_says_who_is_cme_staff(people, who, cme_staff, needs_two_factor):
    user = people[who]
    assert access.is_cme_staff(user) is cme_staff
    assert access.needs_two_factor(user) is needs_two_factor


def test_an_inactive_staff_user_is_no_staff(reviewer):
    reviewer.is_active = False
    reviewer.save()
    access.forget(reviewer)
    assert not access.is_cme_staff(reviewer)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("member", "login"),
        ("outsider", "login"),
        ("no2fa", "two-factor"),
        ("superuser without two-factor", "two-factor"),
        ("staff", 200),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/credits/creditentry/", "/admin/members/member/"]
)
def test_the_admin_is_for_cme_staff_with_two_factor(people, who, expected, url):
    browser = Client()
    browser.force_login(people[who])

    response = browser.get(url)

    if expected == 200:
        assert response.status_code == 200
    elif expected == "two-factor":
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    else:  # the admin's "log in as someone allowed" page: no data
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", ["outsider", "no2fa"])
def test_certificates_entries_and_reports_stay_hidden_from_non_staff(people, alice, who):
    entry = CreditEntryFactory(
        member=alice,
        title="Secret flap course",
        patient_safety_credits=Decimal("1"),
        certificate=SimpleUploadedFile("c.pdf", PDF, "application/pdf"),
    )
    browser = Client()
    browser.force_login(people[who])
    urls = [
        reverse("credits:certificate", args=[entry.pk]),
        reverse("credits:detail", args=[entry.pk]),
        reverse("reports:cme") + f"?member={alice.asps_id}",
        reverse("reports:cme_pdf") + f"?member={alice.asps_id}",
        reverse("reports:cme_csv") + f"?member={alice.asps_id}",
    ]
    for url in urls:
        response = browser.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:  # only ever to the two-factor set-up
            assert who == "no2fa"
            assert response["Location"] == reverse("mfa_activate_totp")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Secret flap course" not in body
        assert PDF not in body


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [("member", False), ("outsider", False), ("no2fa", True), ("staff", True)],
)
def test_the_staff_link_follows_the_staff_role(people, who, sees_link):
    browser = Client()
    browser.force_login(people[who])
    # A page every signed-in user opens (the dashboard sends staff on to their overview).
    page = browser.get(reverse("account_change_password")).content.decode()
    assert (f'href="{reverse("staff:home")}"' in page) is sees_link


def test_enabling_two_factor_opens_the_staff_pages(people):
    user = people["no2fa"]
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("staff:reviews"))["Location"] == reverse("mfa_activate_totp")

    with_two_factor(user)

    assert browser.get(reverse("staff:reviews")).status_code == 200
