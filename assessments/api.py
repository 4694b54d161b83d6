"""REST API for questionnaires, assessments, respondents and the respondent's own answers."""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import AuditAction, audit_record
from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role
from workspaces.permissions import require_contribution, workspace_access
from workspaces.selectors import client_get

from . import respondents as respondent_services
from . import roadmap, selectors, services
from .models import Action, Assessment, QuestionnaireVersion, Respondent, RespondentRole
from .results import assessment_compare, assessment_results

# --- Serializers ------------------------------------------------------------------------


class QuestionnaireVersionOut(serializers.ModelSerializer):
    key = serializers.CharField(source="questionnaire.key")
    shared = serializers.SerializerMethodField()
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = [
            "id",
            "key",
            "title",
            "number",
            "description",
            "shared",
            "question_count",
            "created_at",
        ]

    def get_shared(self, version: QuestionnaireVersion) -> bool:
        return version.questionnaire.workspace_id is None


class QuestionOut(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    weight = serializers.DecimalField(max_digits=9, decimal_places=4)
    channel = serializers.CharField(allow_blank=True)
    levels = serializers.DictField(child=serializers.CharField())


class DimensionOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.DecimalField(max_digits=9, decimal_places=4)
    guidance = serializers.DictField(child=serializers.CharField())
    questions = QuestionOut(many=True, source="questions.all")


class QuestionnaireVersionDetailOut(QuestionnaireVersionOut):
    dimensions = DimensionOut(many=True, source="dimensions.all")

    class Meta(QuestionnaireVersionOut.Meta):
        fields = [*QuestionnaireVersionOut.Meta.fields, "dimensions"]


class QuestionnaireIn(serializers.Serializer):
    content = serializers.CharField(
        max_length=1024 * 1024,
        help_text=_("The questionnaire file's text, YAML or JSON, in the documented shape."),
    )


class AssessmentOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    version = serializers.UUIDField(source="version_id")
    previous = serializers.UUIDField(source="previous_id", allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "version",
            "title",
            "purpose",
            "due_date",
            "mode",
            "anonymity",
            "targets",
            "status",
            "respondents_may_revise",
            "reminder_interval_days",
            "previous",
            "created_at",
            "opened_at",
            "closed_at",
        ]


class AssessmentIn(serializers.Serializer):
    client = serializers.UUIDField()
    version = serializers.UUIDField(required=False, help_text=_("Default: the built-in one."))
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=Assessment.Mode.choices, required=False)
    anonymity = serializers.ChoiceField(choices=Assessment.Anonymity.choices, required=False)
    targets = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=7), required=False
    )
    respondents_may_revise = serializers.BooleanField(required=False)
    reminder_interval_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    previous = serializers.UUIDField(required=False, allow_null=True)


class AssessmentPatchIn(AssessmentIn):
    client = None  # an assessment stays with its client


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
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=RespondentRole.choices, required=False)
    department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    weight = serializers.DecimalField(
        max_digits=7, decimal_places=3, min_value=Decimal("0.001"), max_value=1000, required=False
    )


class ProgressOut(serializers.Serializer):
    respondent = serializers.UUIDField(source="respondent.id")
    name = serializers.CharField(source="respondent.name")
    role = serializers.CharField(source="respondent.role")
    state = serializers.CharField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField(source="last_activity", allow_null=True)


class LinkOut(serializers.Serializer):
    link = serializers.CharField(allow_blank=True)


class AnswerIn(serializers.Serializer):
    value = serializers.CharField(required=False, allow_blank=True, max_length=16)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AnswersIn(serializers.Serializer):
    answers = serializers.DictField(child=AnswerIn())


class RespondentProgressOut(serializers.Serializer):
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class RespondentQuestionOut(QuestionOut):
    answer = AnswerIn(allow_null=True)


class RespondentDimensionOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    questions = RespondentQuestionOut(many=True)


class RespondentQuestionnaireOut(serializers.Serializer):
    title = serializers.CharField()
    client = serializers.CharField()
    purpose = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    respondent = serializers.CharField()
    progress = RespondentProgressOut()
    dimensions = RespondentDimensionOut(many=True)


# --- Questionnaires --------------------------------------------------------------------------


class QuestionnaireViewSet(WorkspaceScopedViewSet):
    serializer_class = QuestionnaireVersionOut
    read_role = Role.CONSULTANT

    def get_queryset(self):
        return selectors.questionnaire_versions_visible(workspace=self.workspace)

    @extend_schema(summary=_("Questionnaire versions you can use"))
    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(QuestionnaireVersionOut(page, many=True).data)

    @extend_schema(
        summary=_("Import a questionnaire file (identical content changes nothing)"),
        request=QuestionnaireIn,
        responses={201: QuestionnaireVersionOut, 200: QuestionnaireVersionOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = QuestionnaireIn(data=request.data)
        data.is_valid(raise_exception=True)
        version, created = services.questionnaire_import(
            data=data.validated_data["content"], workspace=self.workspace
        )
        version = self.get_queryset().get(id=version.id)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(QuestionnaireVersionOut(version).data, status=code)

    @extend_schema(
        summary=_("A version with its dimensions and questions"),
        responses=QuestionnaireVersionDetailOut,
    )
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        version = selectors.questionnaire_version_get(workspace=self.workspace, version_id=pk)
        return Response(QuestionnaireVersionDetailOut(version).data)

    @extend_schema(
        summary=_("The version as a YAML file"),
        responses={(200, "application/yaml"): OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, workspace_id: str, pk: str) -> HttpResponse:
        version = selectors.questionnaire_version_get(workspace=self.workspace, version_id=pk)
        # A plain response: errors before this point still answer JSON.
        return HttpResponse(
            services.questionnaire_export(version=version), content_type="application/yaml"
        )


# --- Assessments -----------------------------------------------------------------------------


def _require_released(membership, *assessments: Assessment) -> None:
    """403 naming the rule while a roles-only assessment's results are not yet the client
    team's to see."""
    for assessment in assessments:
        if not selectors.results_released(assessment=assessment, scope=membership.scope):
            raise PermissionDenied(
                _(
                    "This assessment shows roles only: its results reach the client team once "
                    "it is closed with at least %(n)d submitted respondents."
                )
                % {"n": selectors.RELEASE_MINIMUM_RESPONDENTS}
            )


def _require_disclosed(membership, assessment: Assessment) -> None:
    if not selectors.respondents_disclosed(assessment=assessment, scope=membership.scope):
        raise PermissionDenied(
            _(
                "This assessment shows roles only: the client team sees how many respondents "
                "were invited and submitted (on the assessment), never who."
            )
        )


def _assessment_fields(view: WorkspaceScopedViewSet, data: dict) -> dict:
    """Turn the ids in a request into this workspace's objects (404 for anyone else's)."""
    fields = dict(data)
    workspace = view.workspace
    if "client" in fields:
        fields["client"] = client_get(scope=view.scope, client_id=fields["client"])
    if "version" in fields:
        fields["version"] = selectors.questionnaire_version_get(
            workspace=workspace, version_id=fields["version"]
        )
    if fields.get("previous"):
        fields["previous"] = selectors.assessment_get(
            scope=view.scope, assessment_id=fields["previous"]
        )
    return fields


class AssessmentViewSet(WorkspaceScopedViewSet):
    serializer_class = AssessmentOut
    pk_kwarg = "assessment_id"

    def get_queryset(self):
        return selectors.assessment_list(scope=self.scope)

    def _get(self, pk: str) -> Assessment:
        return selectors.assessment_get(scope=self.scope, assessment_id=pk)

    @extend_schema(
        summary=_("List assessments"),
        parameters=[
            OpenApiParameter("client", OpenApiTypes.UUID, description=_("Only this client's"))
        ],
    )
    def list(self, request: Request, workspace_id: str) -> Response:
        qs = self.get_queryset()
        client = request.query_params.get("client")
        if client:
            try:
                qs = qs.filter(client_id=serializers.UUIDField().run_validation(client))
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"client": exc.detail}) from exc
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AssessmentOut(page, many=True).data)

    @extend_schema(
        summary=_("Open an assessment for a client"),
        request=AssessmentIn,
        responses={201: AssessmentOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = _assessment_fields(self, data.validated_data)
        if "version" not in fields:
            fields["version"] = selectors.questionnaire_version_default(workspace=self.workspace)
            if fields["version"] is None:
                raise serializers.ValidationError({"version": [_("Choose a questionnaire.")]})
        assessment = services.assessment_create(created_by=request.user, **fields)
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One assessment"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AssessmentOut(self._get(pk)).data)

    @extend_schema(
        summary=_("Change an assessment's settings"),
        request=AssessmentPatchIn(partial=True),
        responses=AssessmentOut,
    )
    def partial_update(self, request: Request, workspace_id: str, pk: str) -> Response:
        assessment = self._get(pk)
        data = AssessmentPatchIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = _assessment_fields(self, data.validated_data)
        assessment = services.assessment_update(assessment=assessment, **fields)
        return Response(AssessmentOut(assessment).data)

    @extend_schema(summary=_("Delete a draft"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        services.assessment_delete(assessment=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Open (or reopen) for answers"), request=None, responses=AssessmentOut)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AssessmentOut(services.assessment_open(assessment=self._get(pk))).data)

    @extend_schema(
        summary=_("Close: links stop taking answers"), request=None, responses=AssessmentOut
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AssessmentOut(services.assessment_close(assessment=self._get(pk))).data)

    @extend_schema(
        summary=_("Who has been invited, opened, answered and submitted"),
        responses=ProgressOut(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def progress(self, request: Request, workspace_id: str, pk: str) -> Response:
        assessment = self._get(pk)
        _require_disclosed(self.membership, assessment)
        rows = selectors.assessment_progress(assessment=assessment)
        return Response(ProgressOut(rows, many=True).data)


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
        _require_disclosed(self.membership, self.assessment)

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
        respondent = respondent_services.respondent_add(
            assessment=self.assessment, **data.validated_data
        )
        return Response(RespondentOut(respondent).data, status=status.HTTP_201_CREATED)

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
        respondent = respondent_services.respondent_update(
            respondent=respondent, **data.validated_data
        )
        return Response(RespondentOut(respondent).data)

    @extend_schema(summary=_("Remove a respondent"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        respondent_services.respondent_remove(respondent=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _act(self, service, pk: str) -> Response:
        return Response(RespondentOut(service(respondent=self._get(pk))).data)

    @extend_schema(summary=_("Email the personal link"), request=None, responses=RespondentOut)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(respondent_services.respondent_invite, pk)

    @extend_schema(summary=_("Email a reminder"), request=None, responses=RespondentOut)
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(respondent_services.respondent_remind, pk)

    @extend_schema(summary=_("Stop the link working"), request=None, responses=RespondentOut)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(respondent_services.respondent_revoke, pk)

    @extend_schema(
        summary=_("Issue a new link (the old one stops working)"),
        request=None,
        responses=RespondentOut,
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return self._act(respondent_services.respondent_reissue, pk)

    @extend_schema(
        summary=_("Erase the person's personal data (name, email, link; comments if asked)"),
        request=EraseIn,
        responses=RespondentOut,
    )
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        data = EraseIn(data=request.data)
        data.is_valid(raise_exception=True)
        respondent = respondent_services.respondent_erase(
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
        link = "" if respondent.revoked_at else respondent_services.respondent_link(respondent)
        return Response({"link": link})


# --- The respondent's own answers, authorised by the link's token ------------------------


def _respondent_or_404(token: str) -> Respondent:
    from django.http import Http404

    respondent = selectors.respondent_for_token(token=token)
    if respondent is None or respondent.revoked_at:
        raise Http404(respondent_services.LINK_UNKNOWN)
    if respondent.assessment.status != Assessment.Status.OPEN and not respondent.submitted_at:
        # As the pages do: a closed assessment's link shows nothing of it.
        raise Gone(respondent_services.ASSESSMENT_CLOSED)
    return respondent


class Gone(APIException):
    status_code = 410
    default_detail = _("This assessment is closed.")


def _questionnaire_for(respondent: Respondent) -> dict:
    pages = selectors.respondent_pages(respondent=respondent)
    total = sum(len(p.items) for p in pages)
    answered = sum(1 for p in pages for item in p.items if item.value)
    assessment = respondent.assessment
    return {
        "title": assessment.title,
        "client": assessment.client.name,
        "purpose": assessment.purpose,
        "due_date": assessment.due_date,
        "respondent": respondent.name,
        "progress": {
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
            "submitted_at": respondent.submitted_at,
        },
        "dimensions": [
            {
                "key": p.dimension.key,
                "title": p.dimension.title,
                "description": p.dimension.description,
                "questions": [
                    {
                        **QuestionOut(item.question).data,
                        "answer": AnswerIn(item.answer).data if item.answer else None,
                    }
                    for item in p.items
                ],
            }
            for p in pages
        ],
    }


class RespondentAnswersView(APIView):
    """The questionnaire and this respondent's answers; the token in the URL is the key."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("The questionnaire with your answers so far"),
        responses=RespondentQuestionnaireOut,
        auth=[],
    )
    def get(self, request: Request, token: str) -> Response:
        return Response(
            RespondentQuestionnaireOut(_questionnaire_for(_respondent_or_404(token))).data
        )

    @extend_schema(
        summary=_("Save answers (only the questions and fields sent change)"),
        request=AnswersIn,
        responses={200: RespondentProgressOut, 409: OpenApiResponse(description=_("Closed"))},
        auth=[],
    )
    def patch(self, request: Request, token: str) -> Response:
        respondent = _respondent_or_404(token)
        data = AnswersIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            respondent_services.answers_save(
                respondent=respondent,
                changes=data.validated_data["answers"],
            )
        except respondent_services.RespondentClosed as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        respondent.refresh_from_db()
        return Response(_questionnaire_for(respondent)["progress"])


class RespondentSubmitView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("Submit your answers"),
        request=None,
        responses={200: RespondentProgressOut, 409: OpenApiResponse(description=_("Closed"))},
        auth=[],
    )
    def post(self, request: Request, token: str) -> Response:
        respondent = _respondent_or_404(token)
        try:
            respondent = respondent_services.respondent_submit(respondent=respondent)
        except respondent_services.RespondentClosed as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(_questionnaire_for(respondent)["progress"])


class ResultsView(APIView):
    """The scores of an assessment: `score_assessment`'s output with titles, channels,
    heat map, findings and blockers (only submitted answers count)."""

    @extend_schema(summary=_("Results of an assessment"), responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = workspace_access(user=request.user, workspace_id=workspace_id)
        assessment = selectors.assessment_get(scope=membership.scope, assessment_id=pk)
        _require_released(membership, assessment)
        audit_record(
            actor=request.user,
            workspace=membership.workspace,
            action=AuditAction.RESULTS_VIEWED,
            obj=assessment,
            request=request,
        )
        return Response(assessment_results(assessment))


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
        ]


class ActionIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    dimension_key = serializers.CharField(max_length=80, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    owner_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    owner_email = serializers.EmailField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Action.Status.choices, required=False)
    horizon = serializers.ChoiceField(choices=Action.Horizon.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    accepted = serializers.BooleanField(required=False)


class ActionViewSet(WorkspaceScopedViewSet):
    serializer_class = ActionOut
    pk_kwarg = "action_id"
    contributor_actions = frozenset({"partial_update"})

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.assessment = selectors.assessment_get(
            scope=self.scope, assessment_id=kwargs["assessment_id"]
        )
        _require_released(self.membership, self.assessment)

    @extend_schema(summary=_("The roadmap's actions, Now / Next / Later"))
    def list(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        page = self.paginate_queryset(roadmap.action_list(assessment=self.assessment))
        return self.get_paginated_response(ActionOut(page, many=True).data)

    @extend_schema(summary=_("Add an action"), request=ActionIn, responses={201: ActionOut})
    def create(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        data = ActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        action = roadmap.action_create(assessment=self.assessment, **data.validated_data)
        return Response(ActionOut(action).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One action"))
    def retrieve(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        return Response(
            ActionOut(roadmap.action_get(assessment=self.assessment, action_id=pk)).data
        )

    @extend_schema(
        summary=_("Change an action"), request=ActionIn(partial=True), responses=ActionOut
    )
    def partial_update(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        action = roadmap.action_get(assessment=self.assessment, action_id=pk)
        require_contribution(membership=self.membership, client_id=self.assessment.client_id)
        data = ActionIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if not self.membership.has_role(Role.CONSULTANT):
            refused = sorted(set(data.validated_data) - set(roadmap.CONTRIBUTOR_FIELDS))
            if refused:
                raise PermissionDenied(
                    _("Client contributors change only status, progress and notes, not: %(f)s.")
                    % {"f": ", ".join(refused)}
                )
        return Response(ActionOut(roadmap.action_update(action=action, **data.validated_data)).data)

    @extend_schema(summary=_("Delete an action"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, assessment_id: str, pk: str):
        roadmap.action_delete(action=roadmap.action_get(assessment=self.assessment, action_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Draft actions from the priorities"),
        request=None,
        responses={201: ActionOut(many=True)},
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def suggest(self, request: Request, workspace_id: str, assessment_id: str) -> Response:
        created = roadmap.roadmap_suggest(assessment=self.assessment)
        return Response(ActionOut(created, many=True).data, status=status.HTTP_201_CREATED)


class CompareView(APIView):
    @extend_schema(
        summary=_("What moved since the previous assessment"), responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = workspace_access(user=request.user, workspace_id=workspace_id)
        assessment = selectors.assessment_get(scope=membership.scope, assessment_id=pk)
        _require_released(membership, *filter(None, [assessment, assessment.previous]))
        comparison = assessment_compare(assessment)
        if comparison is None:
            return Response({"detail": _("This assessment has no previous one.")}, status=404)
        return Response(comparison)


class RunAgainView(APIView):
    @extend_schema(
        summary=_("Start a new assessment from a closed one"),
        request=None,
        responses={201: AssessmentOut},
    )
    def post(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = workspace_access(
            user=request.user,
            workspace_id=workspace_id,
            min_role=Role.CONSULTANT,
            url_kwargs={"assessment_id": pk},
        )
        previous = selectors.assessment_get(scope=membership.scope, assessment_id=pk)
        assessment = services.assessment_run_again(previous=previous, created_by=request.user)
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)
