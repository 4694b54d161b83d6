"""REST API for a respondent's own questionnaire and answers, authorised by the link's
token."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Answer, Assessment, Respondent, max_length
from .questionnaires import QuestionOut


class AnswerIn(serializers.Serializer):
    value = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Answer, "value")
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Answer, "comment")
    )
    evidence = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Answer, "evidence")
    )


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


def _respondent_or_404(token: str) -> Respondent:
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
