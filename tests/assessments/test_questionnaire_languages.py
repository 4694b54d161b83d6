"""Questionnaires in English, German and French: the file format's translations, the
respondent's language on their pages and emails, and scores that do not depend on it."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from assessments import questionnaire_files
from assessments.languages import localized
from assessments.models import Respondent
from assessments.narratives import stage_narratives
from assessments.results import assessment_results
from assessments.services import (
    questionnaire_export,
    questionnaire_import,
    respondent_email_send_now,
    respondent_invite,
    respondent_link,
    respondents_import_csv,
)
from tests.assessments.factories import DEFAULT, SMALL, default_version, open_assessment

pytestmark = pytest.mark.django_db

# The built-in questionnaire's first question, as its file words it.
FIRST_QUESTION = {
    "en": "Are your customer experience and digital activities linked to written business "
    "objectives?",
    "de": "Sind Ihre Aktivitäten für Kundenerlebnis und Digitales mit schriftlich "
    "festgehaltenen Geschäftszielen verknüpft?",
    "fr": "Vos actions d’expérience client et numériques sont-elles reliées à des objectifs "
    "d’entreprise écrits ?",
}

TRANSLATED = """
key: bilingual
language: de
title: {de: "Reifegrad", en: "Maturity", fr: "Maturité"}
description: "Nur auf Deutsch"
stages:
  2:
    definition: {de: "Kanäle", en: "Channels"}
    practices: [{de: "Eins", fr: "Un"}, "Zwei"]
dimensions:
  - key: strategy
    title: {de: "Strategie", fr: "Stratégie"}
    guidance: {2: {de: "Benennen", en: "Name an owner"}}
    questions:
      - key: q1
        text: {de: "Gibt es Ziele?", en: "Are there objectives?", fr: "Y a-t-il des objectifs ?"}
        help: "Hilfe"
        levels:
          1: {de: "Keine", en: "None"}
          7: "Alle"
"""


def _token(respondent):
    return respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")


def test_a_file_with_translations_loads_and_exports_exactly():
    content = questionnaire_files.load(TRANSLATED)
    assert content["language"] == "de"
    assert content["dimensions"][0]["questions"][0]["levels"]["1"] == {"en": "None", "de": "Keine"}

    version, created = questionnaire_import(data=TRANSLATED)
    exported = questionnaire_export(version=version)

    assert created
    assert questionnaire_files.load(exported) == content
    assert questionnaire_import(data=exported) == (version, False)  # the same content hash
    # The columns hold the default language; the translations are there to show.
    question = version.questions.get()
    assert (question.text, question.levels) == ("Gibt es Ziele?", {"1": "Keine", "7": "Alle"})
    french = question.localize("fr", version.language)
    assert (french.text, french.help, french.levels["1"]) == (
        "Y a-t-il des objectifs ?",
        "Hilfe",  # no translation: the default language
        "Keine",
    )
    assert version.dimensions.get().localize("en", "de").title == "Strategie"


def test_the_built_in_questionnaire_round_trips_and_is_complete_in_german_and_french():
    version = default_version()
    content = questionnaire_files.load(questionnaire_export(version=version))
    assert content == version.content
    untranslated = []

    def walk(value, path):
        if isinstance(value, dict) and "en" in value:
            untranslated.extend(f"{path}.{code}" for code in ("de", "fr") if not value.get(code))
        elif isinstance(value, str) and value:
            untranslated.append(path)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("key", "channel", "weight"):
                    walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk(content, "")
    assert untranslated == []


def test_a_file_without_translations_keeps_its_content_and_hash():
    content = questionnaire_files.load(SMALL.read_text())
    assert "language" not in content
    assert questionnaire_files.load(SMALL.read_text() + "\nlanguage: en\n") == content
    assert all(isinstance(d["title"], str) for d in content["dimensions"])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"title": {"en": "T", "es": "T"}}, "title.es: unknown language; use en, de, fr"),
        ({"title": {"de": "T"}}, "title.en: is required (the questionnaire's default language)"),
        ({"language": "es"}, "language: must be one of en, de, fr"),
        ({"language": "de"}, "title.de: is required"),  # the mapping below lacks the default
        ({"title": {"en": ""}}, "title.en: is required"),
        ({"title": {"en": ["T"]}}, "title.en: must be text"),
    ],
)
def test_translations_are_checked_with_their_path(change, problem):
    data = {"key": "k", "title": {"en": "T", "fr": "T"}, "dimensions": []} | change
    data["dimensions"] = [
        {
            "key": "d",
            "title": "D",
            "questions": [{"key": "q", "text": {"en": "Q", "xx": "Q"}, "levels": {1: "a", 7: "b"}}],
        }
    ]
    with pytest.raises(questionnaire_files.QuestionnaireFileError) as error:
        questionnaire_files.normalise(data)
    assert any(p.startswith(problem) for p in error.value.problems), error.value.problems
    assert "dimensions[0].questions[0].text.xx: unknown language; use en, de, fr" in (
        error.value.problems
    )


def test_stage_narratives_follow_the_active_language_with_the_default_as_fallback():
    stages = questionnaire_files.load(TRANSLATED)["stages"]
    from django.utils import translation

    with translation.override("fr"):
        stage = stage_narratives(stages, "de")[1]
    assert stage["definition"] == "Kanäle"  # no French: the questionnaire's German
    assert stage["practices"] == ["Un", "Zwei"]
    with translation.override("en"):
        assert stage_narratives(stages, "de")[1]["definition"] == "Channels"
    assert localized({"en": "a", "de": "b"}, "de-ch") == "b"


def _answer_everything(client, respondent, pages: int) -> None:
    token = _token(respondent)
    for page in range(1, pages + 1):
        response = client.get(reverse("respondent_page", args=[token, page]))
        keys = [row["question"].key for row in response.context["rows"]]
        levels = [sorted(row["question"].levels, key=int) for row in response.context["rows"]]
        data = {
            f"{k}-value": lv[i % len(lv)]
            for i, (k, lv) in enumerate(zip(keys, levels, strict=True))
        }
        assert client.post(reverse("respondent_page", args=[token, page]), data).status_code == 302
    assert client.post(reverse("respondent_submit", args=[token])).status_code == 302


def test_a_german_and_an_english_respondent_with_the_same_answers_score_the_same(client):
    assessment = open_assessment(version=default_version(), respondents=2)
    german, english = assessment.respondents.order_by("name")
    Respondent.objects.filter(pk=german.pk).update(language="de")
    german, english = (respondent_invite(respondent=r) for r in (german, english))

    _answer_everything(client, german, 7)
    _answer_everything(client, english, 7)

    rows = {row["key"]: row["dimensions"] for row in assessment_results(assessment)["respondents"]}
    assert rows[str(german.id)] == rows[str(english.id)]
    assert rows[str(german.id)]  # scores, not two empty rows


def test_a_german_respondent_reads_the_german_questionnaire(client):
    assessment = open_assessment(version=default_version(), respondents=1, language="de")
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = _token(respondent)

    welcome = client.get(reverse("respondent_start", args=[token]))
    page = client.get(reverse("respondent_page", args=[token, 1]))

    assert welcome.headers["Content-Language"] == "de"
    assert '<option value="de" lang="de" selected>Deutsch</option>' in welcome.text
    assert page.headers["Content-Language"] == "de"
    assert FIRST_QUESTION["de"] in page.text
    assert FIRST_QUESTION["en"] not in page.text
    assert "Strategie &amp; Ausrichtung" in page.text


def test_the_respondent_chooses_their_language_on_the_welcome_page(client):
    respondent = respondent_invite(
        respondent=open_assessment(version=default_version(), respondents=1).respondents.get()
    )
    token = _token(respondent)
    assert FIRST_QUESTION["en"] in client.get(reverse("respondent_page", args=[token, 1])).text

    response = client.post(reverse("respondent_language", args=[token]), {"language": "fr"})
    refused = client.post(reverse("respondent_language", args=[token]), {"language": "xx"})

    assert response.status_code == refused.status_code == 302
    respondent.refresh_from_db()
    assert respondent.language == "fr"
    page = client.get(reverse("respondent_page", args=[token, 1])).text
    assert escape(FIRST_QUESTION["fr"]) in page


def test_the_invitation_and_reminder_to_a_french_respondent_are_in_french(mailbox):
    assessment = open_assessment(version=default_version(), respondents=2)
    french, english = assessment.respondents.order_by("name")
    Respondent.objects.filter(pk=french.pk).update(language="fr")
    french, english = (respondent_invite(respondent=r) for r in (french, english))

    assert respondent_email_send_now(respondent=french, kind="invitation")
    assert respondent_email_send_now(respondent=french, kind="reminder")
    assert respondent_email_send_now(respondent=english, kind="invitation")
    emails = [path.read_text() for path in sorted(mailbox.iterdir())]

    to_french = [e for e in emails if french.email in e]
    assert len(to_french) == 2
    assert all("Content-Language: fr" in e for e in to_french)
    assert next(e for e in emails if english.email in e).count("Content-Language: en") == 1


def test_a_custom_invitation_is_sent_as_the_consultant_wrote_it(mailbox):
    assessment = open_assessment(version=default_version(), respondents=1)
    assessment.invitation_subject = "Ihre Meinung zählt"
    assessment.invitation_message = "Bitte antworten Sie bis Freitag."
    assessment.save()
    respondent = respondent_invite(respondent=assessment.respondents.get())
    Respondent.objects.filter(pk=respondent.pk).update(language="fr")
    respondent.refresh_from_db()

    assert respondent_email_send_now(respondent=respondent, kind="invitation")
    (email,) = [path.read_text() for path in mailbox.iterdir()]
    assert "Bitte antworten Sie bis Freitag." in email
    assert "Content-Language: fr" in email


def test_the_csv_import_takes_a_language_column():
    assessment = open_assessment(respondents=0)

    added = respondents_import_csv(
        assessment=assessment, data="name,email,language\nAnna,anna@c.example,DE\nBob,,\n"
    )

    assert [(r.name, r.language) for r in added] == [("Anna", "de"), ("Bob", "")]
    assert [r.reading_language for r in added] == ["de", "en"]
    with pytest.raises(ValidationError) as error:
        respondents_import_csv(assessment=assessment, data="name,language\nCleo,es\n")
    assert "Row 2, language: Choose one of: en, de, fr, or leave it blank." in str(error.value)


def test_the_default_file_declares_no_language_so_its_default_is_english():
    assert "language" not in yaml.safe_load(DEFAULT.read_text())
