"""``/api/v1/activities/``: the activity catalogue, searchable by members (docs/api.md).

Reads only, through :mod:`credits.catalogue_selectors`; the catalogue holds no member's data,
so any signed-in account may read it, like the providers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import catalogue_selectors, rules
from credits.api.common import ERROR_RESPONSES
from credits.models import Activity as CatalogueActivity
from credits.models import (
    ActivityType,
    CatalogueKind,
    Category,
    ContentArea,
    PatientSafetyKind,
)

CREDITS = {"max_digits": 6, "decimal_places": 2, "allow_null": True}


class CatalogueActivityPartSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    max_credits = serializers.DecimalField(
        **CREDITS, help_text="The part's designated maximum; null if not stated."
    )
    patient_safety_credits = serializers.DecimalField(
        **CREDITS, help_text="The part's designated patient-safety credits; null if not stated."
    )


class CatalogueActivitySerializer(serializers.Serializer):
    """docs/api.md, "Catalogue activity fields"."""

    code = serializers.CharField()
    title = serializers.CharField()
    full_title = serializers.CharField(help_text='A part with its whole: "Whole — Part".')
    kind = serializers.ChoiceField(choices=CatalogueKind.choices)
    part_of = serializers.SerializerMethodField()
    parts = serializers.SerializerMethodField()
    provider = serializers.SerializerMethodField()
    activity_type = serializers.ChoiceField(choices=ActivityType.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    city = serializers.CharField(allow_blank=True)
    state = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True)
    max_credits = serializers.DecimalField(
        **CREDITS,
        help_text="The designated maximum of AMA PRA Category 1 credits; null if not stated.",
    )
    patient_safety_credits = serializers.DecimalField(
        **CREDITS, help_text="The designated patient-safety credits; null if not stated."
    )
    patient_safety_kind = serializers.ChoiceField(choices=PatientSafetyKind.choices)
    plastic_surgery_credits = serializers.DecimalField(
        **CREDITS, help_text="The plastic-surgery credits; null if not stated."
    )
    content_areas = serializers.SerializerMethodField()
    url = serializers.CharField(allow_blank=True, help_text="Its web page; may be empty.")

    def get_part_of(self, activity: CatalogueActivity) -> str | None:
        """The code of the whole activity this is a part of, or null."""
        return activity.parent.code if activity.parent_id is not None else None

    @extend_schema_field(CatalogueActivityPartSerializer(many=True))
    def get_parts(self, activity: CatalogueActivity) -> list[dict[str, Any]]:
        parts = getattr(activity, "offered_parts", [])
        return CatalogueActivityPartSerializer(parts, many=True).data

    def get_provider(self, activity: CatalogueActivity) -> str | None:
        """The accredited provider's name, or null."""
        return activity.provider.name if activity.provider_id is not None else None

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ContentArea.choices))
    )
    def get_content_areas(self, activity: CatalogueActivity) -> list[str]:
        return [area.value for area in rules.areas_of(activity.content_areas)]


class SearchSerializer(serializers.Serializer):
    # Not trimmed: whitespace counts toward the 100 characters; spaces
    # alone find nothing.
    q = serializers.CharField(
        trim_whitespace=False,
        max_length=catalogue_selectors.QUERY_MAX_LENGTH,
        error_messages={
            "required": "Type a word of the activity's title, its code or its provider as q.",
            "blank": "Type a word of the activity's title, its code or its provider as q.",
            "max_length": "Search with at most {max_length} characters.",
        },
    )


Q_PARAMETER = OpenApiParameter(
    "q",
    # No maxLength here: control characters are removed before the length is checked
    # (cmetrack.middleware), so the length checked can be less than the length sent.
    {"type": "string", "minLength": 1},
    required=True,
    description="Words to look for (at most 100 characters once control characters are "
    "removed): every word must be in the "
    "activity's title, its code, its provider's name (or its abbreviation, whole) or, for a "
    "part, its whole's title; case does not matter.",
)


@extend_schema(
    summary="Search the activity catalogue",
    description="The catalogue's activities and patient-safety resources whose title, code or "
    "provider holds every word of q: whole activities first, then parts; paginated.",
    parameters=[Q_PARAMETER],
    responses={
        200: CatalogueActivitySerializer(many=True),
        **{code: ERROR_RESPONSES[code] for code in (400, 401, 404)},
    },
)
class ActivityList(generics.ListAPIView):
    serializer_class = CatalogueActivitySerializer

    def get_queryset(self) -> QuerySet[CatalogueActivity]:
        given = SearchSerializer(data=self.request.query_params)
        if not given.is_valid():  # missing, empty or too long
            raise ValidationError(given.errors)
        return catalogue_selectors.matching(given.validated_data["q"])


class ActivityDetail(APIView):
    @extend_schema(
        summary="One activity of the catalogue",
        description="The catalogue's activity with this code (case does not matter), with its "
        "parts; 404 for a code the catalogue does not offer.",
        responses={
            200: CatalogueActivitySerializer,
            401: ERROR_RESPONSES[401],
            404: ERROR_RESPONSES[404],
        },
    )
    def get(self, request: Request, code: str) -> Response:
        activity = catalogue_selectors.by_code(code)
        if activity is None:
            raise Http404("The catalogue has no activity with this code.")
        return Response(CatalogueActivitySerializer(activity).data)
