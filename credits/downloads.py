"""A certificate as a download: the one response the page and the API both give."""

from __future__ import annotations

from django.http import FileResponse, Http404

from cmetrack.http import attachment_disposition, safe_filename
from credits.models import CreditEntry

CERTIFICATE_TYPES = ["application/pdf", "image/jpeg", "image/png"]


def certificate_response(entry: CreditEntry) -> FileResponse:
    """The entry's certificate as an attachment named ``certificate-<id>.<ext>`` (the
    content type follows the extension; nosniff comes from SecurityMiddleware). The caller
    has already decided that the user may see the entry."""
    if not entry.certificate:
        raise Http404("No certificate for this entry.")
    extension = entry.certificate.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(entry.certificate.open("rb"))
    response["Content-Disposition"] = attachment_disposition(
        safe_filename("certificate", entry.pk, extension=extension)
    )
    return response
