"""What the respondent is promised and shown: the time the questionnaire takes to read, a
scale one can scan, ticks for finished sections, and a thank-you page that says what
happens next. The pages are posted without JavaScript."""

import datetime
import math
import re
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from assessments.display import choice_label, level_choices
from assessments.languages import localized
from assessments.models import Respondent
from assessments.selectors import questionnaire_minutes
from assessments.services import respondent_email_send_now, respondent_invite, respondent_link
from tests.assessments.factories import DEFAULT, default_version, open_assessment

pytestmark = pytest.mark.django_db


def _token(respondent):
    return respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")


def _minutes_from_the_file(language: str = "en") -> int:
    """The questionnaire file's words at 230 a minute, counted here from the YAML itself."""
    data = yaml.safe_load(DEFAULT.read_text())
    texts = []
    for dimension in data["dimensions"]:
        texts += [dimension["title"], dimension.get("description", "")]
        for question in dimension["questions"]:
            texts += [question["text"], question.get("help", ""), *question["levels"].values()]
    words = sum(len(localized(text, language).split()) for text in texts)
    return math.ceil(words / 230)


def test_the_time_estimate_is_the_questionnaires_words_in_the_email_and_on_the_welcome_page(
    client, mailbox
):
    expected = _minutes_from_the_file()
    assert expected > 5  # a real questionnaire, not the 1-minute floor
    assessment = open_assessment(version=default_version(), respondents=1)
    assert questionnaire_minutes(assessment.version_id) == expected
    respondent = respondent_invite(respondent=assessment.respondents.get())

    assert respondent_email_send_now(respondent=respondent, kind="invitation")
    (sent,) = mailbox.iterdir()
    email = sent.read_text()
    welcome = client.get(reverse("respondent_start", args=[_token(respondent)])).text

    assert f"It takes about {expected} minutes;" in email
    assert f"about {expected} minutes" in welcome
    assert "20 minutes" not in email


def test_a_french_respondent_is_promised_the_reading_time_of_the_french_text(client):
    english, french = _minutes_from_the_file("en"), _minutes_from_the_file("fr")
    assert french != english  # the figures differ, so the test tells them apart
    assessment = open_assessment(version=default_version(), respondents=1)
    Respondent.objects.filter(assessment=assessment).update(language="fr")
    respondent = respondent_invite(respondent=assessment.respondents.get())

    welcome = client.get(reverse("respondent_start", args=[_token(respondent)])).text

    assert questionnaire_minutes(assessment.version_id, "fr") == french
    assert f"{french} minutes" in welcome
    assert f"{english} minutes" not in welcome


def test_a_short_questionnaire_is_promised_one_minute_in_the_singular(client):
    respondent = open_assessment(respondents=1).respondents.get()
    respondent = respondent_invite(respondent=respondent)
    welcome = client.get(reverse("respondent_start", args=[_token(respondent)])).text
    assert "about 1 minute<" in welcome or "about 1 minute\n" in welcome


def test_long_level_texts_are_titled_by_their_stage_and_short_ones_are_their_own_title():
    long = {str(n): f"A paragraph-length description of level {n} of the model." for n in (1, 7)}
    assert level_choices(long) == [
        {"value": "1", "title": "Initiate", "description": long["1"]},
        {"value": "7", "title": "Lifetime customers", "description": long["7"]},
    ]
    assert level_choices({"7": "Fully", "1": "No"}) == [
        {"value": "1", "title": "No", "description": ""},
        {"value": "7", "title": "Fully", "description": ""},
    ]
    assert choice_label(long, "7") == "7 · Lifetime customers"
    assert choice_label(long, "dont_know") == "Don't know"


def test_a_page_shows_stage_titles_with_the_level_words_and_help_behind_the_disclosure(client):
    assessment = open_assessment(version=default_version(), respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    page = client.get(reverse("respondent_page", args=[_token(respondent), 1])).text
    assert '<span class="level-title">Optimize</span>' in page
    assert '<span class="level-text">The six-step chain from strategic theme to KPI' in page
    # The help is inside the question's <details>, not above its scale.
    q1 = page.split('data-question="strategy-objectives-linked"')[1].split("</fieldset>")[0]
    assert q1.index("<details") < q1.index('<p class="help">Think of a chain')


def _ticked(html: str) -> list[str]:
    sections = html.split('class="section-list"')[1]
    return re.findall(r"(\d)\. [^<]*<span class=\"tick\" data-section-tick>", sections)


def test_a_section_is_ticked_once_every_question_in_it_has_an_answer(client):
    respondent = respondent_invite(respondent=open_assessment(respondents=1).respondents.get())
    page = reverse("respondent_page", args=[_token(respondent), 1])
    client.post(page, {"q1-value": "4", "go": "stay"})
    assert _ticked(client.get(page).text) == []
    client.post(page, {"q2-value": "dont_know", "go": "stay"})
    assert _ticked(client.get(page).text) == ["1"]
    review = client.get(reverse("respondent_review", args=[_token(respondent)]))
    assert _ticked(review.text) == ["1"]


def test_without_javascript_a_whole_questionnaire_is_answered_submitted_and_thanked(client):
    assessment = open_assessment(respondents=1, due_date=datetime.date(2030, 3, 31))
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = _token(respondent)
    page1 = client.post(
        reverse("respondent_page", args=[token, 1]),
        {
            "q1-value": "4",
            "q1-comment": "Marketing's goals are separate.",
            "q2-value": "5",
            "q2-evidence": "Board minutes, May",
            "go": "next",
        },
    )
    assert page1.url == reverse("respondent_page", args=[token, 2])
    review = client.post(page1.url, {"q3-value": "not_applicable", "go": "review"})
    assert review.url == reverse("respondent_review", args=[token])
    assert "You have answered every question." in client.get(review.url).text
    submitted_at = datetime.datetime(2026, 11, 30, 19, 48, tzinfo=ZoneInfo("UTC"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: submitted_at)
        thanks = client.post(reverse("respondent_submit", args=[token]), follow=True).text
    assert Respondent.objects.get(id=respondent.id).submitted_at == submitted_at

    assert "at 19:48." in thanks
    assert ".." not in thanks.replace("...", "")
    assert "What happens next" in thanks
    assert "reviews everyone's answers with your team" in thanks
    assert "The results are shared by the consultant" in thanks
    # Their own comments and evidence, with the question and the answer they chose.
    comments = thanks.split("Your comments")[1].split("</ul>")[0]
    assert "Marketing&#x27;s goals are separate." in comments
    assert "Board minutes, May" in comments
    assert "Are objectives linked?" in comments
    assert "4 · Routine" in comments
    assert "Does email share the web profile?" not in comments  # no comment there


def test_change_my_answers_says_it_withdraws_the_submission_until_submitted_again(client):
    assessment = open_assessment(respondents=1, due_date=datetime.date(2030, 3, 31))
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = _token(respondent)
    client.post(reverse("respondent_page", args=[token, 1]), {"q1-value": "4", "go": "next"})
    thanks = client.post(reverse("respondent_submit", args=[token]), follow=True).text
    explained = thanks.split('id="reopen-explained"')[1].split("</p>")[0]
    assert "withdraws your submission" in explained
    assert "count only once you submit again" in explained
    assert "Please submit again by" in explained
    assert 'aria-describedby="reopen-explained">Change my answers</button>' in thanks
    assert "You added no comments." in thanks


def test_after_change_my_answers_the_review_page_says_the_submission_is_withdrawn(client):
    respondent = respondent_invite(respondent=open_assessment(respondents=1).respondents.get())
    token = _token(respondent)
    client.post(reverse("respondent_page", args=[token, 1]), {"q1-value": "4", "go": "next"})
    client.post(reverse("respondent_submit", args=[token]))
    review = client.post(reverse("respondent_reopen", args=[token]), follow=True)
    assert review.redirect_chain[-1][0] == reverse("respondent_review", args=[token])
    assert "Your submission is withdrawn" in review.text
    assert Respondent.objects.get(id=respondent.id).submitted_at is None
