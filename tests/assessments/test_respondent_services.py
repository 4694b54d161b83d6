import hashlib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import Answer, Assessment, Respondent
from assessments.services import (
    answers_save,
    assessment_close,
    respondent_email_send_now,
    respondent_invite,
    respondent_link,
    respondents_remind_due,
)
from tests.assessments.factories import open_assessment

NOW = timezone.make_aware(timezone.datetime(2026, 11, 27, 9, 0))


def _invited(assessment, name, *, days_ago, reminded_days_ago=None, **fields):
    return Respondent.objects.create(
        assessment=assessment,
        name=name,
        email=f"{name.lower()}@client.example",
        token_nonce="n" * 32,
        token_hash=hashlib.sha256(name.encode()).hexdigest(),
        invited_at=NOW - timedelta(days=days_ago),
        last_reminded_at=(
            NOW - timedelta(days=reminded_days_ago) if reminded_days_ago is not None else None
        ),
        **fields,
    )


@pytest.mark.django_db
def test_reminders_go_only_to_the_right_people_at_the_right_interval(
    django_capture_on_commit_callbacks,
):
    assessment = open_assessment(respondents=0, reminder_interval_days=3)
    due = _invited(assessment, "Due", days_ago=4)
    _invited(assessment, "Recent", days_ago=1)
    _invited(assessment, "Submitted", days_ago=10, submitted_at=NOW - timedelta(days=1))
    _invited(assessment, "Revoked", days_ago=10, revoked_at=NOW - timedelta(days=1))
    _invited(assessment, "RemindedLately", days_ago=10, reminded_days_ago=2)
    again = _invited(assessment, "RemindedLongAgo", days_ago=10, reminded_days_ago=3)
    Respondent.objects.create(assessment=assessment, name="NeverInvited", email="n@c.example")

    with django_capture_on_commit_callbacks() as callbacks:
        assert respondents_remind_due(now=NOW) == 2
    assert len(callbacks) == 2
    reminded = set(Respondent.objects.filter(last_reminded_at=NOW).values_list("id", flat=True))
    assert reminded == {due.id, again.id}
    # Run again at the same moment: nobody is reminded twice.
    assert respondents_remind_due(now=NOW) == 0
    # Three days on: the two again, plus "Recent" and "RemindedLately" whose turn has come.
    assert respondents_remind_due(now=NOW + timedelta(days=3)) == 4
    assert Respondent.objects.get(id=due.id).reminders_sent == 2


@pytest.mark.django_db
def test_no_reminders_after_the_due_date_or_once_closed():
    past_due = open_assessment(respondents=0)
    # A due date that has since passed (a new one in the past is refused).
    Assessment.objects.filter(id=past_due.id).update(due_date=(NOW - timedelta(days=1)).date())
    _invited(past_due, "Late", days_ago=10)
    closed = open_assessment(respondents=0)
    _invited(closed, "Closed", days_ago=10)
    assessment_close(assessment=closed)
    assert respondents_remind_due(now=NOW) == 0


@pytest.mark.django_db
def test_reminder_email_holds_the_same_working_link(mailbox):
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    assert respondent_email_send_now(respondent=respondent, kind="reminder")
    (sent,) = mailbox.iterdir()
    text = sent.read_text()
    assert "reminder" in text.lower()
    assert respondent_link(respondent) in text


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_autosaves_to_different_questions_both_persist():
    assessment = open_assessment(respondents=1)
    respondent = assessment.respondents.get()
    barrier = threading.Barrier(2)
    errors = []

    def save(key, value):
        try:
            barrier.wait(timeout=10)
            for _ in range(20):
                answers_save(respondent=respondent, changes={key: {"value": value}})
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=args) for args in (("q1", "4"), ("q2", "5"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    answers = dict(
        Answer.objects.filter(respondent=respondent).values_list("question__key", "value")
    )
    assert answers == {"q1": "4", "q2": "5"}


@pytest.mark.django_db
def test_comment_only_change_keeps_the_level():
    assessment = open_assessment(respondents=1)
    respondent = assessment.respondents.get()
    answers_save(respondent=respondent, changes={"q1": {"value": "6"}})
    answers_save(respondent=respondent, changes={"q1": {"comment": "Because of the CRM"}})
    answer = Answer.objects.get(respondent=respondent)
    assert (answer.value, answer.comment) == ("6", "Because of the CRM")
