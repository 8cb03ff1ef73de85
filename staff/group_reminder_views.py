"""Staff pages: remind a group — the members the at-risk list's filter picks, each of their own
deficit. The preview (how many get it, who is skipped, a sample), the send, a run's page with
its progress (and the small JSON its script polls), the runs.

The reads are in ``reports.group_reminder_selectors``, the writes in
``reports.group_reminders`` and the task in ``reports.tasks``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from credits.membership_selectors import default_years
from members import security_log
from members.access import staff_page
from members.models import AuditEvent
from reports import group_reminder_email, tasks
from reports import group_reminder_selectors as selectors
from reports.group_reminders import filter_from_json
from staff.group_reminder_forms import MembershipFilterForm, describe

RUNS_PAGE_SIZE = 50


@staff_page
@require_http_methods(["GET", "POST"])
def group_reminder_new(request: HttpRequest) -> HttpResponse:
    """GET: the preview of reminding the members the filter in the query string picks.
    POST (the same query string, and ``confirm``): queue the run, go to its page."""
    today = timezone.localdate()
    form = MembershipFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "staff/group_reminder_preview.html", {"form": form}, status=400)
    chosen = form.chosen()
    preview = selectors.preview(chosen, today=today, now=timezone.now())
    if request.method == "POST" and request.POST.get("confirm") == "send" and preview.will_get:
        with transaction.atomic():  # logged with the run, before its task starts
            reminder_run = tasks.group_reminder_enqueue(chosen, by=request.user, today=today)
            security_log.record(
                AuditEvent.Action.GROUP_REMINDER,
                actor=request.user,
                request=request,
                target=f"group reminder {reminder_run.pk}",
                members=reminder_run.planned,
                filter=reminder_run.filter,
            )
        messages.success(request, f"Reminders to {reminder_run.planned} members are queued.")
        return redirect("staff:group_reminder", pk=reminder_run.pk)
    sample = preview.sample
    email = group_reminder_email.message(sample, today=today) if sample else None
    return render(
        request,
        "staff/group_reminder_preview.html",
        {
            "form": form,
            "preview": preview,
            "filter_words": describe(chosen, default_years(today)),
            "query": request.GET.urlencode(),
            "email": email,
            "headline": group_reminder_email.headline(sample, today=today) if sample else "",
            "quiet_days": selectors.QUIET_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_page
@require_GET
def group_reminder(request: HttpRequest, pk: int) -> HttpResponse:
    reminder_run = selectors.run(pk)
    return render(
        request,
        "staff/group_reminder_run.html",
        {
            "run": reminder_run,
            "progress": selectors.progress(reminder_run),
            "filter_words": describe(
                filter_from_json(reminder_run.filter), default_years(reminder_run.as_of)
            ),
            "skipped": selectors.skipped_by_reason(reminder_run.pk),
            "failed": selectors.failed_sends(reminder_run.pk),
        },
    )


@staff_page
@require_GET
def group_reminder_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The run's progress for the page's script (static/js/site.js)."""
    response = JsonResponse(selectors.progress(selectors.run(pk)))
    response["Cache-Control"] = "no-store"
    return response


@staff_page
@require_GET
def group_reminders(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.runs(), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/group_reminders.html", {"page": page})
