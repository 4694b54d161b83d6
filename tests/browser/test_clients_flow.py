import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ClientFactory, MembershipFactory
from workspaces.models import Client, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_consultant_signs_in_creates_a_client_and_sees_it_on_the_dashboard(
    live_server, page, screenshot
):
    consultant = MembershipFactory(role=Role.CONSULTANT)
    workspace = consultant.workspace
    _sign_in(page, live_server, consultant.user)
    expect(page.get_by_role("heading", name=workspace.name)).to_be_visible()
    expect(page.get_by_text("No clients yet")).to_be_visible()
    screenshot("dashboard-empty")

    page.get_by_role("link", name="Add your first client").click()
    page.get_by_label("Name").fill("Northwind Retail")
    page.get_by_label("Industry").fill("Retail")
    page.get_by_label("Size band").select_option("1000-4999")
    screenshot("client-form")
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_text("Client “Northwind Retail” added.")).to_be_visible()
    screenshot("client-detail")

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("link", name="Northwind Retail")).to_be_visible()
    expect(page.get_by_text("Not assessed yet")).to_be_visible()
    screenshot("dashboard")
    assert Client.objects.filter(workspace=workspace, name="Northwind Retail").exists()


def test_validation_message_sits_next_to_the_field(live_server, page):
    consultant = MembershipFactory(role=Role.CONSULTANT)
    ClientFactory(workspace=consultant.workspace, name="Taken")
    _sign_in(page, live_server, consultant.user)
    page.goto(f"{live_server.url}/w/{consultant.workspace_id}/clients/new/")
    page.get_by_label("Name").fill("taken")
    page.get_by_role("button", name="Add client").click()
    expect(page.locator("#id_name_error")).to_contain_text("already exists")
    expect(page.get_by_label("Name")).to_have_value("taken")  # nothing typed is lost


def test_phone_sized_viewport_shows_the_dashboard_without_sideways_scrolling(
    live_server, browser, screenshot
):
    owner = MembershipFactory(role=Role.OWNER)
    for name in ("Northwind Retail", "Contoso Insurance", "Fabrikam Travel"):
        ClientFactory(workspace=owner.workspace, name=name, region="DE")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        _sign_in(page, live_server, owner.user)
        expect(page.get_by_role("link", name="Contoso Insurance")).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        screenshot("dashboard-phone", on=page)
    finally:
        context.close()
