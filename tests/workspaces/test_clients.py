import pytest
from django.urls import reverse

from tests.factories import ClientFactory
from workspaces.models import Client

pytestmark = pytest.mark.django_db


def _url(name, workspace, *args):
    return reverse(name, args=[workspace.id, *args])


def test_dashboard_empty_state_tells_a_consultant_what_to_do_first(client, consultant, workspace):
    client.force_login(consultant)
    response = client.get(_url("workspace_dashboard", workspace))
    assert response.status_code == 200
    assert "No clients yet" in response.text
    assert "Add your first client" in response.text


def test_dashboard_lists_active_clients_with_their_stage(client, viewer, workspace):
    ClientFactory(workspace=workspace, name="Visible Co")
    ClientFactory(workspace=workspace, name="Old Co", archived=True)
    client.force_login(viewer)
    response = client.get(_url("workspace_dashboard", workspace))
    assert "Visible Co" in response.text
    assert "Old Co" not in response.text
    assert "Not assessed yet" in response.text
    assert "Add a client" not in response.text  # viewers read only


def test_home_redirects_a_single_workspace_member_to_its_dashboard(client, owner, workspace):
    client.force_login(owner)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == _url("workspace_dashboard", workspace)


def test_anonymous_visitor_is_sent_to_sign_in(client, workspace):
    response = client.get(_url("workspace_dashboard", workspace))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_consultant_creates_a_client(client, consultant, workspace):
    client.force_login(consultant)
    response = client.post(
        _url("client_create", workspace),
        {"name": "  Northwind   Retail ", "industry": "Retail", "size_band": "250-999"},
    )
    created = Client.objects.get(workspace=workspace)
    assert created.name == "Northwind Retail"
    assert response.status_code == 302
    assert response.url == created.get_absolute_url()
    assert "Northwind Retail" in client.get(_url("workspace_dashboard", workspace)).text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 121}, "name", "at most 120 characters"),
        ({"name": "Ok", "size_band": "huge"}, "size_band", "Select a valid choice"),
        ({"name": "Ok", "notes": "n" * 5001}, "notes", "at most 5000 characters"),
    ],
)
def test_bad_client_input_is_refused_next_to_its_field(
    client, consultant, workspace, data, field, message
):
    client.force_login(consultant)
    response = client.post(_url("client_create", workspace), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Client.objects.exists()


def test_duplicate_client_name_is_refused_whatever_the_case(client, consultant, acme_client):
    client.force_login(consultant)
    response = client.post(
        _url("client_create", acme_client.workspace), {"name": acme_client.name.upper()}
    )
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Client.objects.count() == 1


def test_same_client_name_is_fine_in_another_workspace(client, outsider, acme_client):
    other_workspace = outsider.memberships.get().workspace
    client.force_login(outsider)
    client.post(_url("client_create", other_workspace), {"name": acme_client.name})
    assert Client.objects.filter(name=acme_client.name).count() == 2


def test_edit_keeps_own_name_and_saves_changes(client, consultant, acme_client):
    client.force_login(consultant)
    response = client.post(
        _url("client_edit", acme_client.workspace, acme_client.id),
        {"name": acme_client.name, "region": "DE"},
    )
    assert response.status_code == 302
    acme_client.refresh_from_db()
    assert acme_client.region == "DE"


def test_archive_asks_for_confirmation_then_archives_and_restores(client, consultant, acme_client):
    client.force_login(consultant)
    url = _url("client_archive", acme_client.workspace, acme_client.id)
    confirm = client.get(url)
    assert "Archive “Northwind”?" in confirm.text
    acme_client.refresh_from_db()
    assert not acme_client.archived
    client.post(url)
    acme_client.refresh_from_db()
    assert acme_client.archived
    listing = client.get(_url("client_list", acme_client.workspace) + "?archived=on")
    assert "Northwind" in listing.text
    client.post(url)
    acme_client.refresh_from_db()
    assert not acme_client.archived


def test_only_archived_clients_can_be_deleted_by_an_owner(client, owner, acme_client):
    client.force_login(owner)
    url = _url("client_delete", acme_client.workspace, acme_client.id)
    response = client.post(url)
    assert "Archive the client first" in response.text
    assert Client.objects.filter(id=acme_client.id).exists()
    acme_client.archived = True
    acme_client.save()
    assert client.post(url).status_code == 302
    acme_client.refresh_from_db()
    assert (acme_client.deleted_by, acme_client.deleted_at is not None) == (owner, True)


def test_client_list_searches_and_paginates(client, viewer, workspace):
    for n in range(25):
        ClientFactory(workspace=workspace, name=f"Client {n:02d}", industry="Retail")
    ClientFactory(workspace=workspace, name="Zeta", industry="Ferries")
    client.force_login(viewer)
    first = client.get(_url("client_list", workspace))
    assert "Page 1 of 2" in first.text
    second = client.get(_url("client_list", workspace) + "?page=2")
    assert "Zeta" in second.text
    found = client.get(_url("client_list", workspace) + "?q=ferries")
    assert "Zeta" in found.text
    assert "Client 01" not in found.text
    ClientFactory(workspace=workspace, name="Globex", region="DE")
    for query in ("germany", "DE"):
        by_country = client.get(_url("client_list", workspace) + f"?q={query}").text
        assert "Globex" in by_country
        assert "Zeta" not in by_country
    nothing = client.get(_url("client_list", workspace) + "?q=nomatch")
    assert "No client matches" in nothing.text


def test_out_of_range_page_shows_the_last_page(client, viewer, workspace):
    ClientFactory(workspace=workspace, name="Only")
    client.force_login(viewer)
    response = client.get(_url("client_list", workspace) + "?page=99")
    assert response.status_code == 200
    assert "Only" in response.text
