"""Two-factor sign-in: setting it up, the second sign-in step, recovery codes, the lockout,
and workspaces that require it of owners and consultants."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from workspaces.models import ApiToken
from workspaces.tokens import api_token_create
from workspaces.two_factor import recovery_codes_regenerate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp waits 1 s, 2 s, 4 s… after each wrong code; these tests follow one
    # wrong code with a right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def _two_factor(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def _sign_in(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_setup_shows_a_qr_code_and_turns_on_only_with_a_right_code(client, owner, workspace):
    client.force_login(owner)
    page = client.get(reverse("two_factor_setup"))
    assert "<svg" in page.text
    assert "<script" not in page.text
    assert "otpauth://totp/" in page.text
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "not right" in wrong.text
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()
    right = client.post(reverse("two_factor_setup"), {"code": _code(device)})
    assert right.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", right.text)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=owner).confirmed
    # This session is now verified: a workspace that requires two-factor lets it in.
    workspace.require_two_factor = True
    workspace.save()
    assert client.get(reverse("workspace_dashboard", args=[workspace.id])).status_code == 200


def test_password_alone_does_not_sign_in_a_user_with_two_factor(client, owner, workspace):
    device = _two_factor(owner)
    dashboard = reverse("workspace_dashboard", args=[workspace.id])
    response = _sign_in(client, owner, next_url=dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert not _signed_in(client)
    assert client.get(dashboard).status_code == 302  # to the sign-in page
    assert not _signed_in(client)
    wrong = client.post(response["Location"], {"code": "123456", "next": dashboard})
    assert wrong.status_code == 200
    assert not _signed_in(client)
    right = client.post(response["Location"], {"code": _code(device), "next": dashboard})
    assert right.status_code == 302
    assert right["Location"] == dashboard
    assert _signed_in(client)
    assert client.get(dashboard).status_code == 200


def test_second_step_refuses_an_outside_next_url(client, owner):
    device = _two_factor(owner)
    _sign_in(client, owner)
    response = client.post(
        reverse("two_factor_verify"), {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client, owner):
    _two_factor(owner)
    response = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not _signed_in(client)


def test_recovery_code_signs_in_once(client, owner):
    _two_factor(owner)
    code = recovery_codes_regenerate(user=owner)[0]
    _sign_in(client, owner)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert _signed_in(client)
    assert not StaticToken.objects.filter(token=code).exists()
    client.post(reverse("logout"))
    _sign_in(client, owner)
    again = client.post(reverse("two_factor_verify"), {"code": code})
    assert again.status_code == 200
    assert not _signed_in(client)


def test_wrong_codes_count_toward_the_sign_in_lockout(client, owner):
    device = _two_factor(owner)
    _sign_in(client, owner)
    statuses = [
        client.post(reverse("two_factor_verify"), {"code": "000000"}).status_code for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    locked = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert locked.status_code in (302, 429)
    assert not _signed_in(client)
    # The password is now refused too, for this account from this address.
    assert _sign_in(client, owner).status_code == 429
    assert not _signed_in(client)


def test_recovery_codes_page_needs_a_verified_session_and_regenerates(client, owner):
    _two_factor(owner)
    old = recovery_codes_regenerate(user=owner)
    client.force_login(owner)  # signed in, but this session gave no code
    response = client.get(reverse("two_factor_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=owner).persistent_id
    session.save()
    shown = client.get(reverse("two_factor_recovery_codes"))
    assert all(code in shown.text for code in old)
    made = client.post(reverse("two_factor_recovery_codes"))
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", made.text)
    assert len(new) == 10
    assert not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_turning_it_off_asks_for_a_code(client, owner):
    device = _two_factor(owner)
    client.force_login(owner)
    assert client.post(reverse("two_factor_disable"), {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=owner).exists()
    response = client.post(reverse("two_factor_disable"), {"code": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()


@pytest.fixture
def strict(workspace):
    workspace.require_two_factor = True
    workspace.save()
    return workspace


def test_required_two_factor_sends_pages_to_setup_and_api_gets_403(client, consultant, strict):
    client.force_login(consultant)
    dashboard = reverse("workspace_dashboard", args=[strict.id])
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    api = APIClient()
    api.force_login(consultant)
    refused = api.get(f"/api/v1/workspaces/{strict.id}/clients/")
    assert refused.status_code == 403
    assert "requires two-factor sign-in" in refused.json()["detail"]


def test_required_two_factor_asks_a_user_who_has_it_for_a_code(client, owner, strict):
    _two_factor(owner)
    client.force_login(owner)  # a session from before, that gave no code
    response = client.get(reverse("workspace_dashboard", args=[strict.id]))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_required_two_factor_does_not_apply_to_client_members(client, client_viewer, strict):
    client.force_login(client_viewer)
    assert client.get(reverse("workspace_dashboard", args=[strict.id])).status_code == 200


def test_tokens_are_accepted_as_they_are_in_a_strict_workspace(consultant, workspace):
    key = api_token_create(user=consultant, name="CI", two_factor_verified=False)[1]
    workspace.require_two_factor = True
    workspace.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(f"/api/v1/workspaces/{workspace.id}/clients/").status_code == 200


def test_a_token_is_made_only_from_a_verified_session_when_two_factor_applies(
    client, owner, consultant, strict
):
    _two_factor(owner)
    client.force_login(owner)
    response = client.post(reverse("account"), {"name": "CI", "days": 30})
    assert response.context["new_key"] is None
    assert "Sign in again" in response.text
    client.force_login(consultant)  # no two-factor, but the workspace requires it
    response = client.post(reverse("account"), {"name": "CI", "days": 30})
    assert response.context["new_key"] is None
    assert "requires two-factor sign-in" in response.text
    assert not ApiToken.objects.exists()


def test_owner_turns_the_requirement_on_only_after_using_two_factor(client, owner, workspace):
    settings_url = reverse("workspace_settings", args=[workspace.id])
    client.force_login(owner)
    client.post(settings_url, {"form": "two_factor", "require_two_factor": "on"})
    workspace.refresh_from_db()
    assert not workspace.require_two_factor
    device = _two_factor(owner)
    client.post(reverse("two_factor_verify"), {"code": _code(device)})
    client.post(settings_url, {"form": "two_factor", "require_two_factor": "on"})
    workspace.refresh_from_db()
    assert workspace.require_two_factor
    assert client.get(settings_url).status_code == 200
