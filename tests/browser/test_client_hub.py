"""The client hub in Chromium: every role walks the tab bar (each tab marked as the
current page once there), only consultants and owners get the Actions menu (opened with
the keyboard, no script needed), and on a phone the tabs scroll sideways while the page
does not."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ClientFactory, MembershipFactory, grant_client
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABS = [
    "Overview",
    "Assessments",
    "Results",
    "Roadmap",
    "Plan",
    "Campaigns",
    "Insight",
    "Playbooks",
]


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _member(role):
    """owner, consultant, viewer (client viewer of every client) or client member (of
    Northwind only), with Northwind and another client in the workspace."""
    membership = MembershipFactory(role=Role.CLIENT if role in ("viewer", "member") else role)
    northwind = ClientFactory(workspace=membership.workspace, name="Northwind Retail")
    other = ClientFactory(workspace=membership.workspace, name="Contoso Insurance")
    if role == "viewer":
        grant_client(membership, northwind)
        grant_client(membership, other)
    elif role == "member":
        grant_client(membership, northwind)
    return membership, northwind


@pytest.mark.parametrize(
    ("role", "edits"),
    [(Role.OWNER, True), (Role.CONSULTANT, True), ("viewer", False), ("member", False)],
)
def test_every_role_walks_the_tabs_and_sees_only_its_controls(live_server, page, role, edits):
    membership, northwind = _member(role)
    _sign_in(page, live_server, membership.user)
    page.goto(f"{live_server.url}{northwind.get_absolute_url()}")
    tabs = page.get_by_role("navigation", name="Northwind Retail: sections")
    for name in TABS:
        tabs.get_by_role("link", name=name, exact=True).click()
        current = page.locator(".client-tabs a[aria-current=page]")
        expect(current).to_have_count(1)
        expect(current).to_have_text(name)
    page.goto(f"{live_server.url}{northwind.get_absolute_url()}")
    summary = page.locator(".page-head summary")
    if not edits:
        expect(summary).to_have_count(0)
        expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
        return
    team = page.get_by_role("link", name="Client team")
    expect(team).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(team).to_be_visible()
    box = team.bounding_box()
    assert box["height"] >= 24
    page.keyboard.press("Enter")  # the summary still has focus: it closes again
    expect(team).to_be_hidden()


def test_on_a_phone_the_tabs_scroll_sideways_and_the_page_does_not(live_server, browser):
    membership, northwind = _member(Role.CONSULTANT)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        _sign_in(page, live_server, membership.user)
        page.goto(f"{live_server.url}{northwind.get_absolute_url()}")
        bar = page.locator(".client-tabs")
        expect(bar).to_be_visible()
        widths = bar.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]")
        assert widths[0] > widths[1]
        assert widths[2] == "auto"
        page_overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert page_overflow <= 0
        playbooks = bar.get_by_role("link", name="Playbooks")
        playbooks.scroll_into_view_if_needed()
        playbooks.click()
        expect(page.locator(".client-tabs a[aria-current=page]")).to_have_text("Playbooks")
    finally:
        context.close()
