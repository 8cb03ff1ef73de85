"""New staff get in: an invitation, a password through a one-time link, then two-factor.

Before: the only way to make staff was the shell, and whoever set their password through an
emailed link could not enable two-factor (allauth refuses while an address is unverified,
and nothing verified it), so new staff could never open a staff page.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from members import access
from members.invitations import invitation_link
from members.models import AuditEvent, User
from tests.factories import (
    PASSWORD,
    MemberFactory,
    UserFactory,
    in_cme_staff,
    totp_code,
    with_two_factor,
)

pytestmark = pytest.mark.django_db

SITE = "https://cme.example.org"
NEW_PASSWORD = "Ridge-Lantern-Vessel-42"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]


def link_in(message) -> str:
    match = re.search(r"https?://\S+/password/reset/key/\S+", message.body)
    assert match, message.body
    return match.group(0)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the emailed link and choose a password, as a browser would."""
    path = link.removeprefix(SITE)
    response = client.get(path)
    assert response.status_code == 302, response.content
    response = client.post(response.url, {"password1": password, "password2": password})
    assert response.status_code == 302, response.content
    return response


def log_in(client, email: str, password: str = NEW_PASSWORD) -> None:
    """Through the login page, then allauth's "confirm access" (setting up two-factor asks
    for the password again)."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content


def start_totp(client) -> tuple[int, str]:
    """Ask for the authenticator set-up page: (status, the secret it shows or "")."""
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code != 200:
        return response.status_code, response.url
    return 200, response.context["form"].secret


def test_invite_staff_creates_cme_staff_with_no_password_and_a_link_from_site_url():
    call_command("invite_staff", "  New.Reviewer@Example.org ")

    user = User.objects.get(email="new.reviewer@example.org")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=access.CME_STAFF_GROUP).exists()
    assert not user.has_usable_password()
    assert access.needs_two_factor(user)  # staff, but no member data before two-factor
    [message] = mail.outbox
    assert message.to == ["new.reviewer@example.org"]
    assert link_in(message).startswith(f"{SITE}/accounts/password/reset/key/")
    assert f"{SITE}/accounts/2fa/totp/activate" in message.body
    event = AuditEvent.objects.get(action=AuditEvent.Action.STAFF_INVITED)
    assert event.target == "new.reviewer@example.org"


def test_invite_staff_makes_an_existing_login_staff_and_keeps_its_password():
    member = MemberFactory(user__email="doctor@example.org")

    call_command("invite_staff", "doctor@example.org")

    member.user.refresh_from_db()
    assert member.user.is_staff
    assert member.user.check_password(PASSWORD)
    assert "If you already have a password, keep using it" in mail.outbox[0].body


def test_invite_staff_refuses_what_is_not_an_email_address():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("invite_staff", "not-an-address")
    assert not User.objects.exists()


def test_invited_staff_set_a_password_then_two_factor_then_see_the_queue(client):
    call_command("invite_staff", "new.reviewer@example.org")
    choose_password(client, link_in(mail.outbox[0]))
    log_in(client, "new.reviewer@example.org")

    # Staff pages send them to set up two-factor first...
    response = client.get("/staff/reviews/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # ...which works: using the emailed link verified their address.
    status, secret = start_totp(client)
    assert status == 200
    assert EmailAddress.objects.get(email="new.reviewer@example.org").verified
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/staff/reviews/").status_code == 200


def test_a_member_invitation_link_also_verifies_the_address(client):
    member = MemberFactory(user__email="new.member@example.org", user__password=None)
    member.user.set_unusable_password()
    member.user.save()

    choose_password(client, invitation_link(member.user))

    assert EmailAddress.objects.get(user=member.user).verified
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EMAIL_VERIFIED, target="new.member@example.org"
    ).exists()


def test_a_password_reset_link_comes_from_site_url_and_verifies_the_address(client):
    user = UserFactory(email="doctor@example.org")

    client.post(
        reverse("account_reset_password"),
        {"email": "doctor@example.org"},
        HTTP_HOST="attacker.example",
    )

    [message] = mail.outbox
    assert "attacker.example" not in message.body
    link = link_in(message)
    assert link.startswith(f"{SITE}/accounts/password/reset/key/")
    choose_password(client, link)
    assert EmailAddress.objects.get(user=user).verified


def test_the_two_factor_page_offers_to_verify_an_unverified_address(client):
    """An address never proven (say, one added later) can be verified from the page."""
    user = in_cme_staff(UserFactory(email="staff@example.org", is_staff=True))
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    log_in(client, user.email, PASSWORD)

    response = client.get(reverse("mfa_activate_totp"), follow=True)
    page = response.content.decode()
    assert "Verify your email address first" in page
    assert "Send me a verification email" in page

    response = client.post(reverse("send_email_verification"), HTTP_HOST="attacker.example")
    assert response.status_code == 302
    [message] = mail.outbox
    assert "attacker.example" not in message.body
    match = re.search(rf"{re.escape(SITE)}(/accounts/confirm-email/\S+/)", message.body)
    assert match, message.body
    response = client.post(match.group(1))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert EmailAddress.objects.get(user=user).verified
    assert start_totp(client)[0] == 200, start_totp(client)


# --- The superusers' page --------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    user = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    return with_two_factor(user)


def test_a_superuser_invites_staff_from_the_page(client, superuser):
    client.force_login(superuser)

    response = client.post("/staff/invite/", {"email": "Second.Reviewer@example.org"})

    assert response.status_code == 302
    user = User.objects.get(email="second.reviewer@example.org")
    assert user.is_staff and user.groups.filter(name=access.CME_STAFF_GROUP).exists()
    assert link_in(mail.outbox[0]).startswith(SITE)
    event = AuditEvent.objects.get(action=AuditEvent.Action.STAFF_INVITED)
    assert event.actor == superuser
    assert "Invite staff" in client.get("/staff/reviews/").content.decode()


def test_the_invite_page_names_a_bad_address_next_to_the_field(client, superuser):
    client.force_login(superuser)

    response = client.post("/staff/invite/", {"email": "nobody"})

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not mail.outbox


def test_only_superusers_with_two_factor_open_the_invite_page(client, reviewer, alice):
    client.force_login(reviewer)  # CME staff, not a superuser
    assert client.get("/staff/invite/").status_code == 404
    assert client.post("/staff/invite/", {"email": "x@example.org"}).status_code == 404
    assert "Invite staff" not in client.get("/staff/reviews/").content.decode()

    client.force_login(alice.user)
    assert client.get("/staff/invite/").status_code == 404

    no_two_factor = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(no_two_factor)
    response = client.get("/staff/invite/")
    assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))

    client.logout()
    assert client.get("/staff/invite/").status_code == 302
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_verify_button_does_not_send_again_and_again(client):
    user = UserFactory(email="doctor@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    client.force_login(user)

    for _ in range(3):
        client.post(reverse("send_email_verification"))

    assert len(mail.outbox) == 1


def test_a_deactivated_login_is_not_made_staff_by_an_invitation():
    UserFactory(email="former@example.org", is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        call_command("invite_staff", "former@example.org")

    assert not User.objects.get(email="former@example.org").is_staff
    assert not mail.outbox
