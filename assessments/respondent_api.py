"""REST API for an assessment's respondents (consultants) and for a respondent's own
answers, authorised by the link's token."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role
from workspaces.permissions import workspace_access

from . import selectors, services
from .api import QuestionOut, require_disclosed
from .models import Assessment, Respondent, RespondentRole


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


def _respondent_or_404(token: str) -> Respondent:
    from django.http import Http404

    respondent = selectors.respondent_for_token(token=token)
    if respondent is None or respondent.revoked_at:
        raise Http404(services.LINK_UNKNOWN)
    if respondent.assessment.status != Assessment.Status.OPEN and not respondent.submitted_at:
        # As the pages do: a closed assessment's link shows nothing of it.
        raise Gone(services.ASSESSMENT_CLOSED)
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
            services.answers_save(
                respondent=respondent,
                changes=data.validated_data["answers"],
            )
        except services.RespondentClosed as exc:
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
            respondent = services.respondent_submit(respondent=respondent)
        except services.RespondentClosed as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(_questionnaire_for(respondent)["progress"])
