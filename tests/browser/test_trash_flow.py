import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ClientFactory, MembershipFactory
from workspaces.models import Client, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_deletes_an_archived_client_and_restores_it_from_the_trash(
    live_server, page, screenshot
):
    owner = MembershipFactory(role=Role.OWNER)
    workspace = owner.workspace
    northwind = ClientFactory(workspace=workspace, name="Northwind Retail", archived=True)
    ClientFactory(workspace=workspace, name="Contoso Insurance")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(owner.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}{northwind.get_absolute_url()}")
    page.get_by_label("Actions for Northwind Retail").click()  # the client's menu
    page.get_by_role("link", name="Delete…").click()
    page.get_by_role("button", name="Move to the trash").click()
    expect(page.get_by_text("moved to the trash")).to_be_visible()

    page.goto(f"{live_server.url}/w/{workspace.id}/settings/")
    expect(page.get_by_role("link", name="Download the workspace archive")).to_be_visible()
    expect(page.get_by_role("link", name="Contoso Insurance's archive")).to_be_visible()
    screenshot("workspace-settings-backups")
    page.get_by_role("link", name="Trash: deleted clients").click()
    expect(page.get_by_role("cell", name="Northwind Retail")).to_be_visible()
    screenshot("client-trash")
    page.get_by_role("link", name="Restore…").click()
    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_role("heading", name="Northwind Retail")).to_be_visible()
    northwind.refresh_from_db()
    assert northwind.deleted_at is None
    assert Client.objects.filter(workspace=workspace).count() == 2
