"""Personal API tokens (django-rest-knox): making, listing and revoking them, and how the API
authenticates and scopes a request made with one.

DRF imports the authentication and permission classes here while it loads its own views,
so this module imports nothing from rest_framework's views or viewsets.
"""

import re
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from knox.auth import TokenAuthentication
from knox.models import AbstractAuthToken
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from cxmaturity.inputs import one_line

from .models import ApiToken, Membership, User, Workspace

# How often the "last used" time of a token is written, at most.
_LAST_USED_EVERY = timedelta(minutes=1)
_MAX_LIVE_TOKENS = 50


def _token_format() -> re.Pattern[bytes]:
    prefix = re.escape(settings.REST_KNOX.get("TOKEN_PREFIX", ""))
    return re.compile(prefix.encode() + rb"[0-9a-f]{64}")


# --- Reads and writes ------------------------------------------------------------------


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return (
        ApiToken.objects.filter(user=user, expiry__gt=timezone.now())
        .select_related("workspace")
        .order_by("-created", "id")
    )


def api_token_get(*, user: User, token_id: UUID) -> ApiToken:
    return get_object_or_404(api_token_list(user=user), id=token_id)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    days: int | None = None,
    workspace_id: UUID | None = None,
    read_only: bool = False,
    two_factor_verified: bool,
) -> tuple[ApiToken, str]:
    """A new token and its key; the key exists only in this answer.

    `two_factor_verified` says whether the session asking has passed two-factor sign-in:
    a user who has it on (or whose workspace requires it) makes tokens only from such a
    session, since a token is accepted without a second factor afterwards.
    """
    from .two_factor import token_creation_refusal

    refusal = token_creation_refusal(user=user, verified=two_factor_verified)
    if refusal:
        raise ValidationError(refusal, code="two_factor")
    name = one_line(name)
    if not name:
        raise ValidationError({"name": _("Name the token, e.g. after the script using it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most %(max)d characters.") % {"max": 100}})
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Choose between 1 and %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}}
        )
    workspace = None
    if workspace_id is not None:
        membership = Membership.objects.filter(user=user, workspace_id=workspace_id).first()
        if membership is None:
            raise ValidationError({"workspace": _("Choose one of your workspaces.")})
        workspace = membership.workspace
    # Lock the user's row so that two requests at once cannot pass the limit together.
    User.objects.select_for_update().filter(id=user.id).first()
    if api_token_list(user=user).count() >= _MAX_LIVE_TOKENS:
        raise ValidationError(
            _("You have %(max)d tokens: revoke one you no longer use first.")
            % {"max": _MAX_LIVE_TOKENS},
            code="too_many",
        )
    token, key = ApiToken.objects.create(
        user=user,
        expiry=timedelta(days=days),
        name=name,
        workspace=workspace,
        read_only=read_only,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token_id: UUID) -> None:
    api_token_get(user=user, token_id=token_id).delete()


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


class RevokeApiTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django calls
    whenever a new password is saved (change, reset, admin, `changepassword`): a leaked
    password's tokens must not outlive it. It refuses no password."""

    def validate(self, password: str, user: User | None = None) -> None:
        return None

    def password_changed(self, password: str, user: User | None = None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens.")


# --- The API's side ---------------------------------------------------------------------


class ApiTokenAuthentication(TokenAuthentication):
    """Knox's token authentication: keys of the wrong shape answer 401 before any query,
    expired tokens 401 (and are deleted), and the time of use is kept, once a minute."""

    def authenticate_credentials(self, token: bytes):
        if not _token_format().fullmatch(token):
            raise exceptions.AuthenticationFailed(gettext_lazy("Invalid token."))
        user, api_token = super().authenticate_credentials(token)
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > _LAST_USED_EVERY:
            ApiToken.objects.filter(id=api_token.id).update(last_used_at=now)
        # Read by the two-factor check: a token was made from a verified session.
        user.api_token = api_token
        if user.language:
            # As UserLanguageMiddleware does for a session: DRF authenticates a token only
            # inside the view, after the middleware, so the saved language is set here.
            translation.activate(user.language)
        return user, api_token


def request_token(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AbstractAuthToken) else None


def token_workspaces(request, workspaces: QuerySet[Workspace]) -> QuerySet[Workspace]:
    """The workspaces a request may list: one, for a token limited to it."""
    token = request_token(request)
    if token is not None and token.workspace_id is not None:
        return workspaces.filter(id=token.workspace_id)
    return workspaces


class ApiTokenScope(BasePermission):
    """A token limited to one workspace answers 404 for any other workspace's URLs, as if
    they did not exist; a read-only token answers 403 to any write."""

    def has_permission(self, request, view) -> bool:
        token = request_token(request)
        if token is None:
            return True
        if token.workspace_id is not None:
            kwargs = getattr(view, "kwargs", {}) or {}
            target = kwargs.get("workspace_id")
            match = getattr(request, "resolver_match", None)
            if target is None and match is not None and match.url_name == "workspace-detail":
                target = kwargs.get("pk")
            if target is not None and str(target).lower() != str(token.workspace_id):
                raise exceptions.NotFound(_("No such workspace."))
        if token.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token is read-only."))
        return True
