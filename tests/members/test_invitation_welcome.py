"""A member's invitation opens a welcome, not "Change Password", and ends on the dashboard,
logged in; the link keeps its security: one use, an expiry, the key out of the address."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from members.invitations import invitation_link, invitation_message
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SITE = "https://cme.example.org"
PASSWORD = "Copper-Willow-Lantern-58"


@pytest.fixture
def invited(settings):
    settings.SITE_URL = SITE
    member = MemberFactory(user__email="dana.diaz@example.org", last_name="Diaz")
    member.user.set_unusable_password()
    member.user.save()
    return member


def path_of(link: str) -> str:
    assert link.startswith(f"{SITE}/accounts/welcome/"), link
    return link.removeprefix(SITE)


def test_the_invitation_email_links_to_the_welcome_page(invited):
    assert f"{SITE}/accounts/welcome/" in invitation_message(invited.user).body


def test_the_link_welcomes_the_member_and_hides_the_key(client, invited):
    path = path_of(invitation_link(invited.user))

    moved = client.get(path)
    assert moved.status_code == 302
    assert moved.url.endswith("-set-password/")  # the key left the address bar
    page = client.get(moved.url).content.decode()

    assert "Welcome to CME Track — choose a password" in page
    assert "Change Password" not in page
    assert "Dr. Diaz" in page and "dana.diaz@example.org" in page


def test_choosing_the_password_logs_in_and_opens_the_dashboard(client, invited):
    moved = client.get(path_of(invitation_link(invited.user)))

    response = client.post(moved.url, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302 and response.url == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert dashboard.context["user"] == invited.user
    assert "Welcome to CME Track. Your password is set." in dashboard.content.decode()
    invited.user.refresh_from_db()
    assert invited.user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=invited.user).verified  # the link proved the address


def test_the_link_works_once(client, invited):
    path = path_of(invitation_link(invited.user))
    client.post(client.get(path).url, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    again = client.get(path)

    assert again.status_code == 200
    assert again.context["token_fail"]
    assert "This invitation link no longer works" in again.content.decode()


def test_the_link_expires(client, invited, settings):
    path = path_of(invitation_link(invited.user))
    settings.PASSWORD_RESET_TIMEOUT = -1  # any age is too old

    response = client.get(path)

    assert response.status_code == 200 and response.context["token_fail"]
    invited.user.refresh_from_db()
    assert not invited.user.has_usable_password()


def test_a_bad_password_keeps_the_member_on_the_welcome_page(client, invited):
    moved = client.get(path_of(invitation_link(invited.user)))

    response = client.post(moved.url, {"password1": "short", "password2": "short"})

    assert response.status_code == 200
    assert "Welcome to CME Track" in response.content.decode()
    invited.user.refresh_from_db()
    assert not invited.user.has_usable_password()
