"""Staff page: the audit log (read-only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members.models import AuditEvent
from reports.staff import staff_page


@staff_page
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    who = request.GET.get("who", "").strip()
    if who:
        events = events.filter(actor_email__icontains=who)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/audit_log.html",
        {"page": page, "actions": AuditEvent.Action.choices, "action": action, "who": who},
    )
