import pytest
from rest_framework.test import APIClient

from tests.factories import ClientFactory, InvitationFactory
from workspaces.models import Client, Invitation, Membership, Role
from workspaces.tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _clients(workspace):
    return f"/api/v1/workspaces/{workspace.id}/clients/"


def test_token_authenticated_consultant_creates_and_lists_clients(api, consultant, workspace):
    _token, key = api_token_create(user=consultant, name="Import", two_factor_verified=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    created = api.post(_clients(workspace), {"name": "Northwind", "size_band": "50-249"})
    assert created.status_code == 201, created.json()
    assert created.json()["name"] == "Northwind"
    listing = api.get(_clients(workspace)).json()
    assert listing["count"] == 1
    assert listing["results"][0]["id"] == created.json()["id"]


def test_anonymous_api_request_is_401_with_the_error_shape(api, workspace):
    response = api.get(_clients(workspace))
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Ok", "size_band": "huge"}, "size_band"),
        ({"name": "Ok", "notes": "n" * 5001}, "notes"),
    ],
)
def test_bad_client_body_is_400_naming_the_field(api, consultant, workspace, body, field):
    api.force_authenticate(consultant)
    response = api.post(_clients(workspace), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert isinstance(response.json()[field], list)
    assert not Client.objects.exists()


def test_duplicate_client_name_is_400_naming_name(api, consultant, acme_client):
    api.force_authenticate(consultant)
    response = api.post(_clients(acme_client.workspace), {"name": "northwind"}, format="json")
    assert response.status_code == 400
    assert "already exists" in response.json()["name"][0]


def test_patch_archives_and_delete_needs_an_owner_and_an_archived_client(
    api, consultant, owner, acme_client
):
    url = f"{_clients(acme_client.workspace)}{acme_client.id}/"
    api.force_authenticate(owner)
    response = api.delete(url)
    assert response.status_code == 400
    assert "Archive the client first" in response.json()["non_field_errors"][0]
    api.force_authenticate(consultant)
    assert api.patch(url, {"archived": True}, format="json").json()["archived"] is True
    assert api.delete(url).status_code == 403
    api.force_authenticate(owner)
    assert api.delete(url).status_code == 204
    # Into the trash: gone from the API, restorable by an owner for CLIENT_TRASH_DAYS.
    assert Client.objects.get().deleted_at is not None
    assert api.get(url).status_code == 404
    assert api.get(_clients(acme_client.workspace) + "?archived=true").json()["results"] == []


def test_archived_clients_are_listed_on_request(api, viewer, workspace):
    ClientFactory(workspace=workspace, name="Active")
    ClientFactory(workspace=workspace, name="Gone", archived=True)
    api.force_authenticate(viewer)
    names = [c["name"] for c in api.get(_clients(workspace)).json()["results"]]
    assert names == ["Active"]
    archived = api.get(_clients(workspace), {"archived": "true"}).json()["results"]
    assert [c["name"] for c in archived] == ["Gone"]


def test_pagination_pages_and_an_invalid_page_is_404(api, viewer, workspace):
    for n in range(30):
        ClientFactory(workspace=workspace, name=f"C{n:02d}")
    api.force_authenticate(viewer)
    first = api.get(_clients(workspace)).json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["next"].endswith("page=2")
    assert api.get(_clients(workspace), {"page": 9}).status_code == 404


def test_viewer_cannot_write_through_the_api(api, viewer, acme_client):
    api.force_authenticate(viewer)
    assert api.post(_clients(acme_client.workspace), {"name": "X"}).status_code == 403
    url = f"{_clients(acme_client.workspace)}{acme_client.id}/"
    response = api.patch(url, {"name": "Renamed"}, format="json")
    assert response.status_code == 403
    assert "detail" in response.json()
    acme_client.refresh_from_db()
    assert acme_client.name == "Northwind"


def test_members_api_lists_changes_roles_and_removes(api, owner, consultant, workspace):
    api.force_authenticate(owner)
    base = f"/api/v1/workspaces/{workspace.id}/members/"
    listing = api.get(base).json()
    assert {m["user"]["email"] for m in listing["results"]} == {owner.email, consultant.email}
    membership = consultant.memberships.get()
    changed = api.patch(f"{base}{membership.id}/", {"role": "owner"}, format="json")
    assert changed.json()["role"] == "owner"
    bad = api.patch(f"{base}{membership.id}/", {"role": "boss"}, format="json")
    assert bad.status_code == 400
    assert "role" in bad.json()
    assert api.delete(f"{base}{membership.id}/").status_code == 204
    assert not Membership.objects.filter(id=membership.id).exists()


def test_last_owner_cannot_be_removed_through_the_api(api, owner, workspace):
    api.force_authenticate(owner)
    membership = owner.memberships.get()
    response = api.delete(f"/api/v1/workspaces/{workspace.id}/members/{membership.id}/")
    assert response.status_code == 400
    assert Membership.objects.filter(id=membership.id, role=Role.OWNER).exists()


def test_invitations_api_invites_and_withdraws(api, owner, workspace):
    api.force_authenticate(owner)
    base = f"/api/v1/workspaces/{workspace.id}/invitations/"
    bad = api.post(base, {"email": "not-an-email", "role": "consultant"}, format="json")
    assert bad.status_code == 400
    assert "email" in bad.json()
    created = api.post(base, {"email": "x@example.com", "role": "consultant"}, format="json")
    assert created.status_code == 201
    assert api.delete(f"{base}{created.json()['id']}/").status_code == 204
    assert Invitation.objects.get().status == Invitation.Status.REVOKED


def test_workspaces_api_lists_only_mine_with_my_role(api, consultant, workspace, outsider):
    api.force_authenticate(consultant)
    results = api.get("/api/v1/workspaces/").json()["results"]
    assert [(w["id"], w["role"]) for w in results] == [(str(workspace.id), "consultant")]


def test_malformed_uuid_is_404_not_500(api, owner, workspace):
    api.force_authenticate(owner)
    assert api.get(f"/api/v1/workspaces/{workspace.id}/clients/not-a-uuid/").status_code == 404
    assert api.get("/api/v1/workspaces/1234/clients/").status_code == 404
    InvitationFactory(workspace=workspace)
    assert api.get(f"/api/v1/workspaces/{workspace.id}/invitations/123/").status_code == 404


def test_schema_and_docs_are_served(client, owner):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/workspaces/{workspace_id}/clients/" in schema.content
    client.force_login(owner)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
