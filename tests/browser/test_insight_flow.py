import pytest
from playwright.sync_api import expect

from cxmaturity.demo_insights import listening_csv, transactions_csv
from tests.browser.test_clients_flow import _sign_in
from tests.factories import ClientFactory, MembershipFactory
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_transactions_and_listening_then_see_the_grid_and_the_comparison(
    live_server, page, screenshot, celery_worker_process, tmp_path
):
    consultant = MembershipFactory(role=Role.CONSULTANT)
    client = ClientFactory(workspace=consultant.workspace, name="Northwind Retail")
    transactions = tmp_path / "transactions.csv"
    transactions.write_bytes(transactions_csv(customers=400))
    exports = tmp_path / "listening.csv"
    exports.write_bytes(listening_csv(months=3))
    _sign_in(page, live_server, consultant.user)

    page.goto(f"{live_server.url}{client.get_absolute_url()}")
    page.get_by_role("link", name="Insight", exact=True).click()
    page.get_by_label("Transactions (CSV)").set_input_files(str(transactions))
    page.get_by_label("Analysis date").fill("2026-10-31")
    page.get_by_role("button", name="Check and analyse").click()
    expect(page.get_by_text("File checked: the analysis is running.")).to_be_visible()
    # A real worker analyses it; the page refreshes itself until the grid is there.
    expect(page.locator("svg.rf-grid")).to_be_visible(timeout=45_000)
    expect(page.get_by_role("heading", name="About to defect")).to_be_visible()
    expect(page.get_by_role("cell", name="Champions")).to_be_visible()
    screenshot("segments")

    page.goto(f"{live_server.url}{client.get_absolute_url()}")
    page.get_by_role("link", name="Insight", exact=True).click()
    page.get_by_role("link", name="Competitor benchmarks").click()
    page.get_by_label("Social listening export (CSV)").set_input_files(str(exports))
    page.get_by_role("button", name="Check and store").click()
    expect(page.get_by_text("rows read,")).to_be_visible()
    expect(page.get_by_role("heading", name="Where competitors lead")).to_be_visible()
    expect(page.locator("svg.compare-bars").first).to_be_visible()
    expect(page.get_by_text("Fabrikam Living").first).to_be_visible()
    screenshot("benchmarks")
