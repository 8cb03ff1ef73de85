"""Submit CME, "Start from a certificate": the member uploads (or photographs) a certificate,
it is read, and the form comes back filled for the member to confirm (docs/certificate-reading.md).

``POST /credits/new/read/`` keeps the file and starts the reading (a Celery task when a broker is
configured, at once otherwise); ``/credits/new/reading/?c=<token>`` shows its progress until it is
done, then sends the member to the form, filled in, the certificate attached.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from credits import catalogue_form, certificate_reading, tasks, views
from credits.forms import CreditEntryForm
from members.selectors import member_of

# The page looks again this often while the certificate is read (without script too).
REFRESH_SECONDS = 2


def form_url(token: str) -> str:
    return f"{reverse('credits:new')}?{urlencode({'reading': token})}"


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(
                {"file": ["Choose the certificate: a PDF, or a photo or scan as JPEG or PNG."]}
            )
        if not certificate_reading.may_read(request.user):
            raise ValidationError({"file": [certificate_reading.TOO_MANY]})
        pending = certificate_reading.keep(user=request.user, upload=upload)
    except ValidationError as error:
        context = views.form_context(CreditEntryForm(initial={"country": member.country}))
        context.update(
            find=catalogue_form.Find.run(""),
            read_errors=error.message_dict["file"],
        )
        return render(request, "credits/entry_form.html", context, status=400)
    tasks.read_certificate.delay(request.user.pk, pending.token)
    result = certificate_reading.result_of(user=request.user, token=pending.token)
    if result is not None and result.finished:  # read at once (no broker): straight to the form
        return redirect(form_url(pending.token))
    return redirect(views.certificate_reading_url(pending.token))


@login_required
@require_GET
def reading(request: HttpRequest) -> HttpResponse:
    """The reading's progress; ``?status=1`` answers in JSON for the page's script."""
    member_of(request.user)
    token = str(request.GET.get("c", ""))[:1000]
    result = certificate_reading.result_of(user=request.user, token=token) if token else None
    if result is None:
        raise Http404("No certificate of yours is being read.")
    if request.GET.get("status"):
        return JsonResponse(
            {
                "status": result.status,
                "next": form_url(token) if result.finished else None,
            }
        )
    if result.finished:
        return redirect(form_url(token))
    return render(
        request,
        "credits/certificate_reading.html",
        {"result": result, "token": token, "refresh": REFRESH_SECONDS},
    )
