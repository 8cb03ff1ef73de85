"""What the API's views share: the error answers in the schema, a service's error as a 400,
and the window (cycle or dates) a request asks about.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from credits import (
    counted,
    rules,
)
from credits.forms import WindowForm
from members.models import Member

ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Invalid input: {"field": ["message", ...]} or {"non_field_errors": [...]}',
    ),
    401: OpenApiResponse(OpenApiTypes.OBJECT, description='Not logged in: {"detail": "..."}'),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description='Not allowed: {"detail": "..."}'),
    404: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Does not exist or belongs to someone else: {"detail": "..."}',
    ),
}
WRITE_ERROR_RESPONSES = {
    **ERROR_RESPONSES,
    415: OpenApiResponse(
        OpenApiTypes.OBJECT, description="A body that is not JSON or multipart form data."
    ),
}
WINDOW_PARAMETERS = [
    OpenApiParameter("cycle", str, enum=["current", "previous"], required=False),
    OpenApiParameter("start", OpenApiTypes.DATE, required=False),
    OpenApiParameter("end", OpenApiTypes.DATE, required=False),
]


def raise_as_api_error(error: DjangoValidationError) -> None:
    """A service's ``{field: [messages]}`` becomes the API's 400 with the same fields.

    A duplicate answers in plain words with the other entry's id:
    ``{"confirm_duplicate": ["..."], "duplicate_of": [123]}``.
    """
    if isinstance(error, counted.DuplicateEntry):
        refused = ValidationError({"confirm_duplicate": [error.text()]})
        refused.detail["duplicate_of"] = [error.duplicate.pk]  # ids stay numbers
        raise refused
    detail = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    raise ValidationError({field: [str(m) for m in messages] for field, messages in detail.items()})


def request_window(request: Request, member: Member) -> rules.Window:
    params = request.query_params
    problems = {
        name: ["Give a date as YYYY-MM-DD, or leave the parameter out."]
        for name in ("start", "end")
        if name in params and not params[name]
    }
    if "cycle" in params and params["cycle"] not in ("current", "previous"):
        problems["cycle"] = ["Choose current or previous."]
    if problems:
        raise ValidationError(problems)
    form = WindowForm(params or None)
    if form.is_bound and not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.window(cycle_start=member.cycle_start, today=timezone.localdate())


class CycleSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
