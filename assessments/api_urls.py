from django.urls import path

from .api.answers import RespondentAnswersView, RespondentSubmitView
from .api.assessments import AssessmentViewSet, RunAgainView
from .api.questionnaires import QuestionnaireViewSet
from .api.respondents import PersonalDataView, RespondentViewSet
from .api.results import BenchmarkPoolView, CompareView, ResultsView
from .api.roadmap import ActionViewSet, RoadmapDigestView

W = "workspaces/<uuid:workspace_id>/"
A = W + "assessments/<uuid:assessment_id>/"


def _routes(base: str, viewset, name: str, collection: dict, item: dict, actions: dict) -> list:
    routes = [
        path(base, viewset.as_view(collection), name=f"api-{name}-list"),
        path(base + "<uuid:pk>/", viewset.as_view(item), name=f"api-{name}-detail"),
    ]
    for action_name, method in actions.items():
        routes.append(
            path(
                f"{base}<uuid:pk>/{action_name}/",
                # As a router would: the action's own settings (renderers, pagination).
                viewset.as_view({method: action_name}, **getattr(viewset, action_name).kwargs),
                name=f"api-{name}-{action_name}",
            )
        )
    return routes


_LIST = {"get": "list", "post": "create"}
_ITEM = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    *_routes(
        W + "questionnaires/",
        QuestionnaireViewSet,
        "questionnaire",
        _LIST,
        {"get": "retrieve"},
        {"export": "get"},
    ),
    *_routes(
        W + "assessments/",
        AssessmentViewSet,
        "assessment",
        _LIST,
        _ITEM,
        {"open": "post", "close": "post", "progress": "get"},
    ),
    path(
        A + "respondents/import/",
        RespondentViewSet.as_view({"post": "import_csv"}, pagination_class=None),
        name="api-respondent-import",
    ),
    *_routes(
        A + "respondents/",
        RespondentViewSet,
        "respondent",
        _LIST,
        _ITEM,
        {
            "invite": "post",
            "remind": "post",
            "revoke": "post",
            "reissue": "post",
            "link": "get",
            "erase": "post",
        },
    ),
    path(
        A + "actions/suggest/",
        ActionViewSet.as_view({"post": "suggest"}, pagination_class=None),
        name="api-action-suggest",
    ),
    *_routes(A + "actions/", ActionViewSet, "action", _LIST, _ITEM, {}),
    path(
        W + "assessments/<uuid:pk>/results/", ResultsView.as_view(), name="api-assessment-results"
    ),
    path(W + "personal-data/", PersonalDataView.as_view(), name="api-personal-data"),
    path(W + "benchmark-pool/", BenchmarkPoolView.as_view(), name="api-workspace-benchmark-pool"),
    path(W + "roadmap-digest/", RoadmapDigestView.as_view(), name="api-workspace-roadmap-digest"),
    path(
        W + "assessments/<uuid:pk>/compare/", CompareView.as_view(), name="api-assessment-compare"
    ),
    path(
        W + "assessments/<uuid:pk>/run-again/",
        RunAgainView.as_view(),
        name="api-assessment-run-again",
    ),
    path("respondent/<str:token>/", RespondentAnswersView.as_view(), name="api-respondent-answers"),
    path(
        "respondent/<str:token>/submit/",
        RespondentSubmitView.as_view(),
        name="api-respondent-submit",
    ),
]
