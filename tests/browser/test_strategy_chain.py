import pytest
from playwright.sync_api import expect

from tests.browser.test_clients_flow import _sign_in
from tests.factories import ClientFactory, MembershipFactory
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chain_from_theme_to_kpi_turns_coverage_green_and_a_measurement_rates_it(
    live_server, page, screenshot
):
    consultant = MembershipFactory(role=Role.CONSULTANT)
    client = ClientFactory(workspace=consultant.workspace, name="Northwind Retail")
    _sign_in(page, live_server, consultant.user)
    page.goto(f"{live_server.url}{client.get_absolute_url()}")
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_placeholder("Plan title").fill("Plan 2027")
    page.get_by_role("button", name="Start a plan").click()
    expect(page.get_by_role("heading", name="Plan 2027")).to_be_visible()

    def add(step_link, fields, parent=None):
        page.get_by_role("link", name=step_link).first.click()
        if parent:
            page.get_by_label(parent[0]).select_option(label=parent[1])
        for label, value in fields.items():
            page.locator(f"#id_{label}").fill(value)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text("Added.")).to_be_visible()

    add("Strategic themes", {"name": "Customer intimacy"})
    add(
        "2. Strategic objectives",
        {"statement": "Repeat revenue +15%"},
        ("Theme", "Customer intimacy"),
    )
    add(
        "3. Marketing objectives",
        {"statement": "Grow the loyalty club"},
        ("Strategic objective", "Repeat revenue +15%"),
    )
    page.get_by_role("link", name="4. Digital goals").click()
    page.get_by_label("Marketing objective").select_option(label="Grow the loyalty club")
    page.locator("#id_name").fill("Loyalty sign-up")
    page.get_by_label("Category").select_option(label="Lead")
    page.locator("#id_points").fill("30")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added.")).to_be_visible()

    page.get_by_role("link", name="Plan 2027").click()
    page.get_by_role("link", name="KPIs").first.click()
    for field, value in {
        "name": "Loyalty sign-up rate",
        "baseline": "9",
        "target": "25",
        "start": "2026-01-01",
        "due": "2026-12-31",
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.get_by_label("Digital goal").select_option(label="Loyalty sign-up")
    page.get_by_role("button", name="Add KPI").click()
    expect(page.get_by_text("KPI added.")).to_be_visible()

    page.get_by_role("link", name="Plan 2027").click()
    expect(page.locator(".checklist li.missing")).to_have_count(0)
    expect(page.locator(".checklist li.ok")).to_have_count(7)
    screenshot("plan-coverage")

    page.get_by_role("link", name="Scorecard").click()
    expect(page.locator(".badge.kpi-no_data")).to_have_text("No data")
    page.get_by_role("link", name="Record measurements").click()
    page.locator("#id_kpi").select_option(label="Loyalty sign-up rate")
    page.locator("#id_date").fill("2026-06-30")
    page.locator("#id_value").fill("15.4")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".badge.kpi-at_risk")).to_have_text("At risk")
    screenshot("scorecard-after-measurement")
