"""REST API for big insight files: a resumable upload by numbered chunks, and analyses of
a file already in the store, under /api/v1/workspaces/{workspace_id}/insight-uploads/….
The services check everything; these views only carry bytes and fields."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from workspaces.api import WorkspaceScopedViewSet
from workspaces.selectors import client_get

from . import selectors
from .api import AnalysisOut, ListeningImportOut
from .models import ChunkedUpload, ListeningImport
from .services import uploads


class UploadOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    chunk_count = serializers.IntegerField(read_only=True)
    received = serializers.SerializerMethodField(help_text=_("Indexes of the chunks stored"))

    class Meta:
        model = ChunkedUpload
        fields = [
            "id",
            "client",
            "kind",
            "file_name",
            "total_size",
            "chunk_size",
            "chunk_count",
            "received",
            "completed",
            "created_at",
        ]

    def get_received(self, upload: ChunkedUpload) -> list[int]:
        return uploads.upload_received(upload)


class UploadIn(serializers.Serializer):
    client = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ChunkedUpload.Kind.choices)
    file_name = serializers.CharField(max_length=200)
    total_size = serializers.IntegerField(min_value=1)


class CompleteIn(serializers.Serializer):
    # Transactions
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    as_of = serializers.DateField(required=False)
    k = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)
    # Listening
    client_brand = serializers.CharField(max_length=120, required=False)
    mapping = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class FromStorageIn(serializers.Serializer):
    client = serializers.UUIDField()
    path = serializers.CharField(
        max_length=500, help_text=_("A file under imports/{workspace_id}/ in the store")
    )
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    as_of = serializers.DateField()
    k = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)


class ChunkedUploadViewSet(WorkspaceScopedViewSet):
    serializer_class = UploadOut
    pk_kwarg = "upload_id"
    pagination_class = None

    @extend_schema(
        summary=_("Start a chunked upload of a transactions or listening file"),
        request=UploadIn,
        responses={201: UploadOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = UploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        upload = uploads.upload_start(
            client=client_get(scope=self.scope, client_id=fields["client"]),
            kind=fields["kind"],
            file_name=fields["file_name"],
            total_size=fields["total_size"],
            created_by=request.user,
        )
        return Response(UploadOut(upload).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("An upload with the chunks stored so far (to resume)"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(UploadOut(self._upload(pk)).data)

    @extend_schema(
        summary=_("Store one chunk (the raw bytes); sending it again changes nothing"),
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses=UploadOut,
    )
    def chunk(self, request: Request, workspace_id: str, pk: str, index: int) -> Response:
        upload = self._upload(pk)
        try:
            size = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            size = -1
        # The raw request stream, read in pieces: request.body would hold the chunk whole
        # (and refuse it past DATA_UPLOAD_MAX_MEMORY_SIZE).
        uploads.upload_chunk_put(upload=upload, index=index, body=request._request, size=size)
        return Response(UploadOut(upload).data)

    @extend_schema(
        summary=_("All chunks are there: analyse the transactions, or import the listening"),
        request=CompleteIn,
        responses={
            202: PolymorphicProxySerializer(
                component_name="UploadOutcome",
                serializers=[AnalysisOut, ListeningImportOut],
                resource_type_field_name=None,
            )
        },
    )
    def complete(self, request: Request, workspace_id: str, pk: str) -> Response:
        upload = self._upload(pk)
        data = CompleteIn(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = uploads.upload_complete(
            upload=upload, fields=dict(data.validated_data), created_by=request.user
        )
        if isinstance(outcome, ListeningImport):
            return Response(ListeningImportOut(outcome).data, status=status.HTTP_202_ACCEPTED)
        return Response(
            AnalysisOut(outcome, context={"scope": self.scope}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary=_("Analyse a transactions file already in the store"),
        request=FromStorageIn,
        responses={202: AnalysisOut},
    )
    def from_storage(self, request: Request, workspace_id: str) -> Response:
        data = FromStorageIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        analysis = uploads.analysis_from_storage(
            client=client_get(scope=self.scope, client_id=fields.pop("client")),
            path=fields.pop("path"),
            fields=fields,
            created_by=request.user,
        )
        return Response(
            AnalysisOut(analysis, context={"scope": self.scope}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    def _upload(self, pk: str) -> ChunkedUpload:
        return selectors.upload_get(scope=self.scope, upload_id=pk)
