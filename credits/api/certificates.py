"""``POST /api/v1/certificates/read/``: read a certificate and answer with the fields of a credit
entry it states (docs/api.md, docs/certificate-reading.md). Nothing is stored: the member then
creates the entry (``POST /api/v1/credits/``) with the values they confirmed and the file.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import certificate_reading
from credits.api.common import ERROR_RESPONSES, raise_as_api_error
from members.selectors import member_of

CREDITS = {"max_digits": 6, "decimal_places": 2, "allow_null": True}


class CertificateUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The certificate: a PDF, PNG or JPEG file of at most 10 MB."
    )


class ReadFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(allow_null=True)
    provider = serializers.CharField(
        allow_null=True, help_text="The accredited provider named by the certificate."
    )
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    credits = serializers.DecimalField(
        **CREDITS, help_text="AMA PRA credits claimed or awarded (else the designated maximum)."
    )
    category = serializers.IntegerField(
        min_value=1, max_value=2, allow_null=True, help_text="The AMA PRA category: 1 or 2."
    )
    patient_safety_credits = serializers.DecimalField(**CREDITS)


class ConfidenceSerializer(serializers.Serializer):
    title = serializers.FloatField(required=False)
    provider = serializers.FloatField(required=False)
    start_date = serializers.FloatField(required=False)
    end_date = serializers.FloatField(required=False)
    credits = serializers.FloatField(required=False)
    category = serializers.FloatField(required=False)
    patient_safety_credits = serializers.FloatField(required=False)


class CertificateReadingSerializer(serializers.Serializer):
    fields = ReadFieldsSerializer(help_text="null for what the certificate does not state.")
    confidence = ConfidenceSerializer(help_text="0 to 1 for each field found.")
    method = serializers.ChoiceField(choices=["pdf_text", "ocr"])


class CertificateReadView(APIView):
    """Read a certificate; the answer prefills a credit entry for the member to confirm."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Read a certificate",
        description="Upload a certificate (PDF, PNG or JPEG, at most 10 MB) in the multipart "
        "field file: the answer holds what it states — title, provider, dates, credits, "
        "category, patient-safety credits — with a confidence for each, null for what it "
        "does not state. Nothing is stored.",
        request={"multipart/form-data": CertificateUploadSerializer},
        responses={
            200: CertificateReadingSerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            404: ERROR_RESPONSES[404],
            415: OpenApiResponse(description="A body that is not multipart form data."),
            429: OpenApiResponse(description="Too many certificates read this hour."),
        },
    )
    def post(self, request: Request) -> Response:
        member_of(request.user)
        given = CertificateUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if not certificate_reading.may_read(request.user):
            raise Throttled(detail=certificate_reading.TOO_MANY)
        try:
            reading = certificate_reading.read_upload(given.validated_data["file"])
        except DjangoValidationError as error:
            raise_as_api_error(error)
        data = {
            "fields": reading.fields,
            "confidence": reading.confidence,
            "method": reading.method,
        }
        return Response(CertificateReadingSerializer(data).data)
