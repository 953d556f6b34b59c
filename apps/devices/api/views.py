from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.core.api.permissions import HasPerm

from .. import documents, printing, selectors, services
from ..filtersets import DeviceFilterSet
from ..models import Donor
from ..timeline import device_timeline
from .serializers import (
    BulkTransitionSerializer,
    DeviceLabelImageQuerySerializer,
    DeviceLabelQuerySerializer,
    DeviceSerializer,
    DonationSerializer,
    DonorSerializer,
    ErasureSerializer,
    ImportRequestSerializer,
    InterventionSerializer,
    LabelPrintSerializer,
    TimelineEventSerializer,
    TransitionSerializer,
)

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class DocumentContentNegotiation(DefaultContentNegotiation):
    """For endpoints that return a file: a client may ask for ``application/pdf`` or
    ``image/png``; the file comes back as it is, and an error as JSON rather than a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


def label_file_response(label_file):
    response = HttpResponse(label_file.content, content_type=label_file.content_type)
    response["Content-Disposition"] = f'inline; filename="{label_file.filename}"'
    return response


LABEL_PDF = OpenApiResponse(response=OpenApiTypes.BINARY, description="The labels, as a PDF.")
LABEL_PNG = OpenApiResponse(response=OpenApiTypes.BINARY, description="One label, as a 300 dpi PNG.")
LABEL_FILE = OpenApiResponse(
    response=OpenApiTypes.BINARY, description="The labels as a PDF, or one label as a PNG (format png)."
)
LABEL_REFUSED = OpenApiResponse(
    description="Bad request, nothing printed: unknown layout, start position out of the sheet, no devices, "
    "unknown devices or more than the maximum, with the message on the field at fault."
)


class DonorViewSet(viewsets.ModelViewSet):
    queryset = Donor.objects.order_by("name")
    serializer_class = DonorSerializer
    filterset_fields = ["kind"]
    http_method_names = NO_DELETE

    def perform_create(self, serializer):
        serializer.instance = services.create_donor(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        services.update_donor(serializer.instance, actor=self.request.user, **serializer.validated_data)


class DonationViewSet(viewsets.ModelViewSet):
    queryset = selectors.donation_list()
    serializer_class = DonationSerializer
    filterset_fields = ["donor", "structure", "received_on"]
    http_method_names = NO_DELETE

    def perform_create(self, serializer):
        serializer.instance = services.create_donation(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        services.update_donation(serializer.instance, actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: OpenApiResponse(description="Preview"), 201: OpenApiResponse(description="Created")},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated, HasPerm.of("devices.add_device")],
    )
    def import_devices(self, request, pk=None):
        """Import a CSV/XLSX inventory: a preview with ``dry_run`` (default), else every row or none."""
        donation = self.get_object()
        payload = ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        result = services.import_devices(
            donation=donation,
            content=upload.read(),
            filename=upload.name,
            actor=request.user,
            dry_run=payload.validated_data["dry_run"],
        )
        body = {
            "dry_run": not result.committed,
            "count": len(result.devices),
            "ignored_columns": result.ignored_columns,
        }
        if result.committed:
            body["asset_tags"] = [device.asset_tag for device in result.devices]
            return Response(body, status=status.HTTP_201_CREATED)
        body["devices"] = DeviceSerializer(result.devices, many=True, context={"request": request}).data
        return Response(body)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The donation receipt")})
    @action(detail=True, methods=["get"], url_path="receipt.pdf")
    def receipt(self, request, pk=None):
        donation = self.get_object()
        response = HttpResponse(documents.donation_receipt_pdf(donation), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="attestation-don-{donation.number}.pdf"'
        return response


class DeviceViewSet(viewsets.ModelViewSet):
    """Devices. ``status`` is read-only: a move is a POST to ``transition``."""

    queryset = selectors.device_list()
    serializer_class = DeviceSerializer
    filterset_class = DeviceFilterSet
    http_method_names = NO_DELETE

    def perform_create(self, serializer):
        serializer.instance = services.create_device(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("donation", None)
        serializer.instance = services.update_device(serializer.instance, actor=self.request.user, **data)

    @extend_schema(
        operation_id="devices_bulk_transition",
        request=BulkTransitionSerializer,
        responses={200: DeviceSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="transition",
        permission_classes=[IsAuthenticated, HasPerm.of("devices.change_device_status")],
    )
    def bulk_transition(self, request):
        """Move several devices at once: all of them, or none (400 listing each refusal)."""
        payload = BulkTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        devices = payload.validated_data["devices"]
        services.transition_many(
            devices, payload.validated_data["to"], actor=request.user, note=payload.validated_data["note"]
        )
        moved = self.get_queryset().filter(pk__in=[d.pk for d in devices])
        return Response(DeviceSerializer(moved, many=True, context={"request": request}).data)

    @extend_schema(request=TransitionSerializer, responses={200: DeviceSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, HasPerm.of("devices.change_device_status")],
    )
    def transition(self, request, pk=None):
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        device = services.transition(self.get_object(), actor=request.user, **payload.validated_data)
        return Response(DeviceSerializer(device, context={"request": request}).data)

    def _records(self, request, serializer_class, related_name, service, add_permission):
        device = self.get_object()
        if request.method == "GET":
            return Response(serializer_class(getattr(device, related_name).all(), many=True).data)
        if not request.user.has_perm(add_permission):
            self.permission_denied(request)
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        record = service(device, actor=request.user, **payload.validated_data)
        return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InterventionSerializer,
        responses={200: InterventionSerializer(many=True), 201: InterventionSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[IsAuthenticated, HasPerm.of("devices.view_device")],
    )
    def interventions(self, request, pk=None):
        return self._records(
            request,
            InterventionSerializer,
            "interventions",
            services.record_intervention,
            "devices.add_intervention",
        )

    @extend_schema(
        request=ErasureSerializer, responses={200: ErasureSerializer(many=True), 201: ErasureSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated, HasPerm.of("devices.view_device")],
    )
    def erasures(self, request, pk=None):
        return self._records(
            request, ErasureSerializer, "erasures", services.record_erasure, "devices.add_erasure"
        )

    @extend_schema(responses={200: TimelineEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        return Response(TimelineEventSerializer(device_timeline(self.get_object()), many=True).data)

    @extend_schema(
        parameters=[DeviceLabelQuerySerializer],
        responses={(200, "application/pdf"): LABEL_PDF, 400: LABEL_REFUSED},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="label.pdf",
        content_negotiation_class=DocumentContentNegotiation,
    )
    def label_pdf(self, request, pk=None):
        """The device's label as a PDF: ``?layout=L7160&start_position=5``."""
        query = DeviceLabelQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        label_file = printing.print_labels(device_ids=[self.get_object().pk], **query.validated_data)
        return label_file_response(label_file)

    @extend_schema(
        parameters=[DeviceLabelImageQuerySerializer],
        responses={(200, "image/png"): LABEL_PNG, 400: LABEL_REFUSED},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="label.png",
        content_negotiation_class=DocumentContentNegotiation,
    )
    def label_png(self, request, pk=None):
        """The device's label as a PNG for a label printer: ``?layout=QL62``."""
        query = DeviceLabelImageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        label_file = printing.print_labels(
            device_ids=[self.get_object().pk], output_format=printing.LabelFormat.PNG, **query.validated_data
        )
        return label_file_response(label_file)


class LabelViewSet(viewsets.ViewSet):
    """Device labels for any set of devices: the same PDF as the print page."""

    permission_classes = [IsAuthenticated, HasPerm.of("devices.view_device")]
    parser_classes = [JSONParser]
    content_negotiation_class = DocumentContentNegotiation

    @extend_schema(
        request=LabelPrintSerializer,
        responses={(200, "application/pdf"): LABEL_FILE, (200, "image/png"): LABEL_FILE, 400: LABEL_REFUSED},
    )
    def create(self, request):
        """Print labels: a PDF for a layout, or a PNG of one device's label (``"format": "png"``)."""
        payload = LabelPrintSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        label_file = printing.print_labels(
            layout=data["layout"],
            start_position=data["start_position"],
            output_format=data["format"],
            device_ids=data.get("devices"),
            asset_tags=data.get("asset_tags"),
            donation=data.get("donation"),
            filters=data.get("filters"),
        )
        return label_file_response(label_file)
