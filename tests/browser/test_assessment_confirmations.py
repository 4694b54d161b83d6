"""A consultant runs an assessment in Chromium: every step that reaches people or cannot be
undone (inviting everyone, a new link, closing) shows what will happen first."""

import pytest
from playwright.sync_api import expect

from assessments.inputs import AssessmentInput
from assessments.models import Assessment, Respondent
from assessments.services import answers_save, assessment_create, respondent_link
from tests.assessments.factories import small_version
from tests.factories import PASSWORD, ClientFactory, MembershipFactory
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(live_server, page, settings):
    settings.SITE_URL = live_server.url
    consultant = MembershipFactory(role=Role.CONSULTANT)
    client = ClientFactory(workspace=consultant.workspace, name="Northwind Retail")
    assessment = assessment_create(
        client=client,
        data=AssessmentInput.from_values({"version": small_version(), "title": "CX 2026"}),
        created_by=None,
    )
    for name in ("Ada Lee", "Bo Chen"):
        Respondent.objects.create(
            assessment=assessment, name=name, email=f"{name.split()[0].lower()}@nw.example"
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(consultant.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    return assessment


def test_open_and_invite_shows_the_email_to_edit_before_sending(draft, page, screenshot):
    page.get_by_role("link", name="Open and invite everyone…").click()
    expect(page.get_by_text("this email goes to 2 people")).to_be_visible()
    preview = page.get_by_label("Email preview")
    expect(preview).to_contain_text("Your view is needed: CX 2026")
    expect(preview).to_contain_text("Hello Ada Lee,")
    page.get_by_label("Subject").fill("Ten minutes for Northwind?")
    page.get_by_label("Message").fill("Your view of our customers matters.")
    page.get_by_role("button", name="Update preview").click()
    expect(preview).to_contain_text("Ten minutes for Northwind?")
    expect(preview).to_contain_text("Your view of our customers matters.")
    screenshot("assessment-invite-preview")
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT  # a preview sends nothing
    page.get_by_role("button", name="Open and send 2 invitations").click()
    expect(page.get_by_text("2 invitation(s) sent")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.OPEN
    assert draft.invitation_subject == "Ten minutes for Northwind?"


def test_new_link_and_close_are_confirmed_first(draft, page, screenshot, live_server):
    page.get_by_role("link", name="Open and invite everyone…").click()
    page.get_by_role("button", name="Open and send 2 invitations").click()
    ada = Respondent.objects.get(name="Ada Lee")
    old_link = respondent_link(ada)
    answers_save(respondent=ada, changes={"q1": {"value": "4"}})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.reload()

    # The row's actions sit in one menu; its copy button copies the link.
    page.get_by_label("Actions for Ada Lee").click()
    menu = page.locator("details.row-menu[open] .row-menu-items")
    menu.get_by_role("button", name="Copy link").click()
    expect(menu.get_by_role("button", name="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == old_link
    screenshot("assessment-row-menu")
    menu.get_by_role("link", name="New link…").click()
    expect(page.get_by_text("The link they were sent stops working at once")).to_be_visible()
    expect(page.get_by_text("The new link is emailed to ada@nw.example")).to_be_visible()
    screenshot("respondent-new-link-confirm")
    page.get_by_role("button", name="Issue a new link").click()
    expect(page.get_by_text("New link issued for Ada Lee")).to_be_visible()
    ada.refresh_from_db()
    assert respondent_link(ada) != old_link

    page.get_by_role("link", name="Close…").click()
    expect(page.get_by_text("1 respondent is mid-way; their answers will not")).to_be_visible()
    expect(page.get_by_text("Ada Lee · 33% answered")).to_be_visible()
    screenshot("assessment-close-confirm")
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.OPEN
    page.get_by_role("button", name="Close the assessment").click()
    expect(page.get_by_text("The assessment is closed")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.CLOSED


def test_without_javascript_the_link_is_shown_to_select(draft, browser, live_server, page):
    page.get_by_role("link", name="Open and invite everyone…").click()
    page.get_by_role("button", name="Open and send 2 invitations").click()
    ada = Respondent.objects.get(name="Ada Lee")
    cookies = page.context.cookies()
    plain = browser.new_context(java_script_enabled=False)
    plain.add_cookies(cookies)
    no_js = plain.new_page()
    no_js.goto(f"{live_server.url}{draft.get_absolute_url()}")
    no_js.get_by_label("Actions for Ada Lee").click()
    expect(no_js.get_by_role("button", name="Copy link")).to_be_hidden()
    no_js.get_by_role("link", name="Show link").click()
    expect(no_js.get_by_label("Personal link")).to_have_value(respondent_link(ada))
    expect(no_js.get_by_role("button", name="Copy link")).to_be_hidden()
    plain.close()
