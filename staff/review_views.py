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
from members import security_log
from members.access import staff_page
from staff.forms import DecisionForm, QueueFilterForm

QUEUE_PAGE_SIZE = 50
QUEUE_URL = "/staff/reviews/"


@staff_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("staff:reviews")


@staff_page
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    data = request.GET if request.GET else {"status": "pending"}
    filters = QueueFilterForm(data)
    cleaned = filters.cleaned_data if filters.is_valid() else {"status": "pending"}
    claims = review_selectors.review_queue(
        status=cleaned.get("status") or None,
        member_query=cleaned.get("member", ""),
        kind=cleaned.get("kind", ""),
        ended_from=cleaned.get("ended_from"),
        ended_to=cleaned.get("ended_to"),
    )
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/review_queue.html",
        {
            "filters": filters,
            "page": page,
            "claims": review_selectors.claims_in_context(list(page.object_list)),
            "return_to": request.get_full_path(),
        },
    )


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
    }
    return render(request, "staff/review_claim.html", context, status=400 if form.errors else 200)
