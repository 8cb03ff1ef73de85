"""Staff pages: the review queue of patient-safety claims and the decision on one claim.

Anyone but CME staff gets a 404 (``members.access.staff_page``): members never learn these
pages exist. The reads are in ``credits.review_selectors``, the writes in
``credits.review_services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cmetrack.http import safe_next
from credits import review_selectors, review_services
from credits.models import ReviewStatus
from members import security_log
from members.access import staff_page
from staff.forms import DecisionForm, QueueFilterForm

QUEUE_PAGE_SIZE = 50
QUEUE_URL = "/staff/reviews/"
# The words of the counts on top of the queue ("12 pending", "3 rejected").
COUNT_LABELS = {
    ReviewStatus.PENDING: "pending",
    ReviewStatus.DOCUMENTATION_REQUESTED: "documentation requested",
    ReviewStatus.APPROVED: "approved",
    ReviewStatus.REJECTED: "rejected",
}


@staff_page
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """The claims as a compact list, one row each, with the counts per status on top.

    One row is the current one: it shows the decision form (the first row, or ``?at=<id>``;
    the page's script moves it with the keyboard). Without the script, every claim's title
    leads to its own page and the current row's form still works.
    """
    data = request.GET.copy()
    if "status" not in data:  # the pending claims unless the filter asks for another status
        data["status"] = ReviewStatus.PENDING
    filters = QueueFilterForm(data)
    cleaned = filters.cleaned_data if filters.is_valid() else {"status": "pending"}
    other_filters = {
        "member_query": cleaned.get("member", ""),
        "kind": cleaned.get("kind", ""),
        "ended_from": cleaned.get("ended_from"),
        "ended_to": cleaned.get("ended_to"),
    }
    status = cleaned.get("status") or None
    claims = review_selectors.review_queue(status=status, **other_filters)
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    in_context = review_selectors.claims_in_context(list(page.object_list))
    counts = review_selectors.queue_counts(**other_filters)
    return render(
        request,
        "staff/review_queue.html",
        {
            "filters": filters,
            "page": page,
            "claims": in_context,
            "current": _current_claim(request, in_context),
            "status": status or "",
            "status_counts": [
                (value, COUNT_LABELS[value], count, _with_status(request, value))
                for value, count in counts.items()
            ],
            "note_required": review_services.NOTE_REQUIRED,
            "return_to": request.get_full_path(),
        },
    )


def _with_status(request: HttpRequest, status: str) -> str:
    """The queue's address with the same filters and another status, from its first page."""
    query = request.GET.copy()
    for key in ("page", "at"):
        query.pop(key, None)
    query["status"] = status
    return f"{QUEUE_URL}?{query.urlencode()}"


def _current_claim(request: HttpRequest, claims: list) -> int | None:
    """The row that shows its decision form: ``?at=<id>`` when on the page, else the first."""
    ids = [claim.entry.pk for claim in claims]
    asked = request.GET.get("at", "")
    if asked.isdigit() and int(asked) in ids:
        return int(asked)
    return ids[0] if ids else None


def _safe_next(request: HttpRequest, fallback: str = QUEUE_URL) -> str:
    """Where to go back to: the posted or asked-for ``next`` if it is a path on this site."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), fallback)


@staff_page
@require_http_methods(["GET", "POST"])
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    entry = review_selectors.claim_for_review(pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = review_services.review_decide(
                entry=entry,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
                ip=security_log.client_ip(request),
                seen_status=form.cleaned_data["seen_status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{decision.get_decision_display()}: {entry.title} ({entry.member})."
            )
            return redirect(_safe_next(request, QUEUE_URL))
    context = {
        "claim": review_selectors.claims_in_context([entry])[0],
        "form": form,
        "history": review_selectors.claim_history(entry),
        "next": _safe_next(request),
        "note_required": review_services.NOTE_REQUIRED,
    }
    return render(request, "staff/review_claim.html", context, status=400 if form.errors else 200)
