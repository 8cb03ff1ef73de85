"""Account pages of the members app that allauth does not have."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
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
