"""Staff page: the security log (read-only) — sign-ins, two-factor changes, tokens and staff
actions, as ``members.security_log`` records them. (Not documentation audits, which ask
members for certificates: ``staff.documentation_audit_views``.)"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members import selectors
from members.access import staff_page
from members.models import AuditEvent

SECURITY_LOG_PAGE_SIZE = 100


@staff_page
@require_GET
def security_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    who = request.GET.get("who", "").strip()
    events = selectors.security_events(action=action, who=who)
    page = Paginator(events, SECURITY_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/security_log.html",
        {"page": page, "actions": AuditEvent.Action.choices, "action": action, "who": who},
    )
