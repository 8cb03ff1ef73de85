"""The site-wide layer: the navigation shows only what the user can open, staff without a
member profile land on the staff overview, and the error pages are the site's own (403, 404, 500).
The browser checks (page width, axe) are tests/e2e/test_every_page.py."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from cmetrack.errors import server_error
from tests.factories import MemberFactory, in_cme_staff, with_two_factor

MEMBER_LINKS = ("Submit CME", "My entries", "CME Report")


def nav(response) -> str:
    html = response.content.decode()
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_sees_the_member_links_and_no_staff_link(alice):
    links = nav(browser(alice.user).get("/"))

    assert all(link in links for link in (*MEMBER_LINKS, "Dashboard"))
    assert "Staff" not in links


def test_staff_without_a_member_profile_land_on_the_overview_without_member_links(reviewer):
    client = browser(reviewer)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"

    links = nav(client.get("/staff/"))
    assert "Staff" in links
    assert not any(link in links for link in (*MEMBER_LINKS, "Dashboard"))


def test_staff_with_a_member_profile_keep_their_dashboard_and_a_staff_link(db):
    surgeon = MemberFactory(user__is_staff=True)
    in_cme_staff(with_two_factor(surgeon.user))

    response = browser(surgeon.user).get("/")

    assert response.status_code == 200
    links = nav(response)
    assert all(link in links for link in (*MEMBER_LINKS, "Staff"))


def test_is_staff_outside_cme_staff_sees_neither_staff_nor_member_links(staff_user):
    response = browser(staff_user).get("/")

    assert response.status_code == 200  # the "no member profile" page
    assert '<nav class="main-nav"' not in response.content.decode()  # nothing to open


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_the_admin_answers_with_the_sites_403_page_to_signed_in_non_staff(alice, staff_user, who):
    user = alice.user if who == "member" else staff_user

    response = browser(user).get("/admin/", follow=True)

    assert response.status_code == 403
    html = response.content.decode()
    assert "css/site.css" in html
    assert "This page is not open to your account" in html
    assert 'href="/"' in html  # a way back


def test_a_missing_page_is_the_sites_404_page_with_a_way_back(alice_client):
    response = alice_client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Go to your start page" in html


def test_the_api_keeps_its_json_errors(alice_client):
    response = alice_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert server_error(RequestFactory().get("/api/v1/me/")).status_code == 500


def test_the_500_page_needs_no_database_and_no_context():
    # No database access is allowed in this test: a query would raise.
    response = server_error(RequestFactory().get("/credits/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "css/site.css" in html
    assert 'href="/"' in html


def test_allauths_words_are_in_sentence_case():
    """locale/en rewords allauth's Title Case; its compiled django.mo must match django.po."""
    import re
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    po = (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, re.M)
    assert ("Sign In", "Log in") in pairs and ("Remember Me", "Remember me") in pairs
    with translation.override("en-us"):
        assert [gettext(msgid) for msgid, _ in pairs] == [msgstr for _, msgstr in pairs]


def test_the_login_page_says_log_in_and_remember_me(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert "Remember me" in html
    assert "Remember Me" not in html and "Sign In" not in html


def test_a_form_sent_without_its_csrf_token_gets_a_page_that_says_what_to_do(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html
    assert "css/site.css" in html
