"""Personal API tokens: hashed, named, expiring, scoped, revoked one by one and on any
password change or reset."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PASSWORD, ClientFactory, MembershipFactory
from workspaces.models import ApiToken, Role
from workspaces.tokens import api_token_create

pytestmark = pytest.mark.django_db


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _token(user, **kwargs) -> str:
    kwargs.setdefault("name", "Script")
    return api_token_create(user=user, two_factor_verified=False, **kwargs)[1]


def _clients(workspace) -> str:
    return f"/api/v1/workspaces/{workspace.id}/clients/"


def test_only_a_digest_of_the_token_is_stored(owner):
    key = _token(owner)
    token = ApiToken.objects.get(user=owner)
    assert token.digest != key
    assert len(token.digest) == 128
    rows = list(ApiToken.objects.values())  # every column of every row
    assert rows
    assert not any(key in str(value) for row in rows for value in row.values())


def test_token_expires_after_the_default_days_and_then_answers_401(owner, workspace, settings):
    settings.API_TOKEN_DEFAULT_DAYS = 90
    key = _token(owner)
    token = ApiToken.objects.get(user=owner)
    assert timedelta(days=89) < token.expiry - timezone.now() <= timedelta(days=90)
    assert _api(key).get(_clients(workspace)).status_code == 200
    ApiToken.objects.filter(id=token.id).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _api(key).get(_clients(workspace))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not ApiToken.objects.filter(id=token.id).exists()


@pytest.mark.parametrize("days", [0, 366, -1])
def test_expiry_outside_the_limits_is_refused(client, owner, days):
    client.force_login(owner)
    response = client.post(reverse("account"), {"name": "Too long", "days": days})
    assert response.status_code == 200
    assert response.context["new_key"] is None
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.filter(user=owner).exists()


def test_token_is_revoked_by_a_password_reset(client, owner, workspace):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    keys = [_token(owner, name="One"), _token(owner, name="Two")]
    assert _api(keys[0]).get(_clients(workspace)).status_code == 200
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(owner)])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a-new-long-passphrase-42"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    for key in keys:
        assert _api(key).get(_clients(workspace)).status_code == 401
    assert not ApiToken.objects.filter(user=owner).exists()


def test_token_is_revoked_by_a_password_change(client, owner, workspace):
    key = _token(owner)
    client.force_login(owner)
    new = "another-long-passphrase-7"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert _api(key).get(_clients(workspace)).status_code == 401


def test_other_users_tokens_survive_a_password_change(owner, consultant, workspace):
    key = _token(consultant)
    owner.set_password("yet-another-passphrase-9")
    owner.save()
    assert _api(key).get(_clients(workspace)).status_code == 200


def test_read_only_token_reads_but_gets_403_on_every_write(owner, workspace):
    api = _api(_token(owner, read_only=True))
    assert api.get(_clients(workspace)).status_code == 200
    created = api.post(_clients(workspace), {"name": "Northwind"}, format="json")
    assert created.status_code == 403
    assert "read-only" in created.json()["detail"]
    client = ClientFactory(workspace=workspace)
    url = f"{_clients(workspace)}{client.id}/"
    assert api.patch(url, {"name": "Renamed"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    client.refresh_from_db()
    assert client.name != "Renamed"


def test_workspace_limited_token_gets_404_elsewhere_and_lists_only_its_workspace(owner, workspace):
    other = MembershipFactory(user=owner, role=Role.OWNER).workspace
    api = _api(_token(owner, workspace_id=workspace.id))
    assert api.get(_clients(workspace)).status_code == 200
    assert api.get(_clients(other)).status_code == 404
    assert api.post(_clients(other), {"name": "X"}, format="json").status_code == 404
    assert api.get(f"/api/v1/workspaces/{other.id}/").status_code == 404
    assert api.get(f"/api/v1/workspaces/{workspace.id}/").status_code == 200
    assert [w["id"] for w in api.get("/api/v1/workspaces/").json()["results"]] == [
        str(workspace.id)
    ]
    # The same user's unlimited token sees both.
    assert _api(_token(owner)).get("/api/v1/workspaces/").json()["count"] == 2


def test_token_cannot_be_limited_to_a_workspace_of_someone_else(client, owner, outsider):
    other = outsider.memberships.get().workspace
    client.force_login(owner)
    response = client.post(
        reverse("account"), {"name": "Sneaky", "days": 5, "workspace": str(other.id)}
    )
    assert response.context["new_key"] is None
    assert response.context["form"].errors
    assert not ApiToken.objects.filter(user=owner).exists()


def test_account_page_lists_tokens_with_their_scope_and_revokes_one(client, owner, workspace):
    keep = _token(owner, name="Keep me")
    drop = _token(owner, name="Drop me", workspace_id=workspace.id, read_only=True)
    client.force_login(owner)
    page = client.get(reverse("account")).text
    assert "Keep me" in page
    assert "Drop me" in page
    assert "read-only" in page
    assert keep not in page
    assert drop not in page
    dropped = ApiToken.objects.get(name="Drop me")
    client.post(reverse("api_token_revoke"), {"token": str(dropped.id)})
    assert _api(drop).get(_clients(workspace)).status_code == 401
    assert _api(keep).get(_clients(workspace)).status_code == 200


def test_someone_elses_token_cannot_be_revoked(client, owner, consultant, workspace):
    key = _token(consultant)
    client.force_login(owner)
    token = ApiToken.objects.get(user=consultant)
    assert client.post(reverse("api_token_revoke"), {"token": str(token.id)}).status_code == 404
    assert _api(key).get(_clients(workspace)).status_code == 200


def test_tokens_api_makes_lists_and_revokes_from_a_session(owner, workspace):
    session = APIClient()
    session.force_login(owner)
    made = session.post(
        "/api/v1/tokens/", {"name": "CI", "days": 7, "read_only": True}, format="json"
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["key"].startswith("cxm_")
    assert body["read_only"] is True
    listing = session.get("/api/v1/tokens/").json()
    assert [t["name"] for t in listing["results"]] == ["CI"]
    assert "key" not in listing["results"][0]
    api = _api(body["key"])
    assert api.get(_clients(workspace)).status_code == 200
    assert session.delete(f"/api/v1/tokens/{body['id']}/").status_code == 204
    assert api.get(_clients(workspace)).status_code == 401


def test_a_token_cannot_make_another_token(owner):
    response = _api(_token(owner)).post("/api/v1/tokens/", {"name": "Child"}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=owner).count() == 1


@pytest.mark.parametrize(
    "header", ["Token nonsense", "Token cxm_" + "g" * 64, "Token " + "a" * 40, "Token"]
)
def test_malformed_or_unknown_tokens_are_401_with_www_authenticate(workspace, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(_clients(workspace))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_api_call_is_401_with_www_authenticate(workspace):
    response = APIClient().get(_clients(workspace))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
