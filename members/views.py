"""Account pages of the members app that allauth does not have."""

from __future__ import annotations

from typing import Any

from allauth.account.internal import flows
from allauth.account.views import PasswordResetFromKeyView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from members import email_verification


@login_required
@require_POST
def send_email_verification(request: HttpRequest) -> HttpResponse:
    """The two-factor page's "verify your email" button: send the confirmation link(s)."""
    sent, held = email_verification.send_verifications(request, request.user)
    if sent:
        messages.info(
            request,
            f"We emailed a link to {', '.join(sent)}. Open it to verify your address, then "
            "come back here to set up two-factor authentication.",
        )
    if held:
        messages.warning(
            request,
            f"A link was emailed to {', '.join(held)} a few minutes ago: use that one, or "
            "try again in a few minutes.",
        )
    if not sent and not held:
        messages.info(request, "Your email address is already verified.")
    return redirect("mfa_index")


class WelcomeView(PasswordResetFromKeyView):
    """The landing of a member's invitation (``members.invitations.invitation_link``):
    "Welcome to CME Track — choose a password", then the dashboard, logged in.

    allauth's own "set a new password" view underneath: the same token checks (single use,
    expiry), the key moved out of the address before the form shows (no leak through the
    Referer), its rate limit, the ``password_reset`` signal (which verifies the address and
    is kept in the security log). Only the page and what follows the password differ.
    """

    template_name = "account/welcome.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("account_welcome", kwargs=self.kwargs)
        user = getattr(self, "reset_user", None)
        context["member"] = getattr(user, "member", None) if user else None
        return context

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        # Not "New Password": it is the member's first.
        for name, label in (("password1", "Choose a password"), ("password2", "The same again")):
            form.fields[name].label = label
            form.fields[name].widget.attrs.pop("placeholder", None)
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        form.save()
        flows.password_reset.finalize_password_reset(self.request, self.reset_user)
        messages.success(self.request, "Welcome to CME Track. Your password is set.")
        # Logged in through allauth (two-factor, if ever set up, is still asked for).
        return flows.password_reset.perform_password_reset_login(self.request, self.reset_user)
