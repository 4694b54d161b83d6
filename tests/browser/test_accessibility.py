"""WCAG 2.2 A/AA: axe-core finds nothing on any page a consultant, a client member, a
respondent or a signed-out visitor can reach."""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from assessments.services import respondent_invite, respondent_link
from tests.assessments.factories import default_version, open_assessment
from tests.browser.axe import axe_report, axe_violations
from tests.browser.test_respondent_flow import PHONE, _local
from tests.browser.test_results import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# One page per view is enough to check its template; the bound keeps a broken link loop
# from running for ever.
MAX_PAGES = 120
# Signing out and the file downloads are not pages; the API and admin are not our templates.
SKIP_VIEWS = {"logout"}
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/r/")
SKIP_WORDS = ("export", "download", "pdf", "csv", "xlsx", "ics", "logo", "file")


def _wanted(view_name: str) -> bool:
    return view_name not in SKIP_VIEWS and not any(word in view_name for word in SKIP_WORDS)


def _crawl(page, live_server, start: str) -> tuple[list[str], list[str]]:
    """Breadth-first over the site's links, one page per view: (views seen, violations)."""
    queue, seen, violations = deque([start]), set(), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if path.startswith(SKIP_PREFIXES):
            continue
        try:
            view_name = resolve(path).view_name
        except Resolver404:
            continue
        if view_name in seen or not _wanted(view_name):
            continue
        seen.add(view_name)
        try:
            response = page.goto(url)
        except PlaywrightError:  # a download that slipped past the name filter
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        violations += axe_violations(page)
        links = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href.split('#')[0])"
        )
        queue.extend(link for link in links if link.startswith(live_server.url))
    return sorted(seen), violations


def test_every_page_a_consultant_or_client_member_reaches_has_no_wcag_violations(
    live_server, browser
):
    call_command("seed_demo")
    violations = []
    reached = {}
    for email in ("consultant@demo.cxmaturity.local", "northwind@demo.cxmaturity.local"):
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        _sign_in(page, live_server, email)
        expect(page.locator("main")).to_be_visible()
        reached[email], found = _crawl(page, live_server, page.url)
        violations += found
        context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    for path in ("/accounts/login/", "/accounts/password-reset/"):
        page.goto(f"{live_server.url}{path}")
        violations += axe_violations(page)
    context.close()

    assert len(reached["consultant@demo.cxmaturity.local"]) > 25, reached
    assert len(reached["northwind@demo.cxmaturity.local"]) > 3, reached
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("device", [{}, PHONE], ids=["desktop", "phone"])
def test_every_respondent_page_has_no_wcag_violations(live_server, browser, device):
    assessment = open_assessment(version=default_version(), respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    context = browser.new_context(bypass_csp=True, **device)
    page = context.new_page()
    page.goto(_local(respondent_link(respondent), live_server))
    violations = axe_violations(page)
    page.get_by_role("link", name="Start").click()
    sections = page.eval_on_selector_all(".section-list a", "links => links.map(a => a.href)")
    assert len(sections) > 3, sections
    for section in sections:
        page.goto(section)
        violations += axe_violations(page)
    # Submitting asks for at least one answer.
    page.locator("label.level").first.click()
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("button", name="Submit my answers")).to_be_visible()
    violations += axe_violations(page)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    violations += axe_violations(page)
    context.close()
    assert not violations, axe_report(violations)
