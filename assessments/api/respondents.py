"""REST API for an assessment's respondents (consultants) and a person's data."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role
from workspaces.permissions import workspace_access

from .. import selectors, services
from ..languages import LANGUAGE_CHOICES
from ..models import Respondent, RespondentRole, max_length
from .access import require_disclosed


class RespondentOut(serializers.ModelSerializer):
    class Meta:
        model = Respondent
        fields = [
            "id",
            "name",
            "email",
            "role",
            "department",
            "weight",
            "language",
            "is_consensus",
            "erased_at",
            "invited_at",
            "opened_at",
            "last_activity_at",
            "submitted_at",
            "revoked_at",
            "reminders_sent",
        ]


class RespondentIn(serializers.Serializer):
    name = serializers.CharField(max_length=max_length(Respondent, "name"))
    email = serializers.EmailField(required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=RespondentRole.choices, required=False)
    department = serializers.CharField(
        max_length=max_length(Respondent, "department"), required=False, allow_blank=True
    )
    weight = serializers.DecimalField(
        max_digits=7, decimal_places=3, min_value=Decimal("0.001"), max_value=1000, required=False
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_blank=True,
        help_text=_("Blank: the assessment's language."),
    )


class ImportIn(serializers.Serializer):
    file = serializers.FileField(required=False, help_text=_("A CSV file (multipart)"))
    rows = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text=_(
            "…or the CSV as text: name,email,role,department,weight,language, a header first"
        ),
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("file") and not (attrs.get("rows") or "").strip():
            raise serializers.ValidationError({"file": _("Send a CSV file or rows.")})
        return attrs


class LinkOut(serializers.Serializer):
    link = serializers.CharField(allow_blank=True)


class EraseIn(serializers.Serializer):
    comments = serializers.BooleanField(
        required=False, default=False, help_text=_("Erase their comments and evidence too")
    )


class PersonalDataView(APIView):
    @extend_schema(
        summary=_("Everything the workspace holds about one email address (consultants)"),
        parameters=[OpenApiParameter("email", str, required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, workspace_id: str) -> Response:
        membership = workspace_access(
            user=request.user, workspace_id=workspace_id, min_role=Role.CONSULTANT
        )
        try:
            email = serializers.EmailField().run_validation(request.query_params.get("email", ""))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"email": exc.detail}) from exc
        return Response(selectors.personal_data_for_email(membership=membership, email=email))


class RespondentViewSet(WorkspaceScopedViewSet):
    serializer_class = RespondentOut
    pk_kwarg = "respondent_id"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.assessment = selectors.assessment_get(
            scope=self.scope, assessment_id=kwargs["assessment_id"]
        )
        require_disclosed(self.membership, self.assessment)

    def _get(self, pk: str) -> Respondent:
        return selectors.respondent_get(assessment=self.assessment, respondent_id=pk)

    @extend_schema(summary=_("An assessment's respondents"))
    def list(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        page = self.paginate_queryset(self.assessment.respondents.order_by("created_at", "id"))
        return self.get_paginated_response(RespondentOut(page, many=True).data)

    @extend_schema(
        summary=_("Add a respondent"), request=RespondentIn, responses={201: RespondentOut}
    )
    def create(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        data = RespondentIn(data=request.data)
        data.is_valid(raise_exception=True)
        respondent = services.respondent_add(assessment=self.assessment, **data.validated_data)
        return Response(RespondentOut(respondent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Add respondents from a CSV: every row or none, every bad row named"),
        request=ImportIn,
        responses={201: RespondentOut(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        data = ImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        added = services.respondents_import_csv(
            assessment=self.assessment,
            data=data.validated_data.get("file") or data.validated_data["rows"],
        )
        return Response(RespondentOut(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One respondent"))
    def retrieve(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return Response(RespondentOut(self._get(pk)).data)

    @extend_schema(
        summary=_("Change a respondent"),
        request=RespondentIn(partial=True),
        responses=RespondentOut,
    )
    def partial_update(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        respondent = self._get(pk)
        data = RespondentIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        respondent = services.respondent_update(respondent=respondent, **data.validated_data)
        return Response(RespondentOut(respondent).data)

    @extend_schema(summary=_("Remove a respondent"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        services.respondent_remove(respondent=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _act(self, service, pk: str) -> Response:
        return Response(RespondentOut(service(respondent=self._get(pk))).data)

    @extend_schema(summary=_("Email the personal link"), request=None, responses=RespondentOut)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(services.respondent_invite, pk)

    @extend_schema(summary=_("Email a reminder"), request=None, responses=RespondentOut)
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(services.respondent_remind, pk)

    @extend_schema(summary=_("Stop the link working"), request=None, responses=RespondentOut)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(services.respondent_revoke, pk)

    @extend_schema(
        summary=_("Issue a new link (the old one stops working)"),
        request=None,
        responses=RespondentOut,
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(services.respondent_reissue, pk)

    @extend_schema(
        summary=_("Erase the person's personal data (name, email, link; comments if asked)"),
        request=EraseIn,
        responses=RespondentOut,
    )
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        data = EraseIn(data=request.data)
        data.is_valid(raise_exception=True)
        respondent = services.respondent_erase(
            respondent=self._get(pk),
            comments=data.validated_data["comments"],
            erased_by=request.user,
        )
        return Response(RespondentOut(respondent).data)

    @extend_schema(summary=_("The personal link, to copy (consultants)"), responses=LinkOut)
    @action(detail=True, methods=["get"])
    def link(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        workspace_access(
            user=request.user,
            workspace_id=workspace_id,
            min_role=Role.CONSULTANT,
            url_kwargs={"assessment_id": assessment_id},
        )
        respondent = self._get(pk)
        link = "" if respondent.revoked_at else services.respondent_link(respondent)
        return Response({"link": link})
