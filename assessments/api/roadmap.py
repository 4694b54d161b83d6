"""REST API for the roadmap's actions; client contributors update status, progress and
notes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cxmaturity.api import RefuseUnknownFields, revision_field
from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role, Workspace
from workspaces.permissions import require_contribution, workspace_access

from .. import selectors, services
from ..inputs import ACTION_INPUT_FIELDS, ACTION_LINK_FIELDS, ActionInput
from ..models import Action
from .access import require_released


class ActionOut(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "dimension_key",
            "description",
            "owner_name",
            "owner_email",
            "due_date",
            "status",
            "horizon",
            "position",
            "progress",
            "notes",
            "suggested_for_stage",
            "accepted",
            "created_at",
            "updated_at",
            "done_at",
            "revision",
            *ACTION_LINK_FIELDS,
        ]


def _link_field() -> serializers.ListField:
    return serializers.ListField(child=serializers.UUIDField(), required=False, max_length=200)


class ActionIn(RefuseUnknownFields, serializers.ModelSerializer):
    """An action's fields: their limits come from the model fields (length, choices,
    email, 0-100 progress)."""

    revision = revision_field()
    strategic_objectives = _link_field()
    marketing_objectives = _link_field()
    digital_goals = _link_field()
    kpis = _link_field()
    campaigns = _link_field()

    class Meta:
        model = Action
        fields = [*ACTION_INPUT_FIELDS, "revision", *ACTION_LINK_FIELDS]

    def links(self) -> dict[str, list]:
        """The link lists given, each replacing that kind's links."""
        return {k: v for k, v in self.validated_data.items() if k in ACTION_LINK_FIELDS}

    def action_input(self) -> ActionInput:
        """The action fields given (a partial change gives only what changes)."""
        given = {k: v for k, v in self.validated_data.items() if k in ACTION_INPUT_FIELDS}
        return ActionInput.from_values(given, partial=self.partial)


class ActionViewSet(WorkspaceScopedViewSet):
    serializer_class = ActionOut
    pk_kwarg = "action_id"
    contributor_actions = frozenset({"partial_update"})

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.assessment = selectors.assessment_get(
            scope=self.scope, assessment_id=kwargs["assessment_id"]
        )
        require_released(self.membership, self.assessment)

    @extend_schema(summary=_("The roadmap's actions, Now / Next / Later"))
    def list(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        page = self.paginate_queryset(selectors.action_list(assessment=self.assessment))
        return self.get_paginated_response(ActionOut(page, many=True).data)

    @extend_schema(summary=_("Add an action"), request=ActionIn, responses={201: ActionOut})
    def create(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        data = ActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.action_create(
            assessment=self.assessment, data=data.action_input(), links=data.links()
        )
        return Response(ActionOut(action).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One action"))
    def retrieve(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return Response(
            ActionOut(selectors.action_get(assessment=self.assessment, action_id=pk)).data
        )

    @extend_schema(
        summary=_("Change an action"), request=ActionIn(partial=True), responses=ActionOut
    )
    def partial_update(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        action = selectors.action_get(assessment=self.assessment, action_id=pk)
        require_contribution(membership=self.membership, client_id=self.assessment.client_id)
        data = ActionIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        revision = self.expected_revision(fields)
        if not self.membership.has_role(Role.CONSULTANT):
            refused = sorted(set(fields) - set(services.CONTRIBUTOR_FIELDS))
            if refused:
                raise PermissionDenied(
                    _("Client contributors change only status, progress and notes, not: %(f)s.")
                    % {"f": ", ".join(refused)}
                )
        action = services.action_update(
            action=action, data=data.action_input(), revision=revision, links=data.links()
        )
        return Response(ActionOut(action).data)

    @extend_schema(summary=_("Delete an action"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        services.action_delete(
            action=selectors.action_get(assessment=self.assessment, action_id=pk)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Draft actions from the priorities"),
        request=None,
        responses={201: ActionOut(many=True)},
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def suggest(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        created = services.roadmap_suggest(assessment=self.assessment)
        return Response(ActionOut(created, many=True).data, status=status.HTTP_201_CREATED)


class RoadmapDigestIn(RefuseUnknownFields, serializers.Serializer):
    roadmap_digest = serializers.BooleanField()
    roadmap_digest_weekday = serializers.ChoiceField(choices=Workspace.Weekday.choices)


class RoadmapDigestView(APIView):
    """Whether action owners get the weekly roadmap digest, and on which day (ISO
    weekday, Monday 1, in the site's time zone)."""

    @extend_schema(
        summary=_("Read the weekly roadmap digest setting (owners)"),
        responses=RoadmapDigestIn,
    )
    def get(self, request: Request, workspace_id: str) -> Response:
        membership = workspace_access(
            user=request.user, workspace_id=workspace_id, min_role=Role.OWNER
        )
        return Response(RoadmapDigestIn(membership.workspace).data)

    @extend_schema(
        summary=_("Turn the weekly roadmap digest on or off and choose its day (owners)"),
        request=RoadmapDigestIn,
        responses=RoadmapDigestIn,
    )
    def put(self, request: Request, workspace_id: str) -> Response:
        membership = workspace_access(
            user=request.user, workspace_id=workspace_id, min_role=Role.OWNER
        )
        data = RoadmapDigestIn(data=request.data)
        data.is_valid(raise_exception=True)
        workspace = services.workspace_roadmap_digest_set(
            workspace=membership.workspace,
            enabled=data.validated_data["roadmap_digest"],
            weekday=data.validated_data["roadmap_digest_weekday"],
            actor=request.user,
        )
        return Response(RoadmapDigestIn(workspace).data)
