from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    ClientInvitationViewSet,
    ClientTeamViewSet,
    ClientViewSet,
    InvitationViewSet,
    MemberViewSet,
    WorkspaceViewSet,
)
from .api_tokens import ApiTokenViewSet

router = SimpleRouter()
router.register("workspaces", WorkspaceViewSet, basename="workspace")
router.register("tokens", ApiTokenViewSet, basename="api-token")

_COLLECTION = {"get": "list", "post": "create"}
_ITEM = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}


def _nested(prefix: str, viewset, name: str, collection: dict, item: dict) -> list:
    base = f"workspaces/<uuid:workspace_id>/{prefix}/"
    return [
        path(base, viewset.as_view(collection), name=f"api-{name}-list"),
        path(f"{base}<uuid:pk>/", viewset.as_view(item), name=f"api-{name}-detail"),
    ]


urlpatterns = [
    *router.urls,
    *_nested("clients", ClientViewSet, "client", _COLLECTION, _ITEM),
    *_nested(
        "members",
        MemberViewSet,
        "member",
        {"get": "list"},
        {"get": "retrieve", "patch": "partial_update", "delete": "destroy"},
    ),
    *_nested(
        "invitations",
        InvitationViewSet,
        "invitation",
        _COLLECTION,
        {"get": "retrieve", "delete": "destroy"},
    ),
    *_nested(
        "clients/<uuid:client_id>/team",
        ClientTeamViewSet,
        "client-team",
        {"get": "list"},
        {"get": "retrieve", "patch": "partial_update", "delete": "destroy"},
    ),
    *_nested(
        "clients/<uuid:client_id>/team-invitations",
        ClientInvitationViewSet,
        "client-invitation",
        _COLLECTION,
        {"get": "retrieve", "delete": "destroy"},
    ),
]
