import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import roadmap_suggest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("demo-cx-2026")
    page.get_by_role("button", name="Sign in").click()


def test_viewer_sees_radar_and_disagreement_but_cannot_edit_targets(live_server, page, screenshot):
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    roadmap_suggest(assessment=baseline)
    _sign_in(page, live_server, "viewer@demo.cxmaturity.local")
    page.get_by_role("link", name="Northwind Retail").first.click()
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name="CX maturity baseline 2025").click()
    page.locator("main").get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name="Overall stage")).to_be_visible()
    expect(page.locator("svg.radar polygon.radar-score")).to_be_visible()
    divergent = page.locator(".dimension-card.divergent")
    expect(divergent.first).to_contain_text("Executives disagree")
    expect(divergent.filter(has_text="Cross-channel integration")).to_have_count(1)
    expect(page.locator("select[name^=target_]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save targets")).to_have_count(0)
    screenshot("results")
    page.get_by_role("link", name="Roadmap").first.click()
    expect(page.get_by_role("heading", name="Now (2)")).to_be_visible()
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    screenshot("roadmap")
