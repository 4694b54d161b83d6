"""A consultant makes a playbook in Chromium: the pre-flight lists what goes in and what is
left out, one click activates the draft plan, and "Render playbook" makes the PDF."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kpis.models import StrategyPlan
from kpis.services import plan_create
from playbooks.models import Document
from playbooks.services import document_render
from playbooks.services import documents as document_services
from workspaces.models import Client
from workspaces.services import client_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preflight_shows_the_gaps_fixes_one_and_renders(live_server, page, screenshot, monkeypatch):
    call_command("seed_demo")
    # A new client of the demo workspace: no assessment, no campaign (the demo's clients
    # all have assessments).
    fabrikam = client_create(
        workspace=Client.objects.get(name="Fabrikam Travel").workspace, name="Tailspin Toys"
    )
    plan = plan_create(client=fabrikam, title="Tailspin plan 2027")
    # The render is queued for a worker; here the test runs it, once the page has asked.
    queued: list = []
    monkeypatch.setattr(
        document_services, "document_render_task", SimpleNamespace(delay_on_commit=queued.append)
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("consultant@demo.cxmaturity.local")
    page.get_by_label("Password").fill("demo-cx-2026")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/w/{fabrikam.workspace_id}/clients/{fabrikam.id}/playbooks/")
    page.get_by_role("link", name="Make the playbook").click()

    expect(page.get_by_role("heading", name="Before the playbook is made")).to_be_visible()
    plan_row = page.locator(".preflight-list li[data-key=plan]")
    expect(plan_row).to_contain_text("“Tailspin plan 2027” is a draft")
    expect(plan_row).to_contain_text("will be left out")
    expect(page.locator(".preflight-list li[data-key=campaigns]")).to_contain_text(
        "No campaign plans"
    )
    expect(page.locator(".preflight-list li[data-key=assessment]")).to_contain_text("No assessment")
    screenshot("playbook-preflight")
    assert Document.objects.filter(client=fabrikam).count() == 0  # looking makes nothing

    plan_row.get_by_role("button", name="Activate the plan").click()
    expect(page.locator(".preflight-list li[data-key=plan]")).to_contain_text("no KPIs yet")
    expect(page.get_by_role("button", name="Activate the plan")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.status == StrategyPlan.Status.ACTIVE

    page.get_by_role("button", name="Render playbook").click()
    expect(page.get_by_role("heading", name="Playbook v1")).to_be_visible()
    document = Document.objects.get(client=fabrikam, kind="playbook")
    assert queued == [str(document.id)]
    document_render(document_id=document.id)
    # No reload by the test: the page checks quietly and reloads itself once the PDF is made.
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
