"""An executive on a phone (390x844) answers the real questionnaire: every question, its
scale and the chosen level's words fit one screen, the finished section is ticked, the
action bar stays one row on every section, and it all works without JavaScript too."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.selectors import questionnaire_minutes
from assessments.services import respondent_email_send_now, respondent_invite, respondent_link
from tests.assessments.factories import default_version, open_assessment
from tests.assessments.test_respondent_experience import _minutes_from_the_file
from tests.browser.test_respondent_flow import PHONE, _autosave_ready, _local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREEN_HEIGHT = PHONE["viewport"]["height"]
# The level chosen for each question of the first section: a spread, with both extra choices.
CHOICES = ["4", "2", "7", "dont_know", "not_applicable"]


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _action_bar_is_one_row(page) -> None:
    bar = _box(page.locator("[data-action-bar]"))
    buttons = [_box(b) for b in page.locator("[data-action-bar] button").all()]
    assert len({round(b["y"]) for b in buttons}) == 1, buttons  # side by side
    assert bar["height"] < 1.6 * max(b["height"] for b in buttons), (bar, buttons)
    assert bar["x"] + bar["width"] <= PHONE["viewport"]["width"]


def test_a_phone_respondent_answers_a_section_one_screen_per_question(
    live_server, browser, mailbox, screenshot
):
    assessment = open_assessment(version=default_version(), respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    minutes = _minutes_from_the_file()
    assert questionnaire_minutes(assessment.version_id) == minutes
    assert respondent_email_send_now(respondent=respondent, kind="invitation")
    (sent,) = mailbox.iterdir()
    assert f"It takes about {minutes} minutes;" in sent.read_text()

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(_local(respondent_link(respondent), live_server))
    expect(page.get_by_text(f"about {minutes} minutes")).to_be_visible()
    page.get_by_role("link", name="Start").click()
    _autosave_ready(page)
    bar_height = _box(page.locator("[data-action-bar]"))["height"]
    questions = page.locator("fieldset.question")
    assert questions.count() == len(CHOICES)
    tick = page.locator('.section-list [aria-current="page"] [data-section-tick]')
    expect(tick).to_be_hidden()

    for n, value in enumerate(CHOICES):
        question = questions.nth(n)
        key = question.get_attribute("data-question")
        choice = question.locator(f'label.level:has(input[value="{value}"])')
        choice.click()
        expect(question.locator("[data-question-status]")).to_have_text("Saved")
        # Only the chosen level's words are shown; the other levels are one line each.
        if value.isdigit():
            expect(choice.locator(".level-text")).to_be_visible()
            expect(question.locator(".level-text:visible")).to_have_count(1)
        else:
            expect(question.locator(".level-text:visible")).to_have_count(0)
        for label in question.locator("label.level").all():
            assert _box(label)["height"] >= 44  # a thumb-sized target
        summary = question.locator("details.question-more > summary")
        assert _box(summary)["height"] >= 44

        # The whole question, its title, scale and chosen choice, fits above the action bar.
        question.evaluate("el => el.scrollIntoView({block: 'start'})")
        box = _box(question)
        assert box["height"] + bar_height <= SCREEN_HEIGHT, (key, box["height"], bar_height)
        title, chosen = _box(question.locator("legend")), _box(choice)
        bar_top = _box(page.locator("[data-action-bar]"))["y"]
        assert title["y"] >= 0
        assert chosen["y"] + chosen["height"] <= bar_top, (key, chosen, bar_top)
        if n == 0:
            screenshot("respondent-question-phone", on=page)

    # The section is ticked once every answer is saved, and stays ticked on the next page.
    expect(tick).to_be_visible()
    saved = Answer.objects.filter(respondent=respondent).exclude(value="").count()
    assert saved == len(CHOICES)
    _action_bar_is_one_row(page)
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_text("Section 2 of 7")).to_be_visible()
    first = page.locator(".section-list li").first
    expect(first.locator("[data-section-tick]")).to_be_visible()
    expect(page.locator(".section-list li").nth(1).locator("[data-section-tick]")).to_be_hidden()

    # The action bar is one row on every section, the last one (three buttons) included.
    token = respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")
    for number in range(1, 8):
        page.goto(live_server.url + reverse("respondent_page", args=[token, number]))
        _action_bar_is_one_row(page)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    expect(page.get_by_role("button", name="Review and submit")).to_be_visible()
    expect(page.get_by_role("button", name="Previous")).to_be_visible()
    screenshot("respondent-last-section-phone", on=page)
    context.close()


def test_without_javascript_a_phone_respondent_answers_comments_and_submits(
    live_server, browser, screenshot
):
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(_local(respondent_link(respondent), live_server))
    page.get_by_role("link", name="Start").click()
    assert page.locator("form[data-autosave-ready]").count() == 0  # no script ran
    page.locator("label.level", has_text="Routine").click()
    page.locator("label.level", has_text="Named").click()
    page.get_by_text("Add a comment or evidence").first.click()
    page.locator("#q1-comment").fill("Marketing's goals are separate.")
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_role("heading", name="Channels")).to_be_visible()
    expect(page.locator(".section-list li").first.locator("[data-section-tick]")).to_be_visible()
    page.locator("label.level", has_text="Not applicable").click()
    _action_bar_is_one_row(page)
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text("You have answered every question.")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    submitted = page.locator("p", has_text="were submitted on").inner_text()
    assert re.search(r"submitted on .+ at \d\d:\d\d\. ", submitted), submitted
    assert ".." not in submitted
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_text("The results are shared by the consultant")).to_be_visible()
    comments = page.locator(".own-comments")
    expect(comments).to_contain_text("Marketing's goals are separate.")
    expect(comments).to_contain_text("Are objectives linked?")
    expect(page.locator("#reopen-explained")).to_contain_text("withdraws your submission")
    screenshot("respondent-thanks-nojs-phone", on=page)
    context.close()
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    answers = dict(
        Answer.objects.filter(respondent=respondent).values_list("question__key", "value")
    )
    assert answers == {"q1": "4", "q2": "5", "q3": "not_applicable"}
