"""Respondent answers survive what a browser does: going offline, a second tab, a reload
with a change still queued. Nothing is lost, and the newest answer wins."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.services import respondent_invite, respondent_link
from tests.assessments.factories import open_assessment
from tests.browser.test_respondent_flow import PHONE, _autosave_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
RETRYING = "Not saved — retrying"
CONFLICT = "Changed in another window — this is the latest answer"


@pytest.fixture
def respondent():
    assessment = open_assessment(respondents=1)
    return respondent_invite(respondent=assessment.respondents.get())


def _first_page(live_server, respondent) -> str:
    token = respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")
    return live_server.url + reverse("respondent_page", args=[token, 1])


def _open(context, url):
    page = context.new_page()
    page.goto(url)
    _autosave_ready(page)
    return page


def _state(page, key):
    return page.locator(f'[data-question="{key}"] [data-question-status]')


def _level(page, key, value):
    return page.locator(f'input[name="{key}-value"][value="{value}"]')


def _saved_value(respondent, key):
    answer = Answer.objects.filter(respondent=respondent, question__key=key).first()
    return answer.value if answer else None


def test_an_answer_chosen_offline_is_saved_when_the_connection_returns(
    live_server, browser, respondent, screenshot
):
    context = browser.new_context(**PHONE)
    page = _open(context, _first_page(live_server, respondent))
    context.set_offline(True)
    _level(page, "q1", "3").check()
    expect(_state(page, "q1")).to_have_text(RETRYING)
    expect(_level(page, "q1", "3")).to_be_checked()
    screenshot("respondent-answer-retrying-phone", on=page)
    assert _saved_value(respondent, "q1") is None
    context.set_offline(False)
    expect(_state(page, "q1")).to_have_text("Saved")
    screenshot("respondent-answer-saved-phone", on=page)
    assert _saved_value(respondent, "q1") == "3"
    assert page.evaluate("Object.keys(localStorage).length") == 0
    context.close()


def test_a_stale_tab_is_refused_shows_the_newer_answer_and_its_save_keeps_it(
    live_server, browser, respondent, screenshot
):
    url = _first_page(live_server, respondent)
    context = browser.new_context(**DESKTOP)
    stale = _open(context, url)  # opened first, before anything was answered
    fresh = _open(context, url)
    _level(fresh, "q1", "3").check()
    expect(_state(fresh, "q1")).to_have_text("Saved")
    _level(fresh, "q2", "5").check()
    expect(_state(fresh, "q2")).to_have_text("Saved")

    _level(stale, "q1", "5").check()
    expect(_state(stale, "q1")).to_have_text(CONFLICT)
    expect(_level(stale, "q1", "3")).to_be_checked()
    screenshot("respondent-answer-conflict-desktop", on=stale)
    assert _saved_value(respondent, "q1") == "3"
    # The stale tab still shows q2 unanswered: its Save must not send that.
    expect(_level(stale, "q2", "5")).not_to_be_checked()
    stale.get_by_role("button", name="Save").click()
    expect(_level(stale, "q2", "5")).to_be_checked()
    expect(_level(stale, "q1", "3")).to_be_checked()
    assert (_saved_value(respondent, "q1"), _saved_value(respondent, "q2")) == ("3", "5")
    # Now up to date, the tab may change the answer.
    _level(stale, "q1", "6").check()
    expect(_state(stale, "q1")).to_have_text("Saved")
    assert _saved_value(respondent, "q1") == "6"
    context.close()


def test_a_change_queued_offline_survives_a_reload_and_is_sent_later(
    live_server, browser, respondent, screenshot
):
    url = _first_page(live_server, respondent)
    context = browser.new_context(**DESKTOP)
    page = _open(context, url)
    context.set_offline(True)
    _level(page, "q1", "2").check()
    expect(_state(page, "q1")).to_have_text(RETRYING)
    # The page can load again, but the server still hears no autosave.
    context.route("**/autosave/", lambda route: route.abort())
    context.set_offline(False)
    page.reload()
    _autosave_ready(page)
    expect(_level(page, "q1", "2")).to_be_checked()
    expect(_state(page, "q1")).to_have_text(RETRYING)
    screenshot("respondent-answer-retrying-desktop", on=page)
    assert _saved_value(respondent, "q1") is None
    context.unroute("**/autosave/")
    # The browser coming back online sends the queue at once.
    context.set_offline(True)
    context.set_offline(False)
    expect(_state(page, "q1")).to_have_text("Saved")
    assert _saved_value(respondent, "q1") == "2"
    assert page.evaluate("Object.keys(localStorage).length") == 0
    context.close()


def test_a_queued_change_the_server_has_moved_past_is_dropped_for_the_newer_answer(
    live_server, browser, respondent
):
    url = _first_page(live_server, respondent)
    context = browser.new_context(**DESKTOP)
    page = _open(context, url)
    context.set_offline(True)
    _level(page, "q1", "2").check()
    expect(_state(page, "q1")).to_have_text(RETRYING)
    # Meanwhile, on another device, the same person answered differently.
    other = browser.new_context(**PHONE)
    _level(_open(other, url), "q1", "7").check()
    expect(other.pages[0].locator('[data-question="q1"] [data-question-status]')).to_have_text(
        "Saved"
    )
    other.close()
    # Back online, but the queued change has not reached the server before the reload.
    context.route("**/autosave/", lambda route: route.abort())
    context.set_offline(False)
    page.reload()
    expect(_level(page, "q1", "7")).to_be_checked()
    expect(_state(page, "q1")).to_have_text(CONFLICT)
    assert page.evaluate("Object.keys(localStorage).length") == 0
    assert _saved_value(respondent, "q1") == "7"
    context.close()


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_each_state_shows_beside_its_question_and_fits_the_screen(
    live_server, browser, respondent, screenshot, name, viewport
):
    url = _first_page(live_server, respondent)
    context = browser.new_context(**viewport)
    # Another browser window: tabs of one browser share the queue, so hear of its saves.
    elsewhere = browser.new_context(**viewport)
    stale = _open(elsewhere, url)
    page = _open(context, url)
    held = []
    # The server is slow to answer: the save waits here until released.
    context.route("**/autosave/", lambda route: held.append(route))
    with page.expect_request("**/autosave/"):
        _level(page, "q1", "4").check()
    expect(_state(page, "q1")).to_have_text("Saving…")
    expect(_state(page, "q1")).to_have_attribute("aria-live", "polite")
    expect(_level(page, "q1", "4")).to_be_focused()  # the state is announced, not focused
    screenshot(f"respondent-state-saving-{name}", on=page)
    for _ in range(50):  # each call to the browser lets the held route's handler run
        if held:
            break
        page.evaluate("0")
    held[0].continue_()
    context.unroute("**/autosave/")
    expect(_state(page, "q1")).to_have_text("Saved")
    screenshot(f"respondent-state-saved-{name}", on=page)
    context.set_offline(True)
    _level(page, "q1", "5").check()
    expect(_state(page, "q1")).to_have_text(RETRYING)
    screenshot(f"respondent-state-retrying-{name}", on=page)
    context.set_offline(False)
    expect(_state(page, "q1")).to_have_text("Saved")
    _level(stale, "q1", "1").check()
    expect(_state(stale, "q1")).to_have_text(CONFLICT)
    expect(_level(stale, "q1", "5")).to_be_checked()
    screenshot(f"respondent-state-conflict-{name}", on=stale)
    for shown in (page, stale):
        assert shown.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
    elsewhere.close()
    assert _saved_value(respondent, "q1") == "5"


def test_a_change_after_the_assessment_closed_says_so_beside_the_question(
    live_server, browser, respondent
):
    from assessments.services import assessment_close

    context = browser.new_context(**DESKTOP)
    page = _open(context, _first_page(live_server, respondent))
    assessment_close(assessment=respondent.assessment)
    _level(page, "q1", "3").check()
    expect(_state(page, "q1")).to_have_text("This assessment is closed.")
    assert page.evaluate("Object.keys(localStorage).length") == 0
    context.close()
    assert _saved_value(respondent, "q1") is None
