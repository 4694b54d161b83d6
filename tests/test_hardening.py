"""Inputs found by review that once caused a 500 or bent a rule; each answers 4xx now."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD, InvitationFactory, WorkspaceFactory
from workspaces.logos import sanitise_svg
from workspaces.models import Invitation, Membership, Workspace

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_deeply_nested_json_is_400(owner, workspace):
    api = APIClient()
    api.force_authenticate(owner)
    body = "[" * 50000 + "]" * 50000
    response = api.post(
        f"/api/v1/workspaces/{workspace.id}/clients/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_json_body_over_the_limit_is_413(owner, workspace, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = APIClient()
    api.force_authenticate(owner)
    response = api.post(
        f"/api/v1/workspaces/{workspace.id}/clients/",
        {"name": "x", "notes": "n" * 2000},
        format="json",
    )
    assert response.status_code == 413


def test_nul_in_search_and_malformed_token_are_not_server_errors(owner, workspace):
    api = APIClient()
    api.force_authenticate(owner)
    url = f"/api/v1/workspaces/{workspace.id}/clients/"
    assert api.get(url, {"search": "a\x00b"}).status_code == 200
    anonymous = APIClient()
    anonymous.credentials(HTTP_AUTHORIZATION="Token a\x00b")
    assert anonymous.get(url).status_code == 401


def test_uuid_shaped_nonsense_workspace_id_is_404(owner):
    api = APIClient()
    api.force_authenticate(owner)
    assert api.get("/api/v1/workspaces/" + "-" * 36 + "/").status_code == 404


def test_deeply_nested_svg_is_refused_with_a_message():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 3000 + b"</g>" * 3000 + b"</svg>"
    with pytest.raises(Exception, match=r"nested too deeply|could not be read"):
        sanitise_svg(svg)


def test_svg_loses_every_external_reference_and_style_element():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:red}</style>'
        b'<rect fill="url(http://169.254.169.254/)" mask="url(https://x/)" width="3"/>'
        b'<rect style="fill:\\75 rl(http://x/)" stroke="url(#local)" height="2"/></svg>'
    )
    cleaned = sanitise_svg(svg)
    for bad in (b"169.254", b"https://x", b"\\75", b"<style", b"http://x"):
        assert bad not in cleaned
    assert b'stroke="url(#local)"' in cleaned
    assert b'width="3"' in cleaned


def test_sign_in_ignores_the_case_of_the_email(client, owner):
    response = client.post(
        reverse("login"), {"username": owner.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_lockout_counts_failures_whatever_the_case(client, owner):
    for n in range(5):
        email = owner.email.upper() if n % 2 else owner.email
        client.post(reverse("login"), {"username": email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 429


def test_sending_a_revoked_invitation_again_is_refused(client, owner, workspace):
    invitation = InvitationFactory(workspace=workspace, status=Invitation.Status.REVOKED)
    client.force_login(owner)
    response = client.post(
        reverse("invitation_resend", args=[workspace.id, invitation.id]), follow=True
    )
    assert "invite the person again" in response.text
    assert Invitation.objects.filter(status=Invitation.Status.PENDING).count() == 0


def test_logo_whose_file_is_gone_is_404_not_500(client, owner, workspace):
    workspace.logo = "logos/missing.png"
    workspace.save()
    client.force_login(owner)
    assert client.get(reverse("workspace_logo", args=[workspace.id])).status_code == 404


def test_seed_demo_leaves_a_real_workspace_of_the_same_name_alone(owner):
    real = WorkspaceFactory(name="Demo Consulting")
    call_command("seed_demo")
    assert not Membership.objects.filter(workspace=real).exists()
    assert Workspace.objects.filter(name="Demo Consulting").count() == 2


def test_client_edit_refused_keeps_showing_the_saved_name(client, consultant, acme_client):
    from tests.factories import ClientFactory

    ClientFactory(workspace=acme_client.workspace, name="Taken")
    client.force_login(consultant)
    response = client.post(
        reverse("client_edit", args=[acme_client.workspace_id, acme_client.id]), {"name": "Taken"}
    )
    # A refused form answers 400 like every other form page (it used to say 200).
    assert response.status_code == 400
    assert "›" in response.text
    assert response.context["client"].name == "Northwind"


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        DEBUG="false",
        HTTPS="true",
        ALLOWED_HOSTS="cx.example.com",
        DJANGO_SETTINGS_MODULE="cxmaturity.settings",
    )
    result = subprocess.run(  # noqa: S603 - our own settings module
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
