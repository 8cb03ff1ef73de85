"""The superusers' page to add CME staff (the same service as ``manage.py invite_staff``)."""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from members import access, staff_invites
from staff.forms import InviteStaffForm


@login_required
@require_http_methods(["GET", "POST"])
def invite_staff(request: HttpRequest) -> HttpResponse:
    access.require_staff_admin(request.user)
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitation = staff_invites.invite_staff(email, invited_by=request.user, request=request)
        except ValidationError as error:
            form.add_error("email", error.messages)
        except (OSError, smtplib.SMTPException):
            messages.error(
                request,
                f"{email} is now CME staff, but the email could not be sent. "
                "Invite them again to send a new link.",
            )
            return redirect("staff:invite")
        else:
            what = "added" if invitation.created else "made CME staff"
            messages.success(
                request,
                f"{invitation.user.email} was {what}; a link to choose a password is on its "
                "way to them.",
            )
            return redirect("staff:invite")
    status = 400 if form.errors else 200
    return render(request, "staff/invite.html", {"form": form}, status=status)
