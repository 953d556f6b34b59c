import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.permissions import HasPerm

from .. import exports, selectors
from ..periods import Period
from .serializers import PeriodQuerySerializer, ReportSummarySerializer

REPORT_PERMISSIONS = [IsAuthenticated, HasPerm.of("reports.view_report")]


def read_period(request):
    query = PeriodQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    return Period(data["start"], data["end"]), data.get("structure")


class CSVRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``text/csv``. The rows themselves are streamed by the view;
    only an error (a dict of messages) is rendered here, as ``field,message`` lines."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["field", "message"])
        for name, messages in (data or {}).items():
            for message in messages if isinstance(messages, list) else [messages]:
                writer.writerow([name, str(message)])
        return out.getvalue().encode(self.charset)


class ReportSummaryView(APIView):
    """The report's figures for a period (both dates included, Paris time) and structure."""

    permission_classes = REPORT_PERMISSIONS

    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses={
            200: ReportSummarySerializer,
            400: OpenApiResponse(description="Field errors: {field: [message]}."),
        },
    )
    def get(self, request):
        period, structure = read_period(request)
        report = selectors.report_figures(period=period, structure=structure)
        return Response(ReportSummarySerializer(report).data)


class HandoverListView(APIView):
    """The devices handed over in the period, one CSV line each, without personal data."""

    permission_classes = REPORT_PERMISSIONS
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="reports_handovers_csv",
        parameters=[PeriodQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="One line per device handed over."
            ),
            (400, "application/json"): OpenApiResponse(description="Field errors: {field: [message]}."),
        },
    )
    def get(self, request):
        period, structure = read_period(request)
        return exports.handover_file(period, structure, "csv")
