"""Each answer carries a version: a save based on an older one is refused for that question,
so a stale tab or a late retry never overwrites a newer answer."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Answer
from assessments.services import answers_save, autosave, respondent_invite, respondent_link
from assessments.services.autosave import answers_autosave
from tests.assessments.factories import open_assessment


@pytest.fixture
def respondent():
    assessment = open_assessment(respondents=1)
    return respondent_invite(respondent=assessment.respondents.get())


def _token(respondent):
    return respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")


def _autosave(respondent):
    return reverse("respondent_autosave", args=[_token(respondent)])


def _page(respondent, n):
    return reverse("respondent_page", args=[_token(respondent), n])


def _answer(respondent, key):
    return Answer.objects.get(respondent=respondent, question__key=key)


@pytest.mark.django_db
def test_a_save_based_on_an_older_version_is_refused_with_the_newer_answer(client, respondent):
    first = client.post(
        _autosave(respondent), {"questions": ["q1"], "q1-value": "3", "q1-version": "0"}
    )
    assert first.status_code == 200
    assert first.json()["results"] == {"q1": {"status": "saved", "version": 1}}
    # A second tab, opened before the first saved, still holds version 0.
    stale = client.post(
        _autosave(respondent),
        {"questions": ["q1"], "q1-value": "5", "q1-comment": "mine", "q1-version": "0"},
    )
    assert stale.status_code == 409
    assert stale.json()["results"] == {
        "q1": {"status": "conflict", "version": 1, "value": "3", "comment": "", "evidence": ""}
    }
    answer = _answer(respondent, "q1")
    assert (answer.value, answer.comment, answer.version) == ("3", "", 1)
    # With the version it was given back, the same tab may change it.
    fresh = client.post(
        _autosave(respondent), {"questions": ["q1"], "q1-value": "5", "q1-version": "1"}
    )
    assert fresh.json()["results"] == {"q1": {"status": "saved", "version": 2}}
    assert _answer(respondent, "q1").value == "5"


@pytest.mark.django_db
def test_a_late_retry_of_a_save_that_got_through_reports_saved(client, respondent):
    body = {"questions": ["q1"], "q1-value": "3", "q1-version": "0"}
    client.post(_autosave(respondent), body)
    retry = client.post(_autosave(respondent), body)
    assert retry.status_code == 200
    assert retry.json()["results"] == {"q1": {"status": "saved", "version": 1}}
    assert _answer(respondent, "q1").version == 1


@pytest.mark.django_db
def test_a_batch_saves_what_is_current_and_refuses_what_is_stale(client, respondent):
    answers_save(respondent=respondent, changes={"q1": {"value": "4"}})
    response = client.post(
        _autosave(respondent),
        {
            "questions": ["q1", "q2"],
            "q1-value": "2",
            "q1-version": "0",
            "q2-value": "5",
            "q2-version": "0",
        },
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results["q1"]["status"] == "conflict"
    assert (results["q1"]["value"], results["q1"]["version"]) == ("4", 1)
    assert results["q2"] == {"status": "saved", "version": 1}
    assert response.json()["answered"] == 2
    assert _answer(respondent, "q1").value == "4"
    assert _answer(respondent, "q2").value == "5"


@pytest.mark.django_db
def test_every_other_save_moves_the_version_on(respondent):
    answers_save(respondent=respondent, changes={"q1": {"value": "4"}})
    assert _answer(respondent, "q1").version == 1
    answers_save(respondent=respondent, changes={"q1": {"comment": "why"}})
    assert _answer(respondent, "q1").version == 2
    # Without a version (the API's clients) a save is written whatever the version.
    token = _token(respondent)
    outcome = answers_autosave(token=token, changes={"q1": {"value": "6"}})
    assert outcome["results"]["q1"] == {"status": "saved", "version": 3}
    # A page that saw version 2 is now stale.
    outcome = answers_autosave(token=token, changes={"q1": {"value": "1"}}, versions={"q1": 2})
    assert outcome["results"]["q1"]["status"] == "conflict"
    assert _answer(respondent, "q1").value == "6"


@pytest.mark.django_db
def test_a_version_that_is_not_a_number_is_refused_naming_the_field(client, respondent):
    response = client.post(
        _autosave(respondent), {"questions": ["q1"], "q1-value": "3", "q1-version": "x"}
    )
    assert response.status_code == 400
    assert "q1-version" in response.json()["q1"][0]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_save_that_loses_the_race_after_its_check_writes_nothing(respondent, monkeypatch):
    # The other save lands between this one's read and its write: the write's own
    # version condition must refuse it.
    answers_save(respondent=respondent, changes={"q1": {"value": "4"}})
    real = autosave._current
    reads = []

    def before_the_other_save(cursor, respondent_param, question_params):
        reads.append(question_params)
        return {} if len(reads) == 1 else real(cursor, respondent_param, question_params)

    monkeypatch.setattr(autosave, "_current", before_the_other_save)
    outcome = answers_autosave(
        token=_token(respondent), changes={"q1": {"value": "2"}}, versions={"q1": 0}
    )
    assert outcome["results"]["q1"]["status"] == "conflict"
    assert outcome["results"]["q1"]["value"] == "4"
    assert _answer(respondent, "q1").value == "4"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_one_wins(monkeypatch):
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = _token(respondent)
    answers_save(respondent=respondent, changes={"q1": {"value": "1"}})
    rounds = 5
    outcomes = {"2": [], "6": []}
    errors = []
    barrier = threading.Barrier(2)
    # Both saves read the answer before either writes: only the write's own version
    # condition can then stop the second.
    real = autosave._current
    first_read = threading.local()

    def read_then_wait(*args):
        rows = real(*args)
        if getattr(first_read, "pending", False):
            first_read.pending = False
            barrier.wait(timeout=10)
        return rows

    monkeypatch.setattr(autosave, "_current", read_then_wait)

    def save(value):
        try:
            for round_ in range(rounds):
                barrier.wait(timeout=10)
                first_read.pending = True
                result = answers_autosave(
                    token=token, changes={"q1": {"value": value}}, versions={"q1": 1 + 2 * round_}
                )["results"]["q1"]
                outcomes[value].append(result["status"])
                barrier.wait(timeout=10)
                if value == "2":  # one side puts the answer back to a known state
                    answers_save(respondent=respondent, changes={"q1": {"value": "1"}})
                barrier.wait(timeout=10)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    for round_ in range(rounds):
        statuses = sorted(outcomes[v][round_] for v in outcomes)
        assert statuses == ["conflict", "saved"], round_


@pytest.mark.django_db
def test_a_page_posted_without_javascript_refuses_only_the_stale_question(client, respondent):
    # Another window answered q1 after this page was shown with q1 and q2 unanswered.
    answers_save(respondent=respondent, changes={"q1": {"value": "4"}})
    response = client.post(
        _page(respondent, 1),
        {
            "q1-value": "2",
            "q1-version": "0",
            "q2-value": "dont_know",
            "q2-version": "0",
            "go": "next",
        },
    )
    assert response.status_code == 409
    assert "Changed in another window — this is the latest answer" in response.text
    assert 'name="q1-value" value="4" checked' in response.text
    assert 'name="q1-version" value="1"' in response.text
    assert _answer(respondent, "q1").value == "4"
    assert _answer(respondent, "q2").value == "dont_know"
    # Posted again as shown, with the version it now carries, it goes through.
    again = client.post(
        _page(respondent, 1),
        {"q1-value": "2", "q1-version": "1", "q2-value": "dont_know", "q2-version": "1"},
    )
    assert again.status_code == 302
    assert _answer(respondent, "q1").value == "2"


@pytest.mark.django_db
def test_saving_a_page_leaves_the_answers_it_did_not_change_alone(client, respondent):
    answers_save(respondent=respondent, changes={"q1": {"value": "4", "comment": "c"}})
    response = client.post(
        _page(respondent, 1),
        {"q1-value": "4", "q1-comment": "c", "q1-version": "1", "q2-comment": "", "go": "stay"},
    )
    assert response.status_code == 302
    assert _answer(respondent, "q1").version == 1
    # An unanswered question with nothing typed stores nothing.
    assert not Answer.objects.filter(respondent=respondent, question__key="q2").exists()
