"""A respondent who cannot use a mouse answers from the welcome page to the thank-you page
with Tab, the arrow keys inside each scale, Space and Enter alone."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.services import respondent_invite, respondent_link
from tests.assessments.factories import open_assessment
from tests.browser.test_respondent_flow import _local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# More presses than any page has stops before the wanted one: a missing control fails.
MAX_TABS = 60


def _tab_to(page, selector: str, text: str = "") -> None:
    """Press Tab until the focused element matches the selector (and reads `text` when given),
    as a keyboard user would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(
            """([s, t]) => document.activeElement.matches(s)
                && (!t || document.activeElement.textContent.trim() === t)""",
            [selector, text],
        ):
            return
    raise AssertionError(f"Tab never reached {selector} {text} on {page.url}")


def _focused_value(page) -> str:
    return page.evaluate("document.activeElement.value")


def test_a_keyboard_only_respondent_answers_every_question_and_submits(live_server, page):
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    page.goto(_local(respondent_link(respondent), live_server))
    expect(page.get_by_role("heading", name=assessment.title)).to_be_visible()

    _tab_to(page, "a.button")
    page.keyboard.press("Enter")
    chosen = {}
    for button in ("Next →", "Review and submit"):
        expect(page.locator("fieldset.question").first).to_be_visible()
        names = page.eval_on_selector_all(
            "fieldset.question input[type=radio]", "rs => [...new Set(rs.map(r => r.name))]"
        )
        for name in names:
            # Tab enters the scale on its first level; Space picks it, an arrow moves on.
            _tab_to(page, f"input[type=radio][name='{name}']")
            page.keyboard.press("Space")
            page.keyboard.press("ArrowDown")
            chosen[name] = _focused_value(page)
            expect(page.locator(f"input[name='{name}'][value='{chosen[name]}']")).to_be_checked()
            expect(page.locator(f"input[name='{name}']:focus-visible")).to_have_count(1)
        _tab_to(page, "button", button)
        page.keyboard.press("Enter")

    expect(page.get_by_text("You have answered every question.")).to_be_visible()
    _tab_to(page, "button", "Submit my answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    saved = {
        f"{answer.question.key}-value": answer.value
        for answer in Answer.objects.filter(respondent=respondent).select_related("question")
    }
    assert len(chosen) == 3
    assert {name: saved.get(name) for name in chosen} == chosen
