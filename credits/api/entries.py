"""``/api/v1/me/`` and ``/api/v1/credits/``: who is asking, and their credit entries (list,
create, change, delete, certificate).
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import (
    counted,
    downloads,
    rules,
    selectors,
    services,
)
from credits.api.common import (
    ERROR_RESPONSES,
    WINDOW_PARAMETERS,
    WRITE_ERROR_RESPONSES,
    CycleSerializer,
    raise_as_api_error,
    request_window,
)
from credits.models import (
    ActivityType,
    Category,
    ContentArea,
    CreditEntry,
    PatientSafetyKind,
)
from members import formatting, security_log
from members.models import Member
from members.selectors import member_of

# --- Auth and me -----------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    asps_id = serializers.CharField()
    full_name = serializers.CharField()
    membership_type = serializers.CharField()
    standing = serializers.CharField()
    cycle = serializers.SerializerMethodField()

    @extend_schema_field(CycleSerializer)
    def get_cycle(self, member: Member) -> dict[str, str]:
        window = rules.current_cycle(member.cycle_start, timezone.localdate())
        return {"start": formatting.iso_day(window.start), "end": formatting.iso_day(window.end)}


class MeView(APIView):
    @extend_schema(
        summary="The signed-in member's profile",
        description="Email, ASPS ID, name, membership type, standing and the current cycle. "
        "An account without a member profile (staff) gets 404.",
        responses={200: MeSerializer, 401: ERROR_RESPONSES[401], 404: ERROR_RESPONSES[404]},
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(member_of(request.user)).data)


# --- Credit entries --------------------------------------------------------------------------


class CertificateField(serializers.FileField):
    """Uploaded as a file; read back as the URL of the API's download
    (``/api/v1/credits/<id>/certificate/``), which answers the same token: certificates have
    no public URL."""

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse("credit-certificate", args=[value.instance.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class CreditEntrySerializer(serializers.ModelSerializer):
    """docs/api.md, "Credit entry fields". Decimals accepted as numbers or strings."""

    category = serializers.ChoiceField(choices=Category.choices)
    activity_type = serializers.ChoiceField(choices=ActivityType.choices)
    patient_safety_kind = serializers.ChoiceField(
        choices=PatientSafetyKind.choices, required=False, default=PatientSafetyKind.GENERAL
    )
    provider = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=200,
        help_text="Provider name or abbreviation; null for Category 2.",
    )
    credits = serializers.DecimalField(max_digits=6, decimal_places=2)
    patient_safety_credits = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, default=0
    )
    plastic_surgery_credits = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, default=0
    )
    state = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="Required when the country is the United States; optional elsewhere.",
    )
    activity = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=50,
        help_text="The code of the catalogue activity this entry claims credit for "
        "(GET /api/v1/activities/?q=); claims above its designated maximum are refused.",
    )
    content_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentArea.choices),
        required=False,
        max_length=len(ContentArea.choices),
        help_text="Codes of the content areas covered (optional; the catalogue activity's by "
        "default).",
    )
    certificate = CertificateField(
        required=False,
        allow_null=True,
        help_text="Upload: PDF, JPEG or PNG up to 10 MB (multipart). Read: the download URL.",
    )
    counts = serializers.BooleanField(
        read_only=True,
        help_text="False when the society's record of the same activity replaced this entry "
        "(superseded_by): it no longer counts anywhere.",
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="Record an entry that repeats another (same title, provider and dates).",
    )

    class Meta:
        model = CreditEntry
        read_only_fields = [
            "id",
            "source",
            "review_status",
            "duplicate_of",
            "superseded_by",
            "counts",
            "created_at",
        ]
        # The member's fields are the form's (one list: credits.entry_checks.ENTRY_FIELDS).
        fields = [
            "id",
            *services.ENTRY_FIELDS,
            "certificate",
            "confirm_duplicate",
            *read_only_fields[1:],
        ]

    def to_representation(self, entry: CreditEntry) -> dict[str, Any]:
        data = super().to_representation(entry)
        data["provider"] = entry.provider.name if entry.provider else None
        data["activity"] = entry.activity.code if entry.activity_id else None
        return data

    def _values(self, validated: dict[str, Any], entry: CreditEntry | None = None) -> dict:
        values = {}
        for field in services.ENTRY_FIELDS:
            if field in validated:
                values[field] = validated[field]
            elif entry is not None:
                values[field] = (
                    (entry.provider.name if entry.provider else "")
                    if field == "provider"
                    else getattr(entry, field)
                )
        return values

    def create(self, validated: dict[str, Any]) -> CreditEntry:
        try:
            return services.entry_create(
                member=self.context["member"],
                values=self._values(validated),
                certificate=validated.get("certificate"),
                confirm_duplicate=validated.get("confirm_duplicate", False),
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)

    def update(self, entry: CreditEntry, validated: dict[str, Any]) -> CreditEntry:
        try:
            return services.entry_update(
                entry=entry,
                values=self._values(validated, entry),
                certificate=validated.get("certificate"),
                confirm_duplicate=validated.get("confirm_duplicate", False),
                by=self.context["request"].user,
                ip=security_log.client_ip(self.context["request"]),
            )
        except DjangoValidationError as error:
            raise_as_api_error(error)


class FileContentNegotiation(BaseContentNegotiation):
    """A download answers whatever the client accepts; its errors are JSON."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list, format_suffix=None) -> tuple:
        return renderers[0], renderers[0].media_type


@extend_schema_view(
    list=extend_schema(
        summary="List the member's credit entries",
        description="The signed-in member's own entries whose end date falls in the window "
        "(the current cycle by default), oldest end date first; paginated.",
        parameters=WINDOW_PARAMETERS,
        responses={
            200: CreditEntrySerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            404: ERROR_RESPONSES[404],
        },
    ),
    create=extend_schema(
        summary="Record a credit entry",
        description="JSON, or multipart form data to upload a certificate with it. The same "
        "rules as the web form; a repeat of another entry answers 400 on confirm_duplicate.",
        responses={201: CreditEntrySerializer, **WRITE_ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One credit entry",
        description="The member's own entry; anyone else's is a 404.",
        responses={200: CreditEntrySerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary="Change a credit entry",
        description="Only the fields sent change; only self-reported entries change (imported "
        "or staff-entered ones, and ones the society's record replaced, answer 403). A decided "
        "patient-safety claim whose judged values change goes back to pending review.",
        responses={200: CreditEntrySerializer, **WRITE_ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        summary="Delete a credit entry",
        description="The member's own self-reported entry; imported or staff-entered ones, "
        "and ones the society's record replaced, answer 403.",
        responses={204: None, **ERROR_RESPONSES},
    ),
)
class CreditEntryViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in member's own entries; anyone else's is a 404."""

    serializer_class = CreditEntrySerializer
    queryset = CreditEntry.objects.none()  # for the schema; requests use get_queryset()
    lookup_value_converter = "int"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def member(self) -> Member:
        return member_of(self.request.user)

    def get_queryset(self) -> QuerySet[CreditEntry]:
        entries = CreditEntry.objects.owned_by(self.request.user).select_related(
            "provider", "activity"
        )
        if self.action == "list":
            window = request_window(self.request, self.member())
            entries = entries.in_window(window.start, window.end)
        return entries.order_by("end_date", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.action in ("create", "partial_update"):
            context["member"] = self.member()
        return context

    @extend_schema(
        summary="Download an entry's certificate",
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="The certificate file, as an attachment "
                    "(Content-Disposition: attachment; filename=certificate-<id>.<ext>).",
                )
                for media_type in downloads.CERTIFICATE_TYPES
            },
            **{code: ERROR_RESPONSES[code] for code in (401, 403, 404)},
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="certificate",
        content_negotiation_class=FileContentNegotiation,
    )
    def certificate(self, request: Request, pk: int) -> FileResponse:
        """Download the entry's certificate: the member's own; CME staff any member's
        (the same rule as the page); anyone else's is a 404, as is an entry without one."""
        return downloads.certificate_response(selectors.entry_for(request.user, pk))

    def perform_update(self, serializer: CreditEntrySerializer) -> None:
        _refuse_unless_editable(serializer.instance)
        serializer.save()

    def perform_destroy(self, entry: CreditEntry) -> None:
        _refuse_unless_editable(entry)
        services.entry_delete(entry=entry)


def _refuse_unless_editable(entry: CreditEntry) -> None:
    if not entry.counts:
        raise PermissionDenied(
            f"{counted.REPLACED_MESSAGE} (entry {entry.superseded_by_id}): it no longer counts "
            "and is kept as it was. Ask member services if that record is wrong."
        )
    if not entry.member_may_edit:
        raise PermissionDenied("Imported credits are the society's record: ask member services.")
