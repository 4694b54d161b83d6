import pytest
from django.urls import reverse

from assessments.models import Answer, Assessment, Respondent
from assessments.services import (
    assessment_close,
    respondent_invite,
    respondent_link,
    respondent_reissue,
)
from tests.assessments.factories import open_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def respondent():
    assessment = open_assessment(respondents=1)
    return respondent_invite(respondent=assessment.respondents.get())


def _token(respondent):
    return respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")


def _page(respondent, n):
    return reverse("respondent_page", args=[_token(respondent), n])


def _autosave(respondent):
    return reverse("respondent_autosave", args=[_token(respondent)])


def test_welcome_page_shows_client_purpose_time_and_privacy(client, respondent):
    response = client.get(reverse("respondent_start", args=[_token(respondent)]))
    assert response.status_code == 200
    assert respondent.assessment.client.workspace.name in response.text
    assert "about 1 minute" in response.text
    assert "Privacy" in response.text
    respondent.refresh_from_db()
    assert respondent.opened_at is not None


def test_saving_a_page_without_javascript_moves_on_and_keeps_answers(client, respondent):
    response = client.post(
        _page(respondent, 1),
        {"q1-value": "4", "q1-comment": "Mostly", "q2-value": "dont_know", "go": "next"},
    )
    assert response.status_code == 302
    assert response.url == _page(respondent, 2)
    answers = dict(
        Answer.objects.filter(respondent=respondent).values_list("question__key", "value")
    )
    assert answers == {"q1": "4", "q2": "dont_know"}
    page = client.get(_page(respondent, 1))
    assert 'value="4" checked' in page.text
    assert "Mostly" in page.text


def test_autosave_sends_only_the_listed_question_and_answers_progress(client, respondent):
    client.post(_page(respondent, 1), {"q1-value": "5", "q1-comment": "keep me", "go": "stay"})
    response = client.post(
        _autosave(respondent), {"questions": ["q2"], "q2-value": "3", "q1-comment": ""}
    )
    assert response.status_code == 200
    assert response.json() == {
        "answered": 2,
        "total": 3,
        "percent": 67,
        "results": {"q2": {"status": "saved", "version": 1}},
    }
    assert Answer.objects.get(respondent=respondent, question__key="q1").comment == "keep me"


@pytest.mark.parametrize("value", ["0", "8", "high", "2"])
def test_a_level_not_offered_is_refused_naming_the_question(client, respondent, value):
    # q2 offers only 1, 3, 5 and 7.
    response = client.post(_autosave(respondent), {"questions": ["q2"], "q2-value": value})
    assert response.status_code == 400
    assert "q2" in response.json()
    assert not Answer.objects.exists()


def test_refused_page_save_keeps_what_was_typed(client, respondent):
    response = client.post(
        _page(respondent, 1), {"q1-value": "4", "q1-comment": "c" * 5001, "go": "next"}
    )
    assert response.status_code == 400
    assert "at most 5000 characters" in response.text
    assert "c" * 5001 in response.text
    assert not Answer.objects.exists()


def test_autosave_with_a_tampered_token_or_unknown_question_is_refused(client, respondent):
    bad_token = client.post(reverse("respondent_autosave", args=["nope"]), {"questions": ["q1"]})
    assert bad_token.status_code == 404
    unknown = client.post(_autosave(respondent), {"questions": ["zz"], "zz-value": "3"})
    assert unknown.status_code == 400
    assert "zz" in unknown.json()
    too_long = client.post(_autosave(respondent), {"questions": ["q1"], "q1-comment": "c" * 5001})
    assert "q1" in too_long.json()
    assert not Answer.objects.exists()


def test_unknown_question_key_is_refused(respondent):
    from assessments.services import answers_save

    with pytest.raises(Exception, match="no question “nope”"):
        answers_save(respondent=respondent, changes={"nope": {"value": "3"}})


def test_resume_returns_to_the_page_answered_last(client, respondent):
    client.post(_page(respondent, 1), {"q1-value": "2", "go": "stay"})
    client.post(_autosave(respondent), {"questions": ["q3"], "q3-value": "7"})
    response = client.get(reverse("respondent_start", args=[_token(respondent)]))
    assert _page(respondent, 2) in response.text
    assert "Continue where you stopped" in response.text


def test_review_lists_unanswered_then_submit_and_thanks(client, respondent):
    client.post(_page(respondent, 1), {"q1-value": "4", "go": "next"})
    review = client.get(reverse("respondent_review", args=[_token(respondent)]))
    assert "2 questions are unanswered" in review.text
    assert "Is there a sponsor?" in review.text
    response = client.post(reverse("respondent_submit", args=[_token(respondent)]))
    assert response.url == reverse("respondent_thanks", args=[_token(respondent)])
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    thanks = client.get(response.url)
    assert "Thank you" in thanks.text
    assert "Change my answers" in thanks.text
    # A submitted respondent's pages lead to the thank-you page.
    assert client.get(_page(respondent, 1)).url == response.url


def test_submitting_nothing_is_refused(client, respondent):
    response = client.post(reverse("respondent_submit", args=[_token(respondent)]), follow=True)
    assert "Answer at least one question" in response.text
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_reopen_after_submit_when_allowed(client, respondent):
    client.post(_page(respondent, 1), {"q1-value": "4", "go": "next"})
    client.post(reverse("respondent_submit", args=[_token(respondent)]))
    client.post(reverse("respondent_reopen", args=[_token(respondent)]))
    respondent.refresh_from_db()
    assert respondent.submitted_at is None
    assert client.post(_page(respondent, 1), {"q1-value": "6", "go": "stay"}).status_code == 302


def test_answering_after_submission_when_reopening_is_off_is_refused(client):
    assessment = open_assessment(respondents=1, respondents_may_revise=False)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    client.post(_page(respondent, 1), {"q1-value": "4", "go": "next"})
    client.post(reverse("respondent_submit", args=[_token(respondent)]))
    thanks = client.get(reverse("respondent_thanks", args=[_token(respondent)]))
    assert "Change my answers" not in thanks.text
    response = client.post(reverse("respondent_reopen", args=[_token(respondent)]))
    assert response.status_code == 409
    assert "cannot be changed" in response.text
    autosave = client.post(_autosave(respondent), {"questions": ["q1"], "q1-value": "1"})
    assert autosave.status_code == 409
    assert "submitted" in autosave.json()["detail"]
    assert Answer.objects.get(respondent=respondent, question__key="q1").value == "4"


def test_closed_assessment_link_says_so_and_reveals_nothing(client, respondent):
    token = _token(respondent)
    assessment_close(assessment=respondent.assessment)
    response = client.get(reverse("respondent_start", args=[token]))
    assert response.status_code == 410
    assert "closed" in response.text
    assert respondent.assessment.client.name not in response.text
    assert client.post(_page(respondent, 1), {"q1-value": "4"}).status_code == 410
    closed = client.post(_autosave(respondent), {"questions": ["q1"], "q1-value": "4"})
    assert closed.status_code == 409
    assert not Answer.objects.exists()


@pytest.mark.parametrize("token", ["x", "A" * 43, "a" * 200])
def test_unknown_or_tampered_token_gets_a_page_that_reveals_nothing(client, respondent, token):
    response = client.get(reverse("respondent_start", args=[token]))
    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert respondent.assessment.client.name not in response.text


def test_revoked_and_replaced_links_stop_working(client, respondent):
    old = _token(respondent)
    respondent_reissue(respondent=respondent)
    respondent.refresh_from_db()
    assert client.get(reverse("respondent_start", args=[old])).status_code == 404
    assert client.get(reverse("respondent_start", args=[_token(respondent)])).status_code == 200
    respondent.revoked_at = respondent.submitted_at or respondent.invited_at
    respondent.save()
    assert client.get(reverse("respondent_start", args=[_token(respondent)])).status_code == 404


def test_the_database_holds_only_a_hash_of_the_token(respondent):
    token = _token(respondent)
    stored = Respondent.objects.filter(id=respondent.id).values()[0]
    assert token not in str(stored)
    assert len(token) >= 22  # ≥ 128 bits in base64


def test_draft_answers_never_submitted_stay_drafts(client, respondent):
    client.post(_page(respondent, 1), {"q1-value": "4", "go": "next"})
    assessment = Assessment.objects.get(id=respondent.assessment_id)
    assert not assessment.respondents.filter(submitted_at__isnull=False).exists()
