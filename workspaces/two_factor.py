"""Two-factor sign-in (django-otp): an authenticator app (TOTP) plus single-use recovery
codes, the second sign-in step, and the workspace rule that owners and consultants use it.
"""

import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role, User

RECOVERY_CODE_COUNT = 10
# How long the second sign-in step may wait after the password was right.
PENDING_SECONDS = 300
_PENDING_KEY = "two_factor_pending"


class TwoFactorRequired(PermissionDenied):
    """The workspace requires two-factor sign-in and this session has not passed it."""


# --- State ------------------------------------------------------------------------------


def two_factor_enabled(*, user: User) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def session_verified(user: Any) -> bool:
    """Whether this request's session passed two-factor sign-in (set by OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def memberships_requiring(*, user: User) -> QuerySet[Membership]:
    """The user's memberships whose workspace requires two-factor sign-in of them."""
    return Membership.objects.filter(
        user=user, workspace__require_two_factor=True, role__in=[Role.OWNER, Role.CONSULTANT]
    ).select_related("workspace")


def two_factor_check(*, user: Any, membership: Membership) -> None:
    """Called by the one access check: owners and consultants of a workspace that requires
    two-factor sign-in reach it only from a verified session, or with an API token (which
    such a user can only make from a verified session). Client members are not asked."""
    if not membership.workspace.require_two_factor or membership.role == Role.CLIENT:
        return
    if getattr(user, "api_token", None) is not None or session_verified(user):
        return
    raise TwoFactorRequired(
        _(
            "%(workspace)s requires two-factor sign-in for owners and consultants. "
            "Set it up on your account page, or sign in again with your code."
        )
        % {"workspace": membership.workspace.name}
    )


def token_creation_refusal(*, user: User, verified: bool) -> str | None:
    """Why this session may not make an API token, if it may not."""
    if verified:
        return None
    if two_factor_enabled(user=user):
        return _("Sign in again with your authentication code before making a token.")
    required = memberships_requiring(user=user).first()
    if required is not None:
        return _("%(workspace)s requires two-factor sign-in: set it up first.") % {
            "workspace": required.workspace.name
        }
    return None


# --- Setting it up ----------------------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (any earlier unconfirmed one goes)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def totp_device_pending(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def qr_code_svg(text: str) -> str:
    """An inline SVG QR code (no script, no external reference: allowed by our CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg class="qr-code" role="img" aria-hidden="true" ', 1)


@transaction.atomic
def totp_device_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on once the user proves the app shows the right codes;
    returns the device and fresh recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": _("Start the set-up again.")}, code="expired")
    if not device.verify_token(_normalise(code)):
        raise ValidationError(
            {"code": _("That code is not right. Check your phone's clock and try the next one.")},
            code="invalid",
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": _("Recovery codes"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_list(*, user: User) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("id")
        .values_list("token", flat=True)
    )


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> None:
    required = memberships_requiring(user=user).first()
    if required is not None:
        raise ValidationError(
            _("%(workspace)s requires two-factor sign-in, so it stays on.")
            % {"workspace": required.workspace.name},
            code="required",
        )
    if code_verify(user=user, code=code) is None:
        raise ValidationError({"code": _("That code is not right.")}, code="invalid")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()[:16]


def code_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts this code: an authenticator code once per time step, a
    recovery code once ever. django-otp slows down repeated failures on each device."""
    code = _normalise(code)
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


# --- The second sign-in step -------------------------------------------------------------


def sign_in_pending_start(request: HttpRequest, user: User) -> None:
    """The password was right: remember who is signing in, but sign nobody in yet."""
    request.session.cycle_key()
    request.session[_PENDING_KEY] = {
        "user": str(user.pk),
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
    }


def sign_in_pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(_PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        return None  # the password changed meanwhile
    user.backend = pending["backend"]
    return user


def sign_in_code_failed(request: HttpRequest, user: User) -> None:
    """A wrong code counts as a failed sign-in: the lockout (django-axes) counts it."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def sign_in_finish(request: HttpRequest, user: User, device: Device) -> None:
    request.session.pop(_PENDING_KEY, None)
    auth.login(request, user, backend=user.backend)
    otp_login(request, device)


def sign_in_pending_clear(request: HttpRequest) -> None:
    request.session.pop(_PENDING_KEY, None)


# --- Sending people to set it up -----------------------------------------------------------


class TwoFactorRequiredMiddleware:
    """Pages that the workspace rule refuses send the person to set up two-factor sign-in
    (or to confirm it is them, when they have it on) instead of showing a bare 403.
    The API answers 403 with the same message (DRF handles the error before this)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, TwoFactorRequired):
            return None
        from django.contrib import messages

        messages.warning(request, str(exception))
        target = (
            "two_factor_verify" if two_factor_enabled(user=request.user) else "two_factor_setup"
        )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))


@transaction.atomic
def workspace_two_factor_set(*, workspace: Any, required: bool, owner_verified: bool) -> None:
    """Require (or stop requiring) two-factor sign-in of the workspace's owners and
    consultants. Turning it on needs an owner who signed in with it, so nobody locks the
    workspace's owners out by accident."""
    if required and not owner_verified:
        raise ValidationError(
            _("Turn on two-factor sign-in for yourself first (on your account page)."),
            code="owner_first",
        )
    workspace.require_two_factor = required
    workspace.save(update_fields=["require_two_factor"])
