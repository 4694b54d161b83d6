"""A KPI's readings in Chromium: a wrong date is refused beside its field, a reading is
corrected from its row's menu, and deleting one asks first (Cancel keeps it)."""

import pytest
from playwright.sync_api import expect

from kpis.models import Measurement
from tests.browser.test_clients_flow import _sign_in
from tests.factories import ClientFactory, MembershipFactory
from tests.kpis.factories import KPIFactory, StrategyPlanFactory
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reading_is_refused_corrected_and_deleted_after_confirmation(
    live_server, page, screenshot
):
    consultant = MembershipFactory(role=Role.CONSULTANT)
    client = ClientFactory(workspace=consultant.workspace, name="Northwind Retail")
    plan = StrategyPlanFactory(client=client, active=True)
    KPIFactory(plan=plan, name="Repeat purchase rate", unit="%", measurements=2)
    _sign_in(page, live_server, consultant.user)
    page.goto(f"{live_server.url}/w/{client.workspace_id}/plans/{plan.id}/scorecard/")
    page.get_by_role("link", name="Repeat purchase rate").click()
    expect(page.get_by_role("heading", name="Measurements")).to_be_visible()
    expect(page.locator("svg.kpi-chart polyline")).to_have_count(1)

    page.get_by_role("link", name="Record a measurement").click()
    expect(page.locator("#id_kpi")).to_have_value(str(plan.kpis.get().id))
    page.locator("#id_date").fill("2099-01-01")
    page.locator("#id_value").fill("15")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_date_error")).to_contain_text("period")
    assert Measurement.objects.count() == 2
    screenshot("measurement-date-refused")

    page.locator("#id_date").fill("2026-03-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Measurement added.")).to_be_visible()
    expect(page.locator("table.list tbody tr")).to_have_count(3)

    newest = page.locator("table.list tbody tr").first
    newest.locator("summary").click()
    newest.get_by_role("link", name="Edit").click()
    page.locator("#id_value").fill("16.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
    expect(page.locator("table.list tbody tr").first).to_contain_text("16.5")

    newest = page.locator("table.list tbody tr").first
    newest.locator("summary").click()
    newest.get_by_role("link", name="Delete…").click()
    expect(page.get_by_role("heading", name="Delete the reading of")).to_be_visible()
    screenshot("measurement-delete-confirmation")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("table.list tbody tr")).to_have_count(3)

    newest = page.locator("table.list tbody tr").first
    newest.locator("summary").click()
    newest.get_by_role("link", name="Delete…").click()
    page.get_by_role("button", name="Delete measurement").click()
    expect(page.get_by_text("Measurement deleted.")).to_be_visible()
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    assert not Measurement.objects.filter(value=16.5).exists()
