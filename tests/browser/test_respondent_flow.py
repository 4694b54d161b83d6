import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.services import respondent_invite, respondent_link
from tests.assessments.factories import open_assessment
from tests.browser.test_clients_flow import _sign_in
from tests.factories import ClientFactory, MembershipFactory
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _autosave_ready(page):
    # A change made before the page's script runs is saved by Next or Save, not by
    # autosave: wait for the script, as a person's first tap nearly always does.
    expect(page.locator("form[data-autosave-ready]")).to_be_attached()


def _local(link, live_server):
    return link.replace("http://localhost:8000", live_server.url)


def test_respondent_on_a_phone_answers_leaves_comes_back_and_submits(
    live_server, browser, screenshot
):
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    link = _local(respondent_link(respondent), live_server)

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name=assessment.title)).to_be_visible()
    screenshot("respondent-welcome-phone", on=page)
    page.get_by_role("link", name="Start").click()
    _autosave_ready(page)
    # Page 1: autosave on each choice, without pressing any button.
    page.locator("label.level", has_text="Routine").first.click()
    expect(page.locator("[data-autosave-status]")).to_have_text("Saved")
    page.locator("label.level", has_text="Named").click()
    expect(page.locator("[data-progress-text]")).to_have_text("2 of 3 answered")
    page.get_by_text("Add a comment or evidence").first.click()
    page.locator("#q1-comment").fill("Objectives exist but marketing's are separate.")
    expect(page.locator("[data-autosave-status]")).to_have_text("Saved")
    screenshot("respondent-page-phone", on=page)
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_role("heading", name="Channels")).to_be_visible()
    _autosave_ready(page)
    page.locator("label.level", has_text="Don't know").click()
    expect(page.locator("[data-autosave-status]")).to_have_text("Saved")
    context.close()  # the tab closes

    later = browser.new_context(**PHONE)
    page = later.new_page()
    page.goto(link)
    page.get_by_role("link", name="Continue where you stopped").click()
    expect(page.get_by_role("heading", name="Channels")).to_be_visible()
    expect(page.locator('input[value="dont_know"]')).to_be_checked()
    page.get_by_role("link", name=re.compile("1. Strategy")).click()
    expect(page.locator('input[name="q1-value"][value="4"]')).to_be_checked()
    expect(page.locator("#q1-comment")).to_have_value(
        "Objectives exist but marketing's are separate."
    )
    page.get_by_role("link", name=re.compile("2. Channels")).click()
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text("You have answered every question.")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    screenshot("respondent-thanks-phone", on=page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    later.close()
    assert overflow <= 0
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    assert Answer.objects.filter(respondent=respondent).exclude(value="").count() == 3


def test_consultant_creates_an_assessment_and_invites_two_respondents(
    live_server, page, screenshot
):
    from assessments.models import Assessment
    from tests.assessments.factories import small_version

    consultant = MembershipFactory(role=Role.CONSULTANT)
    client = ClientFactory(workspace=consultant.workspace, name="Northwind Retail")
    small_version()
    _sign_in(page, live_server, consultant.user)
    page.goto(f"{live_server.url}{client.get_absolute_url()}")
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Title").fill("CX maturity 2026")
    page.get_by_label("Questionnaire").select_option(label="Small maturity model (v1)")
    page.get_by_role("button", name="Create assessment").click()
    expect(page.get_by_text("Assessment created.")).to_be_visible()
    for name, email in (("Ada Lee", "ada@northwind.example"), ("Bo Chen", "bo@northwind.example")):
        page.locator("#id_name").fill(name)
        page.locator("#id_email").fill(email)
        page.get_by_role("button", name="Add respondent").click()
        expect(page.get_by_text(f"{name} added.")).to_be_visible()
    page.get_by_role("link", name="Open and invite everyone…").click()
    page.get_by_role("button", name="Open and send 2 invitations").click()
    expect(page.get_by_text("2 invitation(s) sent.")).to_be_visible()
    screenshot("progress-board")
    assessment = Assessment.objects.get()
    assert assessment.status == Assessment.Status.OPEN
    assert assessment.respondents.filter(invited_at__isnull=False).count() == 2
